"""The batch in the operator window: drop a folder of photos (or choose one), pick the specs, run
the one batch runner (:func:`studio_app.batch.run_batch`, the same as ``studio-app batch``) in a
worker thread, watch the count and the time left, and open any result in review with a
double-click. Cancel stops as Ctrl-C does on the terminal: the photos being processed finish and
everything finished is kept (a later run skips it).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout)

from .. import messages
from ..batch import report as _report  # noqa: F401 - registers the verdict texts the table shows
from .workers import run_job

VERDICT_COLOURS = {"ok": "#e3f4e1", "problems": "#fff4d6", "retake": "#fde2e1", "error": "#f3d9f7"}


def _texts(value, lang: str) -> list[str]:
    if not value:
        return []
    if isinstance(value, dict):
        value = value.get(lang) or value.get("zh_CN") or []
    return list(value) if isinstance(value, list) else [str(value)]


def row_problems(row: dict, lang: str) -> str:
    """What is wrong with a batch row, in one line: the error, the retake and fixable problems."""
    sep = "；" if lang == "zh_CN" else "; "
    parts = _texts(row.get("error"), lang) + _texts(row.get("retake_problems"), lang) + \
        _texts(row.get("fixable_problems"), lang)
    return sep.join(dict.fromkeys(parts))


class BatchPanel(QDialog):
    """``reviewRequested(input file, spec id)`` on a double-click in the results."""

    reviewRequested = Signal(str, str)
    batchFinished = Signal(object)  # the BatchSummary

    COLUMNS = 4

    def __init__(self, library, settings, parent=None, lang: str = "zh_CN", spec_id: str | None = None,
                 workers: int | None = None):
        super().__init__(parent)
        from ..batch.runner import default_workers

        self.setWindowTitle(self.tr("批量处理"))
        self.setAcceptDrops(True)
        self.settings = settings
        self.lang = lang
        self.summary = None
        self._in_dir: Path | None = None
        self._cancel: threading.Event | None = None
        self._thread = None
        self._t0 = 0.0
        self._rows: list[dict] = []

        self.drop = QLabel(self.tr("把照片文件夹拖到这里，或点“选择文件夹…”"))
        self.drop.setObjectName("batchDrop")
        self.drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop.setMinimumHeight(56)
        self.drop.setStyleSheet("#batchDrop { border: 2px dashed #8a94a6; border-radius: 8px; color: #555; }")
        self.folder = QLineEdit()
        self.folder.textChanged.connect(self._folder_changed)
        choose = QPushButton(self.tr("选择文件夹…"))
        choose.clicked.connect(self._choose_folder)
        self.out = QLineEdit()
        choose_out = QPushButton(self.tr("选择…"))
        choose_out.clicked.connect(self._choose_out)
        self.specs = QListWidget()
        self.specs.setMaximumHeight(130)
        self._spec_names = {spec.id: spec.name(lang) for spec in library}
        for spec in library:
            item = QListWidgetItem(f"{spec.name(lang)}  {spec.width_px}×{spec.height_px}")
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if spec.id == spec_id else Qt.CheckState.Unchecked)
            self.specs.addItem(item)
            if spec.id == spec_id:
                self.specs.setCurrentItem(item)  # shown, not scrolled away
        self.workers = QSpinBox()
        self.workers.setRange(1, 8)
        self.workers.setValue(workers or default_workers())
        self.workers.setToolTip(self.tr("每个进程约 360 MB 内存"))
        self.recursive = QCheckBox(self.tr("包括子文件夹"))
        self.force = QCheckBox(self.tr("重做已完成的照片"))

        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(choose_out)
        opts = QHBoxLayout()
        opts.addWidget(QLabel(self.tr("并行进程")))
        opts.addWidget(self.workers)
        opts.addSpacing(16)
        opts.addWidget(self.recursive)
        opts.addWidget(self.force)
        opts.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("照片文件夹"), row)
        form.addRow(self.tr("要处理的规格"), self.specs)
        form.addRow(self.tr("输出到"), out_row)
        form.addRow("", opts)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m")
        self.eta = QLabel()
        self.eta.setMinimumWidth(220)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("文件"), self.tr("规格"), self.tr("结果"), self.tr("问题")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._open_row)
        self.status = QLabel(self.tr("双击一行在审核中打开这张照片。"))
        self.status.setWordWrap(True)

        self.start_button = QPushButton(self.tr("开始"))
        self.start_button.setObjectName("approveButton")
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_out = QPushButton(self.tr("打开报告"))
        self.open_out.setEnabled(False)
        self.open_out.clicked.connect(self._open_report)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_out)
        buttons.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addWidget(self.drop)
        lay.addLayout(form)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.eta)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        self.resize(900, 680)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.specs.currentItem() is not None:
            self.specs.scrollToItem(self.specs.currentItem(), QAbstractItemView.ScrollHint.PositionAtCenter)

    # -- choosing ---------------------------------------------------------------------------------
    def set_folder(self, path: str | Path) -> None:
        self.folder.setText(str(path))

    def _folder_changed(self, text: str) -> None:
        from ..settings import output_dir

        folder = Path(text.strip()) if text.strip() else None
        if folder is not None and folder.name and not self.out.isModified():
            self.out.setText(str(output_dir(self.settings) / "batch" / folder.name))

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("选择照片文件夹"), self.folder.text())
        if path:
            self.set_folder(path)

    def _choose_out(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("选择输出文件夹"), self.out.text())
        if path:
            self.out.setText(path)
            self.out.setModified(True)

    def chosen_specs(self) -> tuple[str, ...]:
        items = (self.specs.item(i) for i in range(self.specs.count()))
        return tuple(it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked)

    def set_specs(self, ids) -> None:
        for i in range(self.specs.count()):
            it = self.specs.item(i)
            it.setCheckState(Qt.CheckState.Checked if it.data(Qt.ItemDataRole.UserRole) in ids
                             else Qt.CheckState.Unchecked)

    @staticmethod
    def _dropped_folder(event) -> Path | None:
        for url in event.mimeData().urls() if event.mimeData().hasUrls() else ():
            p = Path(url.toLocalFile())
            if url.isLocalFile() and p.is_dir():
                return p
        return None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._dropped_folder(event) is not None and not self.running:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        folder = self._dropped_folder(event)
        if folder is None or self.running:
            event.ignore()
            return
        self.set_folder(folder)
        event.acceptProposedAction()

    # -- running ----------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    def _say(self, text: str, bad: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b3261e;" if bad else "")

    def start(self) -> bool:
        from ..batch import BatchOptions, run_batch
        from ..batch.report import write_reports

        if self.running:
            return False
        text = self.folder.text().strip()
        in_dir = Path(text) if text else None
        if in_dir is None or not in_dir.is_dir():
            self._say(messages.text("batch.no_folder", self.lang, path=text or "—"), bad=True)
            return False
        specs = self.chosen_specs()
        if not specs:
            self._say(self.tr("请至少选择一个规格。"), bad=True)
            return False
        out = Path(self.out.text().strip() or in_dir / "batch_output")
        opts = BatchOptions(specs=specs, out=out, workers=self.workers.value(), recursive=self.recursive.isChecked(),
                            force=self.force.isChecked())
        cancel = threading.Event()
        def job(report):
            summary = run_batch(in_dir, opts, progress=lambda rows, done, total: report((rows, done, total)),
                                cancel=cancel)
            paths = write_reports(summary, out) if summary.rows else {}
            return summary, paths

        self._in_dir, self._out, self._cancel = in_dir, out, cancel
        self._rows = []
        self.summary = None
        self.table.setRowCount(0)
        self.progress.setRange(0, 0)  # busy until the first count: the workers load their models
        self.eta.setText(self.tr("正在启动…"))
        self._say(self.tr("正在处理 %1（%2 个进程加载模型需要几秒钟）…").replace("%1", str(in_dir))
                  .replace("%2", str(opts.workers)))
        self._set_running(True)
        self._t0 = time.monotonic()
        self._thread = run_job(job, self._done, self._failed, self, on_progress=self._progress)
        return True

    def _set_running(self, on: bool) -> None:
        self.start_button.setEnabled(not on)
        self.cancel_button.setEnabled(on)
        for w in (self.folder, self.out, self.specs, self.workers, self.recursive, self.force):
            w.setEnabled(not on)

    def cancel(self) -> None:
        """Stop after the photos being processed; what is finished stays."""
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self._say(self.tr("正在停止：正在处理的照片完成后停止，已完成的都会保留…"))

    def wait(self, ms: int = 120000) -> None:
        """Cancel and wait for the batch (the window closing)."""
        self.cancel()
        if self._thread is not None:
            self._thread.wait(ms)

    def _progress(self, value) -> None:
        from ..batch.progress import clock_text, estimate

        rows, done, total = value
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        rate, eta = estimate(time.monotonic() - self._t0, done, total)
        left = self.tr("剩余 %1").replace("%1", clock_text(eta))
        self.eta.setText(f"{done}/{total} · {rate:.0f}/min · {left}")
        for r in rows:
            self._add_row(r)

    def _add_row(self, r: dict) -> None:
        self._rows.append(r)
        i = self.table.rowCount()
        self.table.insertRow(i)
        verdict = r.get("verdict", "error")
        spec = r.get("spec", "")
        cells = [r.get("file", ""), self._spec_names.get(spec, spec), messages.text(f"batch.verdict.{verdict}", self.lang),
                 row_problems(r, self.lang)]
        colour = QColor(VERDICT_COLOURS.get(verdict, "#ffffff"))
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setBackground(colour)
            if col == 3:
                item.setToolTip(text)
            self.table.setItem(i, col, item)

    def _done(self, result) -> None:
        from ..batch.report import sorted_rows

        self._thread = None
        summary, paths = result
        self.summary = summary
        self._report_paths = paths
        self._set_running(False)
        self.table.setRowCount(0)
        self._rows = []
        for r in sorted_rows(summary.rows):  # skipped (done before) and finished after Cancel too
            self._add_row(r)
        c = summary.counts()
        total = len(summary.rows)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(total if not summary.interrupted else summary.processed + summary.skipped)
        self.eta.setText(f"{summary.seconds:.0f} s")
        text = self.tr("完成：合格 %1，可修正 %2，需重拍 %3，无法处理 %4（本次处理 %5，跳过已完成 %6，%7 秒）") \
            .replace("%1", str(c.get("ok", 0))).replace("%2", str(c.get("problems", 0))) \
            .replace("%3", str(c.get("retake", 0))).replace("%4", str(c.get("error", 0))) \
            .replace("%5", str(summary.processed)).replace("%6", str(summary.skipped)) \
            .replace("%7", f"{summary.seconds:.1f}")
        if summary.interrupted:
            text = self.tr("已取消：已完成的照片都已保存，再次开始会继续。") + "\n" + text
        elif not summary.rows:
            text = self.tr("文件夹中没有图片：%1").replace("%1", str(self._in_dir))
        self._say(text)
        self.open_out.setEnabled(bool(paths))
        self.batchFinished.emit(summary)

    def _failed(self, message: str, detail: str) -> None:
        self._thread = None
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.eta.setText("")
        self._say(message, bad=True)

    def _open_row(self, row: int, _col: int = 0) -> None:
        if not 0 <= row < len(self._rows) or self._in_dir is None:
            return
        r = self._rows[row]
        self.reviewRequested.emit(str(self._in_dir / r["file"]), r.get("spec", ""))

    def _open_report(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        path = (getattr(self, "_report_paths", None) or {}).get("contact_sheet.html")
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
