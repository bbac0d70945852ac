"""Differential: the published `sag.schema.json` and the module accept and refuse the same cases.

Other systems validate a case against the pack's JSON Schema before they send
it; the module validates it again. Seeded mutations (case_mutations.py) of
every sample case of every pack under rules/ are judged by Python's
`jsonschema` (draft 2020-12, format checking on), by the runtime's own
validation (what the reference interpreter runs) and by every registered
backend that judges cases (today the generated module's `evaluate`). They
must agree on accept/refuse, and where both refuse a case with a single
fault, on the JSON path.

The schema's path is that of its deepest failing subschema (for `anyOf`/
`oneOf` the branch that got furthest), and for an unknown key the key itself,
which is where the module points. Every backend's refusal must also be the
runtime's own, path and message. A few thousand cases in CI; three per
budgeted example under `REGELKODE_FUZZ_EXAMPLES` (`make fuzz-long`: 30,000).

Duplicate keys are the JSON parser's business, not the contract's:
`json.loads` keeps the last, and both sides judge what it gives.

The one documented exception (see the schema's description of every text
field) is listed in KNOWN_EXCEPTIONS: JSON Schema cannot say "no lone
surrogate" portably, so the schema accepts `"\\ud800"` where the module
refuses it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from regelkode import runtime as rt
from regelkode.backends import REGISTRY, Refusal, backend
from regelkode.backends.schema.emit import case_schema
from regelkode.passes.pipeline import compile_pack

from . import case_mutations
from .support import budget, time_limit

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


def judging_backends() -> list[str]:
    return [name for name in REGISTRY if backend(name).judges and not backend(name).unavailable()]


@functools.cache
def _pack(name: str):
    compiled = compile_pack(RULES / name)
    assert compiled.ok, name
    schema = case_schema(compiled.program)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema,
                                                format_checker=jsonschema.FormatChecker())
    samples = [(p.name, json.loads(p.read_text(encoding="utf-8")))
               for p in sorted((RULES / name / "sager").glob("*.json"))]
    return compiled.program, validator, samples


def _leaves(error):
    if not error.context:
        yield error
    for sub in error.context:
        yield from _leaves(sub)


def schema_verdict(validator, case):
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
    return rt._sti(parts)


def mutated(pack: str, sample: str, i: int):
    """(case, dato, edits): case i of the seeded mutations of one sample case."""
    program, _validator, samples = _pack(pack)
    rng = random.Random(f"{pack}/{sample}:{i}")
    faults = 1 if rng.random() < 0.8 else rng.randint(2, 3)
    edits = []
    case = case_mutations.mutate(dict(samples)[sample], program.facts, rng, faults, edits)
    dato = rng.choice([None, None, dt.date(2025, 6, 1)])
    return case, dato, edits


class _RuntimeValidation:
    """The runtime's own validation (`normaliser`, `beregningsdato`), which the reference
    interpreter runs: held to the schema too, whatever a backend does instead."""

    def __init__(self, program):
        self.facts = program.facts

    def judge(self, cases):
        out = []
        for case, dato in cases:
            try:
                rt.normaliser(case, self.facts)
                rt.beregningsdato(case, dato)
                out.append({})
            except rt.SagFejl as exc:
                out.append(Refusal(exc.sti, exc.besked))
        return out

    def close(self):
        pass


def judge(validator, runners: dict, batch: list) -> list:
    """Per (case, dato, edits): (schema path or None, {backend: Refusal or None})."""
    by_backend = {}
    for name, runner in runners.items():
        with time_limit(60 + len(batch)):
            outcomes = runner.judge([(json.loads(json.dumps(c)), d) for c, d, _ in batch])
        by_backend[name] = [o if isinstance(o, Refusal) else None for o in outcomes]
    out = []
    for j, (case, _dato, _edits) in enumerate(batch):
        with time_limit(60):
            by_schema = schema_verdict(validator, case)
        out.append((by_schema, {name: v[j] for name, v in by_backend.items()}))
    return out


def _cut(value, limit=120) -> str:
    text = json.dumps(value, ensure_ascii=True) if value != "<slettet>" else value
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} tegn)"


def known_exception(case, by_schema, by_module) -> str | None:
    """The name of the documented exception that explains a schema-accepts/module-refuses."""
    if by_schema is None and by_module is not None:
        for name, applies in KNOWN_EXCEPTIONS:
            if applies(case, by_module.besked):
                return name
    return None


def _disagreement(case, edits, by_schema, name, by_module):
    """None if the verdicts agree (or differ by a known exception), else why not."""
    if by_schema is None and by_module is None:
        return None
    if known_exception(case, by_schema, by_module):
        return None
    if by_schema is None:
        what = f"schema accepts, {name} refuses at {by_module.sti}: {by_module.besked}"
    elif by_module is None:
        what = f"schema refuses at {by_schema}, {name} judges"
    elif len(edits) == 1 and by_schema != by_module.sti:
        what = f"paths differ: schema {by_schema}, {name} {by_module.sti}: {by_module.besked}"
    else:
        return None
    shown = "; ".join(f"{_cut(k, 40)} = {_cut(v)}" for k, v in edits)
    return f"{what}\n    ændret: {shown}"


def _count() -> int:
    return max(CI_MINIMUM, CASES_PER_EXAMPLE * budget())


BATCH = 500


@pytest.mark.parametrize("pack", PACKS)
def test_schema_and_module_agree_on_mutated_sample_cases(pack, tmp_path):
    program, validator, samples = _pack(pack)
    assert samples, f"{pack} has no sample cases under sager/"
    assert "python" in judging_backends()
    share = -(-_count() // len(PACKS))
    tally, problems = Counter(), []
    runners = {"runtime": _RuntimeValidation(program)}
    try:
        for name in judging_backends():
            (tmp_path / name).mkdir()
            runners[name] = backend(name).runner(program, tmp_path / name)
        for start in range(0, share, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, share)):
                sample = samples[i % len(samples)][0]
                batch.append((*mutated(pack, sample, i), f"{sample} case {i}"))
            _tally(batch, judge(validator, runners, [b[:3] for b in batch]), tally, problems, pack)
    finally:
        for runner in runners.values():
            runner.close()
    print(f"\n{pack}: {share} muterede sager, {dict(tally)}, {len(problems)} uenigheder")
    assert not problems, f"{len(problems)} of {share} disagree:\n" + "\n".join(problems[:25])
    # the mutations must reach both outcomes, single-fault refusals above all
    for name in runners:
        assert tally[(name, "afvist", True)] > share // 4, tally
        assert tally[(name, "bedømt", True)] > share // 20, tally


def _tally(batch, verdicts, tally, problems, pack):
    for (case, _dato, edits, label), (by_schema, by_backend) in zip(batch, verdicts, strict=True):
        single = len(edits) == 1
        for name, by_module in by_backend.items():
            tally[(name, "afvist" if by_module else "bedømt", single)] += 1
            exception = known_exception(case, by_schema, by_module)
            if exception:
                tally[(name, exception)] += 1
            problem = _disagreement(case, edits, by_schema, name, by_module)
            if problem:
                problems.append(f"{pack}/{label}: {problem}")
            elif by_module != by_backend["runtime"]:
                # every backend refuses as the runtime does: same path, same message
                problems.append(f"{pack}/{label}: {name} {by_module}, runtime "
                                f"{by_backend['runtime']}")


# The seven causes of issue 19, one fixed case each, on a real sample case:
# (change, dato, the schema's and the module's verdict: None = judged, else the path).
ANNA = ("ressourceforloeb", "anna_alt_i_orden.json")
LANG = "x" * 100_001
CAUSES = {
    "3.0 er et heltal": ({"antal_børn_med_bidragspligt": 3.0}, None, None),
    "1E2 er et heltal": ({"antal_børn_med_bidragspligt": json.loads("1E2")}, None, None),
    "-0.0 er beløbet 0": ({"månedlig_ydelse_før_fradrag": -0.0}, None, None),
    "3.0 måneder": ({"tidligere_forløb": [{"længde": {"måneder": 3.0}}]}, None, None),
    "tekst over grænsen": ({"indsatsplan_jobmål": LANG}, None, "$.indsatsplan_jobmål"),
    "heltal over grænsen": ({"antal_børn_med_bidragspligt": 10 ** 18}, None,
                            "$.antal_børn_med_bidragspligt"),
    "beløb over grænsen": ({"hidtidig_ydelse_pr_måned": 10 ** 15}, None,
                           "$.hidtidig_ydelse_pr_måned"),
    "længde over grænsen": ({"tidligere_forløb": [{"længde": {"dage": -10 ** 6}}]}, None,
                            "$.tidligere_forløb[0].længde.dage"),
    "linjeskift til sidst": ({"månedlig_ydelse_før_fradrag": "12.00\n"}, None,
                             "$.månedlig_ydelse_før_fradrag"),
    "arabiske cifre": ({"månedlig_ydelse_før_fradrag": "١٢.٠٠"}, None,
                       "$.månedlig_ydelse_før_fradrag"),
    "beskrivelse null": ({"beskrivelse": None}, None, "$.beskrivelse"),
    "beskrivelse -1": ({"beskrivelse": -1}, None, "$.beskrivelse"),
    "beregningsdato null": ({"beregningsdato": None}, None, "$.beregningsdato"),
    "beregningsdato x med dato=": ({"beregningsdato": "x"}, dt.date(2025, 1, 1),
                                   "$.beregningsdato"),
}


@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_each_cause_of_issue_19_is_judged_alike(cause, tmp_path):
    change, dato, expected = CAUSES[cause]
    program, validator, samples = _pack(ANNA[0])
    case = {**json.loads(json.dumps(dict(samples)[ANNA[1]])), **change}
    runner = backend("python").runner(program, tmp_path)
    try:
        [outcome] = runner.judge([(case, dato)])
    finally:
        runner.close()
    assert schema_verdict(validator, case) == expected
    assert (outcome.sti if isinstance(outcome, Refusal) else None) == expected, outcome


def test_a_lone_surrogate_is_the_documented_exception(tmp_path):
    program, validator, samples = _pack(ANNA[0])
    case = {**dict(samples)[ANNA[1]], "indsatsplan_jobmål": "a\ud800"}
    assert schema_verdict(validator, case) is None
    [by_module] = _RuntimeValidation(program).judge([(case, None)])
    assert by_module.sti == "$.indsatsplan_jobmål"
    assert known_exception(case, None, by_module) == "enlig surrogat i en tekst"
    assert "enlig surrogat" in validator.schema["properties"]["indsatsplan_jobmål"]["anyOf"][0][
        "description"]
