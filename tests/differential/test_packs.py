"""Every judging backend agrees with the reference interpreter on the packs' own
cases: each example, each sample case and seeded variants with missing facts."""

from __future__ import annotations

import zlib

import pytest

from regelkode.backends import backend
from regelkode.checks.analysis import compile_checked

from .harness import ROOT, compare, example_cases, judging_backends, sample_cases, variants

PACKS = ["rules/ressourceforloeb", "rules/frederiksberg", "tests/packs/eksempel",
         "tests/packs/eksempel_lag"]
VARIANTS_PER_SAMPLE = 25


@pytest.fixture(scope="module", params=PACKS)
def compiled(request):
    c = compile_checked(ROOT / request.param)
    assert c.ok, f"{request.param} must compile"
    return c


@pytest.mark.parametrize("name", judging_backends())
def test_backend_agrees_with_the_reference(compiled, name):
    reason = backend(name).unavailable()
    if reason:
        pytest.skip(reason)
    samples = sample_cases(compiled.path)
    cases = (example_cases(compiled) + samples
             + variants(samples, VARIANTS_PER_SAMPLE, seed=zlib.crc32(compiled.pack.id.encode())))
    assert cases, "a pack without examples or sample cases proves nothing"
    bad = compare(compiled.program, cases, name)
    assert not bad, f"{len(bad)} of {len(cases)} cases differ; the first:\n{bad[0]}"
