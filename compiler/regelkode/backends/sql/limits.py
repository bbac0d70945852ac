"""The range in which the SQL backend computes exactly what the runtime computes.

The runtime computes with integers of any size and 40-digit decimals; the SQL
engines have 64-bit integers and DECIMAL(38, s). Rather than give a wrong
answer (or stop a whole batch on an overflow), a valid case with a fact
outside this range is answered `OutOfRange` at the fact's JSON path:

- heltal: |n| < 10^9 (a product of two stays inside BIGINT);
- beløb: less than 10^11 kroner (whole øre in BIGINT, times a decimal inside
  DECIMAL(38, 12));
- decimal: at most 15 digits before the point and 12 after (DECIMAL(38, 12));
- dates, and the date a case is judged on: years 1000-8999 (engines differ
  from the runtime at the calendar's ends);
- varighed: |months|, |days| < 10^5.

Real cases are far inside: the packs' own cases never hit it (tests/sql).
The SQL also counts on it: ranges.py leaves out the calendar guard of a date
step that no date and duration within the range can take past year 1 or 9999.

A quotient of decimals must end within 12 places (7 / 8, not 1 / 3): the
runtime carries 40 digits and DECIMAL(38, 12) only 12, so no engine could give
the runtime's value. DuckDB, Spark and PostgreSQL compute a quotient with
integers (dialects.SqlDialect.divide) and stop on such a case with INEXAKT:
DuckDB's is answered `OutOfRange` at `$` as an overflow is (below), Spark stops
the batch, and the PostgreSQL script stops its query. Money divided by a number
is rounded to whole øre exactly, as the runtime does. Trino keeps its own
division (12 places).

Facts inside the range keep a product of two inside the engine's types, not
every computation: three large integers multiplied leave BIGINT, two large
decimals DECIMAL(38) (DuckDB keeps both scales: 24 places). The engine then
stops the query. The DuckDB engine finds each such case and answers it
`OutOfRange` at `$` with the engine's words (engine.DuckDBEngine._wide); the
Spark engine stops the batch with a message (tests/sql/test_overflow.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ... import runtime as rt

# What the engine's stop says where a quotient does not end within 12 places
# (dialects.SqlDialect.divide); the engines know a stop by these words.
INEXAKT = "regelkode: divisionen går ikke op med 12 decimaler"

MAX_HELTAL = 10 ** 9
MAX_OERE = 10 ** 13
MAX_HELE_CIFRE = 15
MAX_DECIMALER = 12
FOERSTE_AAR, SIDSTE_AAR = 1000, 8999
MAX_VARIGHED = 10 ** 5


def _path(parts) -> str:
    return rt._sti(parts)


def date_problem(d: dt.date) -> str | None:
    if not FOERSTE_AAR <= d.year <= SIDSTE_AAR:
        return f"SQL-backenden regner kun med årene {FOERSTE_AAR}-{SIDSTE_AAR}"
    return None


class OutsideRange(Exception):
    """A value outside the range: `parts` is its path from the fact inwards, collected
    while the exception passes up (no path is built for a value inside it)."""

    def __init__(self, msg: str):
        super().__init__(msg)
        self.msg = msg
        self.parts: list = []


def _decimal_problem(value) -> str | None:
    _sign, digits, exponent = Decimal(value).as_tuple()
    decimals = max(0, -exponent)
    whole = len(digits) - decimals if exponent < 0 else len(digits) + exponent
    if value and (whole > MAX_HELE_CIFRE or decimals > MAX_DECIMALER):
        return (f"SQL-backenden regner kun med decimaltal med højst {MAX_HELE_CIFRE} cifre "
                f"før og {MAX_DECIMALER} efter kommaet")
    return None


_HELTAL = f"SQL-backenden regner kun med heltal under {rt._tusinder(MAX_HELTAL)}"
_BELOEB = f"SQL-backenden regner kun med beløb under {rt._tusinder(MAX_OERE // 100)} kr."
_VARIGHED = f"SQL-backenden regner kun med varigheder under {rt._tusinder(MAX_VARIGHED)}"


def _converter(desc):
    """A function from a fact's runtime value (runtime.normaliser's) to its plain JSON
    value in the `sager` row (money in øre, dates ISO, decimals as text, unknown None),
    raising OutsideRange for a value outside the range: one walk for both, built once
    per type, as the runtime builds its own validation."""
    kind = desc[0]
    unknown = rt.Ukendt
    if kind == "heltal" or kind == "beløb":
        bound, msg = (MAX_HELTAL, _HELTAL) if kind == "heltal" else (MAX_OERE, _BELOEB)

        def number(v):
            if v.__class__ is unknown:
                return None
            if abs(v) >= bound:
                raise OutsideRange(msg)
            return v
        return number
    if kind == "decimal" or kind == "dato":
        problem, plain = ((_decimal_problem, lambda v: format(v, "f")) if kind == "decimal"
                          else (date_problem, dt.date.isoformat))

        def checked(v):
            if v.__class__ is unknown:
                return None
            msg = problem(v)
            if msg:
                raise OutsideRange(msg)
            return plain(v)
        return checked
    if kind == "varighed":
        def duration(v):
            if v.__class__ is unknown:
                return None
            if abs(v.maaneder) >= MAX_VARIGHED or abs(v.dage) >= MAX_VARIGHED:
                raise OutsideRange(_VARIGHED)
            return {"maaneder": v.maaneder, "dage": v.dage}
        return duration
    if kind == "liste":
        item = _converter(desc[1])

        def items(v):
            if v.__class__ is unknown:
                return None
            out = []
            for i, x in enumerate(v):
                try:
                    out.append(item(x))
                except OutsideRange as exc:
                    exc.parts.append(i)
                    raise
            return out
        return items
    if kind == "post":
        fields = [(name, _converter(fdesc)) for name, fdesc in desc[2]]

        def record(v):
            if v.__class__ is unknown:
                return None
            out = {}
            for name, field in fields:
                try:
                    out[name] = field(v[name])
                except OutsideRange as exc:
                    exc.parts.append(name)
                    raise
            return out
        return record

    def plain(v):           # sandhedsværdi, tekst, enum: as they are
        return None if v.__class__ is unknown else v
    return plain


def row_converter(facts: dict):
    """`convert(values, day)`: the `sager` row's fact values (a dict, in the pack's fact
    order) of a case's normalised facts; raises OutsideRange with the JSON path of the
    first value outside the range (facts in order, then the judging date)."""
    record = _converter(("post", None, tuple(facts.items())))     # the facts as one record

    def convert(values: dict, day: dt.date) -> dict:
        try:
            out = record(values)
        except OutsideRange as exc:
            exc.path = _path(reversed(exc.parts))
            raise
        msg = date_problem(day)
        if msg:
            exc = OutsideRange(msg)
            exc.path = "beregningsdato"
            raise exc
        return out
    return convert
