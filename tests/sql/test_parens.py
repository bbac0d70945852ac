"""The SQL builders group an operand only where a dialect needs it (terms.paren,
terms.operand, terms.compare): 3,285 nestings of AND, OR, NOT, IS NULL,
comparisons and arithmetic, up to three levels, each of every kind against every
kind, mean in each engine what the tree means.

Each expression is evaluated by a Kleene evaluator of the tree itself, and by
DuckDB and PostgreSQL from the text, over every combination of true, false,
NULL and small numbers; sqlglot reads the Spark and Trino texts back to the
same tree.
"""

from __future__ import annotations

import itertools

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from regelkode.backends.sql.dialects import DIALECTS
from regelkode.backends.sql.terms import and_, compare, is_null, not_, or_, paren

COMPARISONS = (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE)
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul)
BOOLS = ("a", "b", "c")
NUMBERS = ("x", "y", "z")


def _numbers():
    leaves = [exp.column(n) for n in NUMBERS]
    two = [op(this=paren(p), expression=paren(q))
           for op in ARITHMETIC for p in leaves for q in leaves[:2]]
    three = [op(this=paren(p), expression=paren(q)) for op in ARITHMETIC
             for p, q in itertools.product(two[::4], two[1::5])]
    return leaves + two + three


def _booleans():
    leaves = [exp.column(n) for n in BOOLS]
    two = [f(p, q) for f in (and_, or_, lambda p, q: compare(exp.EQ, p, q))
           for p in leaves for q in leaves]
    two += [not_(p) for p in leaves] + [is_null(p) for p in leaves]
    numbers = _numbers()
    two += [compare(cls, p, q) for cls in COMPARISONS
            for p, q in zip(numbers[::3], numbers[1::2], strict=False)]
    # three of each kind of two-level expression, each against each
    kinds: dict[type, list] = {}
    for e in two:
        kinds.setdefault(type(e), []).append(e)
    picked = [e for group in kinds.values() for e in group[::max(1, len(group) // 3)][:3]]
    three = [f(p, q) for f in (and_, or_, lambda p, q: compare(exp.EQ, p, q))
             for p, q in itertools.product(picked, picked)]
    three += [not_(p) for p in two] + [is_null(p) for p in two]
    return two + three


EXPRESSIONS = _booleans()
ROWS = [dict(zip(BOOLS + NUMBERS, values, strict=True))
        for values in itertools.product((True, False, None), (True, False, None),
                                        (True, None), (2, None), (3, -1), (5,))]


def _kleene(e, row):
    """What the tree means: SQL's three-valued logic and NULL-propagating arithmetic."""
    if isinstance(e, exp.Paren):
        return _kleene(e.this, row)
    if isinstance(e, exp.Column):
        return row[e.name]
    if isinstance(e, exp.Not):
        v = _kleene(e.this, row)
        return None if v is None else not v
    if isinstance(e, exp.Is):
        return _kleene(e.this, row) is None
    left, right = _kleene(e.this, row), _kleene(e.expression, row)
    if isinstance(e, exp.And):
        return False if False in (left, right) else None if None in (left, right) else True
    if isinstance(e, exp.Or):
        return True if True in (left, right) else None if None in (left, right) else False
    if left is None or right is None:
        return None
    return {exp.EQ: left == right, exp.NEQ: left != right, exp.LT: left < right,
            exp.LTE: left <= right, exp.GT: left > right, exp.GTE: left >= right,
            exp.Add: left + right, exp.Sub: left - right, exp.Mul: left * right}[type(e)]


def _values_sql():
    def lit(v):
        return "NULL" if v is None else str(v).upper()
    return ", ".join("(" + ", ".join(lit(r[k]) for k in BOOLS + NUMBERS) + ")" for r in ROWS)


def _misread(run, dialect: str, chunk: int = 500) -> list[str]:
    """The texts whose value from the engine (`run` a query, get its rows) differs from
    the tree's own, over every row; `chunk` expressions a query."""
    names = ", ".join(BOOLS + NUMBERS)
    got = []
    for start in range(0, len(EXPRESSIONS), chunk):
        part = EXPRESSIONS[start:start + chunk]
        cols = ", ".join(e.sql(dialect=dialect) for e in part)
        rows = run(f"SELECT {cols} FROM (VALUES {_values_sql()}) AS t({names})")
        got += [[row[i] for row in rows] for i in range(len(part))]
    return [e.sql(dialect=dialect) for e, values in zip(EXPRESSIONS, got, strict=True)
            if values != [_kleene(e, row) for row in ROWS]]


def test_the_expressions_nest_every_way():
    """The set is what the test claims: all the groupings the builders drop occur."""
    shapes = {(type(node).__name__, type(c.unnest()).__name__) for e in EXPRESSIONS
              for node in e.walk() if not isinstance(node, exp.Paren)
              for c in node.iter_expressions()}
    for pair in [("And", "Or"), ("Or", "And"), ("And", "And"), ("Or", "Or"), ("Not", "And"),
                 ("And", "Not"), ("Or", "EQ"), ("EQ", "EQ"), ("Is", "And"), ("GT", "Add"),
                 ("Sub", "Add"), ("Mul", "Sub"), ("EQ", "Mul")]:
        assert pair in shapes, pair
    assert len(EXPRESSIONS) > 3000 and len(ROWS) == 72


def test_duckdb_reads_each_grouping_as_built():
    con = duckdb.connect()
    wrong = _misread(lambda q: con.execute(q).fetchall(), "duckdb")
    assert not wrong, wrong[:5]


def test_postgres_reads_each_grouping_as_built(pg_dsn):
    import psycopg

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        wrong = _misread(lambda q: conn.execute(q).fetchall(), "postgres")
    assert not wrong, wrong[:5]


def _shape(e):
    """The tree without its grouping, AND and OR chains flattened (they associate)."""
    while isinstance(e, exp.Paren):
        e = e.this
    if isinstance(e, exp.Column):
        return e.name
    if isinstance(e, exp.Null):
        return None
    if isinstance(e, exp.Connector):
        return (type(e).__name__, *(_shape(c) for c in e.flatten(unnest=True)))
    return (type(e).__name__, *(_shape(c) for c in e.iter_expressions()))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_dialect_text_reads_back_as_the_tree(dialect):
    for e in EXPRESSIONS:
        text = e.sql(dialect=dialect)
        assert _shape(sqlglot.parse_one(text, read=dialect)) == _shape(e), text
