"""The kiosk screens. Each is a plain widget with signals; the window decides what comes next.

Wording is short, plain and polite (elderly first-time users): one instruction per screen, the
main action as the biggest button, "back"/"start over" always in the same place.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget,
)

from .widgets import BAD, GOOD, INK, PRIMARY, WARN, NumPad, Tile, button, label


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    """A deep-copied QImage of an RGB uint8 array (the array may be released afterwards)."""
    arr = np.ascontiguousarray(rgb[..., :3], dtype=np.uint8)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class Screen(QWidget):
    """Base: white background, a column layout with generous margins."""

    #: the session state names this screen shows (for tests and logs)
    name = "screen"
    #: px left clear on both sides of a title in landscape (the mute button is 230 px + 16)
    TITLE_SIDE_MARGIN = 220

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("kioskScreen", True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(48, 24, 48, 24)
        self.column.setSpacing(20)

    def clear_personal(self) -> None:
        """Forget any personal data shown on this screen (photos, numbers)."""

    def set_portrait(self, portrait: bool) -> None:
        """A tall touch screen: leave the top row to the floating mute button, stack side-by-side parts."""
        m = self.column.contentsMargins()
        self.column.setContentsMargins(m.left(), 110 if portrait else 24, m.right(), m.bottom())
        # landscape: the title row shares the top with the mute button (top right); keep long
        # titles (English) clear of it by wrapping them between equal side margins
        side = 0 if portrait else self.TITLE_SIDE_MARGIN
        for lab in self.findChildren(QLabel):
            if lab.property("role") == "title":
                lab.setContentsMargins(side, 0, side, 0)
        body = getattr(self, "body_layout", None)
        if isinstance(body, QBoxLayout):
            body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)


class AttractScreen(Screen):
    name = "attract"
    TITLE_SIDE_MARGIN = 0  # the title sits mid-screen, away from the mute button
    start = Signal()

    def __init__(self, studio_name: str = "", parent=None):
        super().__init__(parent)
        self.column.addStretch(2)
        self.title = label(self.tr("自助证件照"), "title")
        self.title.setStyleSheet("font-size: 96px; font-weight: bold;")
        self.column.addWidget(self.title)
        self.sub = label(self.tr("社保卡、身份证、驾驶证等证件照\n拍照、检查、打印，一步一步跟着做"), "body")
        self.column.addWidget(self.sub)
        self.column.addStretch(1)
        self.go = button(self.tr("点这里开始"), object_name="startButton")
        self.go.setMinimumHeight(160)
        self.go.setStyleSheet("font-size: 64px;")
        self.go.clicked.connect(self.start)
        self.column.addWidget(self.go)
        self.column.addStretch(1)
        if studio_name:
            self.column.addWidget(label(studio_name, "small"))

    #: the hidden admin corner (top-left) does not start a session
    corner_px = 120

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - a touch anywhere starts
        pos = self.mapTo(self.window(), event.position().toPoint())
        if pos.x() < self.corner_px and pos.y() < self.corner_px:
            return
        self.start.emit()


class ConsentScreen(Screen):
    name = "consent"
    accepted = Signal()
    declined = Signal()

    def __init__(self, retention_days: int = 90, studio_name: str = "", parent=None):
        super().__init__(parent)
        self.column.addWidget(label(self.tr("拍照前请您知悉"), "title"))
        items = [
            self.tr("本机会拍摄您的面部照片，用来制作证件照和照片回执。"),
            self.tr("面部照片属于敏感个人信息。照片和您输入的号码只保存在本店电脑里，不上传网络，"
                    "{days} 天后自动删除。").format(days=retention_days),
            self.tr("如果您中途离开或不再操作，本机会马上删除这次拍的照片和输入的号码。"),
            self.tr("您可以不同意。不同意，本机就不拍照。"),
        ]
        self.text = "\n".join(items)
        html = "".join(f'<p style="margin-bottom:18px">{i + 1}. {t}</p>' for i, t in enumerate(items))
        body = QLabel(html)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        body.setObjectName("consentText")
        body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        body.setStyleSheet("font-size: 40px;")
        body.setMaximumWidth(1500)
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addWidget(body, 20)
        holder.addStretch(1)
        self.column.addLayout(holder, 1)
        if studio_name:
            self.column.addWidget(label(self.tr("个人信息处理者：{name}").format(name=studio_name), "small"))
        row = QHBoxLayout()
        row.setSpacing(32)
        self.no = button(self.tr("不同意"), "secondary", object_name="declineButton")
        self.yes = button(self.tr("同意，开始拍照"), object_name="acceptButton")
        self.no.clicked.connect(self.declined)
        self.yes.clicked.connect(self.accepted)
        row.addWidget(self.no, 2)
        row.addWidget(self.yes, 3)
        self.column.addLayout(row)


class BackRow(QWidget):
    """The same "back" and "start over" buttons in the same place on every step."""

    back = Signal()
    restart = Signal()

    def __init__(self, parent=None, show_back: bool = True, middle=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(32)
        self.back_button = button(self.tr("〈 上一步"), "secondary", object_name="backButton")
        self.restart_button = button(self.tr("重新开始"), "secondary", object_name="restartButton")
        self.back_button.clicked.connect(self.back)
        self.restart_button.clicked.connect(self.restart)
        self.back_button.setVisible(show_back)
        row.addWidget(self.back_button, 1)
        if middle is not None:
            row.addWidget(middle, 1)
        else:
            row.addStretch(1)
        row.addWidget(self.restart_button, 1)


class DocumentScreen(Screen):
    name = "choose_spec"
    chosen = Signal(str)  # family id
    back = Signal()
    restart = Signal()

    def __init__(self, families: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.column.addWidget(label(self.tr("请选择您要办理的证件"), "title"))
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(24)
        self.tiles: dict[str, Tile] = {}
        for family, name in families:
            tile = Tile(name, family)
            tile.setObjectName(f"tile_{family}")
            tile.clicked.connect(lambda _=False, f=family: self.chosen.emit(f))
            self.tiles[family] = tile
        self._columns = 0
        self._relayout(4)
        self.column.addWidget(self.grid_host, 1)
        nav = BackRow()
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)

    def _relayout(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, i // columns, i % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._relayout(2 if self.height() > self.width() else 4)
        super().resizeEvent(event)


class ChoiceScreen(Screen):
    """A title, a note and a grid of big buttons (the city, or which exam / which size)."""

    chosen = Signal(str, str)  # value, extra (for cities: city, province; "" = other city)
    back = Signal()
    restart = Signal()

    def __init__(self, name: str, title: str, note: str = "", parent=None):
        super().__init__(parent)
        self.name = name
        self.title = label(title, "title")
        self.column.addWidget(self.title)
        self.note = label(note, "body")
        self.note.setVisible(bool(note))
        self.column.addWidget(self.note)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(24)
        self.column.addWidget(self.grid_host, 1)
        nav = BackRow()
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)
        self.buttons: dict[str, object] = {}
        self._choices: list[tuple[str, str, str]] = []
        self._portrait = False

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        if portrait != self._portrait:
            self._portrait = portrait
            self.set_choices(self._choices)

    def set_choices(self, choices: list[tuple[str, str, str]]) -> None:
        """``[(label, value, extra)]`` in order."""
        self._choices = list(choices)
        while self.grid.count():
            item = self.grid.takeAt(0)
            old = item.widget()
            if old is not None:  # gone at once, not at the next turn of the event loop
                old.hide()
                old.setParent(None)
                old.deleteLater()
        self.buttons = {}
        # two columns only when every label fits half the width at full size; a label still too
        # long for its button gets a smaller type (never below 34 px) instead of being cut off
        top = self.window()
        width = top.width() if top is not self else (1080 if self._portrait else 1920)
        full = width - 2 * 48 - 2 * 40  # screen margins, button borders and padding
        made = [(button(text, "secondary", object_name=f"{self.name}_{value or 'other'}"), text, value, extra)
                for text, value, extra in choices]
        columns = 1 if len(choices) <= 3 else 2
        if columns == 2 and any(_text_width(b, t, 48) > (full - 24) / 2 for b, t, _v, _e in made):
            columns = 1
        room = (full - 24 * (columns - 1)) / columns
        for i, (btn, text, value, extra) in enumerate(made):
            btn.setMinimumHeight(130)
            size = 48
            while size > 34 and _text_width(btn, text, size) > room:
                size -= 2
            btn.setStyleSheet(f"font-size: {size}px;")
            btn.clicked.connect(lambda _=False, v=value, e=extra: self.chosen.emit(v, e))
            self.buttons[value] = btn
            self.grid.addWidget(btn, i // columns, i % columns)


def _text_width(widget: QWidget, text: str, pixel_size: int) -> int:
    """The width of ``text`` in ``widget``'s own (styled) font at ``pixel_size``."""
    from PySide6.QtGui import QFontMetrics

    top = widget.window()
    widget.ensurePolished()
    font = QFont(top.font() if top is not widget else widget.font())
    font.setBold(True)
    font.setPixelSize(pixel_size)
    return QFontMetrics(font).horizontalAdvance(text)


class CityScreen(ChoiceScreen):
    def __init__(self, parent=None):
        super().__init__("choose_city", "", "x", parent)
        self.title.setText(self.tr("请选择办理证件的城市"))
        self.note.setText(self.tr("不同城市的回执不一样。请选您领卡的城市，\n例如选“深圳市”，不要选“广东省”。"))

    def set_cities(self, cities: list[tuple[str, str]]) -> None:
        """``[(city, province)]``; an "other city" button is always added last."""
        self.set_choices([(c, c, p) for c, p in cities] + [(self.tr("其他城市"), "", "")])


class GuideView(QWidget):
    """The live picture, mirrored like a mirror, with the chosen document's head oval and the countdown.

    The oval comes from the spec (:mod:`.guide`): its top is where the top of the head goes, its
    bottom the chin, with short marks for the eye line. Outside the oval the picture is dimmed so
    the place for the head is obvious. The picture is enlarged to fill the view as far as the
    spec's whole crop frame stays visible.
    """

    # the camera picture size assumed before the first frame arrives
    NOMINAL_FRAME = (1280, 720)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 320)
        self._image: QImage | None = None
        self.state = "adjust"
        self.countdown: int | None = None
        self.spec = None
        self.labels = {"crown": self.tr("头顶"), "eyes": self.tr("眼睛")}
        self._guide = None
        self._guide_key = None

    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    def set_spec(self, spec) -> None:
        """The document whose geometry the oval shows (None: a generic oval)."""
        if spec is not self.spec:
            self.spec = spec
            self._guide_key = None
            self.update()

    def set_frame(self, rgb: np.ndarray | None) -> None:
        if rgb is None:
            self._image = None
        else:
            image = rgb_to_qimage(rgb)
            self._image = image.flipped(Qt.Orientation.Horizontal) if hasattr(image, "flipped") else \
                image.mirrored(True, False)
        self.update()

    def has_image(self) -> bool:
        return self._image is not None

    # -- geometry (widget px) -------------------------------------------------------------
    def frame_size(self) -> tuple[int, int]:
        if self._image is not None:
            return self._image.width(), self._image.height()
        return self.NOMINAL_FRAME

    def guide(self):
        """The :class:`~.guide.KioskGuide` for the current spec and picture size (camera px)."""
        from .guide import kiosk_guide

        if self.spec is None:
            return None
        iw, ih = self.frame_size()
        key = (getattr(self.spec, "id", id(self.spec)), iw, ih)
        if key != self._guide_key:
            self._guide = kiosk_guide(self.spec, iw, ih)
            self._guide_key = key
        return self._guide

    def image_rect(self) -> QRectF:
        """Where the (mirrored) picture is drawn, in widget px; may reach past the widget's edges."""
        iw, ih = self.frame_size()
        vw, vh = max(1, self.width()), max(1, self.height())
        fit, cover = min(vw / iw, vh / ih), max(vw / iw, vh / ih)
        g = self.guide()
        scale = fit
        if g is not None:  # enlarge while the whole crop frame stays in view
            _, _, gw, gh = g.frame
            scale = max(fit, min(cover, vw / gw, vh / gh))
        w, h = iw * scale, ih * scale
        return QRectF((vw - w) / 2, (vh - h) / 2, w, h)

    def to_view(self, x: float, y: float) -> tuple[float, float]:
        """Camera px -> widget px (mirrored)."""
        r = self.image_rect()
        iw, ih = self.frame_size()
        return r.left() + (iw - x) * r.width() / iw, r.top() + y * r.height() / ih

    def to_frame(self, x: float, y: float) -> tuple[float, float]:
        """Widget px -> camera px (the inverse of :meth:`to_view`)."""
        r = self.image_rect()
        iw, ih = self.frame_size()
        return iw - (x - r.left()) * iw / r.width(), (y - r.top()) * ih / r.height()

    def oval_rect(self) -> QRectF:
        """The head oval in widget px."""
        g = self.guide()
        if g is None:  # no document chosen yet: a generic head-sized oval
            r = self.image_rect()
            h = r.height() * 0.62
            return QRectF(r.center().x() - h * 0.35, r.top() + r.height() * 0.12, h * 0.7, h)
        x, y, w, h = g.oval
        (ax, ay), (bx, by) = self.to_view(x, y), self.to_view(x + w, y + h)
        return QRectF(min(ax, bx), ay, abs(bx - ax), by - ay)

    def eye_y(self) -> float | None:
        g = self.guide()
        return None if g is None else self.to_view(g.centre_x, g.eye_y)[1]

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#222222"))
        if self._image is not None:
            p.setClipRect(self.rect())
            p.drawImage(self.image_rect(), self._image)
        oval = self.oval_rect()
        colour = QColor({"good": GOOD, "bad": BAD}.get(self.state, "#FFD400"))
        if self.state == "good":
            colour = QColor("#2ECC71")  # bright on the dimmed picture
        # dim everything but the oval: the bright place is where the head goes
        outside = QPainterPath()
        outside.addRect(QRectF(self.rect()))
        inside = QPainterPath()
        inside.addEllipse(oval)
        p.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 120))
        pen_w = max(6.0, min(12.0, oval.height() / 45))
        p.setPen(QPen(colour, pen_w, Qt.PenStyle.DashLine if self.state != "good" else Qt.PenStyle.SolidLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(oval)
        eye_y = self.eye_y()
        if eye_y is not None:  # short marks outside the oval: the crown and the eye line
            self._paint_marks(p, oval, eye_y, colour, pen_w)
        if self.countdown is not None:
            self._paint_countdown(p, oval)
        p.end()

    def _paint_marks(self, p: QPainter, oval: QRectF, eye_y: float, colour: QColor, pen_w: float) -> None:
        tick = max(28.0, oval.width() * 0.16)
        pen = QPen(colour, pen_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        top, cx = oval.top(), oval.center().x()
        p.drawLine(QPointF(cx - tick, top), QPointF(cx + tick, top))  # crown
        for x0, x1 in ((oval.left() - tick * 1.2, oval.left() - pen_w), (oval.right() + pen_w, oval.right() + tick * 1.2)):
            p.drawLine(QPointF(x0, eye_y), QPointF(x1, eye_y))
        font = QFont(self.font())
        font.setPixelSize(int(max(26, min(44, oval.height() / 11))))
        font.setBold(True)
        p.setFont(font)
        fm = p.fontMetrics()
        pad = 10
        items = (
            (self.labels["crown"], QPointF(cx + tick + pad, top - fm.height() / 2)),
            (self.labels["eyes"], QPointF(oval.right() + tick * 1.2 + pad, eye_y - fm.height() / 2)),
        )
        for text, at in items:
            if not text:
                continue
            box = QRectF(at.x(), at.y(), fm.horizontalAdvance(text) + 2 * pad, fm.height())
            if box.right() > self.width() - 4:  # no room on the right: on the left of the mark
                box.moveRight(oval.left() - tick * 1.2 - pad if text == self.labels["eyes"] else cx - tick - pad)
                if box.left() < 4:  # nor there: above the right-hand mark, inside the view
                    box.moveRight(self.width() - 4)
                    box.moveBottom(at.y() - pad / 2)
            box.moveTop(min(max(box.top(), 4), self.height() - box.height() - 4))
            path = QPainterPath()
            path.addRoundedRect(box, 8, 8)
            p.fillPath(path, QColor(0, 0, 0, 170))
            p.setPen(QColor("#FFFFFF"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_countdown(self, p: QPainter, oval: QRectF) -> None:
        """The number in a dark disc beside the head (the face stays visible while holding still)."""
        d = min(self.width(), self.height()) * 0.34
        right_room = self.width() - oval.right()
        if right_room >= d + 24:
            c = QPointF(oval.right() + right_room / 2, oval.center().y())
        else:  # narrow view: the lower right corner, over the shoulder
            c = QPointF(self.width() - d / 2 - 16, self.height() - d / 2 - 16)
        font = QFont(self.font())
        font.setPixelSize(int(d * 0.72))
        font.setBold(True)
        p.setFont(font)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 190))  # a dark disc keeps the number readable on any picture
        disc = QRectF(c.x() - d / 2, c.y() - d / 2, d, d)
        p.drawEllipse(disc)
        p.setPen(QColor("#FFFFFF"))
        p.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(self.countdown))


class LiveScreen(Screen):
    name = "live"
    back = Signal()
    restart = Signal()

    HINT_COLOURS = {"good": GOOD, "adjust": WARN, "bad": BAD}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column.setContentsMargins(32, 24, 32, 32)
        self.column.setSpacing(20)
        self.title = label(self.tr("请看着屏幕上方的摄像头"), "title")
        self.title.setStyleSheet("font-size: 52px; font-weight: bold;")
        self.column.addWidget(self.title)
        self.view = GuideView()
        self.column.addWidget(self.view, 1)
        self.hint = label("", "body")
        self.hint.setObjectName("hintLabel")
        self.hint.setMinimumHeight(120)
        self.column.addWidget(self.hint)
        self.set_hint(self.tr("请坐正，把脸放进框里"), "adjust")
        nav = BackRow()
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)

    def set_hint(self, text: str, state: str = "adjust") -> None:
        colour = self.HINT_COLOURS.get(state, WARN)
        self.hint.setText(text)
        self.hint.setStyleSheet(
            f"font-size: 64px; font-weight: bold; color: #FFFFFF; background: {colour};"
            "border-radius: 16px; padding: 16px;")
        self.view.state = state
        self.view.update()

    def hint_text(self) -> str:
        return self.hint.text()

    def set_spec(self, spec) -> None:
        """Draw the oval for this document (its head size and position)."""
        self.view.set_spec(spec)

    def set_countdown(self, n: int | None) -> None:
        self.view.countdown = n
        self.view.update()

    def clear_personal(self) -> None:
        self.view.set_frame(None)
        self.set_countdown(None)


class MessageScreen(Screen):
    """A title and one or two sentences, optionally a big button (processing, staff, thanks...)."""

    TITLE_SIDE_MARGIN = 0  # the title sits mid-screen, away from the mute button
    acted = Signal()

    def __init__(self, name: str, title: str, body: str = "", action: str = "", parent=None,
                 title_colour: str = INK, busy: bool = False):
        super().__init__(parent)
        self.name = name
        self.column.addStretch(2)
        self.title = label(title, "title")
        self.title.setStyleSheet(f"font-size: 80px; font-weight: bold; color: {title_colour};")
        self.column.addWidget(self.title)
        self.body = label(body, "body")
        self.body.setStyleSheet("font-size: 44px;")
        self.column.addWidget(self.body)
        self.dots = None
        if busy:  # moving dots: the machine is working, not frozen
            self.dots = label("", "body")
            self.dots.setStyleSheet(f"font-size: 72px; color: {PRIMARY};")
            self.column.addWidget(self.dots)
            self._step = 0
            self._timer = QTimer(self)
            self._timer.setInterval(400)
            self._timer.timeout.connect(self._tick)
        self.column.addStretch(1)
        self.action = None
        if action:
            self.action = button(action, object_name=f"{name}Action")
            self.action.setMinimumHeight(130)
            self.action.clicked.connect(self.acted)
            self.column.addWidget(self.action)
        self.column.addStretch(1)

    def set_body(self, text: str) -> None:
        self.body.setText(text)

    def _tick(self) -> None:
        self._step = (self._step + 1) % 5
        self.dots.setText(" ".join("●" if i <= self._step else "○" for i in range(5)))

    def showEvent(self, event) -> None:  # noqa: N802
        if self.dots is not None:
            self._step = -1
            self._tick()
            self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        if self.dots is not None:
            self._timer.stop()
        super().hideEvent(event)


class PhotoLabel(QLabel):
    """Shows a photo scaled to fit with a thin frame (never upscaled past 2x)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 260)
        self._pixmap: QPixmap | None = None

    def set_photo(self, rgb: np.ndarray | None) -> None:
        self._pixmap = None if rgb is None else QPixmap.fromImage(rgb_to_qimage(rgb))
        self._rescale()

    def has_photo(self) -> bool:
        return self._pixmap is not None

    def _rescale(self) -> None:
        if self._pixmap is None:
            self.clear()
            return
        w = min(self.width() - 8, self._pixmap.width() * 2)
        h = min(self.height() - 8, self._pixmap.height() * 2)
        self.setPixmap(self._pixmap.scaled(max(w, 1), max(h, 1), Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
        self.setStyleSheet("border: 0;")

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._rescale()
        super().resizeEvent(event)


class ResultScreen(Screen):
    name = "review"
    use_photo = Signal()
    retake = Signal()
    restart = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = label("", "title")
        self.column.addWidget(self.title)
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(40)
        self.photo = PhotoLabel()
        body.addWidget(self.photo, 2)
        self.reasons = label("", "body", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.reasons.setObjectName("reasonsLabel")
        self.reasons.setStyleSheet("font-size: 52px;")
        body.addWidget(self.reasons, 3)
        self.body_layout = body
        self.column.addLayout(body, 1)
        self.left = label("", "small")
        self.left.setStyleSheet("font-size: 40px; font-weight: bold; color: #333333;")
        self.column.addWidget(self.left)
        row = QHBoxLayout()
        row.setSpacing(32)
        self.retake_button = button(self.tr("再拍一次"), "secondary", object_name="retakeButton")
        self.use_button = button(self.tr("就用这张"), object_name="useButton")
        self.retake_button.clicked.connect(self.retake)
        self.use_button.clicked.connect(self.use_photo)
        row.addWidget(self.retake_button, 1)
        row.addWidget(self.use_button, 1)
        self.column.addLayout(row)
        self.restart_row = BackRow(show_back=False)
        self.restart_row.restart.connect(self.restart)
        self.column.addWidget(self.restart_row)

    def show_result(self, photo: np.ndarray | None, ok: bool, reasons: list[str], retries_left: int) -> None:
        self.photo.set_photo(photo)
        if ok:
            self.title.setText(self.tr("照片合格"))
            self.title.setStyleSheet(f"font-size: 64px; font-weight: bold; color: {GOOD};")
            self.reasons.setText(self.tr("满意的话，请按“就用这张”。\n不满意可以再拍一次。"))
        else:
            self.title.setText(self.tr("这张不合格，请再拍一次"))
            self.title.setStyleSheet(f"font-size: 64px; font-weight: bold; color: {BAD};")
            lines = [f"• {r}" for r in reasons[:3]] or [self.tr("• 请坐正，看着摄像头")]
            self.reasons.setText(self.tr("请这样调整：") + "\n" + "\n".join(lines))
        self.use_button.setVisible(ok)
        self.retake_button.setEnabled(retries_left > 0)
        self.retake_button.setProperty("kind", "secondary" if ok else "primary")
        self.retake_button.style().unpolish(self.retake_button)
        self.retake_button.style().polish(self.retake_button)
        self.left.setText(self.tr("还可以再拍 {n} 次").format(n=retries_left) if retries_left > 0
                          else self.tr("已经不能再拍了"))

    def clear_personal(self) -> None:
        self.photo.set_photo(None)


class NumberScreen(Screen):
    """Enter an ID number or a phone number on the on-screen pad."""

    submitted = Signal(str)
    skipped = Signal()
    back = Signal()
    restart = Signal()

    def __init__(self, name: str, title: str, max_length: int, allow_x: bool, note: str = "",
                 skippable: bool = False, parent=None):
        super().__init__(parent)
        self.name = name
        self.column.setSpacing(16)
        self.column.addWidget(label(title, "title"))
        if note:
            hint = label(note, "small")
            hint.setStyleSheet("font-size: 34px; color: #333333;")
            self.column.addWidget(hint)
        self.error = label("", "body")
        self.error.setObjectName("numberError")
        self.error.setStyleSheet(f"font-size: 34px; color: {BAD}; font-weight: bold;")
        self.pad = NumPad(max_length, allow_x=allow_x, submit_text=self.tr("确定"))
        self.pad.setMaximumWidth(900)
        self.pad.submitted.connect(self.submitted)
        self.pad.changed.connect(lambda _v: self.error.setText(""))
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addWidget(self.pad, 4)
        holder.addStretch(1)
        self.column.addLayout(holder, 1)
        self.column.addWidget(self.error)
        self.skip = None
        if skippable:
            self.skip = button(self.tr("不填，跳过"), "secondary", object_name=f"{name}Skip")
            self.skip.clicked.connect(self.skipped)
        nav = BackRow(middle=self.skip)
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def clear_personal(self) -> None:
        self.pad.clear()
        self.error.setText("")


class ConfirmScreen(Screen):
    name = "approved"
    confirmed = Signal()
    back = Signal()
    restart = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column.addWidget(label(self.tr("请核对"), "title"))
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(40)
        self.photo = PhotoLabel()
        body.addWidget(self.photo, 2)
        self.details = label("", "body", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.details.setObjectName("confirmDetails")
        self.details.setStyleSheet("font-size: 50px;")
        body.addWidget(self.details, 3)
        self.body_layout = body
        self.column.addLayout(body, 1)
        self.go = button(self.tr("没有问题，确认"), object_name="confirmButton")
        self.go.setMinimumHeight(130)
        self.go.clicked.connect(self.confirmed)
        self.column.addWidget(self.go)
        nav = BackRow()
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)

    def show_summary(self, photo: np.ndarray | None, lines: list[str]) -> None:
        self.photo.set_photo(photo)
        self.details.setText("\n".join(lines))

    def clear_personal(self) -> None:
        self.photo.set_photo(None)
        self.details.setText("")


class PickupScreen(Screen):
    name = "pickup"
    TITLE_SIDE_MARGIN = 0
    done = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column.addStretch(1)
        self.title = label(self.tr("请到柜台取照片"), "title")
        self.column.addWidget(self.title)
        self.column.addWidget(label(self.tr("告诉工作人员这个取件号码："), "body"))
        self.code = label("", "huge")
        self.code.setObjectName("pickupCode")
        self.code.setStyleSheet(f"font-size: 180px; font-weight: bold; color: {PRIMARY}; letter-spacing: 12px;")
        self.column.addWidget(self.code)
        self.note = label("", "body")
        self.column.addWidget(self.note)
        self.column.addStretch(1)
        self.ok = button(self.tr("记住了，完成"), object_name="pickupDone")
        self.ok.setMinimumHeight(130)
        self.ok.clicked.connect(self.done)
        self.column.addWidget(self.ok)

    def show_code(self, code: str, note: str = "") -> None:
        self.code.setText(code)
        self.note.setText(note)

    def clear_personal(self) -> None:
        self.code.setText("")
        self.note.setText("")


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
        self.column.addWidget(self.message)
        self.pad = NumPad(12, secret=True, submit_text=self.tr("确定"))
        self.pad.setMaximumWidth(800)
        self.pad.submitted.connect(self._submit)
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addWidget(self.pad, 4)
        holder.addStretch(1)
        self.column.addLayout(holder, 1)
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


class IdleOverlay(QWidget):
    """Covers the screen during the idle warning: "are you still there?" with a countdown."""

    keep = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setObjectName("idleOverlay")
        self.setStyleSheet("QWidget#idleOverlay { background: rgba(0, 0, 0, 200); }")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QWidget()
        card.setObjectName("idleCard")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card.setStyleSheet("QWidget#idleCard { background: #FFFFFF; border-radius: 24px; }")
        col = QVBoxLayout(card)
        col.setContentsMargins(48, 48, 48, 48)
        col.setSpacing(24)
        col.addWidget(label(self.tr("您还在吗？"), "title"))
        self.count = label("", "body")
        self.count.setObjectName("idleCount")
        self.count.setStyleSheet("font-size: 44px;")
        col.addWidget(self.count)
        self.keep_button = button(self.tr("我还在，继续"), object_name="idleKeep")
        self.keep_button.setMinimumHeight(140)
        self.keep_button.clicked.connect(self.keep)
        col.addWidget(self.keep_button)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 6)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.hide()

    def set_seconds(self, seconds: int) -> None:
        self.count.setText(self.tr("{n} 秒后结束，\n并删除这次的照片和号码").format(n=max(0, seconds)))
