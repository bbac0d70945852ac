"""Property: every backend gives the reference interpreter's report on random packs.

Random well-typed packs (packgen.py) are written as YAML, compiled through
the normal pipeline, and every registered backend that judges cases
(`regelkode.backends.REGISTRY`) judges the same random cases as the
reference interpreter, through the one differential harness
(tests/differential/harness.py). Reports must be identical as `to_dict()`; a
case one side refuses, the other must refuse with the same JSON path and
message. Any other exception is a failure: every runtime operation is meant
to be total.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from differential.harness import compare, judging_backends, reference
from regelkode.backends import Refusal, backend
from regelkode.checks.analysis import compile_checked
from regelkode.diagnostics import format_text

from . import packgen
from .support import forget_generated_modules, fuzz_settings, time_limit, write_pack

CASES_PER_PACK = 8


def compile_spec(spec: packgen.Spec, tmp: Path):
    pack = write_pack(tmp, "diff", {"regler.yaml": spec.yaml()})
    compiled = compile_checked(pack)
    assert compiled.ok, ("a generated pack must compile:\n"
                         + format_text(compiled.diags.sorted()) + "\n" + spec.yaml())
    return compiled


# Backends that judge in another process or a database cost far more per random
# pack; they get a share of the budget (CI's 200 examples: 50 and 20), the long
# run (make fuzz-long) still gives them thousands.
SHARE = {"js": 0.25, "sql": 0.1}


@pytest.mark.parametrize("name", judging_backends())
def test_every_backend_agrees_with_the_interpreter(name):
    reason = backend(name).unavailable()
    if reason:
        pytest.skip(reason)

    @fuzz_settings(deadline_ms=20_000, share=SHARE.get(name, 1.0))
    @given(data=st.data())
    def agrees(data):
        spec = data.draw(packgen.packs(), label="pack")
        with tempfile.TemporaryDirectory() as tmp, time_limit(60):
            try:
                compiled = compile_spec(spec, Path(tmp))
                cases = [data.draw(packgen.cases(spec), label=f"case {i}")
                         for i in range(CASES_PER_PACK)]
                bad = compare(compiled.program, cases, name, Path(tmp))
                assert not bad, (f"{name} disagrees with the interpreter: {bad[0]}\n"
                                 f"{spec.yaml()}")
                for outcome in reference(compiled.program, cases):
                    if isinstance(outcome, Refusal):
                        event("case refused")
                    else:
                        for r in outcome["regler"]:
                            event(f"status {r['status']}")
            finally:
                forget_generated_modules()

    agrees()
