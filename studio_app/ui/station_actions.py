"""The operator window's order actions and dialogs: the order store, writing the outputs,
printing, the output folder, history and resubmission, settings.

A mixin of :class:`~studio_app.ui.main_window.MainWindow` (its ``tr`` context stays "MainWindow").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from ..errors import StudioError
from ..session import State
from ..settings import Settings, output_dir


class StationActions:
    """Needs from the window: settings, session, lang, resubmit_of, _store, statusBar()."""

    # -- output ------------------------------------------------------------------------------------
    @property
    def store(self):
        if self._store is None:
            from ..orders import open_store

            self._store = open_store(self.settings.database_url or None, station=self.settings.station_code)
        return self._store

    def _output_service(self, request):
        from ..session import write_order_outputs

        return write_order_outputs(request, settings=self.settings, store=self.store, resubmit_of=self.resubmit_of,
                                   lang=self.lang, more=self.extra_results())

    def open_output_folder(self) -> None:
        rec = self.session.data.outputs
        folder = Path(rec.folder) if rec is not None and rec.folder else output_dir(self.settings)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def print_sheet(self) -> None:
        rec = self.session.data.outputs
        if rec is None or self.session.state != State.DONE:
            return
        from .printing import print_file

        sheets = self._document_sheets(rec)
        if len(sheets) > 1:  # one capture, several documents: a sheet each, one printer dialog
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter

            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
                return
            if all([print_file(self, p, self.settings, printer=printer) for p in sheets]):
                self._mark_printed(rec.receipt_no)
            return
        if print_file(self, rec.sheet_pdf_path or rec.sheet_path or rec.photo_path, self.settings):
            self._mark_printed(rec.receipt_no)

    def mixed_sheet_dialog(self):
        """The mixed-sheet chooser for the finished, approved photo (None otherwise)."""
        d = self.session.data
        if self.session.state != State.DONE or d.outputs is None or d.reject_reasons or d.result is None \
                or d.capture is None:
            return None
        from .sheet_dialog import SheetDialog

        dlg = SheetDialog(d.capture.frame, d.result, self.library, self.settings, self, lang=self.lang)
        receipt_no = d.outputs.receipt_no
        dlg.printed.connect(lambda: self._mark_printed(receipt_no))
        return dlg

    def print_mixed_sheet(self) -> None:
        dlg = self.mixed_sheet_dialog()
        if dlg is not None:
            dlg.exec()

    def _document_sheets(self, rec) -> list[str]:
        """Each document's sheet (PDF, else JPEG) of the order just written; one mixed sheet is one."""
        order = (rec.extra or {}).get("order")
        docs = getattr(order, "items", ()) or ()
        return [f.get("sheet_pdf", f.get("sheet"))["path"] for f in (d.files for d in docs)
                if f.get("sheet_pdf") or f.get("sheet")]

    def print_receipt(self) -> None:
        rec = self.session.data.outputs
        if rec is None or not rec.receipt_path:
            return
        from .printing import print_file

        if print_file(self, rec.receipt_path, self.settings):
            self._mark_printed(rec.receipt_no)

    def _mark_printed(self, receipt_no: str) -> None:
        try:
            self.store.set_status(receipt_no, "printed")
        except StudioError as exc:  # the print happened; the status is bookkeeping
            self.statusBar().showMessage(exc.message(), 8000)

    # -- dialogs ------------------------------------------------------------------------------------
    def show_history(self) -> None:
        from .history import HistoryDialog

        dlg = HistoryDialog(self.store, self.settings, self, lang=self.lang)
        dlg.resubmitRequested.connect(self.start_resubmit)
        dlg.exec()

    def show_batch(self, folder: str | None = None):
        """The batch panel (one per window, not modal: the counter goes on while it runs); a
        double-click on a result opens that photo in review."""
        from .batch_panel import BatchPanel

        panel = getattr(self, "batch_panel", None)
        if panel is None:
            panel = BatchPanel(self.library, self.settings, self, lang=self.lang, spec_id=self.current_spec().id)
            panel.reviewRequested.connect(self._review_batch_file)
            self.batch_panel = panel
        if folder:
            panel.set_folder(folder)
        panel.show()
        panel.raise_()
        return panel

    def _review_batch_file(self, path: str, spec_id: str) -> None:
        if self.review_file(path, spec_id):
            self.raise_()
            self.activateWindow()

    def _stop_batch(self) -> None:
        panel = getattr(self, "batch_panel", None)
        if panel is not None:
            panel.wait()

    def show_verify(self) -> None:
        from .verify_dialog import VerifyDialog

        VerifyDialog(self.store, self, lang=self.lang, clear_after_s=self.settings.verify_clear_seconds).exec()

    def start_resubmit(self, receipt_no: str, spec_id: str, name: str, city: str) -> None:
        """A new capture for a rejected order: the output resubmits it (new numbers, linked)."""
        if self.session.state not in (State.LIVE, State.COUNTDOWN, State.IDLE, State.DONE):
            return
        if self.session.state == State.DONE:
            self.session.send("finish")
        try:
            self.set_spec(spec_id)
        except StudioError:
            pass
        self.resubmit_of = receipt_no
        self.review.form.name.setText(name)
        if city:
            self.review.form.set_city(city)
        self.statusBar().showMessage(self.tr("重新提交 %1：请重新拍照").replace("%1", receipt_no), 15000)

    def show_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.settings, self)
        if dlg.exec():
            new = dlg.settings()
            lang_changed = new.language != self.settings.language
            self._save_settings(new)
            if lang_changed:
                QMessageBox.information(self, self.tr("设置"), self.tr("界面语言将在重新启动后生效。"))

    def _save_settings(self, new: Settings) -> None:
        from ..settings import save_settings

        self.settings = new
        try:
            save_settings(new)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("设置"), str(exc))

    def _toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()
