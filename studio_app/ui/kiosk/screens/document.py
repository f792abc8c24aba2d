"""The document-type screen (身份证, 社保卡, 护照 ...)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from ..widgets import label, Tile
from .base import Screen, BackRow


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
