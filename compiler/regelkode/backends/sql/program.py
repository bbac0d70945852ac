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

from sqlglot import exp

from .dialects import DECIMAL_TYPE, SqlDialect
from .expr import KONFLIKT, Compiler, Unsupported, V, case, is_null, lit
from .names import checked, col, fact_col, fact_m_col, ident, rule_m_col, rule_status_col, view_name


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
        return "STRUCT(" + ", ".join(f'"{checked(n)}" {sql_type(d)}' for n, d in desc[2]) + ")"
    raise TypeError(kind)


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


def _paths_out(d: SqlDialect, m: exp.Expression | None) -> exp.Expression:
    """The report's `mangler`: sorted, without duplicates, without the conflict marker."""
    if m is None:
        return d.empty_paths()
    lam = d.lam(["_p"], exp.NEQ(this=exp.column("_p"), expression=lit(KONFLIKT)))
    return exp.ArraySort(this=exp.ArrayDistinct(this=d.filter(m, lam)))


def _has_conflict(d: SqlDialect, m):
    if m is None:
        return exp.false()
    return d.contains(m, lit(KONFLIKT))


def rule_status(d: SqlDialect, applies: V | None, req: V, alvor: str):
    whens = []
    if applies is not None:
        whens += [(exp.Is(this=exp.Paren(this=applies.val), expression=exp.false()),
                   lit("ikke_relevant")),
                  (is_null(applies.val), case([(_has_conflict(d, applies.m), lit("konflikt"))],
                                              lit("ukendt")))]
    whens += [(exp.Is(this=exp.Paren(this=req.val), expression=exp.true()),
               lit("opfyldt")),
              (exp.Is(this=exp.Paren(this=req.val), expression=exp.false()), lit(alvor)),
              (_has_conflict(d, req.m), lit("konflikt"))]
    status = case(whens, lit("ukendt"))
    m_whens = []
    if applies is not None:
        m_whens += [(exp.Is(this=exp.Paren(this=applies.val), expression=exp.false()),
                     d.empty_paths()),
                    (is_null(applies.val), _paths_out(d, applies.m))]
    m_whens.append((is_null(req.val), _paths_out(d, req.m)))
    return status, case(m_whens, d.empty_paths())


def build_views(program, dialect: str = "duckdb", source: str = "sager") -> list:
    """[(view name, SELECT)] in creation order."""
    d = SqlDialect(dialect)
    c = Compiler(program, d)
    input_columns(program)      # refuses a fact named like the id column
    ctes: list[tuple[str, exp.Select]] = []
    first = [col("sag"), _alias(exp.func("COALESCE", col("beregningsdato"),
                                         exp.CurrentDate()), ":idag")]
    for name in program.facts:
        first.append(fact_col(name))
        first.append(_alias(case([(is_null(fact_col(name)), exp.Array(expressions=[lit(name)]))],
                                 d.empty_paths()), fact_m_col(name).name))
    ctes.append(("s0", _select(first, source)))
    for i, dd in enumerate(program.defs, start=1):
        v = c.expr(dd.expr)
        sel = exp.select(exp.Star(), _alias(v.val, "d:" + checked(dd.name)),
                         _alias(v.m if v.m is not None else d.empty_paths(), "m:d:" + dd.name))
        ctes.append((f"s{i}", sel.from_(f"s{i - 1}", copy=False)))
    last = f"s{len(program.defs)}"
    wide = [col("sag"), _alias(col(":idag"), "beregningsdato")]
    for dd in program.defs:
        wide += [col("d:" + dd.name), col("m:d:" + dd.name)]
    for r in program.rules:
        applies = c.expr(r.applies) if r.applies is not None else None
        req = c.expr(r.requirement)
        status, missing = rule_status(d, applies, req, r.meta[2])
        wide += [_alias(status, rule_status_col(r.id)), _alias(missing, rule_m_col(r.id))]
    query = exp.select(*wide, copy=False).from_(last, copy=False)
    for name, cte in ctes:
        query = query.with_(name, as_=cte, copy=False)
    bred = view_name(program.pack, "bred")
    views = [(bred, query)]
    views.append((view_name(program.pack, "resultater"), _long(d, bred, [
        (r.id, exp.column(rule_status_col(r.id), quoted=True),
         exp.column(rule_m_col(r.id), quoted=True)) for r in program.rules],
        ("regel", "status", "mangler"))))
    views.append((view_name(program.pack, "definitioner"), _long(d, bred, [
        (dd.name, value_text(d, col("d:" + dd.name), dd.desc), _paths_out(d, col("m:d:" + dd.name)))
        for dd in program.defs], ("definition", "vaerdi", "mangler"))))
    return views


def value_text(d: SqlDialect, value, desc):
    """A definition's value as text: dates ISO, money as kroner with two decimals."""
    kind = desc[0]
    if kind == "beløb":
        return exp.func("PRINTF", lit("%s%d.%02d"), exp.If(
            this=exp.LT(this=value, expression=exp.Literal.number(0)),
            true=lit("-"), false=lit("")), exp.Div(this=exp.Abs(this=value),
                                                   expression=exp.Literal.number(100)),
            exp.Mod(this=exp.Abs(this=value), expression=exp.Literal.number(100)))
    if kind in ("liste", "post", "varighed"):
        return exp.cast(exp.func("TO_JSON", value), d.type("VARCHAR"))
    return exp.cast(value, d.type("VARCHAR"))


def _long(d: SqlDialect, wide: str, items, names):
    key, val_name, m_name = names
    structs = exp.Array(expressions=[exp.Struct(expressions=[
        exp.PropertyEQ(this=exp.to_identifier(key), expression=lit(k)),
        exp.PropertyEQ(this=exp.to_identifier(val_name), expression=v),
        exp.PropertyEQ(this=exp.to_identifier(m_name), expression=m)]) for k, v, m in items])
    inner = exp.select(col("sag"), exp.alias_(exp.Unnest(expressions=[structs]), "u")).from_(
        exp.to_identifier(wide, quoted=True))
    return exp.select(col("sag"), *(exp.alias_(exp.Dot(this=exp.column("u"),
                                                      expression=exp.to_identifier(n)), n)
                                    for n in names)).from_(inner.subquery("t"))


def emit_sql(program, dialect: str = "duckdb", *, pretty: bool = True) -> str:
    """The views as `CREATE VIEW` statements in the dialect."""
    out = [f"-- Generated by regelkode from {program.source} ({program.pack} "
           f"{program.version}) — do not edit.",
           f"-- Dialect: {dialect}. Input: a table `sager` (see the pack's SQL page)."]
    for name, query in build_views(program, dialect):
        stmt = exp.Create(this=exp.to_table(exp.to_identifier(name, quoted=True)),
                          kind="VIEW", expression=query, replace=True)
        out.append(stmt.sql(dialect=dialect, pretty=pretty) + ";")
    return "\n\n".join(out) + "\n"
