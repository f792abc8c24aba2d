"""The checklist panel: every check of a report with its status, and the one hint."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .. import messages
from ..compliance.display import explain, value_text

STATUS_COLOURS = {"pass": QColor(39, 174, 96), "warn": QColor(211, 132, 0), "fail": QColor(200, 50, 40)}
STATUS_MARKS = {"pass": "✓", "warn": "!", "fail": "✗"}


def check_text(result, lang: str | None = None) -> str:
    """The message of one CheckResult in the current language."""
    key = getattr(result, "message_key", "") or ""
    params = dict(getattr(result, "params", {}) or {})
    if key and messages.has(key):
        return messages.text(key, lang, **params)
    return key or str(getattr(result, "id", ""))


SEVERITY = {"fail": 0, "warn": 1}
_ICONS: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """A filled dot in the status colour with its mark: the marks as text differ in width (the
    names did not line up) and "✓" fell back to a "√" from another font."""
    icon = _ICONS.get(status)
    if icon is None:
        size = 32  # drawn large, shown at the row's icon size
        pm = QPixmap(size, size)
        pm.fill(QColor(0, 0, 0, 0))
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(STATUS_COLOURS.get(status, QColor(150, 150, 150)))
        p.drawEllipse(2, 2, size - 4, size - 4)
        font = QFont()
        font.setPixelSize(22)
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, STATUS_MARKS.get(status, "·"))
        p.end()
        icon = _ICONS[status] = QIcon(pm)
    return icon


def check_title(result, lang: str | None = None) -> str:
    """The short name of the check ("头部大小", "Head size"); the message for an unknown id."""
    key = f"check.{getattr(result, 'id', '')}"
    return messages.text(key, lang) if messages.has(key) else check_text(result, lang)


class ChecklistPanel(QWidget):
    """A list of checks: status mark and name, then the measured value in plain words with the
    limit ("左转 7°（≤ 5°）"). The full message and what the check means are in the tooltips.

    ``sort_by_status`` puts failures, then warnings first (the review's fixed reports); the live
    panel keeps the checks' own order so rows do not jump at the analysis rate."""

    def __init__(self, parent: QWidget | None = None, title: str | None = None, sort_by_status: bool = False):
        super().__init__(parent)
        self.sort_by_status = sort_by_status
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(title if title is not None else self.tr("检查项目"))
        self.title.setStyleSheet("font-weight: bold;")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("项目"), self.tr("实测（要求）")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # fitted to the names + a gap
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.statuses: dict[str, str] = {}
        self._fitted: tuple = ()

    def set_report(self, report, lang: str | None = None, analysis=None) -> None:
        """Show ``report`` (a ComplianceReport; None clears). Rows are updated in place so the
        list does not flicker at the analysis rate. ``analysis`` (the FaceAnalysis behind the
        report, when at hand) lets a row say more, e.g. which eye is closed."""
        results = list(getattr(report, "results", ()) or ()) if report is not None else []
        en = (lang or messages.language()).startswith("en")
        seen = set()
        for r in results:
            rid = str(getattr(r, "id", ""))
            seen.add(rid)
            item = self._items.get(rid)
            if item is None:
                item = QTreeWidgetItem(self.tree)
                item.setData(0, Qt.ItemDataRole.UserRole, rid)
                self._items[rid] = item
            status = str(getattr(r, "status", ""))
            self.statuses[rid] = status
            message = check_text(r, lang)
            title = check_title(r, lang)
            if item.text(0) != title:
                item.setText(0, title)
            if item.data(0, Qt.ItemDataRole.AccessibleDescriptionRole) != status:
                item.setIcon(0, status_icon(status))
                item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, status)
            brush = QBrush(STATUS_COLOURS.get(status, QColor(90, 90, 90)))
            item.setForeground(0, brush)
            item.setForeground(1, brush if status in SEVERITY else QBrush(self.palette().text().color()))
            detail = value_text(r, lang, analysis) or message
            if item.text(1) != detail:
                item.setText(1, detail)
            tip = f"{title}{': ' if en else '：'}{message}\n{explain(rid, lang)}" if title != message else \
                f"{message}\n{explain(rid, lang)}"
            if item.toolTip(0) != tip:
                item.setToolTip(0, tip)
                item.setToolTip(1, tip)
        for rid in list(self._items):
            if rid not in seen:
                item = self._items.pop(rid)
                self.statuses.pop(rid, None)
                self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        names = (lang, tuple(self._items))
        if names != self._fitted:  # new rows or another language: fit the name column, plus a gap
            self._fitted = names
            self.tree.resizeColumnToContents(0)
            self.tree.setColumnWidth(0, self.tree.columnWidth(0) + 14)
        if self.sort_by_status and results:
            self._sort([str(getattr(r, "id", "")) for r in results])
        fails = sum(1 for s in self.statuses.values() if s == "fail")
        warns = sum(1 for s in self.statuses.values() if s == "warn")
        if report is None:
            self.summary.setText(self.tr("未检测到人脸"))
        elif fails:
            self.summary.setText(self.tr("%n 项不合格", "", fails) + (self.tr("，%n 项提醒", "", warns) if warns else ""))
        elif warns:
            self.summary.setText(self.tr("全部通过，%n 项提醒", "", warns))
        else:
            self.summary.setText(self.tr("全部通过"))

    def _sort(self, order: list[str]) -> None:
        want = sorted(order, key=lambda rid: (SEVERITY.get(self.statuses.get(rid, ""), 2), order.index(rid)))
        if self.ids() == want:
            return
        while self.tree.topLevelItemCount():
            self.tree.takeTopLevelItem(0)
        self.tree.addTopLevelItems([self._items[rid] for rid in want])
        self.tree.scrollToTop()

    def ids(self) -> list[str]:
        """The check ids in the order shown."""
        return [self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                for i in range(self.tree.topLevelItemCount())]

    def row_count(self) -> int:
        return self.tree.topLevelItemCount()

