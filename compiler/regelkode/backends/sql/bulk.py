"""Typed Parquet cases validated in bulk, inside DuckDB: the fast path of `regelkode batch`.

Validating a case in Python costs more than judging it in SQL. A typed
Parquet column already guarantees most of what the runtime checks (a DATE
is a date, a BOOLEAN a truth value, a list a list); what it does not (enum
values, list lengths, null list items, the limits of limits.py) is checked
here as one SQL condition per row. A row that meets it is valid for the
runtime and inside the SQL backend's range by construction, and is converted
to the `sager` row in SQL (money to øre, decimals to DECIMAL(38, 12)). Every
other row (the condition is conservative) is read back as the case's JSON
and goes through the runtime's validation as before: a refused case gets
exactly the runtime's message and JSON path.

The fast path applies when every column's Parquet type is one this module
can check (`typed_columns` writes such a file); otherwise the whole file
takes the Python path. Columns: `sag` (integer or text) is the id, else the
row number from 1; `beregningsdato` DATE; one column per fact, with
beløb as an integer (kroner) or DECIMAL(p, s ≤ 2), decimal as an integer or
DECIMAL(p, s ≤ 12), varighed as STRUCT("måneder" …, dage …). The rows of an
id that more than one row has take the Python path too, all of them in file
order: the first of them that is valid is judged, the others refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from sqlglot import exp

from ... import runtime as rt
from .dialects import _build_type, sql_type
from .engine import ROW_GROUP_SIZE
from .limits import (
    FOERSTE_AAR,
    MAX_DECIMALER,
    MAX_HELE_CIFRE,
    MAX_HELTAL,
    MAX_OERE,
    MAX_VARIGHED,
    SIDSTE_AAR,
    date_problem,
)
from .names import columns_arg, ident, sql_text

INTEGERS = frozenset({"tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint",
                      "usmallint", "uinteger", "ubigint"})
ROW = "file_row_number"     # read_parquet's own row number (from 0)


class NoFastPath(Exception):
    """A column this module cannot check in SQL: the file takes the Python path."""


def _n(value) -> exp.Expression:
    return exp.Literal.number(value)


def _and(*conds):
    conds = [c for c in conds if c is not None]
    if not conds:
        return None
    out = conds[0]
    for c in conds[1:]:
        out = exp.And(this=exp.Paren(this=out), expression=exp.Paren(this=c))
    return out


def _below(e, bound):
    return exp.LT(this=exp.Abs(this=e), expression=_n(bound))


def _field(e, name):
    return exp.Dot(this=exp.Paren(this=e), expression=ident(name))


def _null_or(e, cond):
    return None if cond is None else exp.Or(this=exp.Is(this=exp.Paren(this=e),
                                                        expression=exp.Null()),
                                            expression=exp.Paren(this=cond))


def _if_known(e, value):
    """`value` (built from `e`), NULL when `e` is NULL (struct_pack would make a struct)."""
    return exp.Case(ifs=[exp.If(this=exp.Is(this=exp.Paren(this=e), expression=exp.Null()),
                                true=exp.Null())], default=value)


def check(e, desc, t, depth=0) -> tuple[exp.Expression | None, exp.Expression]:
    """(condition under which the non-NULL value `e` of Parquet type `t` is valid and in
    range — None if always —, the value as the `sager` column of `desc`)."""
    kind, tid = desc[0], t.id
    if kind == "sandhedsværdi" and tid == "boolean":
        return None, e
    if kind == "dato" and tid == "date":
        return exp.Between(this=exp.Year(this=e), low=_n(FOERSTE_AAR), high=_n(SIDSTE_AAR)), e
    if kind in ("tekst", "enum") and tid == "varchar":
        if kind == "enum":
            return exp.In(this=e, expressions=[exp.Literal.string(v) for v in desc[2]]), e
        # bytes >= characters: a text within the limit in bytes is within it in characters
        return exp.LTE(this=exp.func("STRLEN", e), expression=_n(rt.MAX_TEKST)), e
    if kind == "heltal" and tid in INTEGERS:
        return _below(e, MAX_HELTAL), exp.cast(e, _build_type("BIGINT"))
    if kind == "beløb" and (tid in INTEGERS or (tid == "decimal" and dict(t.children)[
            "scale"] <= 2)):
        oere = exp.Mul(this=exp.Paren(this=e), expression=_n(100))
        return _below(e, MAX_OERE // 100), exp.cast(oere, _build_type("BIGINT"))
    if kind == "decimal" and (tid in INTEGERS or (tid == "decimal" and dict(t.children)[
            "scale"] <= MAX_DECIMALER)):
        return _below(e, 10 ** MAX_HELE_CIFRE), exp.cast(e, _build_type(sql_type(desc)))
    if kind == "varighed" and tid == "struct":
        parts = dict(t.children)
        if not set(parts) <= {"måneder", "dage"} or any(
                p.id not in INTEGERS for p in parts.values()):
            raise NoFastPath
        conds, out = [], []
        for name, target in (("måneder", "maaneder"), ("dage", "dage")):
            if name in parts:       # a part left out is 0; a null part is refused
                v = _field(e, name)
                conds.append(exp.Not(this=exp.Is(this=v, expression=exp.Null())))
                conds.append(_below(v, MAX_VARIGHED))
                out.append(exp.PropertyEQ(this=ident(target),
                                          expression=exp.cast(v, _build_type("BIGINT"))))
            else:
                out.append(exp.PropertyEQ(this=ident(target), expression=_n(0)))
        return _and(*conds), _if_known(e, exp.Struct(expressions=out))
    if kind == "liste" and tid == "list":
        var = exp.column(f"_v{depth}")
        inner_cond, inner_val = check(var, desc[1], t.children[0][1], depth + 1)
        item_ok = _and(exp.Not(this=exp.Is(this=var, expression=exp.Null())), inner_cond)
        lam = exp.Lambda(this=item_ok, expressions=[var.this])
        all_ok = exp.func("COALESCE", exp.func("LIST_BOOL_AND", exp.func(
            "LIST_TRANSFORM", e, lam)), exp.true())
        cond = _and(exp.LTE(this=exp.func("LEN", e), expression=_n(rt.MAX_LISTE)), all_ok)
        conv = exp.func("LIST_TRANSFORM", e, exp.Lambda(this=inner_val,
                                                        expressions=[var.this]))
        return cond, conv
    if kind == "post" and tid == "struct":
        have = dict(t.children)
        fields = dict(desc[2])
        if not set(have) <= set(fields):
            raise NoFastPath            # a field the record does not have
        conds, out = [], []
        for name, fdesc in desc[2]:
            if name in have:
                v = _field(e, name)
                c, val = check(v, fdesc, have[name], depth)
                conds.append(_null_or(v, c))
            else:
                val = exp.cast(exp.Null(), _build_type(sql_type(fdesc)))
            out.append(exp.PropertyEQ(this=ident(name), expression=val))
        return _and(*conds), _if_known(e, exp.Struct(expressions=out))
    raise NoFastPath


# Characters every Python version calls printable (str.isprintable): printable ASCII and
# Latin-1 but its no-break space and soft hyphen. An id with any other character takes
# the Python path, which applies cases.valid_id itself; the SQL only has to be no wider.
ID_CHARACTERS = "[ -~\u00a1-\u00ac\u00ae-\u00ff]+"


def _id_text(e, t) -> exp.Expression:
    """The fast path's condition on a text `sag` of Parquet type `t`: a text fact's
    (check) of ID_CHARACTERS only, so no wider than cases.valid_id."""
    return _and(check(e, ("tekst",), t)[0],
                exp.RegexpFullMatch(this=e, expression=exp.Literal.string(ID_CHARACTERS)))


def plan(program, types: dict, dato: dt.date | None, today: dt.date):
    """(id, judging date, [fact values], condition) over the Parquet columns, or NoFastPath."""
    if dato is not None and date_problem(dato):
        raise NoFastPath            # every case is refused; the runtime says why
    if ROW in types or any(name not in program.facts and name not in (
            "sag", *rt.RESERVEREDE) for name in types):
        raise NoFastPath
    conds = []
    if "sag" in types:
        if types["sag"].id not in INTEGERS | {"varchar"}:
            raise NoFastPath
        sag = exp.cast(exp.column("sag", quoted=True), _build_type("VARCHAR"))
        conds.append(exp.Not(this=exp.Is(this=sag, expression=exp.Null())))
        if types["sag"].id == "varchar":
            conds.append(_id_text(exp.column("sag", quoted=True), types["sag"]))
    else:
        sag = exp.cast(exp.Add(this=exp.column(ROW), expression=_n(1)), _build_type("VARCHAR"))
    for name in ("beskrivelse", "$schema"):
        if name in types:
            if types[name].id != "varchar":
                raise NoFastPath
            conds.append(_null_or(exp.column(name, quoted=True),
                                  check(exp.column(name, quoted=True), ("tekst",), types[name])[0]))
    own = None
    if "beregningsdato" in types:
        if types["beregningsdato"].id != "date":
            raise NoFastPath
        own = exp.column("beregningsdato", quoted=True)
        conds.append(_null_or(own, check(own, ("dato",), types["beregningsdato"])[0]))
    fallback = exp.cast(exp.Literal.string((dato or today).isoformat()), _build_type("DATE"))
    day = fallback if dato is not None or own is None else exp.func("COALESCE", own, fallback)
    values = []
    for name, desc in program.facts.items():
        if name in types:
            c, val = check(exp.column(name, quoted=True), desc, types[name])
            conds.append(_null_or(exp.column(name, quoted=True), c))
            values.append(exp.cast(val, _build_type(sql_type(desc))))
        else:
            values.append(exp.cast(exp.Null(), _build_type(sql_type(desc))))
    return sag, day, values, _and(*conds) or exp.true()


class Loaded(NamedTuple):
    count: int          # rows in `table`
    rest: Iterator      # the other rows as (row number from 1, the row as JSON), in order
    tail: str           # the table later rows go to, after these in `table`'s order


def load(con, program, source, dato: dt.date | None, table: str = "sager") -> Loaded | None:
    """Create `table` from the Parquet rows that pass the SQL checks; None if the file's
    types do not allow it.

    DuckDB reads one row group of a file on one thread, and most files of a caseload
    are one group (a writer's default is 122,880 rows or more), so on its own the
    load would keep one core busy for seconds while the others wait. A file with
    fewer row groups than DuckDB has threads is therefore read in that many ranges of
    rows at once, each into a table of its own, and `table` is a view of them in
    order (UNION ALL keeps its inputs' order)."""
    path = sql_text(str(source))
    rel = con.sql(f"SELECT * FROM read_parquet({path})")
    try:
        sag, day, values, cond = plan(program, dict(zip(rel.columns, rel.types, strict=True)),
                                      dato, dt.date.today())
    except NoFastPath:
        return None
    repeated = "count(sag) > count(DISTINCT sag)" if "sag" in rel.columns else "false"
    total, twice = con.execute(f"SELECT count(*), {repeated} FROM read_parquet({path})"
                               ).fetchone()
    if twice:
        # the first *valid* row with an id is judged, and only Python knows every row's
        # validity: all rows of a repeated id go its way, in file order with the refused
        repeats = _repeated_ids(source, sag).subquery()
        cond = _and(cond, exp.Not(this=exp.In(this=sag, query=repeats)))
    scan = exp.Table(this=exp.func("READ_PARQUET", exp.Literal.string(str(source)), exp.EQ(
        this=exp.column(ROW), expression=exp.true())), alias=exp.TableAlias(
        this=exp.to_identifier("t")))
    cols = [exp.alias_(sag, ident("sag")), exp.alias_(day, ident("beregningsdato"))]
    cols += [exp.alias_(v, ident(name)) for name, v in zip(program.facts, values, strict=True)]
    # no ORDER BY: DuckDB keeps a file's row order in a table (preserve_insertion_order,
    # on by default), and sorting 100,000 wide rows costs a second
    good = exp.select(*cols).from_(scan).where(cond)
    tables = _create(con, table, good, _ranges(con, path, total))
    loaded = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if loaded == total:
        # every row passed: no second scan for the others
        return Loaded(loaded, iter(()), tables[-1])
    bad = (exp.select(exp.column(ROW), exp.func("TO_JSON", exp.column("t")))
           .from_(scan)
           .where(exp.Not(this=exp.func("COALESCE", exp.Paren(this=cond), exp.false())))
           .order_by(exp.column(ROW)))
    cursor = con.cursor()       # its own cursor: the caller runs statements meanwhile
    cursor.execute(bad.sql(dialect="duckdb"))

    def rest():
        try:
            while chunk := cursor.fetchmany(10_000):
                for number, text in chunk:
                    yield number + 1, text
        finally:
            cursor.close()
    return Loaded(loaded, rest(), tables[-1])


def _ranges(con, path: str, total: int) -> list[tuple[int, int]]:
    """The ranges of row numbers to read at once: one per thread, where the file has
    fewer row groups than DuckDB has threads and each range gets a row group's worth
    of rows (engine.ROW_GROUP_SIZE); else the whole file."""
    threads = int(con.execute("SELECT current_setting('threads')").fetchone()[0])
    groups = con.execute("SELECT count(DISTINCT row_group_id) FROM parquet_metadata("
                         f"{path})").fetchone()[0]
    parts = min(threads, total // ROW_GROUP_SIZE) if groups < threads else 1
    if parts <= 1:
        return [(0, total)]
    return [(total * i // parts, total * (i + 1) // parts) for i in range(parts)]


def _create(con, table: str, good: exp.Select, ranges: list[tuple[int, int]]) -> list[str]:
    """`table` from `good`'s rows, read in `ranges` at once; the tables made."""
    if len(ranges) == 1:
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS {good.sql(dialect="duckdb")}')
        return [table]
    database = con.execute("SELECT current_database()").fetchone()[0]
    names = [f"{table}_{i}" for i in range(len(ranges))]

    def part(name: str, lo: int, hi: int) -> None:
        within = exp.Between(this=exp.column(ROW), low=_n(lo), high=_n(hi - 1))
        select = good.copy().where(within)      # ANDed to the checks
        cursor = con.cursor()       # a cursor of its own runs beside the others
        try:
            cursor.execute(f"USE {ident(database).sql(dialect='duckdb')}")
            cursor.execute(f'CREATE OR REPLACE TABLE "{name}" AS {select.sql(dialect="duckdb")}')
        finally:
            cursor.close()

    with ThreadPoolExecutor(len(ranges)) as pool:
        # list(): a part's error is raised here
        list(pool.map(part, names, *zip(*ranges, strict=True)))
    union = " UNION ALL ".join(f'SELECT * FROM "{name}"' for name in names)
    con.execute(f'CREATE OR REPLACE VIEW "{table}" AS {union}')
    return names


def _repeated_ids(source, sag: exp.Expression) -> exp.Select:
    """The ids (as `sag` makes them) that more than one row of the file has."""
    return (exp.select(sag).from_(exp.func("READ_PARQUET", exp.Literal.string(str(source))))
            .where(exp.Not(this=exp.Is(this=sag, expression=exp.Null())))
            .group_by(sag).having(exp.GT(this=exp.Count(this=exp.Star()), expression=_n(1))))


def parquet_type(desc) -> str:
    """The DuckDB type of a fact's column in a typed Parquet file of cases: as its JSON
    (money in kroner with øre, a duration's fields named as in a case)."""
    kind = desc[0]
    if kind == "beløb":
        return "DECIMAL(18, 2)"
    if kind == "varighed":
        return 'STRUCT("måneder" BIGINT, "dage" BIGINT)'
    if kind == "liste":
        return parquet_type(desc[1]) + "[]"
    if kind == "post":
        return "STRUCT(" + ", ".join(f'"{n}" {parquet_type(d)}' for n, d in desc[2]) + ")"
    return sql_type(desc)


def typed_columns(program) -> str:
    """`read_json`'s `columns` argument for cases as JSON: a typed Parquet file is then
    `COPY (SELECT * FROM read_json(…, columns=…)) TO '….parquet'`."""
    parts = [("beregningsdato", "DATE")] + [(n, parquet_type(d))
                                            for n, d in program.facts.items()]
    return columns_arg(parts)
