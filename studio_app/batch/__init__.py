"""Batch processing of a folder of photos (Qt-free): ``run_batch(...)`` -> ``BatchSummary``.

- :mod:`.jobs` — what one worker does with one photo: load once, analyse once, process and export
  it for each spec (retakes get a report, never a printable file), return one row per spec.
- :mod:`.runner` — find the photos, skip what is done, run the jobs in worker processes that load
  the models once, show progress, stop cleanly on Ctrl-C, watch a hot folder.
- :mod:`.report` — ``summary.csv`` (UTF-8 with BOM for Excel), ``summary.json`` and the HTML
  contact sheet.
"""

from .runner import BatchOptions, BatchSummary, find_photos, run_batch  # noqa: F401
