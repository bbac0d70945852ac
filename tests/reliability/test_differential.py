"""Property: the reference interpreter and the generated module give the same report.

Random well-typed packs (packgen.py) are written as YAML, compiled through
the normal pipeline, emitted as a standalone module, imported from a file,
and both back ends judge the same random cases. Reports must be identical
as `to_dict()`; a case one back end refuses, the other must refuse with the
same JSON path and message. Any other exception is a failure: every runtime
operation is meant to be total.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from regelkode import emit_python, interpret
from regelkode.diagnostics import format_text
from regelkode.examples import load_module
from regelkode.pipeline import compile_pack

from . import packgen
from .support import forget_generated_modules, fuzz_settings, time_limit, write_pack

CASES_PER_PACK = 8


def _outcome(run):
    """A report as JSON data, or the refusal (class name, path, message)."""
    try:
        return ("rapport", run().to_dict())
    except Exception as exc:
        if type(exc).__name__ == "SagFejl":
            return ("SagFejl", exc.sti, exc.besked)
        raise


def compile_spec(spec: packgen.Spec, tmp: Path):
    pack = write_pack(tmp, "diff", {"regler.yaml": spec.yaml()})
    compiled = compile_pack(pack)
    assert compiled.ok, ("a generated pack must compile:\n"
                         + format_text(compiled.diags.sorted()) + "\n" + spec.yaml())
    module = load_module(emit_python.emit_module(compiled.program), "diff", tmp)
    return compiled, module


def judge_both(compiled, module, case: dict, dato):
    case = json.loads(json.dumps(case, ensure_ascii=False))   # as a case system would pass it
    ref = _outcome(lambda: interpret.evaluate(compiled.program, case, dato=dato))
    gen = _outcome(lambda: module.evaluate(json.loads(json.dumps(case)), dato=dato))
    return ref, gen


@fuzz_settings(deadline_ms=20_000)
@given(data=st.data())
def test_interpreter_and_generated_module_agree(data):
    spec = data.draw(packgen.packs(), label="pack")
    with tempfile.TemporaryDirectory() as tmp, time_limit(60):
        try:
            compiled, module = compile_spec(spec, Path(tmp))
            for i in range(CASES_PER_PACK):
                case, dato = data.draw(packgen.cases(spec), label=f"case {i}")
                ref, gen = judge_both(compiled, module, case, dato)
                assert ref == gen, (f"back ends disagree on case {packgen.case_json(case)} "
                                    f"dato={dato}\n{spec.yaml()}")
                if ref[0] == "rapport":
                    for r in ref[1]["regler"]:
                        event(f"status {r['status']}")
                else:
                    event("case refused")
        finally:
            forget_generated_modules()
