"""Compliance engine (Qt-free): a registry of checks over one FaceAnalysis for one Spec.

    report = run_checks(analysis, spec)            # still photo: every check
    report = run_checks(analysis, spec, live=True)  # live frame: the live subset
    hint = guidance.live_hint(report, "zh_CN")      # one prioritised instruction

Head placement (the crop the checks judge, the ranges) is :mod:`studio_app.headmodel`.
"""

from . import texts as _texts  # noqa: F401  (registers the messages)
from . import guidance
from .checks import REGISTRY, T, run_checks
from . import checks_appearance as _appearance  # noqa: F401  (registers its checks)
from . import checks_headwear as _headwear  # noqa: F401  (its display and messages)
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult, ComplianceReport

__all__ = [
    "FAIL", "FIXABLE", "PASS", "REGISTRY", "RETAKE", "WARN", "CheckResult", "ComplianceReport",
    "T", "guidance", "run_checks",
]
