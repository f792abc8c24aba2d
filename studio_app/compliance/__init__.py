"""Compliance engine (Qt-free): a registry of checks over one FaceAnalysis for one Spec.

    report = run_checks(analysis, spec)            # still photo: every check
    report = run_checks(analysis, spec, live=True)  # live frame: the live subset
    hint = guidance.live_hint(report, "zh_CN")      # one prioritised instruction

Head placement (the crop the checks judge, the ranges) is :mod:`studio_app.headmodel`.
"""

from . import texts as _texts  # noqa: F401  (registers the messages)
from . import guidance
from .checks import REGISTRY, T, run_checks
# The checks, one module per job: each registers its own with @checks.check when imported (checks
# outside checks.ORDER run after it, in this order). A new module of checks is one line here.
from . import checks_framing as _framing  # noqa: F401  single face, head in frame, resolution, geometry
from . import checks_head_pose as _head_pose  # noqa: F401  yaw, pitch, roll
from . import checks_expression as _expression  # noqa: F401  eyes open, gaze, mouth, expression
from . import checks_occlusion as _occlusion  # noqa: F401  eyebrows, ears, headwear, glasses
from . import checks_lighting as _lighting  # noqa: F401  lighting, shadows, exposure
from . import checks_quality as _quality  # noqa: F401  sharpness, colour, backdrop
from . import checks_appearance as _appearance  # noqa: F401  (registers its checks)
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult, ComplianceReport

__all__ = [
    "FAIL", "FIXABLE", "PASS", "REGISTRY", "RETAKE", "WARN", "CheckResult", "ComplianceReport",
    "T", "guidance", "run_checks",
]
