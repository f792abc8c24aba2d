"""The finished photo's checks as the review lists them (成品复检), and the operator's
confirmations of a finished photo.

``finished_report``: the checks re-run on the decoded export (``result.after``), except where the
pipeline judged a check on the original instead and that judgement blocks or warns (clothing: on
the finished photo a white top on the white backdrop is what the person mask cannot see, so the
export's own reading passes while the photo fails). The list then names every problem that makes
the status read 成品不合格, instead of a fail above an all-green list.

``confirm``: a finished photo whose only retake problems are ones the spec lets the operator
confirm (customary headwear, ``[spec.rules] customary_headwear``) becomes printable once the
operator confirms them; the confirmation stays in the result's warnings (so in the order's stored
report and report.json) and in ``confirmed``.
"""

from __future__ import annotations

import dataclasses

from .. import messages
from .report import FAIL, WARN, ComplianceReport

SEVERITY = {FAIL: 2, WARN: 1}

messages.register({
    "confirm.headwear": ("操作员已核实：头饰为民族或宗教习惯，面部无遮挡",
                         "Operator confirmed: customary or religious headwear, face uncovered"),
})


def finished_report(result) -> ComplianceReport | None:
    """``result.after`` with the checks the pipeline judged on the original put in place of the
    export's own reading where that judgement is a problem or warning of the result (None when
    the export was not re-checked)."""
    after = getattr(result, "after", None)
    if after is None:
        return None
    before = getattr(result, "before", None)
    said = {p.get("key") for p in list(getattr(result, "problems", ()) or ()) + list(getattr(result, "warnings", ()) or ())}
    judged = {}
    for r in getattr(before, "results", ()) or ():
        if r.status in SEVERITY and r.message_key in said:
            judged[r.id] = r
    out = []
    for r in after.results:
        b = judged.pop(r.id, None)
        out.append(b if b is not None and SEVERITY[b.status] > SEVERITY.get(r.status, 0) else r)
    out.extend(judged.values())  # a check the export's analysis did not run at all
    return dataclasses.replace(after, results=tuple(out))


def confirmable(problem: dict) -> str | None:
    """The check id an operator may confirm for this finished-photo problem, else None."""
    params = problem.get("params") or {}
    if problem.get("key") == "verify.check_failed" and (params.get("check_params") or {}).get("confirmable"):
        return str(params.get("id"))
    return None


def confirm(result, confirmations) -> object:
    """``result`` with the problems the operator confirmed (check ids in ``confirmations`` whose
    failure the spec lets them confirm) moved to the warnings as ``confirm.<id>``, and ``ok`` and
    ``retake`` worked out again from what is left. Unchanged when nothing applies."""
    wanted = set(confirmations or ())
    if not wanted or result is None:
        return result
    keep, done = [], []
    for p in result.problems:
        cid = confirmable(p)
        (done if cid in wanted and messages.has(f"confirm.{cid}") else keep).append(p)
    if not done:
        return result
    notes = [{"key": f"confirm.{confirmable(p)}", "params": {"id": confirmable(p), "confirmed": True}} for p in done]
    retake = any(p.get("retake") for p in keep)
    return dataclasses.replace(result, problems=keep, warnings=list(result.warnings) + notes,
                               ok=not keep and not retake, retake=retake)
