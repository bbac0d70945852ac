"""A report carries each fact's value once (issue 12, B4).

Each rule's entry in `to_dict()` names the facts and definitions it reads;
their values are in the report's own `fakta` and `definitioner`. Before, every
rule repeated its facts' values, so a case with two lists of 3,000 elements
gave a 190 MB report (44 rules read the lists) and `regelkode eval --json`
took ~10 s.
"""

import json
from pathlib import Path

import pytest

from regelkode.backends.python.fast import emit_fast_module
from regelkode.checks.analysis import compile_checked
from regelkode.checks.examples import load_module
from regelkode.ir import interpret

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "ressourceforloeb"
N = 500


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    c = compile_checked(PACK)
    assert c.ok
    module = load_module(emit_fast_module(c.program), c.program.pack,
                         tmp_path_factory.mktemp("modul"))
    case = json.loads((PACK / "sager" / "anna_alt_i_orden.json").read_text(encoding="utf-8"))
    case["sanktionshændelser"] = [{
        "dato": "2025-05-06", "situation": "udeblevet_fra_samtale", "rimelig_grund": False,
        "personlig_kontakt_forsøgt": True, "indstillet_til_sanktion": True}] * N
    case["orlovsperioder"] = [{
        "art": "barsel", "startdato": "2024-09-02", "slutdato": "2024-10-13",
        "kalenderdage": 42, "ret_efter_barselsloven": True, "ydelse_udbetalt": True}] * N
    return case, module.evaluate(case).to_dict(), interpret.evaluate(c.program, case).to_dict()


def test_a_long_list_is_in_the_report_once(judged):
    _, report, _ = judged
    readers = [r["id"] for r in report["regler"] if "sanktionshændelser" in r["fakta"]]
    assert len(readers) > 5                   # many rules read it …
    assert len(report["fakta"]["sanktionshændelser"]) == N     # … its value is there once
    text = json.dumps(report, ensure_ascii=False)
    assert N <= text.count("personlig_kontakt_forsøgt") < 2 * N


def test_rules_name_what_they_read_and_the_report_holds_the_values(judged):
    _, report, interpreted = judged
    assert report == interpreted
    for r in report["regler"]:
        assert all(isinstance(n, str) for n in r["fakta"] + r["definitioner"])
        assert set(r["fakta"]) <= set(report["fakta"])
        assert set(r["definitioner"]) <= set(report["definitioner"])
    assert set(report["fakta"]) == {n for r in report["regler"] for n in r["fakta"]}
