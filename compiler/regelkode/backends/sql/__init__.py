"""SQL backend: a pack's rules as SQL views, for DuckDB (default), Spark, PostgreSQL, Trino.

The IR is compiled to sqlglot expressions (expr.py with terms, lists and
tables; program.py; every shared value once, as a column: bind.py) and
sqlglot writes each dialect (dialects.py holds what differs; ranges.py
where a date can lie, so a step that cannot leave the calendar is not
guarded). Cases are
validated by the runtime, exactly as the Python module validates them
(cases.py), or, for typed Parquet, in bulk in SQL with the runtime for the
rows that fail (bulk.py), and judged many at a time (engine.py, batch.py). The SQL gives each rule's
status and missing facts (`mangler`); messages and reasons stay with the
Python module.
"""

from __future__ import annotations

from .cases import COMPARES
from .dialects import DIALECTS
from .program import emit_sql


class SqlBackend:
    """`<pack>.sql`: the DuckDB views; judges cases with DuckDB in process."""

    name = "sql"
    judges = True
    compares = COMPARES

    def emit(self, program) -> dict[str, str]:
        from .expr import Unsupported

        try:
            text = emit_sql(program, "duckdb")
        except Unsupported as exc:
            # the pack still builds (the Python module is the reference); the file says why
            reason = "".join(ch if ch.isprintable() else "?" for ch in str(exc))
            text = f"-- Pakken {program.pack} kan ikke skrives som SQL: {reason}\n"
        return {f"{program.pack}.sql": text}

    def unavailable(self) -> str | None:
        try:
            import duckdb  # noqa: F401
        except ImportError:
            return "duckdb is not installed"
        return None

    def runner(self, program, workdir):
        return _Runner(program)


class _Runner:
    def __init__(self, program):
        self.program = program

    def judge(self, cases):
        from .cases import judged
        from .engine import judge_rows

        return judged(self.program, cases, judge_rows)

    def close(self) -> None:
        pass


BACKEND = SqlBackend()

__all__ = ["BACKEND", "DIALECTS", "emit_sql"]
