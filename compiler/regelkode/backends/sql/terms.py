"""The small pieces the SQL compiler builds with: a compiled value `V` and sqlglot helpers.

Builders copy their arguments by default; the trees here are built once and
only written out, so subtrees are shared (`copy=False`) and building stays
linear.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

KONFLIKT = "!konflikt"


# Inside a `hvor` (a lambda, where values cannot be columns) deeper exceptions are
# refused (the .sql file says why); real packs nest 2 or 3, and not there.
MAX_EXCEPTION_DEPTH = 6


@dataclass
class V:
    val: exp.Expression
    m: exp.Expression | None = None
    dur: bool = False       # a varighed: a struct (maaneder, dage), compared field by field
    # A chain of one Kleene operator ("og" or "eller", expr.Compiler.kleene): its operands'
    # missing facts merged without the test that the chain is unknown. They are its
    # missing facts wherever it is unknown, and empty wherever it is the value that
    # does not decide the operator (true for "og", false for "eller"), so an enclosing
    # chain of the same operator can merge them without testing this one again.
    chain: str | None = None
    raw: exp.Expression | None = None


def lit(value: str) -> exp.Expression:
    return exp.Literal.string(value)


def cast(e, to: exp.DataType) -> exp.Cast:
    """CAST(e AS to), sharing `e` (sqlglot's builder would copy the whole subtree)."""
    return exp.cast(e, to, copy=False)


def call(name: str, *args) -> exp.Func:
    """The function `name` over `args`, sharing them (sqlglot's `func` copies each)."""
    return exp.func(name, *args, copy=False)


def is_null(e):
    return exp.Is(this=paren(e), expression=exp.Null())


def not_null(e):
    return exp.Not(this=is_null(e))


def case(whens, default=None):
    # Builders copy their arguments by default; the trees here are built once
    # and only written out, so sharing subtrees is safe and keeps this linear.
    c = exp.Case()
    for cond, then in whens:
        c = c.when(cond, then, copy=False)
    if default is not None:
        c = c.else_(default, copy=False)
    return c


# sqlglot writes the tree it is given, so a Paren is the only grouping there is. An
# operand is grouped only where one of the four dialects could read it otherwise.
# Needless parentheses cost more than looks: Spark's parser predicts its way through
# a deep nest of them slowly (the full pack's five costly layers parsed in 24.6 s with
# one around every operand, 10.1 s without).
_DELIMITED = (exp.Column, exp.Dot, exp.Literal, exp.Null, exp.Boolean, exp.Paren,
              exp.Subquery, exp.Case, exp.Bracket)
_OPERATORS = (exp.Binary, exp.Unary, exp.Interval)
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
# In DuckDB, PostgreSQL, Spark and Trino alike, arithmetic binds tighter than a
# comparison, a comparison or IS tighter than NOT, NOT tighter than AND and AND than
# OR; AND and OR are associative, in three-valued logic too.
_BARE_IN = {exp.And: (exp.And, exp.Not, exp.Is, *_COMPARISONS),
            exp.Or: (exp.Or, exp.And, exp.Not, exp.Is, *_COMPARISONS),
            **dict.fromkeys(_COMPARISONS, (exp.Add, exp.Sub, exp.Mul, exp.Div))}


def paren(e):
    """`e` grouped, unless it delimits itself (a name, a literal, a call, CASE … END)."""
    if isinstance(e, _DELIMITED) or (isinstance(e, exp.Func) and not isinstance(e, _OPERATORS)):
        return e
    return exp.Paren(this=e)


def operand(e, op: type[exp.Expression]):
    """`e` as an operand of `op` (AND, OR or a comparison), grouped only where needed."""
    return e if isinstance(e, _BARE_IN[op]) else paren(e)


def compare(cls: type[exp.Expression], a, b):
    """`a` compared with `b` by `cls` (exp.EQ, exp.LT, …), each grouped only where needed."""
    return cls(this=operand(a, cls), expression=operand(b, cls))


def and_(*es):
    out = es[0]
    for e in es[1:]:
        out = exp.And(this=operand(out, exp.And), expression=operand(e, exp.And))
    return out


def or_(*es):
    out = es[0]
    for e in es[1:]:
        out = exp.Or(this=operand(out, exp.Or), expression=operand(e, exp.Or))
    return out


def not_(e):
    return exp.Not(this=paren(e))


@dataclass(frozen=True)
class ElemFieldRef:
    """An element's field read by `summen`/`tidligste`/…: compiled as an ElemField."""
    depth: int
    name: str
