"""PostgreSQL's forms of the list operations, and its named types.

PostgreSQL has no lambdas over arrays, so a lambda `(_e0, _i0) -> body` over a
list becomes a correlated subquery over the array's subscripts, with the
element bound by subscript (`unnest` would spread a composite element into
its fields):

    ARRAY(SELECT body FROM (SELECT _i0, (seq)[_i0] AS _e0
                            FROM generate_subscripts(seq, 1) AS _g(_i0)) AS _s
          ORDER BY _i0)

and a NULL list stays NULL (DuckDB's list functions give NULL for a NULL list;
`generate_subscripts` would give no rows). PostgreSQL arrays are not ragged, so
the flattening of a list of missing-fact arrays is one subquery that unnests
each element's array in order (`flat_map`).

Records need named composite types in PostgreSQL (an anonymous ROW has no
field names): each record of a fact gets a type named after the pack and the
fact path, with a colon no rule-language name holds (`ressourceforloeb:samtaler`),
and `varighed` one with a slash no path holds (`ressourceforloeb/varighed`), so
no two can collide; names over PostgreSQL's 63 bytes are cut and end in a hash.
"""

from __future__ import annotations

import hashlib

from sqlglot import exp

from .terms import call, is_null

# PostgreSQL's NAMEDATALEN - 1: longer identifiers are silently truncated
MAX_NAME_BYTES = 63


def type_name(pack: str, path: str) -> str:
    """A record's type: the pack and the record's path from its fact."""
    return _named(f"{pack}:{path}")


def varighed_type(pack: str) -> str:
    """`varighed`'s type. A `/`, which no path holds: as `<pack>:varighed` it was the
    type of a fact named `varighed` too, and its fields were looked up in the other."""
    return _named(f"{pack}/varighed")


def _named(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    cut = name.encode("utf-8")[:MAX_NAME_BYTES - 11].decode("utf-8", "ignore")
    return f"{cut}~{digest}"


def quoted(name: str) -> str:
    """A name as a quoted PostgreSQL identifier."""
    return exp.to_identifier(name, quoted=True).sql("postgres")


def udt(name: str) -> exp.DataType:
    return exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=quoted(name))


def _null_stays_null(seq, array):
    return exp.Case().when(is_null(seq), exp.Null(), copy=False).else_(array, copy=False)


def _rows(fn: str, args: list, alias: str, column: str) -> exp.Table:
    """`fn(args) AS alias(column)` in FROM. A plain function, not sqlglot's Unnest,
    whose PostgreSQL writer infers types and copies the tree (half the writing time)."""
    return exp.Table(this=exp.Anonymous(this=fn, expressions=args),
                     alias=exp.TableAlias(this=exp.to_identifier(alias),
                                          columns=[exp.to_identifier(column)]))


def _elements(seq, var: str, idx: str) -> exp.Expression:
    """(SELECT idx, (seq)[idx] AS var FROM generate_subscripts(seq, 1) AS _g(idx)) AS _s"""
    subs = _rows("GENERATE_SUBSCRIPTS", [seq, exp.Literal.number(1)], "_g", idx)
    elem = exp.alias_(exp.Bracket(this=exp.Paren(this=seq), expressions=[exp.column(idx)]),
                      var, copy=False)
    inner = exp.select(exp.column(idx), elem, copy=False).from_(subs, copy=False)
    return inner.subquery("_s" + var, copy=False)


def _names(lam: exp.Lambda) -> tuple[str, str]:
    names = [e.name for e in lam.expressions]
    var = names[0]
    return var, (names[1] if len(names) > 1 else "_i" + var)


def transform(seq, lam: exp.Lambda):
    var, idx = _names(lam)
    query = (exp.select(lam.this, copy=False).from_(_elements(seq, var, idx), copy=False)
             .order_by(exp.column(idx), copy=False))
    return _null_stays_null(seq, call("ARRAY", query))


def filter_(seq, lam: exp.Lambda):
    var, idx = _names(lam)
    query = (exp.select(exp.column(var), copy=False)
             .from_(_elements(seq, var, idx), copy=False)
             .where(lam.this, copy=False).order_by(exp.column(idx), copy=False))
    return _null_stays_null(seq, call("ARRAY", query))


def flat_map(seq, lam: exp.Lambda):
    """flatten(transform(seq, lam)) for a lam giving a text array, in list order; within
    an element sorted (the report's `mangler` is sorted in the end anyway)."""
    var, idx = _names(lam)
    item = "_f" + var
    parts = _rows("UNNEST", [lam.this], "_u" + var, item)
    query = (exp.select(exp.column(item), copy=False).from_(_elements(seq, var, idx), copy=False)
             .join(exp.Lateral(this=parts), join_type="CROSS", copy=False)
             .order_by(exp.column(idx), exp.column(item), copy=False))
    return _null_stays_null(seq, call("ARRAY", query))


def least(values):
    """The least element of a list of composites (varighed), which MIN does not take:
    the first in their order (field by field), NULL elements last."""
    return _first(values, desc=False)


def greatest(values):
    return _first(values, desc=True)


def _first(values, desc: bool):
    order = exp.Ordered(this=exp.column("_x"), desc=desc, nulls_first=False)
    return (exp.select(exp.column("_x"), copy=False).from_(_unnested(values), copy=False)
            .order_by(order, copy=False).limit(1, copy=False).subquery(copy=False))


def aggregate(fn: str, values):
    """(SELECT fn(_x) FROM (SELECT unnest(values) AS _x) AS _a): NULL for a NULL or empty
    list."""
    return exp.select(call(fn, exp.column("_x")), copy=False).from_(
        _unnested(values), copy=False).subquery(copy=False)


def _unnested(values):
    """The list's elements as rows of one column `_x`. The unnest is in the select list:
    in FROM it spreads a composite element (a varighed) into its fields, and `største`
    of durations took the months'."""
    return exp.select(exp.alias_(call("UNNEST", values), "_x"), copy=False).subquery(
        "_a", copy=False)
