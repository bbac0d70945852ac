"""The same views on Spark (`pip install regelkode[spark]`), on a local SparkSession.

This is how a caseload that outgrows one machine runs: the Spark SQL that
`regelkode sql --dialect spark` prints, over a table `sager`. Here the
session is local (`local[*]`), the rows are the validated JSON lines of
cases.py read with the pack's schema, and the results are collected and
written by DuckDB into the same output formats as the DuckDB engine.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .cases import COMPARES, by_case, halving, judged, rows_file
from .dialects import SqlDialect
from .limits import INEXAKT
from .program import build_views, input_columns, long_views, rules_view, view_name


def unavailable() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark er ikke installeret (pip install 'regelkode[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java (17) er ikke installeret; Spark kræver en JVM"
    return None


_SESSION = None


def session():
    """One local SparkSession per process (starting one takes seconds)."""
    global _SESSION
    if _SESSION is None:
        from pyspark.sql import SparkSession

        log_config = Path(__file__).with_name("spark-log4j2.properties")
        # the catalog's default database is a folder, made on first use: not in the
        # user's working directory (the printed SQL's permanent views use the catalog)
        warehouse = tempfile.mkdtemp(prefix="regelkode-spark-")
        atexit.register(shutil.rmtree, warehouse, True)
        _SESSION = (SparkSession.builder.master("local[2]").appName("regelkode")
                    .config("spark.ui.enabled", "false")
                    # stderr is the batch's report: no stage bars, no start-up chatter
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.driver.extraJavaOptions",
                            f"-Dlog4j2.configurationFile={log_config.as_uri()}")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.warehouse.dir", warehouse)
                    # compiling the full pack's layers needs more than the default 1 GB
                    .config("spark.driver.memory", "3g")
                    .getOrCreate())
        _SESSION.sparkContext.setLogLevel("ERROR")
        _quiet_query_errors()
    return _SESSION


def _quiet_query_errors() -> None:
    """PySpark logs an error with a query context as JSON on stderr when it raises it
    in Python; the batch catches it and says it in its own words (or lets it go up, an
    unexpected one). Its own PySparkLogger, so its `exception(…, errorClass=…)` still
    takes the keywords; a plain logger made under the name first would not."""
    import logging

    from pyspark.logger import PySparkLogger

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)


def schema_ddl(program) -> str:
    """The `sager` schema in Spark's DDL."""
    d = SqlDialect("spark")
    return ", ".join(f"`{name}` {d.type(typ).sql(dialect='spark')}"
                     for name, typ in input_columns(program))


def spark_views(program, rows_path: Path):
    """The `sager` table from the rows, and every view of the pack, in a Spark session."""
    spark = session()
    df = spark.read.schema(schema_ddl(program)).option("mode", "FAILFAST").json(str(rows_path))
    df.createOrReplaceTempView("sager")
    for i, (name, query) in enumerate(build_views(program, "spark")):
        if i == 0:
            query = _layered(spark, query)
        spark.sql(query.sql(dialect="spark")).createOrReplaceTempView(name)
    spark.sql(rules_view(program, "spark").sql(dialect="spark")).createOrReplaceTempView(
        view_name(program.pack, "regler"))
    return spark


# New columns a layer adds before it is checkpointed. A checkpoint copies every column
# of the layer, the old ones too: with one after each of the ressourceforløb pack's 22
# layers, the copies were most of what a case cost (2,000 cases: 115 cases/s beyond
# start-up, against 254 with a checkpoint every 400 new columns, 3 in all).
CHECKPOINT_COLUMNS = 400


def _layered(spark, query):
    """The wide view's CTE layers as temporary views, one `spark.sql` each, and a
    checkpointed table every CHECKPOINT_COLUMNS new columns and at the last layer.

    The SQL `regelkode sql --dialect spark` prints, one view with the layers as
    CTEs, runs too (tests/sql/test_spark.py runs it as printed), but Spark then
    analyses and optimises the whole plan at once, and again for each view over
    it: on the ressourceforløb pack, 51 s to create the printed views and 20 s to
    judge 200 cases, against 40 s in all here. A layer at a time, each is analysed
    alone, and a checkpoint cuts the plan off from the layers before it, so no
    plan grows without bound.
    """
    query = query.copy()
    ctes = query.args["with_"].expressions
    kept = 0        # columns of the last checkpoint
    for i, cte in enumerate(ctes):
        layer = spark.sql(cte.this.sql(dialect="spark"))
        width = len(layer.columns)
        if width - kept >= CHECKPOINT_COLUMNS or i == len(ctes) - 1:
            layer = layer.localCheckpoint()
            kept = width
        layer.createOrReplaceTempView(cte.alias)
    query.set("with_", None)
    return query


def beyond_range(exc) -> bool:
    """Whether Spark stopped because a case left the range it computes exactly in: an
    overflow (ANSI mode), or RAISE_ERROR(INEXAKT) for a quotient that does not end
    within 12 places. Like engine.beyond_range for DuckDB."""
    from pyspark.errors import ArithmeticException, SparkRuntimeException

    return isinstance(exc, ArithmeticException) or (
        isinstance(exc, SparkRuntimeException) and INEXAKT in str(exc))


def judge_rows_spark(program, rows_path: Path) -> dict:
    """{case id: {rule id: (status, mangler)}}, like engine.judge_rows."""
    spark = spark_views(program, rows_path)
    view = view_name(program.pack, "resultater")
    return by_case((row["sag"], row["regel"], row["status"], row["mangler"])
                   for row in spark.table(view).collect())


def run_spark(program, rows_path: Path, out: Path, fmt: str, *, cases: int) -> None:
    """Judge on Spark, then write the two outputs as the DuckDB engine does.

    With no valid case (`cases` 0) Spark is not started: it would take half a
    minute to write two empty files."""

    import duckdb

    from .names import sql_text
    from .outfiles import copy_to, database_tables, staged, targets

    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        parts = _spark_parquet(program, rows_path, Path(tmp)) if cases else {}
        tables = ("resultater", "definitioner")
        for what in tables:
            names = ("sag", _key(what), _value(what), "mangler")
            con.execute(f"CREATE TABLE {what} ({', '.join(f'{n} VARCHAR' for n in names[:3])}, "
                        "mangler VARCHAR[])")
            if parts.get(what):       # no case, no part
                files = "[" + ", ".join(sql_text(str(part)) for part in parts[what]) + "]"
                con.execute(f"INSERT INTO {what} SELECT {', '.join(names)} "
                            f"FROM read_parquet({files})")
        with staged(targets(out, fmt)) as tmps:
            try:
                if fmt == "duckdb":
                    con.execute(f"ATTACH {sql_text(str(tmps['database']))} AS ud")
                    for statement in database_tables(
                            "ud", {what: f"SELECT * FROM {what}" for what in tables}, program):
                        con.execute(statement)
                    con.execute("DETACH ud")
                else:
                    for what in tables:
                        con.execute(copy_to(f"SELECT * FROM {what}", fmt, tmps[what]))
            finally:
                con.close()     # before the files are moved or removed


def _spark_parquet(program, rows_path: Path, tmp: Path) -> dict[str, list[Path]]:
    """{long view: its Parquet part files}, written by Spark itself: pulled through
    Python one row at a time (122 per case here) they cost 0.5-1 ms per case."""
    spark = spark_views(program, rows_path)
    wide = view_name(program.pack, "bred")
    spark.table(wide).cache()
    parts = {}
    for what, (_name, select) in zip(("resultater", "definitioner"),
                                     long_views(program, "spark", wide).items(), strict=True):
        folder = tmp / what
        spark.sql(select.sql(dialect="spark")).write.parquet(str(folder))
        parts[what] = sorted(folder.glob("part-*.parquet"))
    return parts


def _key(what: str) -> str:
    return "regel" if what == "resultater" else "definition"


def _value(what: str) -> str:
    return "status" if what == "resultater" else "vaerdi"


__all__ = ["beyond_range", "judge_rows_spark", "run_spark", "session", "unavailable"]


class SparkSqlBackend:
    """The SQL backend judged on Spark: for the differential harness. Not in the
    registry, so that not every test of every backend starts Spark work;
    tests/sql/test_spark.py registers it for a pack's own cases, and
    tests/reliability/test_differential.py for a few random packs."""

    name = "sql-spark"
    judges = True
    compares = COMPARES

    def emit(self, program) -> dict[str, str]:
        return {}

    def unavailable(self) -> str | None:
        return unavailable()

    def runner(self, program, workdir):
        return _SparkRunner(program)


def _judge_rows_spark(program, rows: list[dict]) -> dict:
    """judge_rows_spark for rows in memory: Spark reads them from a JSONL file. A case
    that stops Spark is found by halving (cases.halving); a query per halving is slow
    on Spark, so `batch --engine spark` stops instead."""
    def judge(part: list[dict]) -> dict:
        with rows_file(part) as path:
            return judge_rows_spark(program, path)

    return halving(rows, judge, beyond_range)


class _SparkRunner:
    def __init__(self, program):
        self.program = program

    def judge(self, cases):
        return judged(self.program, cases, _judge_rows_spark)

    def close(self) -> None:
        pass


BACKEND = SparkSqlBackend()
