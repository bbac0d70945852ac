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


def lit(value: str) -> exp.Expression:
    return exp.Literal.string(value)


def cast(e, to: exp.DataType) -> exp.Cast:
    """CAST(e AS to), sharing `e` (sqlglot's builder would copy the whole subtree)."""
    return exp.cast(e, to, copy=False)


def is_null(e):
    if not isinstance(e, (exp.Column, exp.Paren, exp.Dot)):
        e = exp.Paren(this=e)
    return exp.Is(this=e, expression=exp.Null())


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


def paren(e):
    return exp.Paren(this=e)


def and_(*es):
    out = es[0]
    for e in es[1:]:
        out = exp.And(this=paren(out), expression=paren(e))
    return out


def or_(*es):
    out = es[0]
    for e in es[1:]:
        out = exp.Or(this=paren(out), expression=paren(e))
    return out


def not_(e):
    return exp.Not(this=paren(e))


@dataclass(frozen=True)
class ElemFieldRef:
    """An element's field read by `summen`/`tidligste`/…: compiled as an ElemField."""
    depth: int
    name: str
