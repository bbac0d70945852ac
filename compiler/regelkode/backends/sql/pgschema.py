"""PostgreSQL's input table and the named types its records need (`CREATE TYPE`).

A scalar fact has the type every dialect gives it (dialects.sql_type), written
in PostgreSQL's words; a record or a `varighed` gets a named composite type
(pgsql.type_name), because an anonymous ROW has no field names there.

The statements make only what is missing, so the printed script can be run
again on the same database: a municipality re-runs it for each new version of
the pack (a new year's rates), and its table of cases must survive that. An
existing type or table is left as it is, never altered or dropped.
"""

from __future__ import annotations

from .dialects import _build_type, sql_type
from .pgsql import quoted, type_name, varighed_type


def column_type(pack: str, desc: tuple, path: str, types: dict[str, str]) -> str:
    """A runtime type descriptor as a PostgreSQL type; `types` collects the
    `CREATE TYPE` statements it needs (name -> statement), inner ones first."""
    kind = desc[0]
    if kind not in ("liste", "varighed", "post"):   # a scalar: DuckDB's type, in PG's words
        return _build_type(sql_type(desc)).sql("postgres")
    if kind == "liste":
        return column_type(pack, desc[1], path, types) + "[]"
    if kind == "varighed":
        name = varighed_type(pack)
        types.setdefault(name, f"CREATE TYPE {quoted(name)} AS (maaneder BIGINT, dage BIGINT)")
        return quoted(name)
    if kind == "post":
        fields = [f"{quoted(n)} {column_type(pack, d, f'{path}.{n}', types)}" for n, d in desc[2]]
        name = type_name(pack, path)
        types.setdefault(name, f"CREATE TYPE {quoted(name)} AS ({', '.join(fields)})")
        return quoted(name)
    raise TypeError(kind)


# the dollar quote of the DO blocks; the names inside are validated identifiers
_TAG = "$regelkode$"


def if_missing(create_type: str) -> str:
    """`CREATE TYPE …` that does nothing where the type exists: PostgreSQL has no
    CREATE TYPE IF NOT EXISTS, so the existing type's error is caught in a DO block."""
    if _TAG in create_type:
        raise ValueError(f"{_TAG} in a type's statement: {create_type!r}")
    return (f"DO {_TAG} BEGIN {create_type}; "
            f"EXCEPTION WHEN duplicate_object THEN NULL; END {_TAG}")


def schema(pack: str, facts: dict, table: str = "sager") -> list[str]:
    """The statements that create the input table `sager` and the types it and the
    views need, each only where it is missing: the types (inner records first),
    then the table."""
    types: dict[str, str] = {}
    column_type(pack, ("varighed",), "", types)     # the views need it, fact or not
    cols = ['"sag" TEXT', '"beregningsdato" DATE']
    cols += [f"{quoted(n)} {column_type(pack, d, n, types)}" for n, d in facts.items()]
    return [*map(if_missing, types.values()),
            f"CREATE TABLE IF NOT EXISTS {quoted(table)} ({', '.join(cols)})"]
