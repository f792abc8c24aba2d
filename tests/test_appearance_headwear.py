"""Customary headwear: a headwear failure carries a flag the operator can confirm when the spec
allows customary headwear (少数民族 customs), and none when it does not."""

from __future__ import annotations

import dataclasses

from studio_app.compliance import run_checks
from studio_app.specs import get_spec


def test_headwear_failure_is_confirmable_only_where_the_spec_allows_it(astronaut):
    from studio_app.vision.analyzer import analyze_still

    a = analyze_still(astronaut)
    spec = get_spec("resident_id")
    assert run_checks(a, spec, only=("headwear",))["headwear"].params.get("confirmable") is None
    covered = dataclasses.replace(a, features={**a.features, "headwear": 60.0})  # a measured cap colour
    r = run_checks(covered, spec, only=("headwear",))["headwear"]
    assert r.status == "fail" and r.params["confirmable"] is True
    strict = dataclasses.replace(spec, rules=dataclasses.replace(spec.rules, customary_headwear=False))
    r = run_checks(covered, strict, only=("headwear",))["headwear"]
    assert r.status == "fail" and "confirmable" not in r.params
