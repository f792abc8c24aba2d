"""What every kiosk screen shares: the Screen base, the back row, the photo label."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..widgets import button


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
        row = getattr(self, "pad_row", None)
        if isinstance(row, QBoxLayout) and isinstance(body, QBoxLayout):
            # a number pad: beside its words in landscape (half the width), centred under them
            # and taking the spare height in portrait
            for i, stretch in enumerate((1, 4, 1) if portrait else (0, 1, 0)):
                row.setStretch(i, stretch)
            body.setStretch(0, 0 if portrait else 1)

    @staticmethod
    def pad_holder(pad: QWidget) -> QHBoxLayout:
        """The row a number pad sits in (its side stretches are set by :meth:`set_portrait`)."""
        row = QHBoxLayout()
        row.addStretch(0)
        row.addWidget(pad, 1)
        row.addStretch(0)
        return row


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


def _text_width(widget: QWidget, text: str, pixel_size: int) -> int:
    """The width of ``text`` in ``widget``'s own (styled) font at ``pixel_size``."""
    from PySide6.QtGui import QFontMetrics

    top = widget.window()
    widget.ensurePolished()
    font = QFont(top.font() if top is not widget else widget.font())
    font.setBold(True)
    font.setPixelSize(pixel_size)
    return QFontMetrics(font).horizontalAdvance(text)


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
