"""A number the SQL engine cannot hold, part-way through judging a case.

The runtime computes with integers of any size and 40-digit decimals; DuckDB
with BIGINT and DECIMAL(38), and it stops the whole query when a value leaves
them. limits.py keeps each fact small enough for a product of two, but a
product of three large integers, or of two large decimals, still overflows.
Such a case is found and named (engine.DuckDBEngine._wide) as outside the
engine's range, like a fact outside limits.py's; the others are judged, and
the batch goes on. A literal integer is a 32-bit INTEGER in every dialect,
so the compiler types it BIGINT: `sats × 16.382 kr` stopped every batch.
"""

from __future__ import annotations

import json

import pytest

from differential.harness import compare, reference
from regelkode.backends import OutOfRange, backend
from regelkode.backends.sql.cases import OVERFLOW
from regelkode.cli import main

RULES = """\
fakta:
  a: {type: heltal, beskrivelse: x}
  b: {type: heltal, beskrivelse: x}
  c: {type: heltal, beskrivelse: x}
  x: {type: decimal, beskrivelse: x}
  y: {type: decimal, beskrivelse: x}
parametre:
  sats:
    type: heltal
    beskrivelse: x
    historik:
      - {gyldig_fra: "2023-07-01", værdi: "12.326"}
regler:
  sats_gange_beloeb: {titel: T, område: o, alvor: brud, meddelelse: m,
                      krav: "sats × 16.382 kr er mindst 1 kr"}
  tre_heltal: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "a × b × c er mindst 0"}
  to_decimaltal: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "x × y er mindst 0"}
"""
BIG = 999_999_999
SMALL = {"a": 1, "b": -2, "c": 3, "x": "1.5", "y": "2", "beregningsdato": "2025-01-01"}
# positions of the cases the engine cannot compute: integers, decimals, both
OVER = {2: {"a": BIG, "b": BIG, "c": BIG}, 5: {"x": "100000000000000", "y": "100000000000000"},
        6: {"a": BIG, "b": -BIG, "c": BIG, "x": "-100000000000000"}}


def _pack(tmp_path, rules=RULES):
    from regelkode.checks.analysis import compile_checked
    from reliability.support import write_pack

    pack = write_pack(tmp_path, "store_tal", {"regler.yaml": rules})
    compiled = compile_checked(pack)
    assert compiled.ok
    return pack, compiled.program


def _cases():
    return [dict(SMALL, a=i, **OVER.get(i, {})) if i not in OVER else dict(SMALL, **OVER[i])
            for i in range(8)]


def test_only_the_cases_the_engine_cannot_hold_are_out_of_its_range(tmp_path):
    _pack_dir, program = _pack(tmp_path)
    cases = [(c, None) for c in _cases()]
    assert all(isinstance(r, dict) for r in reference(program, cases))   # Python computes all
    out = backend("sql").runner(program, tmp_path).judge(cases)
    assert [i for i, r in enumerate(out) if isinstance(r, OutOfRange)] == sorted(OVER)
    assert all(r.sti == "$" and r.besked.startswith(OVERFLOW) and "Overflow" in r.besked
               for r in out if isinstance(r, OutOfRange))
    skipped: list[int] = []
    assert not compare(program, cases, "sql", out_of_range=skipped)   # the rest as Python
    assert skipped == sorted(OVER)
    assert compare(program, cases, "sql")   # not allowed, an out-of-range answer differs


@pytest.mark.parametrize("source", ["jsonl", "parquet"])
def test_the_batch_names_them_and_judges_the_rest_in_order(tmp_path, capsys, source):
    from .test_batch import _rows, _typed_parquet

    pack, program = _pack(tmp_path)
    cases = _cases()
    if source == "jsonl":
        src = tmp_path / "sager.jsonl"
        src.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    else:       # one row group: read in ranges, `sager` a view of them (bulk.py)
        src = _typed_parquet(tmp_path, program, cases)
    out = tmp_path / "ud.jsonl"
    assert main(["batch", str(pack), str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    for i in OVER:
        assert (f"sag {i + 1}: uden for SQL-backendens talområde: $: {OVERFLOW} "
                "(Out of Range Error: Overflow in multiplication") in err
    assert "5 sager bedømt, 3 ikke bedømt" in err and "Traceback" not in err
    statuses = [(r["id"], r["status"]) for i, rep in enumerate(reference(
        program, [(c, None) for c in cases])) if i not in OVER for r in rep["regler"]]
    rows = _rows(out, "jsonl")
    assert [(sag, regel) for sag, regel, *_ in rows] == [
        (str(i + 1), regel) for i in range(8) if i not in OVER for regel, _s in statuses[:3]]
    assert [(regel, status) for _sag, regel, status, _m in rows] == statuses


def test_too_many_of_them_stop_the_batch_with_a_message(tmp_path, capsys, monkeypatch):
    from regelkode.backends.sql import engine

    monkeypatch.setattr(engine, "MAX_OUT_OF_RANGE", 2)
    pack, _program = _pack(tmp_path)
    src = tmp_path / "sager.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in _cases()), encoding="utf-8")
    out = tmp_path / "ud.csv"
    assert main(["batch", str(pack), str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"regelkode: DuckDB kan ikke bedømme sagerne: {OVERFLOW}, i mere end 2 sager" in err
    assert "Traceback" not in err and not out.exists()



def test_money_times_a_large_decimal_is_out_of_range_not_a_traceback(tmp_path):
    """Money times a decimal is rounded to øre and cast to BIGINT. Where the product
    does not fit, DuckDB words the stop "Failed to cast decimal value", not "out of
    range"; it was a traceback (found by tests/reliability/test_bulk_parquet.py)."""
    _pack_dir, program = _pack(tmp_path, """\
fakta:
  m: {type: beløb, beskrivelse: x}
  x: {type: decimal, beskrivelse: x}
regler:
  beloeb_gange_decimal: {titel: T, område: o, alvor: brud, meddelelse: m,
                         krav: "m × x er mindst 0 kr"}
""")
    day = {"beregningsdato": "2025-01-01"}
    cases = [(dict(day, m="99999999999.99", x=x), None) for x in ("2", "1000000", "-0.5")]
    out = backend("sql").runner(program, tmp_path).judge(cases)
    assert isinstance(out[1], OutOfRange) and "Failed to cast decimal value" in out[1].besked
    skipped: list[int] = []
    assert not compare(program, cases, "sql", out_of_range=skipped)
    assert skipped == [1]
