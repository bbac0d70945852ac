"""The old backend and the new agree: the plain emitter's module (every operation a
three-valued `op_*` call; no longer what `regelkode build` writes, but still the fast
module's three-valued path and `make bench`'s reference point) gives the same report as
the fast module on every example, sample case and variant with missing facts."""

from __future__ import annotations

import tempfile
import zlib
from pathlib import Path

import pytest

from regelkode.backends.python.emit import emit_module
from regelkode.backends.python.fast import emit_fast_module
from regelkode.checks.analysis import compile_checked
from regelkode.checks.examples import load_module

from .harness import ROOT, _copy, example_cases, sample_cases, variants
from .test_packs import PACKS


def _outcome(module, case, dato):
    try:
        return module.evaluate(_copy(case), dato=dato).to_dict()
    except module.SagFejl as exc:
        return ("refused", exc.sti, exc.besked)


@pytest.mark.parametrize("pack", PACKS)
def test_the_plain_and_the_fast_module_agree(pack):
    compiled = compile_checked(ROOT / pack)
    assert compiled.ok
    samples = sample_cases(compiled.path)
    cases = (example_cases(compiled) + samples
             + variants(samples, 10, seed=zlib.crc32(compiled.pack.id.encode()) + 1))
    assert cases
    with tempfile.TemporaryDirectory() as tmp:
        plain = load_module(emit_module(compiled.program), "plain_" + compiled.pack.id,
                            Path(tmp))
        fast = load_module(emit_fast_module(compiled.program), "fast_" + compiled.pack.id,
                           Path(tmp))
        for i, (case, dato) in enumerate(cases):
            assert _outcome(plain, case, dato) == _outcome(fast, case, dato), (i, case)
