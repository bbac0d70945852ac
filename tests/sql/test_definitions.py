"""The batch's second table: every definition's value and missing facts, as Python.

The differential harness holds the SQL backend to the interpreter on what it
answers per rule (status and missing facts). The definitions table is output
too (`sag, definition, vaerdi, mangler`), and a wrong value there reaches a
municipality as surely as a wrong status: decimal division was wrong in it
(DuckDB divided as DOUBLE) while every status agreed. Here each value is
compared with the interpreter's report: plain values as the text the table
holds (money "12326.50", dates ISO, true/false), durations, lists and records
as the engine's JSON, an unknown value as NULL with the same missing facts.
"""

from __future__ import annotations

import json
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from differential.harness import ROOT, _copy, example_cases, sample_cases, variants
from regelkode.backends.sql.cases import rows_for
from regelkode.backends.sql.engine import loaded
from regelkode.checks.analysis import compile_checked
from regelkode.ir import interpret
from reliability import packgen
from reliability.support import forget_generated_modules, fuzz_settings, time_limit
from reliability.test_differential import compile_spec

# kinds whose value the table holds as plain text, not as the engine's JSON
PLAIN = {"heltal", "decimal", "beløb", "dato", "sandhedsværdi", "tekst", "enum"}


def _sql_definitions(program, cases, kinds: dict) -> dict:
    """{case index: {definition: text or JSON value, or (None, mangler)}} from DuckDB,
    for the cases it judged (not refused, not out of its range)."""
    rows, _refused = rows_for(program, cases)
    with loaded(program, rows) as engine:
        got = engine.definitions()
    out: dict = {}
    for sag, name, value, mangler in got:
        if value is None:
            value = (None, sorted(mangler))
        elif kinds[name] not in PLAIN:
            value = json.loads(value)
        out.setdefault(int(sag), {})[name] = value
    return out


def _reference(value, kind):
    if isinstance(value, dict) and value.get("ukendt") is True:
        return (None, sorted(value["mangler"]))
    if kind in PLAIN:
        return json.dumps(value) if isinstance(value, bool) else str(value)
    return value


def _differences(program, cases) -> list:
    kinds = {d.name: d.desc[0] for d in program.defs}
    sql = _sql_definitions(program, cases, kinds)
    out = []
    for i, (case, dato) in enumerate(cases):
        if i not in sql:
            continue
        report = interpret.evaluate(program, _copy(case), dato=dato).to_dict()
        for name, value in report["definitioner"].items():
            expected = _reference(value, kinds[name])
            if sql[i].get(name) != expected:
                out.append((i, name, expected, sql[i].get(name), case))
    return out


PACKS = ["tests/packs/eksempel", "tests/packs/eksempel_lag", "tests/packs/fjendtlig",
         "rules/frederiksberg", "rules/ressourceforloeb"]


@pytest.mark.parametrize("pack", PACKS)
def test_the_packs_definitions_are_the_interpreters(pack):
    compiled = compile_checked(ROOT / pack)
    assert compiled.ok
    base = example_cases(compiled) + sample_cases(compiled.path)
    cases = base + variants(base, 1, seed=zlib.crc32(pack.encode()))
    bad = _differences(compiled.program, cases)
    assert not bad, f"{len(bad)} values differ; the first: {bad[0]}"


@fuzz_settings(deadline_ms=20_000, share=0.1)
@given(data=st.data())
def test_random_packs_definitions_are_the_interpreters(data):
    spec = data.draw(packgen.packs(), label="pack")
    with tempfile.TemporaryDirectory() as tmp, time_limit(60):
        try:
            compiled = compile_spec(spec, Path(tmp))
            cases = [data.draw(packgen.cases(spec), label=f"case {i}") for i in range(8)]
            bad = _differences(compiled.program, cases)
            assert not bad, f"{bad[0]}\n{spec.yaml()}"
        finally:
            forget_generated_modules()
