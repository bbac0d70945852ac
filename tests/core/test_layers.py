"""Overlays: a pack that extends another adds rules, overrides parameters, adds exceptions."""

from pathlib import Path

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.checks.examples import collect
from regelkode.ir import interpret

ROOT = Path(__file__).resolve().parents[1] / "packs"


@pytest.fixture(scope="module")
def lag():
    c = compile_checked(ROOT / "eksempel_lag")
    assert c.ok, [d.message for d in c.diags.errors]
    return c


def test_overlay_sees_base_and_own_declarations(lag):
    assert lag.pack.layers == ["eksempel", "eksempel_lag"]
    assert lag.pack.rules["fire_samtaler"].layer == "eksempel"
    assert lag.pack.rules["lagets_regel"].layer == "eksempel_lag"
    assert lag.pack.params["maksimal_varighed"].overrides == "eksempel"


def test_overridden_parameter_changes_base_rules_in_the_overlay(lag):
    base = compile_checked(ROOT / "eksempel")
    case = {"startdato": "2024-01-01", "har_barn": False, "udbetalinger": []}
    in_base = interpret.evaluate(base.program, case, dato="2025-06-01")
    in_lag = interpret.evaluate(lag.program, case, dato="2025-06-01")
    assert in_base.regel("varighed_højst").status == "opfyldt"       # 3 år
    assert in_lag.regel("varighed_højst").status == "brud"            # 1 år in the overlay
    assert in_lag.regel("varighed_højst").lag == "eksempel"
    assert in_lag.regel("lagets_regel").lag == "eksempel_lag"


def test_overlay_exception_to_a_base_definition(lag):
    case = {"fødselsdato": "1970-01-01", "ønsker_det": False}
    r = interpret.evaluate(lag.program, case, dato="2024-01-01").regel("alder_under_60")
    assert r.status == "brud"                 # 54 years: the overlay's exception says no
    base = compile_checked(ROOT / "eksempel")
    r = interpret.evaluate(base.program, case, dato="2024-01-01").regel("alder_under_60")
    assert r.status == "opfyldt"


def test_overlay_runs_only_its_own_examples(lag):
    examples = collect(lag)
    assert {e.owner for e in examples} == {"lagets_regel", "må_starte"}


def test_an_overlays_exception_carries_examples_of_its_target(lag):
    from regelkode.checks.examples import run_one
    examples = [e for e in collect(lag) if e.owner == "må_starte"]
    assert len(examples) == 3 and "49 år i laget" in {e.name for e in examples}
    assert all(e.file.endswith("eksempel_lag/lag.yaml") for e in examples)
    assert all(run_one(lag, e).ok for e in examples)
