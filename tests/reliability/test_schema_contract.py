"""Differential: the published `sag.schema.json` and the module accept and refuse the same cases.

Other systems validate a case against the pack's JSON Schema before they send
it; the module validates it again. Seeded mutations (case_mutations.py) of
every sample case of every pack under rules/ are judged by Python's
`jsonschema` (draft 2020-12, format checking on) and by the generated
module's `evaluate`. They must agree on accept/refuse, and where both refuse a
case with a single fault, on the JSON path.

The schema's path is that of its deepest failing subschema (for `anyOf`/
`oneOf` the branch that got furthest), and for an unknown key the key itself,
which is where the module points. A few thousand cases in CI; three per
budgeted example under `REGELKODE_FUZZ_EXAMPLES` (`make fuzz-long`: 30,000).

The one documented exception (see the schema's description of every text
field) is listed in KNOWN_EXCEPTIONS: JSON Schema cannot say "no lone
surrogate" portably, so the schema accepts `"\\ud800"` where the module
refuses it.
"""

from __future__ import annotations

import functools
import json
import random
import re
import tempfile
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from regelkode import emit_python, emit_schema
from regelkode.examples import load_module
from regelkode.pipeline import compile_pack

from . import case_mutations
from .support import budget, forget_generated_modules, time_limit

RULES = Path(__file__).resolve().parents[2] / "rules"
PACKS = sorted(p.name for p in RULES.iterdir() if (p / "pakke.yaml").is_file())
SURROGATE = re.compile("[\ud800-\udfff]")
CASES_PER_EXAMPLE = 3      # make test: 3 × 200 × … ; make fuzz-long: 3 × 10,000 = 30,000
CI_MINIMUM = 3_000


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return bool(SURROGATE.search(value))
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


# (name, test): schema accepts, module refuses, and the schema says so in words.
KNOWN_EXCEPTIONS = [
    ("enlig surrogat i en tekst",
     lambda case, besked: "enlig surrogat" in besked and _has_surrogate(case)),
]


@functools.lru_cache(maxsize=None)
def _pack(name: str):
    compiled = compile_pack(RULES / name)
    assert compiled.ok, name
    descriptions = {n: f.description for n, f in compiled.pack.facts.items()}
    schema = emit_schema.case_schema(compiled.program, descriptions)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema,
                                                format_checker=jsonschema.FormatChecker())
    module = load_module(emit_python.emit_module(compiled.program), f"kontrakt_{name}",
                         Path(tempfile.mkdtemp(prefix="regelkode-kontrakt-")))
    samples = [(p.name, json.loads(p.read_text(encoding="utf-8")))
               for p in sorted((RULES / name / "sager").glob("*.json"))]
    return validator, module, samples


def _leaves(error):
    if not error.context:
        yield error
    for sub in error.context:
        yield from _leaves(sub)


def schema_verdict(validator, case, sti):
    """None if the schema accepts `case`, else the JSON path it refuses it at."""
    errors = list(validator.iter_errors(case))
    if not errors:
        return None
    best = max((leaf for e in errors for leaf in _leaves(e)),
               key=lambda e: len(e.absolute_path))
    parts = list(best.absolute_path)
    if best.validator == "additionalProperties":
        known = best.schema.get("properties", {})
        parts.append(next(k for k in best.instance if k not in known))
    return sti(parts)


def module_verdict(module, case, dato):
    """None if `evaluate` judges `case`, else the SagFejl's (path, message)."""
    try:
        module.evaluate(case, dato=dato, forklaring=False)
    except Exception as exc:
        if type(exc).__name__ != "SagFejl":
            raise
        return exc.sti, exc.besked
    return None


def judge(pack: str, sample: str, i: int):
    """(case, edits, schema path or None, module (path, message) or None) for case i."""
    validator, module, samples = _pack(pack)
    rng = random.Random(f"{pack}/{sample}:{i}")
    faults = 1 if rng.random() < 0.8 else rng.randint(2, 3)
    base = dict(samples)[sample]
    edits = []
    case = case_mutations.mutate(base, module.FAKTA, rng, faults, edits)
    dato = rng.choice([None, None, "2025-06-01"])
    with time_limit(60):
        by_schema = schema_verdict(validator, case, module._sti)
        by_module = module_verdict(module, case, dato)
    return case, edits, by_schema, by_module


def _cut(value, limit=120) -> str:
    text = json.dumps(value, ensure_ascii=True) if value != "<slettet>" else value
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} tegn)"


def _disagreement(pack, sample, i, case, edits, by_schema, by_module):
    """None if the verdicts agree (or differ by a known exception), else why not."""
    faults = len(edits)
    if by_schema is None and by_module is None:
        return None
    if by_schema is None:
        for name, applies in KNOWN_EXCEPTIONS:
            if applies(case, by_module[1]):
                return None
        what = f"schema accepts, module refuses at {by_module[0]}: {by_module[1]}"
    elif by_module is None:
        what = f"schema refuses at {by_schema}, module judges"
    elif faults == 1 and by_schema != by_module[0]:
        what = f"paths differ: schema {by_schema}, module {by_module[0]}: {by_module[1]}"
    else:
        return None
    shown = "; ".join(f"{_cut(k, 40)} = {_cut(v)}" for k, v in edits)
    return f"{pack}/{sample} case {i}: {what}\n    ændret: {shown}"


def _count() -> int:
    return max(CI_MINIMUM, CASES_PER_EXAMPLE * budget())


@pytest.mark.parametrize("pack", PACKS)
def test_schema_and_module_agree_on_mutated_sample_cases(pack):
    _validator, _module, samples = _pack(pack)
    assert samples, f"{pack} has no sample cases under sager/"
    share = -(-_count() // len(PACKS))
    tally, problems = Counter(), []
    try:
        for i in range(share):
            sample = samples[i % len(samples)][0]
            case, edits, by_schema, by_module = judge(pack, sample, i)
            tally[("afvist" if by_module else "bedømt", len(edits) == 1)] += 1
            problem = _disagreement(pack, sample, i, case, edits, by_schema, by_module)
            if problem:
                problems.append(problem)
    finally:
        forget_generated_modules()
        _pack.cache_clear()
    print(f"\n{pack}: {share} muterede sager, {dict(tally)}, {len(problems)} uenigheder")
    assert not problems, f"{len(problems)} of {share} disagree:\n" + "\n".join(problems[:25])
    # the mutations must reach both outcomes, single-fault refusals above all
    assert tally[("afvist", True)] > share // 4 and tally[("bedømt", True)] > share // 20, tally
