"""Random realistic cases of both packs, judged by the JS module and the reference.

The benchmark's case generator (bench/cases.py) makes valid, nearly complete
cases from a pack's fact types with dates and amounts that hit the rules'
boundaries; each pack gets its own seeded stream. Together with the examples,
the sample cases and their variants (test_packs.py), the mutations
(test_js_refusals.py) and the random packs (tests/reliability), this is every
kind of case the issue names.
"""

from __future__ import annotations

import sys

import pytest

from regelkode.backends import backend
from regelkode.checks.analysis import compile_checked

from .harness import ROOT, compare

sys.path.insert(0, str(ROOT))
from bench.cases import make_case, rates

CASES = 150


@pytest.mark.parametrize("pack", ["rules/ressourceforloeb", "rules/frederiksberg"])
def test_random_cases_agree(pack):
    reason = backend("js").unavailable()
    if reason:
        pytest.skip(reason)
    c = compile_checked(ROOT / pack)
    assert c.ok
    params = rates(c.program)
    cases = [(make_case(i, c.program.facts, params, seed=f"js:{pack}"), None)
             for i in range(CASES)]
    bad = compare(c.program, cases, "js")
    assert not bad, f"{len(bad)} of {len(cases)} cases differ; the first:\n{bad[0]}"
