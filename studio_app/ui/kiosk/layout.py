"""The kiosk window's widgets: the stack of screens, the idle overlay, the mute button.

A mixin of :class:`~studio_app.ui.kiosk.window.KioskWindow` (its ``tr`` context stays "KioskWindow").
"""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QStackedWidget, QVBoxLayout

from .screens import (
    AdminScreen, AttractScreen, ChoiceScreen, CityScreen, ConfirmScreen, ConsentScreen, DocumentScreen, IdleOverlay,
    LiveScreen, MessageScreen, NumberScreen, PickupScreen, ResultScreen,
)
from .widgets import BAD, button


class KioskLayout:
    """Builds the screens and wires their signals to the window's slots."""

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # the mute button floats in the top-right corner of every screen (see resizeEvent)
        self.mute_button = button("", "icon", object_name="muteButton")
        self.mute_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.mute_button.setFixedSize(230, 80)
        self.mute_button.clicked.connect(self._guard(self.voice.toggle_muted))
        self.voice.mutedChanged.connect(lambda _m: self._update_mute())
        self._update_mute()
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)

        s, g = self.settings, self._guard
        self.attract = AttractScreen(s.studio_name)
        self.attract.start.connect(g(self._start))
        self.consent = ConsentScreen(s.retention_days, s.studio_name)
        self.consent.accepted.connect(g(lambda: self.session.send("accept")))
        self.consent.declined.connect(g(self._decline))
        self.documents = DocumentScreen(self.services.families())
        self.documents.chosen.connect(g(self._choose_family))
        self.documents.back.connect(g(lambda: self.session.send("back")))
        self.documents.restart.connect(g(self.restart))
        self.variants = ChoiceScreen("choose_variant", self.tr("请选择具体的一种"))
        self.variants.chosen.connect(g(lambda value, _extra: self.session.choose_spec(self.services.spec(value))))
        self.variants.back.connect(g(lambda: self._show(self.documents)))
        self.variants.restart.connect(g(self.restart))
        self.cities = CityScreen()
        self.cities.chosen.connect(g(self._choose_city))
        self.cities.back.connect(g(lambda: self.session.send("back")))
        self.cities.restart.connect(g(self.restart))
        self.live = LiveScreen()
        self.live.back.connect(g(lambda: self.session.send("back")))
        self.live.restart.connect(g(self.restart))
        self.processing = MessageScreen("processing", self.tr("正在处理照片"), self.tr("请稍候，不要离开"), busy=True)
        self.result = ResultScreen()
        self.result.use_photo.connect(g(self._use_photo))
        self.result.retake.connect(g(self._retake))
        self.result.restart.connect(g(self.restart))
        self.staff = MessageScreen("staff", self.tr("请联系工作人员"),
                                   self.tr("照片没有拍好，工作人员会帮您。\n这次拍的照片已经删除。"),
                                   self.tr("好的"), title_colour=BAD)
        self.staff.acted.connect(g(self.restart))
        self.id_entry = NumberScreen("id", self.tr("请输入身份证号码"), 18, True,
                                     self.tr("18 位，最后一位如果是 X，请按 X 键"), skippable=True)
        self.id_entry.submitted.connect(g(self._id_entered))
        self.id_entry.skipped.connect(g(lambda: self._id_entered("", skipped=True)))
        self.id_entry.skip.setVisible(False)  # shown only for documents that do not need the number
        self.id_entry.back.connect(g(lambda: self._show_review_step("result")))
        self.id_entry.restart.connect(g(self.restart))
        self.phone_entry = NumberScreen("phone", self.tr("请输入手机号码"), 11, False,
                                        self.tr("照片做好后方便联系您，可以不填"), skippable=True)
        self.phone_entry.submitted.connect(g(self._phone_entered))
        self.phone_entry.skipped.connect(g(lambda: self._phone_entered("")))
        self.phone_entry.back.connect(g(lambda: self._show_review_step("id")))
        self.phone_entry.restart.connect(g(self.restart))
        self.confirm = ConfirmScreen()
        self.confirm.confirmed.connect(g(self._confirm))
        self.confirm.back.connect(g(self._confirm_back))
        self.confirm.restart.connect(g(self.restart))
        self.working = MessageScreen("output", self.tr("正在保存"), self.tr("请稍候"), busy=True)
        self.waiting = MessageScreen("wait_review", self.tr("请稍候"),
                                     self.tr("工作人员正在审核您的照片，审核通过后自动打印。"), busy=True)
        self.printing = MessageScreen("printing", self.tr("正在打印"), self.tr("请在下方出纸口取回执和照片"),
                                      busy=True)
        self.pickup = PickupScreen()
        self.pickup.done.connect(g(self._finish))
        self.thanks = MessageScreen("thanks", self.tr("谢谢使用"), self.tr("请带好您的回执和随身物品"))
        self.declined = MessageScreen("declined", self.tr("好的，不拍照"), self.tr("您没有同意，本机不会给您拍照。"))
        self.failsafe = MessageScreen("failsafe", self.tr("抱歉，机器出了点问题，马上回到首页。"),
                                      "", title_colour=BAD)
        self.paused = MessageScreen("paused", self.tr("暂停服务"),
                                    self.tr("摄像头暂时不能用，请稍候或联系工作人员。"), title_colour=BAD)
        self.admin = AdminScreen()
        self.admin.pin_entered.connect(g(self._check_pin))
        self.admin.exit_requested.connect(g(self._admin_exit))
        self.admin.resume.connect(g(self._admin_resume))
        self.admin.save_requested.connect(g(self._admin_save))
        for screen in (self.attract, self.consent, self.documents, self.variants, self.cities, self.live, self.processing,
                       self.result, self.staff, self.id_entry, self.phone_entry, self.confirm, self.working,
                       self.waiting, self.printing, self.pickup, self.thanks, self.declined, self.failsafe,
                       self.paused, self.admin):
            self.stack.addWidget(screen)
        self.mute_button.setParent(self)
        self.mute_button.raise_()
        self.overlay = IdleOverlay(self)
        self.overlay.keep.connect(g(self._keep_alive))

    def _update_mute(self) -> None:
        self.mute_button.setText(self.tr("声音：关") if self.voice.muted else self.tr("声音：开"))
