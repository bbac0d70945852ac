"""The message of an undecided rule names a field missing in many list elements once.

`mangler samtaler[0].afholdt, samtaler[1].afholdt, samtaler[10].afholdt, …` was
one path per element, in text order (10 before 2); a case with 3,000 sanction
events gave a 300 KB message. Now: `samtaler[0, 1, 2, … 11].afholdt (12
elementer)`. The report's `mangler` still lists every path. Python and JS must
write the same text.
"""

from __future__ import annotations

import json

import pytest

from regelkode.backends import backend
from regelkode.checks.analysis import compile_checked
from regelkode.ir import interpret
from regelkode.runtime import Ukendt
from regelkode.runtime.present import forklar_ukendt

from .harness import ROOT, compare

PACK = ROOT / "rules" / "ressourceforloeb"


@pytest.mark.parametrize(("mangler", "tekst"), [
    ({"b", "a"}, "mangler a, b"),
    ({"samtaler[10].afholdt", "samtaler[2].afholdt", "x"}, "mangler samtaler[2, 10].afholdt, x"),
    ({f"s[{i}].f" for i in range(3000)} | {"s[3].g"},
     "mangler s[0, 1, 2, … 2999].f (3.000 elementer), s[3].g"),
    ({"t[1].u[2].v", "t[1].u[3].v"}, "mangler t[1].u[2].v, t[1].u[3].v"),
])
def test_paths_of_one_field_are_grouped(mangler, tekst):
    assert forklar_ukendt(Ukendt(mangler=frozenset(mangler))) == "Kan ikke afgøres: " + tekst


def _case(n: int) -> dict:
    case = json.loads((PACK / "sager" / "anna_alt_i_orden.json").read_text(encoding="utf-8"))
    for s in case["samtaler"][:n]:
        s.pop("afholdt", None)
    return case


@pytest.fixture(scope="module")
def program():
    c = compile_checked(PACK)
    assert c.ok
    return c.program


def test_the_report_groups_and_keeps_every_path(program):
    case = _case(7)
    rapport = interpret.evaluate(program, case)
    undecided = [r for r in rapport.regler if r.status == "ukendt"
                 and "samtaler[6].afholdt" in r.mangler]
    assert undecided
    for r in undecided:
        assert {f"samtaler[{i}].afholdt" for i in range(7)} <= set(r.mangler)
        assert "samtaler[0, 1, 2, … 6].afholdt (7 elementer)" in r.meddelelse


def test_javascript_writes_the_same_message(program, tmp_path):
    if backend("js").unavailable():
        pytest.skip(backend("js").unavailable())
    cases = [(_case(n), None) for n in (2, 5, 6, 7)]
    assert compare(program, cases, "js", tmp_path) == []
