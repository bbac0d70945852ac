"""A compiled pack -> SQL views over an input table `sager`.

`sager` has a column `sag` (the case id), `beregningsdato` (DATE, NULL for
today) and one column per fact, typed as `sql_type` says; NULL is a missing
fact, and a record's NULL field a missing field. Three views:

- `<pakke>_bred`: one row per case: every definition's value and missing
  facts, every rule's `status:<id>` and `mangler:<id>`;
- `<pakke>_resultater`: long rows `sag, regel, status, mangler`;
- `<pakke>_definitioner`: long rows `sag, definition, vaerdi, mangler`
  (the value as text).

Definitions are computed in dependency order, one CTE each, so a rule reads
a definition as a column instead of repeating its expression.
"""

from __future__ import annotations

import logging

from sqlglot import exp

from ... import runtime as rt
from ...ir import nodes as ir
from .bind import Binder
from .dialects import SqlDialect, sql_type
from .expr import KONFLIKT, Compiler, Unsupported, V, case, is_null, lit
from .names import checked, col, fact_col, fact_m_col, ident, rule_m_col, rule_status_col, view_name
from .terms import call, cast, not_


def input_columns(program) -> list[tuple[str, str]]:
    """The columns of `sager`: (name, DuckDB type)."""
    if "sag" in program.facts:
        raise Unsupported("et faktum hedder `sag`, som er navnet på sagens id-kolonne")
    return [("sag", "VARCHAR"), ("beregningsdato", "DATE")] + [
        (name, sql_type(desc)) for name, desc in program.facts.items()]


def _select(exprs: list, source: str) -> exp.Select:
    return exp.select(*exprs, copy=False).from_(exp.to_identifier(source, quoted=True),
                                                copy=False)


def _alias(e, name):
    return exp.alias_(e, ident(name), copy=False)


def _or_empty(d: SqlDialect, m):
    return d.empty_paths() if m is None else m


def conflicting(program):
    """Whether an IR expression's missing facts can carry the conflict marker: only a
    table that is not `første` and exceptions (tables.py) put it there, and the
    missing facts of everything that reads them (a definition's too) pass it on.
    Where it cannot be, the status does not look for it and `mangler` does not
    filter it out."""
    memo: dict[int, tuple] = {}     # id -> (node, answer): the node kept, its id unique
    defs: dict[str, bool] = {}

    def may(node) -> bool:
        if node is None:
            return False
        found = memo.get(id(node))
        if found is None:
            if isinstance(node, ir.Def):
                answer = defs[node.name]
            elif isinstance(node, ir.Default) or (isinstance(node, ir.Table)
                                                  and node.hit != "første"):
                answer = True
            else:
                answer = any(may(c) for c in ir.children(node))
            found = memo[id(node)] = (node, answer)
        return found[1]
    # in evaluation order, each definition after those it reads: a chain of thousands
    # of definitions is a loop here, not a recursion
    for dd in program.defs:
        defs[dd.name] = may(dd.expr)
    return may


def _paths_out(d: SqlDialect, m: exp.Expression | None, marker: bool) -> exp.Expression:
    """The report's `mangler`: sorted, without duplicates, without the conflict marker
    (where `marker`: `m` can carry it)."""
    if m is None:
        return d.empty_paths()
    if d.name == "postgres":    # no lambdas, no ARRAY_SORT: a subquery over the array
        rows = exp.Unnest(expressions=[m], alias=exp.TableAlias(
            this=exp.to_identifier("_t"), columns=[exp.to_identifier("_p")]))
        query = (exp.select(exp.column("_p"), copy=False).distinct(copy=False)
                 .from_(rows, copy=False))
        if marker:
            query = query.where(exp.NEQ(this=exp.column("_p"), expression=lit(KONFLIKT)),
                                copy=False)
        return call("ARRAY", query.order_by(exp.column("_p"), copy=False))
    if marker:
        m = d.filter(m, d.lam(["_p"], exp.NEQ(this=exp.column("_p"), expression=lit(KONFLIKT))))
    return exp.ArraySort(this=exp.ArrayDistinct(this=m))


def _has_conflict(d: SqlDialect, m, marker: bool):
    if m is None or not marker:
        return exp.false()
    return d.contains(m, lit(KONFLIKT))


def rule_status(d: SqlDialect, applies: V | None, req: V, alvor,
                markers: tuple[bool, bool]):
    """A rule's status and `mangler` from its condition and requirement; `markers`:
    whether each one's missing facts can carry the conflict marker (`conflicting`)."""
    a_marker, r_marker = markers
    whens = []
    if applies is not None:
        whens += [(exp.Is(this=exp.Paren(this=applies.val), expression=exp.false()),
                   lit("ikke_relevant")),
                  (is_null(applies.val), case([(_has_conflict(d, applies.m, a_marker),
                                                lit("konflikt"))],
                                              lit("ukendt")))]
    whens += [(exp.Is(this=exp.Paren(this=req.val), expression=exp.true()),
               lit("opfyldt")),
              (exp.Is(this=exp.Paren(this=req.val), expression=exp.false()),
               alvor if isinstance(alvor, exp.Expression) else lit(alvor)),
              (_has_conflict(d, req.m, r_marker), lit("konflikt"))]
    status = case(whens, lit("ukendt"))
    m_whens = []
    if applies is not None:
        m_whens += [(exp.Is(this=exp.Paren(this=applies.val), expression=exp.false()),
                     d.empty_paths()),
                    (is_null(applies.val), _paths_out(d, applies.m, a_marker))]
    m_whens.append((is_null(req.val), _paths_out(d, req.m, r_marker)))
    return status, case(m_whens, d.empty_paths())


def build_views(program, dialect: str = "duckdb", source: str = "sager") -> list:
    """[(view name, SELECT)] in creation order."""
    d = SqlDialect(dialect, program.pack)
    input_columns(program)      # refuses a fact named like the id column
    first = [col("sag"), _alias(call("COALESCE", col("beregningsdato"),
                                         exp.CurrentDate()), ":idag")]
    base = ["sag", ":idag"]
    for name in program.facts:
        first.append(fact_col(name))
        first.append(_alias(case([(is_null(fact_col(name)), exp.Array(expressions=[lit(name)]))],
                                 d.empty_paths()), fact_m_col(name).name))
        base += [name, fact_m_col(name).name]
    binder = Binder(base)
    c = Compiler(program, d, binder)
    may_conflict = conflicting(program)
    for dd in program.defs:
        v = c.expr(dd.expr)
        binder.bind(v.val, "d:" + checked(dd.name))
        binder.bind(_or_empty(d, v.m), "m:d:" + dd.name)
    # each rule's condition and requirement once, as columns; the status reads them
    wide_rules = []
    for r in program.rules:
        rid = checked(r.id)
        applies = None
        if r.applies is not None:
            a = c.expr(r.applies)
            applies = V(binder.bind(a.val, "a:" + rid), binder.bind(_or_empty(d, a.m), "am:" + rid))
        # the requirement, its missing facts and its severity are read only where the
        # rule applies: computed only there (most rules apply to few cases)
        binder.guard = None if applies is None else applies.val.name
        k = c.expr(r.requirement)
        req = V(binder.bind(k.val, "k:" + rid), binder.bind(_or_empty(d, k.m), "km:" + rid))
        alvor = lit(r.meta[2])
        if getattr(r, "severity", None) is not None:
            # an exception that decides the case may set its own severity; undecided:
            # the rule's (as the interpreter swaps the meta tuple only for a known one)
            alvor = binder.bind(call("COALESCE", c.expr(r.severity).val, alvor),
                                "alvor:" + rid)
        binder.guard = None
        status, missing = rule_status(d, applies, req, alvor,
                                      (may_conflict(r.applies), may_conflict(r.requirement)))
        wide_rules += [_alias(status, rule_status_col(r.id)), _alias(missing, rule_m_col(r.id))]
    ctes = [("s0", _select(first, source)), *binder.ctes("s0")]
    last = ctes[-1][0]
    wide = [col("sag"), _alias(col(":idag"), "beregningsdato")]
    for dd in program.defs:
        wide += [col("d:" + dd.name), col("m:d:" + dd.name)]
    wide += wide_rules
    query = exp.select(*wide, copy=False).from_(last, copy=False)
    # PostgreSQL inlines a CTE read once, which would repeat every shared column's
    # expression where it is read (exponential in the layers): computed once instead
    materialized = True if d.name == "postgres" else None
    for name, cte in ctes:
        query = query.with_(name, as_=cte, materialized=materialized, copy=False)
    bred = view_name(program.pack, "bred")
    return [(bred, query), *long_views(program, dialect, bred).items()]


RULE_COLUMNS = ("regel", "titel", "omraade", "lag", "alvor", "kilder")


def rules_view(program, dialect: str) -> exp.Select:
    """The pack's rules as rows, as the Python report names them (titel, område, lag,
    alvor, kilder): a query joins them to its results `USING (regel)`. `alvor` is the
    rule's own; an exception may set a case's (its status says which)."""
    d = SqlDialect(dialect, program.pack)
    text = d.type("VARCHAR")

    def value(v):
        return lit(v) if v is not None else cast(exp.Null(), text)

    rows = [exp.Tuple(expressions=[
        value(rid), value(titel), value(omraade), value(lag), value(alvor),
        exp.Array(expressions=[lit(k) for k in kilder]) if kilder else d.empty_paths()])
        for rid, titel, alvor, kilder, lag, omraade in (r.meta for r in program.rules)]
    if not rows:        # VALUES needs a row: a pack without rules has an empty table
        return exp.select(*[exp.alias_(cast(exp.Null(), text), c) for c in RULE_COLUMNS[:-1]],
                          exp.alias_(d.empty_paths(), "kilder")).where(exp.false())
    table = exp.Values(expressions=rows, alias=exp.TableAlias(
        this=exp.to_identifier("t"), columns=[exp.to_identifier(c) for c in RULE_COLUMNS]))
    return exp.select(*[col(c) for c in RULE_COLUMNS]).from_(table)


def long_views(program, dialect: str, wide: str, labels: dict | None = None) -> dict:
    """The long results and definitions as SELECTs over the wide view (or a table of it).

    `labels` (DuckDB only) names ENUM types for the `regel`, `status` and `definition`
    columns, which the caller has created: a Parquet file of long rows is mostly these
    labels, and writing them from an ENUM's dictionary costs a third less than from
    text. The file's columns are text all the same."""
    d = SqlDialect(dialect, program.pack)
    may_conflict = conflicting(program)
    return {
        view_name(program.pack, "resultater"): _long(d, wide, [
            (r.id, col(rule_status_col(r.id)), col(rule_m_col(r.id))) for r in program.rules],
            ("regel", "status", "mangler"), labels or {}),
        view_name(program.pack, "definitioner"): _long(d, wide, [
            (dd.name, value_text(d, col("d:" + dd.name), dd.desc),
             _paths_out(d, col("m:d:" + dd.name), may_conflict(dd.expr)))
            for dd in program.defs],
            ("definition", "vaerdi", "mangler"), labels or {}),
    }


def value_text(d: SqlDialect, value, desc):
    """A definition's value as text, written as the Python report writes it where
    that is plain text (money "12326.50", dates ISO, decimals without trailing
    zeros, true/false); durations, lists and records as the engine's JSON."""
    kind = desc[0]
    text = d.type("VARCHAR")
    if kind == "beløb":
        magnitude = exp.Abs(this=value)
        kroner = cast(exp.IntDiv(this=magnitude, expression=exp.Literal.number(100)), text)
        oere = call("LPAD", cast(exp.Mod(this=magnitude, expression=exp.Literal.number(
            100)), text), exp.Literal.number(2), lit("0"))
        sign = case([(exp.LT(this=value, expression=exp.Literal.number(0)), lit("-"))], lit(""))
        return exp.Concat(expressions=[sign, kroner, lit("."), oere])
    if kind == "decimal":
        plain = cast(value, text)
        trimmed = exp.Trim(this=exp.Trim(this=plain, expression=lit("0"), position="TRAILING"),
                           expression=lit("."), position="TRAILING")
        return case([(exp.Like(this=plain, expression=lit("%.%")), trimmed)], plain)
    if kind == "sandhedsværdi":
        return case([(value, lit("true")), (not_(value), lit("false"))])
    if kind == "varighed":
        m, days = d.varighed_parts(value)
        return case([(exp.Not(this=is_null(value)), exp.Concat(expressions=[
            lit('{"måneder": '), cast(m, text), lit(', "dage": '), cast(days, text),
            lit("}")]))])
    if kind in ("liste", "post"):
        return cast(call("TO_JSON", value), text)
    return cast(value, text)


def _long(d: SqlDialect, wide: str, items, names, labels: dict):
    """One row per (case, item) from the wide view: each engine's own way to unpivot."""
    key, val_name, m_name = names
    source = exp.to_identifier(wide, quoted=True)
    if not items:       # a pack without definitions: the columns, no rows
        text = d.type("VARCHAR")
        return exp.select(col("sag"), exp.alias_(cast(exp.Null(), text), key),
                          exp.alias_(cast(exp.Null(), text), val_name),
                          exp.alias_(d.empty_paths(), m_name), copy=False).from_(
            source, copy=False).where(exp.false(), copy=False)
    out_cols = [exp.column(n, table="u") for n in names]
    if d.name == "postgres":
        rows = exp.Values(expressions=[exp.Tuple(expressions=[lit(k), v, m])
                                       for k, v, m in items],
                          alias=exp.TableAlias(this=exp.to_identifier("u"), columns=[
                              exp.to_identifier(n) for n in names]))
        return exp.select(col("sag"), *out_cols, copy=False).from_(source, copy=False).join(
            exp.Lateral(this=rows), join_type="CROSS", copy=False)
    if d.name == "duckdb":
        # parallel lists, one UNNEST each (DuckDB zips them): no struct per row to
        # build and take apart again
        lists = [exp.Array(expressions=[lit(k) for k, _v, _m in items]),
                 exp.Array(expressions=[v for _k, v, _m in items]),
                 exp.Array(expressions=[m for _k, _v, m in items])]
        lists = [lst if n not in labels else cast(lst, exp.DataType.build(
            f'"{labels[n]}"[]', dialect="duckdb", udt=True)) for n, lst in zip(names, lists,
                                                                               strict=True)]
        return exp.select(col("sag"), *(exp.alias_(exp.Unnest(expressions=[lst]), n, copy=False)
                                        for n, lst in zip(names, lists, strict=True)),
                          copy=False).from_(source, copy=False)
    structs = exp.Array(expressions=[exp.Struct(expressions=[
        exp.PropertyEQ(this=exp.to_identifier(key), expression=lit(k)),
        exp.PropertyEQ(this=exp.to_identifier(val_name), expression=v),
        exp.PropertyEQ(this=exp.to_identifier(m_name), expression=m)]) for k, v, m in items])
    if d.name == "trino":
        unnest = exp.Unnest(expressions=[structs], alias=exp.TableAlias(
            this=exp.to_identifier("u"), columns=[exp.to_identifier(n) for n in names]))
        return exp.select(col("sag"), *out_cols, copy=False).from_(source, copy=False).join(
            unnest, join_type="CROSS", copy=False)
    one = exp.Explode(this=structs) if d.name == "spark" else exp.Unnest(expressions=[structs])
    inner = exp.select(col("sag"), exp.alias_(one, "u", copy=False), copy=False).from_(
        source, copy=False)
    return exp.select(col("sag"), *(exp.alias_(exp.Dot(this=exp.column("u"),
                                                      expression=exp.to_identifier(n)), n)
                                    for n in names), copy=False).from_(inner.subquery("t"),
                                                                        copy=False)


def emit_sql(program, dialect: str = "duckdb", *, pretty: bool = True) -> str:
    """The views as `CREATE VIEW` statements in the dialect."""
    source = "".join(ch if ch.isprintable() else "?" for ch in
                     f"{program.source} ({program.pack} {program.version})")
    out = [f"-- Generated by regelkode from {source} — do not edit.",
           f"-- Dialect: {dialect}. Input: a table `sager` (see the pack's SQL page)."]
    # sqlglot warns when it writes a Trino ROW whose field types it cannot know; the
    # long views name the fields themselves (UNNEST … AS u(regel, status, mangler))
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _emit(program, dialect, pretty, out)
    finally:
        logger.setLevel(level)


def _emit(program, dialect, pretty, out) -> str:
    views = [*build_views(program, dialect),
             (view_name(program.pack, "regler"), rules_view(program, dialect))]
    postgres = dialect == "postgres"
    if postgres:   # records need named types, and a view its table
        from .pgschema import schema

        out.append("-- The input table and the named types its records and the views need, "
                   "made where missing;\n-- the views are made anew, so the script can be "
                   "run again on the same database.")
        out += [stmt + ";" for stmt in schema(program.pack, program.facts)]
        for _name, query in views:
            _no_nul(query)
            query.transform(_null_as_a_value, copy=False)
        # OR REPLACE cannot drop or rename a view's columns there, and the wide view's
        # change with every rule; no CASCADE, so a view of the user's on top stops the
        # script instead of vanishing
        drop = exp.Drop(tables=[_view(name) for name, _query in reversed(views)],
                        kind="VIEW", exists=True)
        out.append(drop.sql(dialect) + ";")
    for name, query in views:
        stmt = exp.Create(this=_view(name), kind="VIEW", expression=query,
                          replace=not postgres)
        out.append(stmt.sql(dialect=dialect, pretty=pretty, copy=False) + ";")   # a new tree
    return "\n\n".join(out) + "\n"


def _null_as_a_value(node: exp.Expression) -> exp.Expression:
    """PostgreSQL's `IS NULL` is true of a record whose fields are all NULL (a post
    with every field unknown is known), and its `IS NOT NULL` false of one with any
    NULL field; `IS NOT DISTINCT FROM NULL` asks whether the value itself is NULL,
    as the other engines' `IS NULL` does."""
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return exp.NullSafeEQ(this=node.this, expression=node.expression)
    return node


def _no_nul(query: exp.Expression) -> None:
    """PostgreSQL holds no NUL (U+0000) in a text, and its server reads a statement only
    up to one: a pack text with one would print a script that breaks off there."""
    for literal in query.find_all(exp.Literal):
        if literal.is_string and "\x00" in literal.this:
            raise Unsupported(f"teksten {rt._citer(literal.this)} indeholder tegnet NUL "
                              "(U+0000), som PostgreSQL ikke kan have i en tekst")


def _view(name: str) -> exp.Table:
    return exp.to_table(exp.to_identifier(name, quoted=True))
