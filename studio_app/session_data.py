"""The data of one customer's session (Qt-free): the capture, the applicant, what the output
step produced, and the snapshot handed to the output worker. :class:`studio_app.session.Session`
holds one :class:`SessionData` and wipes it when the customer leaves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Capture:
    """The photo taken: the frame, when, and what the live checks said about it."""

    frame: np.ndarray
    timestamp_ms: int = 0
    analysis: Any = None  # FaceAnalysis of this frame, when known
    report: Any = None  # live ComplianceReport of this frame, when known
    auto: bool = False  # taken by auto-capture (else by button)
    sharpness: float | None = None


@dataclass
class Applicant:
    name: str = ""
    id_number: str = ""
    province: str = ""
    city: str = ""
    phone: str = ""


@dataclass
class SessionData:
    """Everything personal about one customer; :meth:`Session.wipe` replaces it with a fresh one."""

    spec: Any = None  # studio_app.specs.Spec
    city: str = ""
    province: str = ""
    consent: bool = False
    capture: Capture | None = None
    process_options: Any = None  # imaging ProcessOptions, when chosen in review
    result: Any = None  # imaging ProcessResult
    applicant: Applicant = field(default_factory=Applicant)
    reject_reasons: tuple[str, ...] = ()
    confirmations: tuple[str, ...] = ()  # what the operator confirmed on approving (customary headwear)
    retakes: int = 0
    order: Any = None  # the stored order (whatever the store returns)
    outputs: Any = None  # OutputRecord
    error: str = ""  # the failsafe message
    error_detail: str = ""  # traceback text, for the log/support


@dataclass(frozen=True)
class OutputRecord:
    """What the output step produced (paths may be None when that part was not written)."""

    receipt_no: str = ""
    photo_path: Any = None
    sheet_path: Any = None
    sheet_pdf_path: Any = None
    receipt_path: Any = None
    folder: Any = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class OutputRequest:
    """A snapshot of what the output step needs (safe to hand to a worker thread)."""

    spec: Any
    city: str
    province: str
    capture: Capture | None
    result: Any
    applicant: Applicant
    approved: bool
    reject_reasons: tuple[str, ...]
    order: Any = None
    confirmations: tuple[str, ...] = ()  # check ids the operator confirmed (customary headwear)


def arrays_in(d: SessionData) -> list[np.ndarray]:
    out = []
    if d.capture is not None:
        out.append(d.capture.frame)
        mask = getattr(d.capture.analysis, "person_mask", None)
        if isinstance(mask, np.ndarray):
            out.append(mask)
    if d.result is not None:
        for name in ("photo", "before_image", "original", "matte"):
            val = getattr(d.result, name, None)
            if isinstance(val, np.ndarray):
                out.append(val)
    return [a for a in out if isinstance(a, np.ndarray) and a.flags.writeable]
