"""Touch widgets for the kiosk: big buttons, document tiles, the on-screen number pad.

Every target is at least :data:`MIN_TARGET` px in both directions; type is large and the
palette is high contrast (near-black on white, white on dark blue), readable by elderly users.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from .. import safe_override

MIN_TARGET = 64  # px, the smallest touch target anywhere in the kiosk
DISPLAY_PX = (48, 44, 40, 36, 32, 28)  # the number pad's display: the largest that fits a full entry

INK = "#111111"
PAPER = "#FFFFFF"
PRIMARY = "#0A4DA2"  # white text on it: contrast about 8:1
PRIMARY_DOWN = "#07366F"
GOOD = "#0B6E2E"
WARN = "#8A4B00"
BAD = "#B00020"
MUTED = "#333333"

def kiosk_stylesheet() -> str:
    """resources/styles/kiosk.qss with this module's palette filled in."""
    from ..styles import load_stylesheet

    return load_stylesheet("kiosk", INK=INK, PAPER=PAPER, PRIMARY=PRIMARY, PRIMARY_DOWN=PRIMARY_DOWN, GOOD=GOOD,
                           WARN=WARN, BAD=BAD, MUTED=MUTED)


def kiosk_font_family() -> str:
    """Register the bundled CJK font once and return its family name."""
    global _FAMILY
    if _FAMILY is None:
        from ...paths import resource

        families: list[str] = []
        for path in sorted(resource("fonts").glob("*.tt[cf]")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families += QFontDatabase.applicationFontFamilies(font_id)
        _FAMILY = families[0] if families else QFont().defaultFamily()
    return _FAMILY


_FAMILY: str | None = None


def label(text: str, role: str = "body", *, wrap: bool = True,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    lab = QLabel(text)
    lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    lab.setAlignment(align)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


def button(text: str, kind: str = "primary", object_name: str = "") -> QPushButton:
    btn = QPushButton(text)
    btn.setProperty("kind", kind)
    if object_name:
        btn.setObjectName(object_name)
    btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no keyboard focus ring on a touch screen
    btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    btn.setMinimumSize(MIN_TARGET, MIN_TARGET)
    return btn


class Tile(QPushButton):
    """A large document tile: a drawn card icon above a short name."""

    FAMILY_COLOURS = {
        "social_security": "#0A4DA2", "resident_id": "#1F6F43", "exit_entry": "#7A1F1F",
        "driving_licence": "#4B3A8C", "exam": "#8A4B00", "visa": "#005F73", "studio_size": "#444444",
    }

    def __init__(self, text: str, family: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("kind", "secondary")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self.family = family
        self._text = text
        self.setAccessibleName(text)

    def text_label(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:
        return QSize(320, 260)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(16, 16, -16, -16)
        text_h = min(110.0, r.height() * 0.42)
        icon_area = QRectF(r.left(), r.top(), r.width(), r.height() - text_h)
        # the card
        ih = icon_area.height() * 0.9
        iw = min(icon_area.width() * 0.8, ih * 1.5)
        card = QRectF(icon_area.center().x() - iw / 2, icon_area.top() + (icon_area.height() - ih) / 2, iw, ih)
        colour = QColor(self.FAMILY_COLOURS.get(self.family, "#444444"))
        p.setPen(QPen(colour, 4))
        p.setBrush(QColor("#FFFFFF"))
        p.drawRoundedRect(card, 12, 12)
        band = QRectF(card.left(), card.top(), card.width(), card.height() * 0.22)
        path = QPainterPath()
        path.addRoundedRect(band, 12, 12)
        p.fillPath(path, colour)
        # portrait silhouette
        ph = card.height() * 0.62
        pw = ph * 0.78
        photo = QRectF(card.left() + card.width() * 0.08, band.bottom() + card.height() * 0.06, pw, ph)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#D6E6F5"))
        p.drawRect(photo)
        p.setBrush(colour)
        head = photo.width() * 0.42
        p.drawEllipse(QRectF(photo.center().x() - head / 2, photo.top() + photo.height() * 0.14, head, head * 1.15))
        p.drawChord(QRectF(photo.left() + photo.width() * 0.08, photo.top() + photo.height() * 0.66,
                           photo.width() * 0.84, photo.height() * 0.7), 0, 180 * 16)
        # text lines
        p.setBrush(QColor("#BBBBBB"))
        x0 = photo.right() + card.width() * 0.08
        for i in range(3):
            y = photo.top() + photo.height() * (0.15 + 0.28 * i)
            p.drawRoundedRect(QRectF(x0, y, (card.right() - x0) * (0.85 - 0.15 * i), 10), 5, 5)
        # name
        p.setPen(QColor(INK))
        font = QFont(self.font())
        font.setBold(True)
        box = QRectF(r.left(), r.bottom() - text_h, r.width(), text_h)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        size = 40 if len(self._text) <= 6 else 36
        while True:  # shrink a long name (English) until it fits the tile, never below 24 px
            font.setPixelSize(size)
            p.setFont(font)
            need = p.fontMetrics().boundingRect(box.toRect(), int(flags), self._text)
            if size <= 24 or (need.height() <= box.height() and need.width() <= box.width()):
                break
            size -= 2
        p.drawText(box, flags, self._text)
        p.end()


class NumPad(QWidget):
    """An on-screen number pad with a display; ``allow_x`` adds the X of ID numbers."""

    changed = Signal(str)
    submitted = Signal(str)

    def __init__(self, max_length: int, allow_x: bool = False, secret: bool = False,
                 submit_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.max_length = max_length
        self.allow_x = allow_x
        self.secret = secret
        self._value = ""
        # sized to fit a 1280x800 kiosk under a title and above the back row (keys still >= 70 px;
        # they grow on a taller screen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.display = QLabel()
        self.display.setObjectName("numpadDisplay")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumHeight(80)
        self.display_px = 0
        self._set_display_px(DISPLAY_PX[0])
        layout.addWidget(self.display)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.keys: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            self._add_key(grid, digit, i // 3, i % 3)
        self._add_key(grid, "X" if allow_x else "", 3, 0)
        self._add_key(grid, "0", 3, 1)
        self._add_key(grid, "⌫", 3, 2)
        layout.addLayout(grid)
        self.submit = button(submit_text or self.tr("确定"))
        self.submit.clicked.connect(self._submit)
        layout.addWidget(self.submit)
        # a physical keyboard types into the pad: no button may hold the focus, or Enter/Space on
        # it would "click" it (issue 18: typing the PIN submitted an empty PIN)
        for btn in (self.submit, *self.keys.values()):
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._refresh()

    def _set_display_px(self, px: int) -> None:
        if px != self.display_px:
            self.display_px = px
            self.display.setStyleSheet(
                f"font-size: {px}px; font-weight: bold; letter-spacing: 4px; color: {INK};"
                f"background: #FFFFFF; border: 4px solid {INK}; border-radius: 12px; padding: 6px;")

    def _fit_display(self) -> None:
        """The largest type at which a full entry (18 characters of an ID number, grouped) fits
        the display's width: a narrow pad (1280x800, beside its instructions) must not cut it."""
        room = self.display.contentsRect().width() - 8
        if room <= 0:
            return
        longest = ("●" * self.max_length) if self.secret else _group("8" * self.max_length, self.max_length)
        for px in DISPLAY_PX:
            font = QFont(self.display.font())
            font.setPixelSize(px)
            font.setBold(True)
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4)
            if QFontMetrics(font).horizontalAdvance(longest) <= room:
                break
        self._set_display_px(px)

    @safe_override
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_display()

    def _submit(self) -> None:
        if self.secret and not self._value:
            return  # an empty PIN is never sent (it could only ever count as a failure)
        self.submitted.emit(self._value)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        elif key == Qt.Key.Key_Backspace:
            self.backspace()
        elif len(text) == 1 and text in "0123456789":  # ASCII digits only
            self.press(text)
        elif self.allow_x and text in ("x", "X"):
            self.press("X")
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _add_key(self, grid: QGridLayout, key: str, row: int, col: int) -> None:
        if not key:
            spacer = QWidget()
            spacer.setMinimumSize(110, 80)
            grid.addWidget(spacer, row, col)
            return
        btn = button(key, "key", object_name=f"key_{'back' if key == '⌫' else key}")
        btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if key == "⌫":
            btn.setAccessibleName(self.tr("删除"))
            btn.clicked.connect(self.backspace)
        else:
            btn.clicked.connect(lambda _=False, k=key: self.press(k))
        self.keys[key] = btn
        grid.addWidget(btn, row, col)

    def press(self, key: str) -> None:
        if len(self._value) >= self.max_length:
            return
        if key == "X" and (not self.allow_x or len(self._value) != self.max_length - 1):
            return  # X only as the last character of an ID number
        self._value += key
        self._refresh()

    def backspace(self) -> None:
        self._value = self._value[:-1]
        self._refresh()

    def clear(self) -> None:
        self._value = ""
        self._refresh()

    def value(self) -> str:
        return self._value

    def _refresh(self) -> None:
        shown = "●" * len(self._value) if self.secret else _group(self._value, self.max_length)
        self.display.setText(shown or " ")
        self.changed.emit(self._value)


def _group(value: str, max_length: int) -> str:
    """Readable groups: 6-8-4 for an 18-character ID number, 3-4-4 for a phone number."""
    groups = (6, 8, 4) if max_length == 18 else (3, 4, 4) if max_length == 11 else ()
    if not groups:
        return value
    out, i = [], 0
    for g in groups:
        if i >= len(value):
            break
        out.append(value[i:i + g])
        i += g
    return " ".join(out)
