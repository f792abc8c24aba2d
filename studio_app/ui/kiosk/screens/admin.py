"""The staff screen behind the PIN: settings, resume, exit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..widgets import button, label, NumPad
from .base import Screen


class AdminScreen(Screen):
    """PIN entry, then the admin menu (exit the kiosk / back to service)."""

    name = "admin"
    pin_entered = Signal(str)
    exit_requested = Signal()
    resume = Signal()
    save_requested = Signal(dict)  # kiosk settings changed on the admin screen

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column.addWidget(label(self.tr("管理员"), "title"))
        self.message = label(self.tr("请输入管理员密码"), "body")
        self.pad = NumPad(12, secret=True, submit_text=self.tr("确定"))
        self.pad.setMaximumWidth(800)
        self.pad.submitted.connect(self._submit)
        # the message beside the pad in landscape (it fits a 1280x800 screen), above it in portrait
        self.body_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body_layout.setSpacing(32)
        self.body_layout.addWidget(self.message, 1)
        self.pad_row = self.pad_holder(self.pad)
        self.body_layout.addLayout(self.pad_row, 1)
        self.column.addLayout(self.body_layout, 1)
        self.menu = QWidget()
        menu = QVBoxLayout(self.menu)
        menu.setSpacing(20)
        self.values = {"kiosk_idle_seconds": 60, "kiosk_max_retries": 3, "kiosk_review_queue": False}
        self.value_labels: dict[str, QLabel] = {}
        for key, text, step, lo, hi in (("kiosk_idle_seconds", self.tr("无操作多久结束（秒）"), 10, 20, 600),
                                        ("kiosk_max_retries", self.tr("最多重拍次数"), 1, 0, 10)):
            row = QHBoxLayout()
            row.addWidget(label(text, "body", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), 3)
            minus = button("－", "key", object_name=f"{key}_minus")
            plus = button("＋", "key", object_name=f"{key}_plus")
            value = label("", "body")
            value.setStyleSheet("font-size: 48px; font-weight: bold;")
            minus.clicked.connect(lambda _=False, k=key, d=-step, a=lo, b=hi: self._step(k, d, a, b))
            plus.clicked.connect(lambda _=False, k=key, d=step, a=lo, b=hi: self._step(k, d, a, b))
            self.value_labels[key] = value
            row.addWidget(minus, 1)
            row.addWidget(value, 1)
            row.addWidget(plus, 1)
            menu.addLayout(row)
        self.queue_button = button("", "secondary", object_name="adminQueue")
        self.queue_button.clicked.connect(self._toggle_queue)
        menu.addWidget(self.queue_button)
        actions = QHBoxLayout()
        self.save_button = button(self.tr("保存设置"), "secondary", object_name="adminSave")
        self.save_button.clicked.connect(lambda: self.save_requested.emit(dict(self.values)))
        self.exit_button = button(self.tr("退出自助模式"), object_name="adminExit")
        self.exit_button.clicked.connect(self.exit_requested)
        actions.addWidget(self.save_button)
        actions.addWidget(self.exit_button)
        menu.addLayout(actions)
        self.menu.setVisible(False)
        self.column.addWidget(self.menu)
        self.cancel = button(self.tr("返回"), "secondary", object_name="adminCancel")
        self.cancel.clicked.connect(self.resume)
        self.column.addWidget(self.cancel)

    def _submit(self, pin: str) -> None:
        self.pad.clear()
        self.pin_entered.emit(pin)

    def reset(self) -> None:
        self.pad.clear()
        self.pad.setVisible(True)
        self.menu.setVisible(False)
        self.message.setText(self.tr("请输入管理员密码"))
        self.pad.setFocus()  # a USB keyboard types the PIN into the pad

    def unlocked(self, settings=None) -> None:
        if settings is not None:
            self.values = {k: getattr(settings, k) for k in self.values}
        self._refresh_values()
        self.pad.setVisible(False)
        self.menu.setVisible(True)
        self.message.setText(self.tr("已解锁"))

    def _step(self, key: str, delta: int, lo: int, hi: int) -> None:
        self.values[key] = max(lo, min(hi, int(self.values[key]) + delta))
        self._refresh_values()

    def _toggle_queue(self) -> None:
        self.values["kiosk_review_queue"] = not self.values["kiosk_review_queue"]
        self._refresh_values()

    def _refresh_values(self) -> None:
        for key, lab in self.value_labels.items():
            lab.setText(str(self.values[key]))
        self.queue_button.setText(self.tr("打印前由工作人员审核：开") if self.values["kiosk_review_queue"]
                                  else self.tr("打印前由工作人员审核：关"))

    def wrong(self, locked_seconds: int = 0) -> None:
        self.message.setText(self.tr("密码不对") if not locked_seconds
                             else self.tr("错误次数太多，请 {n} 秒后再试").format(n=locked_seconds))
