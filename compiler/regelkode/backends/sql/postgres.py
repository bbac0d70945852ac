"""The same views on PostgreSQL (`pip install regelkode[postgres]`), through psycopg 3.

`regelkode sql --dialect postgres` prints the named types, the table `sager`
and the views; this engine runs exactly that text in a schema of its own on
a server the caller names (a libpq connection string), loads validated case
rows (cases.py) with `jsonb_populate_recordset` — which fills nested records
and arrays of records from the rows' JSON — and reads the long results back.
The schema is dropped afterwards, so nothing is left on the server.
"""

from __future__ import annotations

import itertools
import json
import os

from ... import runtime as rt
from .. import OutOfRange
from .cases import COMPARES, by_case, halving, judged
from .limits import INEXAKT
from .program import emit_sql, view_name


def unavailable() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg er ikke installeret (pip install 'regelkode[postgres]')"
    return None


_SCHEMAS = itertools.count(1)


class PostgresEngine:
    """A pack's views in a fresh schema `regelkode_<pid>_<n>` of the server at `dsn`."""

    def __init__(self, program, dsn: str):
        import psycopg

        self.program = program
        self.con = psycopg.connect(dsn, autocommit=True)
        self.schema = f"regelkode_{os.getpid()}_{next(_SCHEMAS)}"
        self.con.execute(f'CREATE SCHEMA "{self.schema}"')
        self.con.execute(f'SET search_path TO "{self.schema}"')
        # the views' cost estimates are high, and compiling their many expressions with
        # LLVM takes seconds (10 s of 10.4 s on the example pack's 41 cases)
        self.con.execute("SET jit = off")
        self.con.execute(emit_sql(program, "postgres", pretty=False))

    def load(self, rows: list[dict]) -> None:
        """Validated rows (cases.case_row) into `sager`."""
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        self.con.execute('INSERT INTO "sager" SELECT * FROM '
                         'jsonb_populate_recordset(NULL::"sager", %s::jsonb)', (text,))

    def results(self):
        """(sag, regel, status, mangler) rows."""
        view = view_name(self.program.pack, "resultater")
        return self.con.execute(
            f'SELECT sag, regel, status, mangler FROM "{view}"').fetchall()

    def close(self) -> None:
        try:
            self.con.execute(f'DROP SCHEMA "{self.schema}" CASCADE')
        finally:
            self.con.close()


NUL = "PostgreSQL kan ikke have tegnet NUL (U+0000) i en tekst"


def _nul_at(value, parts: list):
    """The path from the row inwards to the first text with a NUL in it, or None."""
    if isinstance(value, str):
        return parts if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        found = _nul_at(item, [*parts, key])
        if found is not None:
            return found
    return None


def beyond_range(exc) -> bool:
    """Whether the server stopped because a case left the range it computes exactly
    in: an overflow (SQLSTATE 22003), or the stop of a quotient that does not end
    within 12 places (dialects.SqlDialect._stop, limits.INEXAKT)."""
    import psycopg

    return isinstance(exc, psycopg.errors.NumericValueOutOfRange) or (
        isinstance(exc, psycopg.errors.InvalidTextRepresentation) and INEXAKT in str(exc))


def judge_rows_postgres(program, rows: list[dict], dsn: str) -> dict:
    """{case id: {rule id: (status, mangler)}}, like engine.judge_rows. A case with a
    NUL in a text cannot be loaded (jsonb refuses it), and a case beyond the range
    stops the query (found by cases.halving); both map to their OutOfRange."""
    beyond = {}
    for row in rows:
        parts = _nul_at({k: v for k, v in row.items() if k != "sag"}, [])
        if parts is not None:
            beyond[row["sag"]] = OutOfRange(rt._sti(parts), NUL)

    def judge(part: list[dict]) -> dict:
        engine = PostgresEngine(program, dsn)
        try:
            engine.load(part)
            return by_case(engine.results())
        finally:
            engine.close()

    return halving([row for row in rows if row["sag"] not in beyond], judge,
                   beyond_range) | beyond


class PostgresSqlBackend:
    """The SQL backend judged on a PostgreSQL server, for the differential harness
    (not in the registry: it needs a server; tests/sql/test_postgres.py starts one
    and registers this with its address)."""

    name = "sql-postgres"
    judges = True
    compares = COMPARES

    def __init__(self, dsn: str):
        self.dsn = dsn

    def emit(self, program) -> dict[str, str]:
        return {}

    def unavailable(self) -> str | None:
        return unavailable()

    def runner(self, program, workdir):
        return _PostgresRunner(program, self.dsn)


class _PostgresRunner:
    def __init__(self, program, dsn: str):
        self.program = program
        self.dsn = dsn

    def judge(self, cases):
        return judged(self.program, cases,
                      lambda program, rows: judge_rows_postgres(program, rows, self.dsn))

    def close(self) -> None:
        pass


__all__ = ["PostgresEngine", "PostgresSqlBackend", "beyond_range", "judge_rows_postgres",
           "unavailable"]
