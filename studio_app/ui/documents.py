"""One capture, several documents in the operator window (issue 17): a checkable list of the
other documents beside the spec picker (身份证 + 社保卡 + 2寸...), a tab per extra document in
the review (its own crop and the checks of its finished file), and the order written with all of
them (one receipt listing each).

The review's first document is the spec picker's (the main review panel); the others are made
from the same capture in a worker when the review shows a new result. The order is issued whole:
while one of them is being made, needs a retake or is not within its spec, "approve" stays off
and says which. The kiosk stays single-document.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QTabWidget, QToolButton, QVBoxLayout, QWidget)

from .checklist import ChecklistPanel
from .review import ImageView


class MoreDocumentsButton(QToolButton):
    """"＋ 同时制作" beside the spec picker: a checkable list of the other documents."""

    changed = Signal(list)  # the chosen spec ids

    def __init__(self, library, lang: str = "zh_CN", parent: QWidget | None = None):
        super().__init__(parent)
        self.lang = lang
        self.setObjectName("moreDocuments")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(self.tr("一次拍摄同时制作其他证件照：同一订单、同一张回执，每项证件有自己的图像号"))
        self._menu = QMenu(self)
        self._menu.setObjectName("moreDocumentsMenu")
        self.actions_by_id: dict[str, QAction] = {}
        for spec in library:
            act = QAction(f"{spec.name(lang)}  {spec.width_px}×{spec.height_px}", self._menu)
            act.setCheckable(True)
            act.setData(spec.id)
            act.toggled.connect(self._toggled)
            self._menu.addAction(act)
            self.actions_by_id[spec.id] = act
        self.setMenu(self._menu)
        self._primary = None
        self._update_text()

    def set_primary(self, spec_id: str) -> None:
        """The spec picker's document is never an extra one."""
        self._primary = spec_id
        for sid, act in self.actions_by_id.items():
            act.setEnabled(sid != spec_id)
            if sid == spec_id and act.isChecked():
                act.setChecked(False)
        self._update_text()

    def chosen(self) -> list[str]:
        return [sid for sid, act in self.actions_by_id.items() if act.isChecked() and sid != self._primary]

    def set_chosen(self, spec_ids) -> None:
        for sid, act in self.actions_by_id.items():
            act.blockSignals(True)
            act.setChecked(sid in spec_ids and sid != self._primary)
            act.blockSignals(False)
        self._toggled()

    def _toggled(self, _on: bool = False) -> None:
        self._update_text()
        self.changed.emit(self.chosen())

    def _update_text(self) -> None:
        n = len(self.chosen())
        self.setText(self.tr("＋ 同时制作 %n 项", "", n) if n else self.tr("＋ 同时制作…"))


class DocumentPage(QWidget):
    """One extra document in the review: its crop and the checks of its finished file."""

    def __init__(self, spec, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.result = None
        self.photo = ImageView(caption=spec.name(lang))
        self.photo.setMinimumWidth(180)
        self.checks = ChecklistPanel(title=self.tr("成品复检"), sort_by_status=True)
        self.status = QLabel(self.tr("正在制作…"))
        self.status.setObjectName("documentStatus")
        self.status.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.status)
        right.addWidget(self.checks, 1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.photo, 2)
        lay.addLayout(right, 3)


def verdict_of(result) -> str:
    from ..imaging.documents import verdict

    return verdict(result)


class DocumentTabs(QTabWidget):
    """The review's extra documents, one tab each (hidden when there are none)."""

    def __init__(self, lang: str = "zh_CN", parent: QWidget | None = None):
        super().__init__(parent)
        self.lang = lang
        self.setObjectName("documentTabs")
        self.pages: list[DocumentPage] = []
        self.setVisible(False)

    def start(self, specs) -> None:
        """New capture: a tab per extra document, each "being made"."""
        self.clear()
        self.pages = [DocumentPage(s, self.lang) for s in specs]
        for page in self.pages:
            self.addTab(page, page.spec.name(self.lang))
        self.setVisible(bool(self.pages))

    def busy(self) -> bool:
        return any(p.result is None for p in self.pages)

    def show_results(self, docs) -> None:
        """``docs``: ``[(spec, result)]`` for the extra documents."""
        by_id = {s.id: r for s, r in docs}
        for i, page in enumerate(self.pages):
            result = by_id.get(page.spec.id)
            if result is None:
                continue
            page.result = result
            page.photo.set_image(result.photo)
            v = verdict_of(result)
            # a retake is judged on the capture itself: its checks say why; else the finished file's
            retake_view = v == "retake" or result.after is None
            page.checks.title.setText(self.tr("拍摄检查") if retake_view else self.tr("成品复检"))
            page.checks.set_report(result.before if retake_view else result.after, self.lang)
            lines = result.messages(self.lang)
            if v == "ok":
                page.status.setText(self.tr("合格") + f" · {page.spec.width_px}×{page.spec.height_px} px")
                page.status.setStyleSheet("color: #1e8449; font-weight: bold;")
            else:
                head = self.tr("需要重拍：") if v == "retake" else self.tr("不合格：")
                retake = [r.message(self.lang) for r in (result.before.failed if result.before else [])
                          if r.category == "retake"] if v == "retake" else []
                page.status.setText(head + "；".join(dict.fromkeys(lines + retake)))
                page.status.setStyleSheet("color: #c0392b; font-weight: bold;")
            mark = "✓" if v == "ok" else "✗"
            self.setTabText(i, f"{mark} {page.spec.name(self.lang)}")

    def show_error(self, text: str) -> None:
        for i, page in enumerate(self.pages):
            if page.result is None:
                page.status.setText(text)
                page.status.setStyleSheet("color: #c0392b; font-weight: bold;")
                self.setTabText(i, f"✗ {page.spec.name(self.lang)}")

    def blocking(self) -> str | None:
        """Why the order cannot be issued yet (a document being made, needing a retake or not
        within its spec), or None."""
        if not self.pages:
            return None
        if self.busy():
            return self.tr("正在制作其他证件照…")
        bad = [p.spec.name(self.lang) for p in self.pages if verdict_of(p.result) != "ok"]
        if bad:
            return self.tr("%1 未通过：整单不能输出（请重拍；不需要该证件时，重拍前取消勾选）").replace("%1", "、".join(bad))
        return None

    def results(self) -> list:
        return [(p.spec, p.result) for p in self.pages if p.result is not None]


class MoreDocuments:
    """Mixin of :class:`~studio_app.ui.main_window.MainWindow`: needs ``library``, ``lang``,
    ``session``, ``review``, ``spec_combo``."""

    def _build_documents(self, toolbar) -> None:
        self.more_documents = MoreDocumentsButton(self.library, self.lang)
        toolbar.addWidget(self.more_documents)
        self.document_tabs = DocumentTabs(self.lang)
        self.review_page.addWidget(self.document_tabs)
        self.review_page.setStretchFactor(0, 3)
        self.review_page.setStretchFactor(1, 1)
        self.review.extra_gate = self.document_tabs.blocking
        self._documents_serial = 0

    def _documents_primary(self, spec) -> None:
        if hasattr(self, "more_documents"):
            self.more_documents.set_primary(spec.id)

    def extra_specs(self) -> list:
        return [self.library.get(sid) for sid in self.more_documents.chosen()]

    def _documents_start(self) -> None:
        """A capture: tabs for the extra documents (made once the first one is reviewed)."""
        self.document_tabs.start(self.extra_specs())
        self.review.refresh_gate()

    def _documents_for(self, result) -> None:
        """The review shows a new result of the first document: make the others from the same
        capture with the same corrections (a nudge of the first one's crop is its own)."""
        specs = [p.spec for p in self.document_tabs.pages]
        cap = self.session.data.capture
        if not specs or result is None or cap is None:
            return
        from ..imaging.documents import process_documents
        from .workers import run_job

        for page in self.document_tabs.pages:
            page.result = None
        self.review.refresh_gate()
        self._documents_serial += 1
        serial = self._documents_serial
        frame, options = cap.frame, self.session.data.process_options
        analysis = cap.analysis if getattr(cap.analysis, "mode", "") == "still" else None
        if options is None:
            from ..imaging.pipeline import ProcessOptions

            options = ProcessOptions()

        def job():
            return process_documents(frame, [result.spec, *specs], options, analysis=analysis, first=result)[1:]

        def done(docs) -> None:
            if serial == self._documents_serial:
                self.document_tabs.show_results(docs)
                self.review.refresh_gate()

        def failed(message: str, detail: str) -> None:
            if serial == self._documents_serial:
                self.document_tabs.show_error(message)
                self.review.refresh_gate()

        run_job(job, done, failed, self)

    def extra_results(self) -> list:
        """The extra documents written with the order (all made and passing, or none shown)."""
        return self.document_tabs.results()
