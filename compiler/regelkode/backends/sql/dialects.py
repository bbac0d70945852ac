"""What differs between the SQL engines, in one place.

The compiler builds sqlglot expressions and sqlglot writes each dialect; a
few things sqlglot cannot translate by itself (or translates with other
semantics) are chosen here per dialect: the base of a lambda's element
index, summing a list, dividing exactly, and the month arithmetic.
PostgreSQL has no lambdas: its list operations and named types are in pgsql.py.

Months: every supported engine clamps `date + n months` to the last day of
the target month, as the runtime's `_plus_maaneder` does (2024-01-31 + 1
month = 2024-02-29); `tests/sql` checks it at every month end and leap day.
`hele måneder` and `hele år` are not the engines' month differences (those
differ between engines at month ends): they are computed from the month
count and one correction, the runtime's definition.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from sqlglot import exp

from . import pgsql
from .limits import INEXAKT, MAX_DECIMALER
from .terms import call, case, cast, is_null

DIALECTS = ("duckdb", "spark", "postgres", "trino")

# decimals are carried with this scale (limits.MAX_DECIMALER); a division keeps
# this many places
_SCALE = MAX_DECIMALER
DECIMAL_TYPE = f"DECIMAL(38, {_SCALE})"
_ONE = 10 ** _SCALE         # 1 as an unscaled DECIMAL(38, 12)


# Where a quotient is computed with integers (SqlDialect.divide), and the integer type
# wide enough for it.
_EXACT_DIVISION = ("duckdb", "spark", "postgres")
_WIDE_INTEGER = {"duckdb": "HUGEINT", "spark": "DECIMAL(38, 0)", "postgres": "DECIMAL(60, 0)"}


class Unsupported(Exception):
    """An IR construct this backend cannot express (named in the message)."""


@functools.cache
def _parsed_type(text: str) -> exp.DataType:
    return exp.DataType.build(text, dialect="duckdb")


def _build_type(text: str) -> exp.DataType:
    return _parsed_type(text).copy()


def sql_type(desc: tuple) -> str:
    """A runtime type descriptor as a (DuckDB-syntax) SQL type."""
    kind = desc[0]
    if kind == "sandhedsværdi":
        return "BOOLEAN"
    if kind in ("heltal", "beløb"):
        return "BIGINT"              # beløb: whole øre
    if kind == "decimal":
        return DECIMAL_TYPE
    if kind == "dato":
        return "DATE"
    if kind == "varighed":
        return "STRUCT(maaneder BIGINT, dage BIGINT)"
    if kind in ("tekst", "enum"):
        return "VARCHAR"
    if kind == "liste":
        return sql_type(desc[1]) + "[]"
    if kind == "post":
        return "STRUCT(" + ", ".join(f'"{n}" {sql_type(d)}' for n, d in desc[2]) + ")"
    raise TypeError(kind)


def _n(value: int) -> exp.Expression:
    return exp.Literal.number(value)


def _p(e):
    return exp.Paren(this=e)


class SqlDialect:
    def __init__(self, name: str, pack: str = "regelkode"):
        if name not in DIALECTS:
            raise ValueError(f"unknown dialect {name!r}; choose one of {', '.join(DIALECTS)}")
        self.name = name
        self.pack = pack        # PostgreSQL's named types are the pack's (pgsql.type_name)

    # -- types --
    def type(self, text: str) -> exp.DataType:
        return _build_type(text)

    def empty_paths(self):
        return cast(exp.Array(expressions=[]), self.type("VARCHAR[]"))

    # -- lists --
    def concat(self, arrays):
        return exp.ArrayConcat(this=arrays[0], expressions=list(arrays[1:]))

    def lam(self, names, body):
        return exp.Lambda(this=body, expressions=[exp.to_identifier(n) for n in names])

    def _uses(self, lam, name) -> bool:
        return any(c.name == name for c in lam.this.find_all(exp.Column)) or \
            lam.this.name == name

    def filter(self, seq, lam):
        if self.name == "postgres":
            return pgsql.filter_(seq, lam)
        if self.name == "trino" and len(lam.expressions) > 1 and not self._uses(
                lam, lam.expressions[1].name):
            lam = self.lam([lam.expressions[0].name], lam.this)   # Trino: one argument
        return exp.ArrayFilter(this=seq, expression=lam)

    def transform(self, seq, lam):
        if self.name == "postgres":
            return pgsql.transform(seq, lam)
        if self.name == "trino" and len(lam.expressions) > 1:
            if not self._uses(lam, lam.expressions[1].name):
                return exp.Transform(this=seq, expression=self.lam(
                    [lam.expressions[0].name], lam.this))
            # Trino's transform has no index: zip the list with 1..n+1 (never an empty,
            # descending sequence) and cut the padding element off again
            n = call("CARDINALITY", seq)
            ones = call("SEQUENCE", _n(1), exp.Add(this=n, expression=_n(1)))
            return call("SLICE", exp.func("ZIP_WITH", seq, ones, lam), _n(1), n)
        return exp.Transform(this=seq, expression=lam)

    def flatten(self, arrays):
        return exp.Flatten(this=arrays)

    def flat_map(self, seq, lam):
        """flatten(transform(seq, lam)), lam giving a list of texts (PostgreSQL has no
        ragged arrays to flatten: one subquery there)."""
        if self.name == "postgres":
            return pgsql.flat_map(seq, lam)
        return self.flatten(self.transform(seq, lam))

    def size(self, seq):
        if self.name == "duckdb":
            return call("LEN", seq)
        if self.name == "postgres":     # ARRAY_LENGTH is NULL for an empty array
            return call("CARDINALITY", seq)
        return exp.ArraySize(this=seq)

    def contains(self, seq, x):
        return exp.ArrayContains(this=seq, expression=x)

    def has_null(self, seq):
        """Whether `seq` holds a NULL (an element whose value is unknown)."""
        if self.name == "duckdb":      # LIST_COUNT counts the non-NULL elements: no lambda
            return exp.GT(this=self.size(seq), expression=call("LIST_COUNT", seq))
        b = exp.column("_b")
        return exp.GT(this=self.size(self.filter(seq, self.lam(["_b"], is_null(b)))),
                      expression=_n(0))

    def count_true(self, seq):
        """How many elements of a list of booleans are true."""
        if self.name == "duckdb":      # an aggregate: NULL for an empty list
            return call("COALESCE", call("LIST_AGGREGATE", seq, exp.Literal.string("count_if")),
                        _n(0))
        return self.size(self.filter(seq, self.lam(["_b"], exp.column("_b"))))

    def sum(self, values, zero, elem_type: str | None = None):
        if self.name == "duckdb":
            return call("COALESCE", exp.func("LIST_SUM", values), zero)
        if self.name == "postgres":     # SUM(BIGINT) is NUMERIC there: cast back
            total = call("COALESCE", pgsql.aggregate("SUM", values), zero)
            return cast(total, self.type(elem_type)) if elem_type else total
        # the accumulator must have the elements' type (Spark refuses INT + BIGINT here)
        step = exp.Add(this=exp.column("_acc"), expression=exp.column("_x"))
        if elem_type is not None:
            zero = cast(zero, self.type(elem_type))
            step = cast(step, self.type(elem_type))
        acc = self.lam(["_acc", "_x"], step)
        if self.name == "trino":
            return call("REDUCE", values, zero, acc, self.lam(["_s"], exp.column("_s")))
        return call("AGGREGATE", values, zero, acc)

    def varighed_sum(self, values):
        parts = []
        for f in ("maaneder", "dage"):
            parts.append(self.sum(self.transform(values, self.lam(
                ["_v"], self.field(exp.column("_v"), f))), _n(0), "BIGINT"))
        return self.varighed(*parts)

    def list_min(self, values, dur: bool = False):
        """The least element (a varighed's `dur`: compared field by field, as a struct
        is), NULL elements aside; NULL for an empty list."""
        if self.name == "postgres":
            return pgsql.least(values) if dur else pgsql.aggregate("MIN", values)
        return exp.ArrayMin(this=values)

    def list_max(self, values, dur: bool = False):
        if self.name == "postgres":
            return pgsql.greatest(values) if dur else pgsql.aggregate("MAX", values)
        return exp.ArrayMax(this=values)

    def index0_text(self, idx):
        """An element's 0-based index as text (DuckDB's lambda index counts from 1)."""
        if self.name in ("duckdb", "trino", "postgres"):     # PostgreSQL: subscripts
            idx = exp.Sub(this=idx, expression=_n(1))
        return cast(idx, self.type("VARCHAR"))

    def concat_text(self, parts):
        return exp.Concat(expressions=[p for p in parts])

    # -- records --
    def field(self, record, name):
        return exp.Dot(this=_p(record), expression=exp.to_identifier(name, quoted=True))

    # -- numbers --
    def decimal_literal(self, value: Decimal):
        text = format(value, "f")
        return cast(exp.Literal.number(text), self.type(DECIMAL_TYPE))

    def divide(self, a, b):
        """a / b as DECIMAL(38, 12), b not 0.

        DuckDB divides decimals as DOUBLE (about 16 digits: 123456789012.345678 / 7
        came out wrong from the 7th decimal) and Spark rounds the quotient to 6
        places, so there it is computed with integers (DuckDB's HUGEINT, Spark's
        DECIMAL(38, 0)). It must end within 12 places: one that does not (1 / 3)
        cannot equal the runtime's 40 digits, and the engine stops on that case with
        INEXAKT (limits.py): DuckDBEngine answers it OutOfRange, Spark stops the
        batch. PostgreSQL's NUMERIC is exact at any width, but its quotient keeps
        about 16 digits; it divides as the others. Trino keeps its own division (the
        SQL page says so)."""
        dec = self.type(DECIMAL_TYPE)
        if self.name not in _EXACT_DIVISION:
            return cast(exp.Div(this=cast(_p(a), dec), expression=cast(_p(b), dec)), dec)
        # a/b = i + r/b with i = A // B, r = A % B (A, B: a and b times 10^12, both
        # truncate toward zero); r/b ends within 12 places iff B divides r·10^12.
        # sqlglot writes no parentheses around an operand of // or %: each is a _p.
        big_a, big_b = self._unscaled(a), self._unscaled(b)
        rest = _p(exp.Mul(this=_p(exp.Mod(this=big_a, expression=big_b)),
                          expression=self._integer(_ONE)))
        # widths that keep Spark's sum exact (it narrows a sum past 38 digits)
        whole = cast(self._int_div(big_a, big_b), self.type(f"DECIMAL(37, {_SCALE})"))
        part = exp.Mul(this=cast(self._int_div(rest, big_b),
                                 self.type(f"DECIMAL({_SCALE}, 0)")),
                       expression=cast(exp.Literal.number(f"{Decimal(1).scaleb(-_SCALE):f}"),
                                       self.type(f"DECIMAL({_SCALE + 1}, {_SCALE})")))
        remainder = exp.Mod(this=rest, expression=big_b)
        stop = self._stop(INEXAKT, remainder)
        # an unknown operand makes both tests NULL: the quotient is NULL, not a stop
        return case([
            (exp.EQ(this=remainder, expression=_n(0)),
             cast(exp.Add(this=whole, expression=part), dec)),
            (exp.NEQ(this=remainder, expression=_n(0)), stop)])

    def divide_rounded(self, a, b):
        """a / b rounded to a whole number, half away from zero, as BIGINT (money: øre
        divided by a number, or by 100 to whole kroner). Exact in DuckDB and Spark:
        with n = a·10^12 and d = b·10^12 as integers, |q| = (2|n| + |d|) // 2|d|."""
        if self.name not in _EXACT_DIVISION:
            return self.round_half_away(self.divide(a, b))
        n, d = self._unscaled(a), self._unscaled(b)
        two = self._integer(2)
        magnitude = self._int_div(
            _p(exp.Add(this=exp.Mul(this=two, expression=exp.Abs(this=n)),
                       expression=exp.Abs(this=d))),
            _p(exp.Mul(this=two, expression=exp.Abs(this=d))))
        negative = exp.NEQ(this=_p(exp.LT(this=n, expression=_n(0))),
                           expression=_p(exp.LT(this=d, expression=_n(0))))
        return cast(case([(negative, exp.Neg(this=magnitude))], magnitude), self.type("BIGINT"))

    def _stop(self, message: str, row_value):
        """An expression that stops the query with `message`. PostgreSQL has no such
        function in SQL: a text that is no integer, cast to one, stops it with the text
        in the error. An empty piece of `row_value` is appended to the text: a constant
        PostgreSQL would cast while it plans, even in a CASE arm no row takes."""
        text = exp.Literal.string(message)
        if self.name == "duckdb":
            return call("ERROR", text)
        if self.name == "spark":
            return call("RAISE_ERROR", text)
        nothing = exp.Left(this=cast(row_value, self.type("TEXT")), expression=_n(0))
        return cast(exp.DPipe(this=text, expression=nothing), self.type("INTEGER"))

    def _int_div(self, x, y):
        """x // y, truncated toward zero, of two wide integers. Spark's DIV gives a
        BIGINT, which a quotient of 10^20 leaves; (x - x % y) / y is an exact
        DECIMAL there."""
        if self.name != "spark":
            return _p(exp.IntDiv(this=x, expression=y))
        return _p(exp.Div(this=_p(exp.Sub(this=x, expression=exp.Mod(this=x, expression=y))),
                          expression=y))

    def _integer(self, n: int):
        return cast(exp.Literal.number(n), self.type(_WIDE_INTEGER[self.name]))

    def _unscaled(self, x):
        """x·10^12 as a wide integer, x any DECIMAL(38, 12). DuckDB: its whole part
        and its decimals apart, for x·10^12 would leave DECIMAL(38, 12) from 10^14.
        Spark widens the product itself (to 20 whole digits); PostgreSQL's NUMERIC
        holds it."""
        wide, x = self.type(_WIDE_INTEGER[self.name]), cast(_p(x), self.type(DECIMAL_TYPE))
        if self.name in ("spark", "postgres"):
            return _p(cast(exp.Mul(this=x, expression=exp.Literal.number(_ONE)), wide))
        whole = call("TRUNC", x)
        decimals = exp.Mul(this=_p(exp.Sub(this=x, expression=whole)),
                           expression=exp.Literal.number(_ONE))
        return _p(exp.Add(this=exp.Mul(this=cast(whole, wide), expression=self._integer(_ONE)),
                          expression=cast(decimals, wide)))

    def round_half_away(self, x):
        return cast(exp.Round(this=x), self.type("BIGINT"))

    def floor_div(self, x, n: int):
        return cast(exp.Floor(this=exp.Div(this=cast(_p(x), self.type("DOUBLE")),
                                               expression=_n(n))), self.type("BIGINT"))

    # -- durations --
    def varighed(self, months, days):
        if self.name == "postgres":     # a named composite type: fields by name
            return exp.Cast(this=call("ROW", months, days),
                            to=pgsql.udt(pgsql.varighed_type(self.pack)))
        return exp.Struct(expressions=[
            exp.PropertyEQ(this=exp.to_identifier("maaneder"), expression=months),
            exp.PropertyEQ(this=exp.to_identifier("dage"), expression=days)])

    def varighed_parts(self, v):
        """(months, days) of a duration expression; literal ints when it is a literal."""
        if isinstance(v, exp.Struct):
            return v.expressions[0].expression, v.expressions[1].expression
        if isinstance(v, exp.Cast) and isinstance(v.this, exp.Anonymous) and \
                v.this.name == "ROW":
            return v.this.expressions[0], v.this.expressions[1]
        return self.field(v, "maaneder"), self.field(v, "dage")

    # -- dates --
    def date_literal(self, d: dt.date):
        return cast(exp.Literal.string(d.isoformat()), self.type("DATE"))

    def add_months(self, d, n):
        if self.name != "duckdb":
            n = cast(n, self.type("INTEGER"))    # Spark's ADD_MONTHS takes an INT
        if self.name == "duckdb":
            return cast(exp.Add(this=_p(d), expression=exp.Interval(
                this=_p(n), unit=exp.var("MONTH"))), self.type("DATE"))
        if self.name == "postgres":     # date + interval is a timestamp, clamped at month end
            months = exp.Mul(this=exp.Interval(this=exp.Literal.string("1"),
                                               unit=exp.var("MONTH")), expression=_p(n))
            return cast(exp.Add(this=_p(d), expression=_p(months)), self.type("DATE"))
        return exp.AddMonths(this=d, expression=n) if self.name == "spark" else exp.DateAdd(
            this=d, expression=n, unit=exp.var("MONTH"))

    def add_days(self, d, n):
        if self.name in ("duckdb", "postgres"):
            return exp.Add(this=_p(d), expression=cast(_p(n), self.type("INTEGER")))
        return exp.DateAdd(this=d, expression=cast(n, self.type("INTEGER")),
                           unit=exp.var("DAY"))

    def date_plus(self, d, v, sign: int, inside=(False, False)):
        """d ± v: months first, then days, each step NULL where it leaves the years
        1-9999, as the runtime's date is then unknown (with a reason, no missing
        fact); the engines' own dates go further. `inside` says which steps stay
        within the calendar for every case (ranges.Ranges): they are written bare."""
        months, days = self.varighed_parts(v)
        out = d
        steps = ((months, self.add_months, 12 * 10_000), (days, self.add_days, 366 * 10_000))
        for (part, add, bound), bare in zip(steps, inside, strict=True):
            if isinstance(part, exp.Literal) and part.this == "0":
                continue
            n = part if sign > 0 else exp.Neg(this=_p(part))
            out = add(out, n)
            if not bare:
                out = self._in_calendar(out, n, bound)
        return out

    def _in_calendar(self, step, n, bound: int):
        """`step` (a date moved n units) where it stays within the years 1-9999, else
        NULL. It is not taken where |n| >= bound, which leaves them from any date:
        DuckDB stops on a date past its timestamps (year 294247)."""
        inside = case([(exp.Between(this=self.year(step), low=_n(1), high=_n(9999)), step)],
                      exp.Null())
        return case([(exp.LT(this=exp.Abs(this=n), expression=_n(bound)), inside)],
                    exp.Null())

    def year(self, d):
        if self.name == "postgres":     # EXTRACT gives NUMERIC there
            return cast(exp.Year(this=d), self.type("INTEGER"))
        return exp.Year(this=d)

    def month(self, d):
        if self.name == "postgres":
            return cast(exp.Month(this=d), self.type("INTEGER"))
        return exp.Month(this=d)

    def whole_months(self, a, b):
        """The largest n with a + n months <= b: the month count, less one if it overshoots."""
        count = exp.Add(
            this=exp.Mul(this=_p(exp.Sub(this=self.year(b), expression=self.year(a))),
                         expression=_n(12)),
            expression=_p(exp.Sub(this=self.month(b), expression=self.month(a))))
        over = exp.GT(this=self.add_months(a, _p(count)), expression=b)
        return exp.Sub(this=_p(count), expression=case([(over, _n(1))], _n(0)))

    def days_between(self, a, b):
        if self.name == "postgres":     # date - date is the days between, as an integer
            return exp.Sub(this=_p(b), expression=_p(a))
        return exp.DateDiff(this=b, expression=a, unit=exp.var("DAY"))

    def compare_varighed(self, cls, a, b):
        am, ad = self.varighed_parts(a)
        bm, bd = self.varighed_parts(b)
        eq_m = exp.EQ(this=am, expression=bm)
        if cls in (exp.EQ, exp.NEQ):
            same = exp.And(this=eq_m, expression=exp.EQ(this=ad, expression=bd))
            return same if cls is exp.EQ else exp.Not(this=_p(same))
        strict = {exp.LT: exp.LT, exp.LTE: exp.LT, exp.GT: exp.GT, exp.GTE: exp.GT}[cls]
        return exp.Or(this=_p(strict(this=am, expression=bm)),
                      expression=_p(exp.And(this=eq_m, expression=cls(this=ad,
                                                                      expression=bd))))

    def varighed_plus(self, a, b, sign):
        am, ad = self.varighed_parts(a)
        bm, bd = self.varighed_parts(b)
        op = exp.Add if sign > 0 else exp.Sub
        return self.varighed(op(this=_p(am), expression=_p(bm)),
                             op(this=_p(ad), expression=_p(bd)))

    def varighed_neg(self, a):
        am, ad = self.varighed_parts(a)
        return self.varighed(exp.Neg(this=_p(am)), exp.Neg(this=_p(ad)))

    def varighed_scale(self, v, n):
        vm, vd = self.varighed_parts(v)
        return self.varighed(exp.Mul(this=_p(vm), expression=_p(n)),
                             exp.Mul(this=_p(vd), expression=_p(n)))
