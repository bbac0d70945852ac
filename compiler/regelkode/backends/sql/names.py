"""Column and view names of the generated SQL, always quoted.

Rule-language names are `[a-zæøå_][a-zæøå0-9_]*`; the generated columns put a
colon in front (`m:samtaler`, `d:grundsats`), which no such name holds, so a
fact named like a generated column cannot collide with it.
"""

from __future__ import annotations

import re

from sqlglot import exp

NAME = re.compile(r"[a-zæøå_][a-zæøå0-9_]*")


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str) -> exp.Column:
    return exp.Column(this=ident(name))


def checked(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ValueError(f"not a rule-language name: {name!r}")
    return name


def fact_col(name):
    return col(checked(name))


def fact_m_col(name):
    return col("m:" + checked(name))


def def_col(name):
    return col("d:" + checked(name))


def def_m_col(name):
    return col("m:d:" + checked(name))


def rule_status_col(rid):
    return "status:" + checked(rid)


def rule_m_col(rid):
    return "mangler:" + checked(rid)


def view_name(pack: str, what: str) -> str:
    return f"{checked(pack)}_{what}"


def sql_text(text: str) -> str:
    """A text as an SQL string literal, for the statements the engines are given as
    text (file paths, ENUM members)."""
    return "'" + text.replace("'", "''") + "'"


def columns_arg(columns) -> str:
    """`read_json`'s `columns` argument for (name, DuckDB type) pairs."""
    return "{" + ", ".join(f"{sql_text(n)}: {sql_text(t)}" for n, t in columns) + "}"
