"""Property: a typed Parquet file judged on the fast path gives what the runtime's path gives.

`regelkode batch` checks a typed Parquet file in SQL (backends/sql/bulk.py): a
row that meets one SQL condition is converted to its `sager` row in SQL and is
never seen by the runtime. So the condition must be no wider than the runtime's
validation and limits.py's range, and the conversion must be cases.case_row's,
or a case is judged that the runtime refuses, or judged on other values. Until
now only the pack's samples and a few hand-made rows held it there
(tests/sql/test_batch.py).

Random packs (packgen.py) and cases, with values on both sides of every limit
the condition checks, and ids that are valid, invalid or repeated, are written
as a typed Parquet file (the recipe of bulk.typed_columns) and judged twice by
`regelkode batch`: as it reads them, and with the fast path turned off, so that
every row goes through the runtime. The results, the definitions and the
refused cases must be the same.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from unittest import mock

import duckdb
from hypothesis import event, given
from hypothesis import strategies as st

from regelkode import runtime as rt
from regelkode.backends.sql import batch, limits
from regelkode.backends.sql.bulk import load as fast_path
from regelkode.backends.sql.bulk import typed_columns

from . import packgen
from .support import forget_generated_modules, fuzz_settings, run_cli, time_limit
from .test_differential import compile_spec

KRONER = limits.MAX_OERE // 100
WHOLE = 10 ** limits.MAX_HELE_CIFRE
HELTAL, VARIGHED = limits.MAX_HELTAL, limits.MAX_VARIGHED
YEARS = [f"{limits.FOERSTE_AAR - 1:04d}-12-31", f"{limits.FOERSTE_AAR:04d}-01-01",
         f"{limits.SIDSTE_AAR:04d}-12-31", f"{limits.SIDSTE_AAR + 1:04d}-01-01"]
EDGES = {
    "int": [HELTAL - 1, HELTAL, 1 - HELTAL, -HELTAL, 2 ** 63 - 1],
    "money": [f"{KRONER - 1}.99", f"{KRONER}.00", f"-{KRONER - 1}.99", f"-{KRONER}.00",
              KRONER - 1, KRONER],
    "dec": [f"{WHOLE - 1}.{'9' * limits.MAX_DECIMALER}", str(WHOLE), f"-{WHOLE - 1}.5", f"-{WHOLE}",
            "0." + "0" * (limits.MAX_DECIMALER - 1) + "1", "0.000"],
    "date": [*YEARS, "0001-01-01", "9999-12-31"],
    "dur": [{"måneder": VARIGHED - 1, "dage": 0}, {"måneder": 0, "dage": VARIGHED},
            {"måneder": -VARIGHED, "dage": 0}, {"måneder": 1 - VARIGHED, "dage": 3},
            {"dage": 3}],           # a part left out is NULL in the struct: refused
    # the condition counts bytes: 2 bytes a character puts this under the runtime's
    # limit in characters and over it in bytes
    "text": ["x" * rt.MAX_TEKST, "x" * (rt.MAX_TEKST + 1), "æ" * (rt.MAX_TEKST // 2 + 1),
             "", "a\u00a0b\u00ad", "\x00\x1f"],
}
PER_FACT = 4
IDS = ["A", "B", "KBH-1", "Ω-3", "æøå", "", " ", "a\u00a0b", "x\x7f", "tab\there", "12"]


def _edges(draw, spec: packgen.Spec, t) -> list:
    """Values of type `t` on both sides of each limit the fast path checks (for enums,
    lists and records, also just past one)."""
    kind = t[0]
    if kind in EDGES:
        return EDGES[kind]
    if kind == "enum":
        return ["ikke en af værdierne", "", spec.enums[t[1]][0].upper()]
    if kind == "record":
        fields = spec.records[t[1]]
        base = _ordinary(draw, spec, t)
        return [{**base, name: edge} for name in sorted(fields)
                for edge in _edges(draw, spec, fields[name])]
    if kind == "list":
        item = _ordinary(draw, spec, t[1], 1)
        return [[item, None],                   # a null item: refused
                [item] * rt.MAX_LISTE, [item] * (rt.MAX_LISTE + 1),
                *([item, edge] for edge in _edges(draw, spec, t[1]))]
    return []                                   # bool: no edge


def _ordinary(draw, spec: packgen.Spec, t, depth=0):
    return _as_written(packgen._value(draw, spec, t, depth, ordinary=True), t, spec)


def _as_written(value, t, spec):
    """packgen's value as typed Parquet can hold it: `{"dage": n}` with the other part
    written out (read_json would make it NULL, which the runtime refuses; the edges keep
    one such value), and a decimal with more whole digits than DECIMAL(38, 12) holds
    cut to the most it does."""
    kind = t[0]
    if value is None:
        return None
    if kind == "dec" and len(str(value).lstrip("-").split(".")[0]) > 38 - limits.MAX_DECIMALER:
        return str(10 ** (37 - limits.MAX_DECIMALER))
    if kind == "dur":
        return {"måneder": value.get("måneder", 0), "dage": value.get("dage", 0)}
    if kind == "list":
        return [_as_written(v, t[1], spec) for v in value]
    if kind == "record":
        fields = spec.records[t[1]]
        return {k: _as_written(v, fields[k], spec) for k, v in value.items()}
    return value


@st.composite
def caseloads(draw, spec: packgen.Spec):
    """(cases, ids or None): a few random cases, then an ordinary case with one edge of
    one fact, for a few edges of each fact, and maybe a `sag` column."""
    cases = []
    for i in range(draw(st.integers(1, 4))):
        case, day = draw(packgen.cases(spec), label=f"case {i}")
        case = {k: v if k not in spec.facts else _as_written(v, spec.facts[k], spec)
                for k, v in case.items()}
        if day is not None and draw(st.booleans()):
            case["beregningsdato"] = day
        cases.append(case)
    drawn = len(cases)
    base = {name: _ordinary(draw, spec, t) for name, t in spec.facts.items()}
    base["beregningsdato"] = draw(packgen.ORDINARY_DATES, label="base day")
    for name, t in spec.facts.items():
        edges = _edges(draw, spec, t)
        if edges:
            # a few of each fact's edges: all of them made a few hundred rows an example,
            # and the batches, slow in Python, took seconds
            chosen = draw(st.sets(st.sampled_from(range(len(edges))), min_size=1,
                                  max_size=PER_FACT), label=f"edges of {name}")
            cases += [{**base, name: edges[i]} for i in sorted(chosen)]
    cases += [{**base, "beregningsdato": day} for day in YEARS]
    ids = None
    if draw(st.booleans()):
        ids = [draw(st.one_of(st.sampled_from(IDS), st.none(), st.integers(1, 3).map(str)))
               for _ in range(drawn)]
        ids += [f"kant-{i}" for i in range(len(cases) - drawn)]     # each its own id
    return cases, ids


def _parquet(folder: Path, program, cases: list, ids: list | None) -> Path | None:
    """The cases as a typed Parquet file, as a user makes one from JSON (None if DuckDB
    cannot hold a value in its column's type)."""
    jsonl, parquet = folder / "sager.jsonl", folder / "sager.parquet"
    jsonl.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases),
                     encoding="utf-8")
    sag = "(?::VARCHAR[])[row_number() OVER ()] AS sag, " if ids is not None else ""
    con = duckdb.connect()
    try:
        con.execute(f"COPY (SELECT {sag}* FROM read_json('{jsonl}', "
                    f"format='newline_delimited', columns={typed_columns(program)})) "
                    f"TO '{parquet}' (FORMAT PARQUET)", [ids] if ids is not None else None)
    except (duckdb.ConversionException, duckdb.InvalidInputException):
        return None             # e.g. a 30-digit decimal in DECIMAL(38, 12)
    finally:
        con.close()
    return parquet


def _judged(pack: Path, parquet: Path, out: Path, dato: str | None, fast: bool):
    """(result rows, definition rows, refusal lines, exit code) of one batch, and how
    many cases the fast path took (None: it did not apply)."""
    argv = ["batch", pack, parquet, "--out", out] + (["--dato", dato] if dato else [])
    took = []

    def load(*args):
        loaded = fast_path(*args) if fast else None
        took.append(None if loaded is None else loaded.count)
        return loaded

    with mock.patch.object(batch, "load_parquet", load):
        run = run_cli(argv, limit=60)
    assert run.code in (0, 1), run.text
    con = duckdb.connect()
    try:
        rows = sorted(con.execute(f"SELECT * FROM read_json('{out}')").fetchall())
        defs_path = out.with_name(out.stem + ".definitioner" + out.suffix)
        defs = sorted(con.execute(f"SELECT * FROM read_json('{defs_path}')").fetchall())
    except duckdb.IOException:
        rows = defs = []                       # every case refused: no rows to type
    finally:
        con.close()
    refused = sorted(line for line in run.err.splitlines() if line.startswith("sag "))
    return (rows, defs, refused, run.code), took[0]


@fuzz_settings(deadline_ms=30_000, share=0.05)
@given(data=st.data())
def test_the_fast_path_judges_and_refuses_as_the_runtime(data):
    spec = data.draw(packgen.packs(hostile_text=False), label="pack")
    with tempfile.TemporaryDirectory() as tmp, time_limit(150):
        try:
            folder = Path(tmp)
            compiled = compile_spec(spec, folder)
            cases, ids = data.draw(caseloads(spec), label="cases")
            parquet = _parquet(folder, compiled.program, cases, ids)
            if parquet is None:
                event("not written: a value beyond its Parquet type")
                return
            dato = data.draw(st.one_of(st.none(), packgen.ORDINARY_DATES), label="--dato")
            pack = folder / "diff"
            fast, took = _judged(pack, parquet, folder / "hurtig.jsonl", dato, True)
            slow, _none = _judged(pack, parquet, folder / "python.jsonl", dato, False)
            assert took is not None, "a typed file must take the fast path"
            assert fast == slow, (f"the fast path differs from the runtime's path\n"
                                  f"{spec.yaml()}")
            event("fast path: " + ("all cases" if took == len(cases) else
                                   "no case" if took == 0 else "some cases"))
            event("refused or beyond the range: " + ("no case" if not fast[2] else
                                                     "some cases"))
        finally:
            forget_generated_modules()
