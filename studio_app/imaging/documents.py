"""One capture, several documents: the same photo, analysed once, processed against each spec
(身份证 + 社保卡 + 2寸...). The CLI ``process --spec A,B`` and the operator window use this."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .pipeline import ProcessOptions, ProcessResult, process_photo


def process_documents(rgb: np.ndarray, specs: Sequence, options: ProcessOptions = ProcessOptions(),
                      analysis=None, first: ProcessResult | None = None) -> list[tuple[object, ProcessResult]]:
    """``[(spec, result)]`` in the order of ``specs`` (each spec once). The face analysis is
    computed once (or taken from ``analysis``) and every spec is cropped, corrected and verified
    from it; ``first``: the first spec's result when it is already made (the review's)."""
    seen: set[str] = set()
    todo = [s for s in specs if not (s.id in seen or seen.add(s.id))]
    if analysis is None and len(todo) > (1 if first is not None else 0):
        from ..vision.analyzer import analyze_still

        analysis = analyze_still(rgb, segmentation=True)
    out = []
    for i, spec in enumerate(todo):
        if i == 0 and first is not None:
            out.append((spec, first))
            continue
        out.append((spec, process_photo(rgb, spec, options, analysis=analysis)))
    return out


def verdict(result: ProcessResult) -> str:
    """ok | problems (fixable, not within the spec after correction) | retake."""
    return "retake" if result.retake else ("ok" if result.ok else "problems")
