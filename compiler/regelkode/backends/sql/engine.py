"""Running the generated SQL: DuckDB in process (the default), or Spark.

`DuckDBEngine` loads validated case rows (cases.py) into a table `sager`,
creates the views and reads the long results back. Many cases go through
one query: the views are planned once per batch.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import weakref
from pathlib import Path

from ...runtime import STATUSER
from .cases import duckdb_columns
from .limits import INEXAKT
from .names import sql_text
from .program import build_views, emit_sql, long_views, view_name

# DuckDB runs a scan on as many threads as the table has row groups, and its default
# (122,880 rows) puts a whole caseload of 100,000 in one: one core. A case is costly
# (a hundred rules, lists), so small groups are cheap and let every core work.
ROW_GROUP_SIZE = 8192

QUIET_OPTIMIZERS = "common_subexpressions,statistics_propagation"

# Each case outside the engine's range costs about twenty runs of the wide query to
# find (one per halving); more than this many and the batch stops with the first.
MAX_OUT_OF_RANGE = 25


class DuckDBEngine:
    """`con`'s default catalog is a scratch database with small row groups (`sager`,
    the wide table) in a temporary directory of its own, removed on `close()` (DuckDB
    takes a row group size only for a database file); `output` names the database
    the connection was opened on (the batch's DuckDB output file, or in memory)."""

    def __init__(self, program, database: str = ":memory:"):
        import duckdb

        self.program = program
        scratch = tempfile.mkdtemp(prefix="regelkode-sql-")
        self._cleanup = weakref.finalize(self, shutil.rmtree, scratch, True)
        try:
            self.con = duckdb.connect(database)
            self.output = self.con.execute("SELECT current_database()").fetchone()[0]
            path = sql_text(str(Path(scratch) / "arbejde.duckdb"))
            self.con.execute(f"ATTACH {path} AS arbejde (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
            self.con.execute("USE arbejde")
        except BaseException:
            self._cleanup()
            raise
        self._created = False
        self._labels = None
        self.out_of_range: dict[str, str] = {}

    def load_jsonl(self, path: Path, table: str = "sager", append: bool = False) -> None:
        """Rows written by cases.row_line, read with the pack's column types."""
        if append and path.stat().st_size == 0:
            return          # read_json refuses an empty file
        verb = f'INSERT INTO "{table}"' if append else f'CREATE OR REPLACE TABLE "{table}" AS'
        self.con.execute(
            f"{verb} SELECT * FROM read_json("
            f"{sql_text(str(path))}, format='newline_delimited', "
            f"columns={duckdb_columns(self.program)})")

    def create_views(self) -> None:
        if not self._created:
            self.con.execute(emit_sql(self.program, "duckdb", pretty=False))
            self._created = True

    def materialise(self, table: str = "_bred", labels: bool = False) -> dict:
        """Compute the wide view once into a scratch table; the long SELECTs over it.

        Planning the views is the costly part for a small batch, and both long
        outputs read every rule and definition: reading a table saves a second plan
        and a second evaluation. With `labels`, rule ids, statuses and definition
        names come out as ENUMs of the scratch database (program.long_views): for a
        file the engine writes, not for a table in another database.
        """
        # the wide SELECT itself, not a view of it: a view is bound once more when created.
        # copy=False: the tree is ours and thrown away, and copying it costs more than
        # writing it (about a second for a big pack)
        wide = build_views(self.program, "duckdb")[0][1].sql(dialect="duckdb", copy=False)
        # the binder (bind.py) has already shared every common value, so DuckDB's own
        # pass for that and its statistics propagation find nothing to gain here, and
        # planning them over a thousand columns costs about 0.4 s: a third of a small
        # batch's query (results are the same; tests/differential holds them)
        self.con.execute(f"SET disabled_optimizers = '{QUIET_OPTIMIZERS}'")
        try:
            self._wide(table, wide)
        finally:
            self.con.execute("SET disabled_optimizers = ''")
        types = self._label_types() if labels else None
        return {name: select.sql(dialect="duckdb", copy=False)
                for name, select in long_views(self.program, "duckdb", table, types).items()}

    def _wide(self, table: str, wide: str) -> None:
        """The wide table. A case whose numbers leave the engine's range (a product of
        three large integers over BIGINT, of two large decimals over DECIMAL(38)),
        where the runtime computes on, stops the whole query in DuckDB: those cases
        are found by halving the caseload, left out with the engine's reason
        (`self.out_of_range`, {case id: reason}), and the others judged."""
        import duckdb

        try:
            self.con.execute(f'CREATE OR REPLACE TABLE "{table}" AS {wide}')
            return
        except duckdb.Error as exc:
            if not beyond_range(exc):
                raise
            first = exc
        self.con.execute("CREATE OR REPLACE SCHEMA arbejde._proeve")
        # a base table's rowid is its rows' order: ranges of it are the probes
        self.con.execute("CREATE TABLE arbejde._proeve.alle AS SELECT * FROM arbejde.main.sager")
        n = self.con.execute("SELECT count(*) FROM arbejde._proeve.alle").fetchone()[0]
        bad: dict[int, str] = {}
        pending = [(0, n)]
        while pending:
            lo, hi = pending.pop()
            reason = first if (lo, hi) == (0, n) else self._stops(
                wide, f"rowid >= {lo} AND rowid < {hi}")
            if reason is None:
                continue
            if hi - lo == 1:
                bad[lo] = str(reason).strip()
                if len(bad) > MAX_OUT_OF_RANGE:
                    raise reason
                continue
            mid = (lo + hi) // 2
            pending += [(mid, hi), (lo, mid)]
        if not bad:
            raise first         # no one case stops it alone
        positions = ", ".join(map(str, sorted(bad)))
        ids = self.con.execute(f"SELECT sag FROM arbejde._proeve.alle WHERE rowid IN "
                               f"({positions}) ORDER BY rowid").fetchall()
        self.out_of_range = {sag: bad[pos] for (sag,), pos in zip(ids, sorted(bad), strict=True)}
        self._probe(f"rowid NOT IN ({positions}) ORDER BY rowid")
        try:
            self.con.execute(f'CREATE OR REPLACE TABLE arbejde.main."{table}" AS {wide}')
        finally:
            self.con.execute("USE arbejde")

    def _probe(self, where: str) -> None:
        """`sager` is now the rows of arbejde._proeve.alle `where` holds (the wide SELECT
        reads `sager` unqualified: USE decides which)."""
        self.con.execute(f"CREATE OR REPLACE TABLE arbejde._proeve.sager AS SELECT * FROM "
                         f"arbejde._proeve.alle WHERE {where}")
        self.con.execute("USE arbejde._proeve")

    def _stops(self, wide: str, where: str):
        """The engine's range error if the wide SELECT stops on the rows `where` holds."""
        import duckdb

        self._probe(where)
        try:
            self.con.execute(f"CREATE OR REPLACE TABLE arbejde._proeve.bred AS {wide}")
        except duckdb.Error as exc:
            if not beyond_range(exc):
                raise
            return exc
        finally:
            self.con.execute("USE arbejde")
        return None

    def _label_types(self) -> dict:
        if self._labels is None:
            self._labels = {}
            for column, values in (("regel", [r.id for r in self.program.rules]),
                                   ("status", list(STATUSER)),
                                   ("definition", [d.name for d in self.program.defs])):
                if values:      # DuckDB has no empty ENUM; no items, no labels to write
                    name = f"_{column}"
                    members = ", ".join(sql_text(v) for v in values)
                    self.con.execute(f'CREATE TYPE "{name}" AS ENUM ({members})')
                    self._labels[column] = name
        return self._labels

    def results(self):
        """(sag, regel, status, mangler) rows, in case and rule order."""
        return self._long("resultater", "sag, regel, status, mangler")

    def definitions(self):
        """(sag, definition, vaerdi, mangler) rows: the batch's second table."""
        return self._long("definitioner", "sag, definition, vaerdi, mangler")

    def _long(self, view: str, columns: str):
        select = self.materialise()[view_name(self.program.pack, view)]
        return self.con.execute(f"SELECT {columns} FROM ({select})").fetchall()

    def close(self) -> None:
        self.con.close()
        self._cleanup()


def beyond_range(exc) -> bool:
    """Whether DuckDB stopped because a case left the range it computes exactly in: an
    overflow, a result cast to BIGINT that does not fit (money divided by a tiny
    number, or times a large decimal: DuckDB words the two casts differently), or a
    quotient that does not end within 12 places (limits.INEXAKT)."""
    import duckdb

    text = str(exc)
    return isinstance(exc, duckdb.OutOfRangeException) or (
        isinstance(exc, duckdb.ConversionException) and (
            "out of range" in text or "Failed to cast decimal value" in text)) or (
        isinstance(exc, duckdb.InvalidInputException) and INEXAKT in text)


def judge_rows(program, rows: list[dict]) -> dict:
    """{case id: {rule id: (status, mangler)}} for validated rows, by DuckDB; a case
    outside the engine's range (DuckDBEngine._wide) maps to its OutOfRange."""
    from .cases import by_case, out_of_range

    with loaded(program, rows) as engine:
        judged = by_case(engine.results())
        return judged | {sag: out_of_range(reason)
                         for sag, reason in engine.out_of_range.items()}


@contextlib.contextmanager
def loaded(program, rows: list[dict]):
    """A DuckDBEngine with validated `rows` in its table `sager`, closed afterwards."""
    from .cases import rows_file

    with rows_file(rows) as path:
        engine = DuckDBEngine(program)
        try:
            engine.load_jsonl(path)
            yield engine
        finally:
            engine.close()
