"""ReportLab's barcode package builds its registry by importing the symbologies by name
(``reportlab.graphics.barcode.__init__`` -> code93, usps4s, ...): static analysis misses them and
the frozen receipt failed with "No module named 'reportlab.graphics.barcode.code93'"."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("reportlab.graphics.barcode", filter=lambda name: not name.endswith(".test"))
