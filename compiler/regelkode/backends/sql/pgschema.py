"""PostgreSQL's input table and the named types its records need (`CREATE TYPE`).

A scalar fact has the type every dialect gives it (dialects.sql_type), written
in PostgreSQL's words; a record or a `varighed` gets a named composite type
(pgsql.type_name), because an anonymous ROW has no field names there.
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


def schema(pack: str, facts: dict, table: str = "sager") -> list[str]:
    """The statements that create the input table `sager` and the types it and the
    views need: `CREATE TYPE …` (inner records first), then `CREATE TABLE`."""
    types: dict[str, str] = {}
    column_type(pack, ("varighed",), "", types)     # the views need it, fact or not
    cols = ['"sag" TEXT', '"beregningsdato" DATE']
    cols += [f"{quoted(n)} {column_type(pack, d, n, types)}" for n, d in facts.items()]
    return [*types.values(), f"CREATE TABLE {quoted(table)} ({', '.join(cols)})"]
