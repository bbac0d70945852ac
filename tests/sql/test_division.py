"""Division in the SQL backend (DuckDB): the runtime's value, or out of range.

DuckDB divides decimals as DOUBLE, about 16 digits: 123456789012.345678 / 7
came out wrong from the 7th decimal, and 1 / 3 was 0.333333333333 in SQL
where the runtime carries 40 digits, so `a / b = 0,333333333333` was met in
SQL and broken in Python. Now a quotient is computed with 128-bit integers:
one that ends within 12 places is exact, one that does not cannot be the
runtime's and its case is answered OutOfRange. Money divided by a number is
rounded to whole øre exactly (half away from zero), as is rounding to kroner.
"""

from __future__ import annotations

import json

from differential.harness import compare, reference
from regelkode.backends import OutOfRange, backend
from regelkode.backends.sql.limits import INEXAKT
from regelkode.cli import main

from .test_emit import _compiled

RULES = """\
fakta:
  a: {type: decimal, beskrivelse: x}
  b: {type: decimal, beskrivelse: x}
  beløbet: {type: beløb, beskrivelse: x}
definitioner:
  kvotient: {titel: T, type: decimal, værdi: a / b}
  pr_del: {titel: T, type: beløb, værdi: beløbet / b}
  i_hele_kr: {titel: T, type: beløb, værdi: beløbet afrundet til hele kroner}
regler:
  stor: {titel: T, område: o, alvor: brud, meddelelse: m,
         krav: "kvotient er over 17636684144,6208111"}
  tredjedel: {titel: T, område: o, alvor: brud, meddelelse: m,
              krav: "kvotient = 0,333333333333"}
  penge: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "pr_del er over 0 kr"}
  hele_kroner: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "i_hele_kr er over 0 kr"}
"""


def _case(a, b, beloeb="10.00"):
    return ({"a": a, "b": b, "beløbet": beloeb, "beregningsdato": "2025-01-01"}, None)


# Quotients that end within 12 places, from 15 whole digits down to the 12th decimal,
# negative operands, and øre amounts whose quotient is exactly half an øre.
EXACT = [_case("123456789012.345678", "8"), _case("999999999999999.5", "0.5"),
         _case("-999999999999999", "-0.25"), _case("1", "1024", "-0.05"),
         _case("0.000000000001", "-1", "0.01"), _case("7", "-0.4", "0.02"),
         _case("123456789012345", "0.000001", "-12345678901.25"),
         _case("2.5", "2.5", "99999999999.99"), _case("-3", "1.6", "-0.03"),
         _case(None, "3"), _case("1", None, "0.05"), _case("1", "0", "1.00")]
# Quotients that do not: the runtime's 40 digits are not SQL's
INEXACT = [_case("1", "3"), _case("123456789012.345678", "7"), _case("-2", "0.3"),
           _case("0.000000000001", "7")]


def test_a_quotient_is_the_runtimes_or_out_of_range(tmp_path):
    program = _compiled(tmp_path, "division", RULES)
    cases = EXACT + INEXACT
    skipped: list[int] = []
    assert not compare(program, cases, "sql", out_of_range=skipped)
    assert skipped == list(range(len(EXACT), len(cases)))
    out = backend("sql").runner(program, tmp_path).judge(cases)
    assert all(r.sti == "$" and INEXAKT in r.besked for r in out[len(EXACT):])
    assert not any(isinstance(r, OutOfRange) for r in out[:len(EXACT)])
    # the reference really holds the cases apart that SQL got wrong before
    large, third = ({r["id"]: r["status"] for r in report["regler"]}
                    for report in reference(program, [INEXACT[1], INEXACT[0]]))
    assert large["stor"] == "opfyldt" and third["tredjedel"] == "brud"


def test_the_definitions_table_has_the_runtimes_values(tmp_path):
    """The batch's second table writes each definition's value as text: the same
    digits as the Python report, for every quotient that ends within 12 places."""
    from regelkode.ir import interpret

    program = _compiled(tmp_path, "division", RULES)
    source = tmp_path / "sager.jsonl"
    source.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c, _ in EXACT),
                      encoding="utf-8")
    assert main(["batch", str(tmp_path / "division"), str(source),
                 "--out", str(tmp_path / "ud.jsonl")]) == 0
    rows = [json.loads(line) for line in
            (tmp_path / "ud.definitioner.jsonl").read_text(encoding="utf-8").splitlines()]
    got = {(r["sag"], r["definition"]): r["vaerdi"] for r in rows}
    for i, (case, _) in enumerate(EXACT, start=1):
        values = interpret.evaluate(program, case).to_dict()["definitioner"]
        for name, value in values.items():
            expected = None if isinstance(value, dict) else value
            assert got[(str(i), name)] == expected, (i, name, case)
