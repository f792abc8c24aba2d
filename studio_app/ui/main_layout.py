"""The operator window's widgets: the live page (view, hint, checklist, capture button), the
review and done pages, the status bar, the toolbar and the shortcuts.

A mixin of :class:`~studio_app.ui.main_window.MainWindow` (its ``tr`` context stays "MainWindow").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QLabel, QPushButton, QSplitter, QStackedWidget, QToolBar,
                               QVBoxLayout, QWidget)

from .checklist import ChecklistPanel
from .done_panel import DonePanel
from .live_view import LiveView
from .review import ReviewPanel
from .styles import load_stylesheet


class MainWindowLayout:
    """Builds the widgets; the window's slots do the work."""

    def _build_ui(self) -> None:
        self.live_view = LiveView()
        self.checklist = ChecklistPanel()
        self.hint = QLabel()
        self.hint.setObjectName("hintLabel")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setMinimumHeight(56)
        self.capture_button = QPushButton(self.tr("拍照 (空格)"))
        self.capture_button.setObjectName("captureButton")
        self.capture_button.setMinimumHeight(52)
        self.capture_button.clicked.connect(lambda: self.capture(auto=False))
        self.auto_box = QCheckBox(self.tr("自动拍照（检查全部通过时倒计时）"))
        self.auto_box.setChecked(True)
        self.auto_box.toggled.connect(self._set_auto)
        side = QWidget()
        side.setMinimumWidth(400)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(6, 6, 6, 6)
        sl.addWidget(self.hint)
        sl.addWidget(self.checklist, 1)
        sl.addWidget(self.auto_box)
        sl.addWidget(self.capture_button)
        live_page = QSplitter(Qt.Orientation.Horizontal)
        live_page.addWidget(self.live_view)
        live_page.addWidget(side)
        live_page.setStretchFactor(0, 1)
        live_page.setStretchFactor(1, 0)
        live_page.setSizes([960, 440])
        self.review = ReviewPanel(lang=self.lang)
        self.review.optionsChanged.connect(self._reprocess)
        self.review.nudgeRequested.connect(self._nudge)
        self.review.approveRequested.connect(self.approve)
        self.review.rejectRequested.connect(self.reject)
        self.review.retakeRequested.connect(self.retake)
        self.done = DonePanel()
        self.done.next.clicked.connect(self.next_customer)
        self.done.print_sheet.clicked.connect(self.print_sheet)
        self.done.print_receipt.clicked.connect(self.print_receipt)
        self.done.print_mixed.clicked.connect(lambda: self.print_mixed_sheet())
        self.done.open_folder.clicked.connect(self.open_output_folder)
        self.pages = QStackedWidget()
        self.pages.addWidget(live_page)
        review_page = QSplitter(Qt.Orientation.Vertical)  # the other documents' tabs under the review
        review_page.addWidget(self.review)
        self.review_page = review_page
        self.pages.addWidget(review_page)
        self.pages.addWidget(self.done)
        self.setCentralWidget(self.pages)

        # status bar
        self.camera_label = QLabel()
        self.fps_label = QLabel()
        self.analysis_label = QLabel()
        self.state_label = QLabel()
        for w in (self.state_label, self.camera_label, self.fps_label, self.analysis_label):
            self.statusBar().addPermanentWidget(w)
        self.setStyleSheet(load_stylesheet("operator"))

    def _build_actions(self) -> None:
        tb = QToolBar(self.tr("工具栏"))
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        self.addToolBar(tb)
        tb.addWidget(QLabel(self.tr(" 证件规格 ")))
        self.spec_combo = QComboBox()
        self.spec_combo.setMinimumWidth(300)
        for spec in self.library:
            label = f"{spec.name(self.lang)}  {spec.width_px}×{spec.height_px}"
            self.spec_combo.addItem(label, spec.id)
        self.spec_combo.currentIndexChanged.connect(self._spec_chosen)
        tb.addWidget(self.spec_combo)
        self._build_documents(tb)  # one capture, several documents (ui/documents.py)
        tb.addSeparator()

        def action(text, shortcut, slot, toolbar=True):
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            if toolbar:
                tb.addAction(act)
            return act

        self.act_capture = action(self.tr("拍照"), None, lambda: self.capture(auto=False), toolbar=False)
        self.act_history = action(self.tr("历史记录"), "Ctrl+H", self.show_history)
        self.act_verify = action(self.tr("核验回执"), "Ctrl+Shift+V", self.show_verify)
        self.act_batch = action(self.tr("批量处理"), "Ctrl+B", lambda: self.show_batch())
        self.act_settings = action(self.tr("设置"), "Ctrl+,", self.show_settings)
        self.act_camera = action(self.tr("切换视频源"), "Ctrl+K", self.choose_source)
        self.act_folder = action(self.tr("输出文件夹"), "Ctrl+O", self.open_output_folder)
        self.act_print = action(self.tr("打印"), "Ctrl+P", self.print_sheet, toolbar=False)
        self.act_quit = action(self.tr("退出"), "Ctrl+Q", self.close, toolbar=False)
        self.act_fullscreen = action(self.tr("全屏"), "F11", self._toggle_fullscreen, toolbar=False)
        # single keys: only when no text field has focus (handled in keyPressEvent)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._approve_shortcut)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self._approve_shortcut)
