"""The same SQL on a local SparkSession agrees with the interpreter.

Few and fast on purpose (a Spark session takes seconds to start):
the example pack's sample cases and seeded variants with missing facts,
through the one differential harness, and one `batch --engine spark`.
Random packs on Spark: tests/reliability/test_differential.py.
Skipped only when pyspark is absent (`make test` installs it and Java).
"""

from __future__ import annotations

import json
import zlib

import duckdb
import pytest

pytest.importorskip("pyspark")

from differential.harness import (
    ROOT,
    compare,
    example_cases,
    registered,
    sample_cases,
    variants,
)
from regelkode.backends.sql import emit_sql
from regelkode.checks.analysis import compile_checked
from regelkode.cli import main

# A small pack: Spark's analyser needs over a minute for the ressourceforløb views on a
# loaded 2-core machine (bench/ measures it); DuckDB covers the real packs in tests/differential.
PACK = ROOT / "tests/packs/eksempel"


@pytest.fixture(scope="module")
def compiled():
    c = compile_checked(PACK)
    assert c.ok
    return c


@pytest.fixture
def spark_backend():
    from regelkode.backends.sql import spark

    reason = spark.unavailable()
    if reason:
        pytest.fail(f"pyspark is installed but Spark cannot run: {reason}")
    with registered("sql-spark", spark.BACKEND) as name:
        yield name


def test_spark_agrees_with_the_interpreter(compiled, spark_backend, monkeypatch):
    from regelkode.backends.sql import spark

    # the pack's layers add 2-38 columns each: at 50, some layers are checkpointed and
    # the ones between are views over them (a real pack is checkpointed every 400)
    monkeypatch.setattr(spark, "CHECKPOINT_COLUMNS", 50)
    samples = sample_cases(compiled.path)
    cases = (example_cases(compiled) + samples
             + variants(samples, 10, seed=zlib.crc32(b"spark")))
    bad = compare(compiled.program, cases, spark_backend)
    assert not bad, f"{len(bad)} of {len(cases)} cases differ; the first:\n{bad[0]}"


def test_batch_on_spark(tmp_path, monkeypatch, compiled, spark_backend):
    src = tmp_path / "sager.jsonl"
    cases = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted((PACK / "sager").glob("*.json"))[:3]]
    src.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases),
                   encoding="utf-8")
    assert main(["batch", str(PACK), str(src), "--out", str(tmp_path / "d.jsonl")]) == 0
    assert main(["batch", str(PACK), str(src), "--out", str(tmp_path / "s.jsonl"),
                 "--engine", "spark"]) == 0

    def rows(name):
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        return sorted(json.dumps(json.loads(line), sort_keys=True) for line in lines)

    assert rows("s.jsonl") == rows("d.jsonl")
    assert rows("s.definitioner.jsonl") == rows("d.definitioner.jsonl")
    # no valid case: Spark is not started, and the outputs are empty, not missing
    from regelkode.backends.sql import spark

    def no_spark(*args):
        raise AssertionError("Spark started for a batch with no valid case")

    monkeypatch.setattr(spark, "spark_views", no_spark)
    none = tmp_path / "ingen.jsonl"
    none.write_text("{ikke json\n", encoding="utf-8")
    assert main(["batch", str(PACK), str(none), "--out", str(tmp_path / "n.csv"),
                 "--engine", "spark"]) == 1
    assert (tmp_path / "n.csv").read_text(encoding="utf-8") == "sag,regel,status,mangler\n"
    assert ((tmp_path / "n.definitioner.csv").read_text(encoding="utf-8")
            == "sag,definition,vaerdi,mangler\n")
    # a database output gets the rules too, as the DuckDB engine's does
    assert main(["batch", str(PACK), str(none), "--out", str(tmp_path / "n.duckdb"),
                 "--engine", "spark"]) == 1
    con = duckdb.connect(str(tmp_path / "n.duckdb"), read_only=True)
    assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("resultater", "definitioner", "regler")] == [0, 0, len(
                compiled.program.rules)]


def test_spark_answers_window_searches_as_the_interpreter(tmp_path, spark_backend):
    """A search asked per element of the same list (ir.Window: `nogen`/`antal … hvor
    dato er før ydre dato og …`) has its own SQL form (lists.py): the values once per
    case, the bounds once per question. Spark runs it as DuckDB does; random lists
    with unknown fields take both the index and the fallback to the scan."""
    import random

    from regelkode.passes.pipeline import compile_pack
    from reliability.support import write_pack

    pack = write_pack(tmp_path, "huller", {"regler.yaml": (
        "typer:\n  samtale:\n    beskrivelse: En samtale.\n    felter:\n"
        "      dato: {type: dato, beskrivelse: Dagen.}\n"
        "      afholdt: {type: sandhedsværdi, beskrivelse: Holdt.}\n"
        "fakta:\n  samtaler: {type: liste af samtale, beskrivelse: Samtalerne.}\n"
        "  interval: {type: varighed, beskrivelse: Intervallet.}\n"
        "regler:\n"
        "  intet_hul:\n    titel: T\n    område: o\n    alvor: brud\n    meddelelse: m\n"
        "    krav: alle samtaler hvor (ikke afholdt eller nogen samtaler hvor (afholdt og "
        "dato er før ydre dato og dato er tidligst ydre dato - interval))\n"
        "  højst_tre:\n    titel: T\n    område: o\n    alvor: brud\n    meddelelse: m\n"
        "    krav: alle samtaler hvor ((antal samtaler hvor (afholdt og dato er senest "
        "ydre dato og dato er efter ydre dato - interval)) er højst 3)\n")})
    c = compile_pack(pack)
    assert c.ok, [d.message for d in c.diags.sorted()]
    text = emit_sql(c.program, "spark")
    assert text.count("_w1") > 4, "the window searches must take their SQL form"
    rng = random.Random(20261204)

    def talk():
        out = {}
        if rng.random() < 0.9:
            out["dato"] = f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        if rng.random() < 0.9:
            out["afholdt"] = rng.random() < 0.8
        return out

    intervals = [{"måneder": 0, "dage": 30}, {"måneder": 2, "dage": 0}]
    cases = [({"samtaler": [talk() for _ in range(rng.randrange(7))],
               "interval": rng.choice(intervals), "beregningsdato": "2025-01-01"}, None)
             for _ in range(40)]
    cases.append(({"samtaler": [talk()], "beregningsdato": "2025-01-01"}, None))
    assert not compare(c.program, cases, "sql")
    assert not compare(c.program, cases, spark_backend)


def test_the_local_session_keeps_stderr_for_the_batch(spark_backend):
    """No stage bars and no start-up notices from Spark between the batch's own lines:
    the session reads regelkode's log configuration (errors only, no shell notice) and
    shows no console progress."""
    from regelkode.backends.sql import spark

    session = spark.session()
    log4j = session.sparkContext._jvm.org.apache.logging.log4j
    source = log4j.LogManager.getContext(False).getConfiguration().getConfigurationSource()
    assert str(source.getLocation()).endswith("spark-log4j2.properties")
    # Spark sets this flag where it prints the shell's "Setting default log level" notice
    jvm = session.sparkContext._jvm
    logging = jvm.java.lang.Class.forName("org.apache.spark.internal.Logging$")
    printed = logging.getMethod("setLogLevelPrinted", None)
    assert printed.invoke(logging.getField("MODULE$").get(None), None) is False
    assert session.sparkContext.getConf().get("spark.ui.showConsoleProgress") == "false"


def test_the_sql_pages_questions_run_on_spark_as_the_page_says(tmp_path, compiled,
                                                               spark_backend):
    """The SQL page says its DuckDB questions run on Spark with the view's name in
    backticks and `explode` for `unnest`: so written, they give DuckDB's answers."""
    from regelkode.backends.sql.spark import spark_views

    from .test_questions import _statements, duckdb_answers

    program = compiled.program
    samples = sample_cases(compiled.path)
    # a person past 60 who has not asked for the course: the page's rule is broken
    older = [(dict(case, fødselsdato="1950-01-01", ønsker_det=False), d) for case, d in samples]
    want, path = duckdb_answers(program, samples + older
                                + variants(samples, 10, seed=zlib.crc32(b"q")), tmp_path)
    assert all(want), "each question must have an answer to compare"
    spark = spark_views(program, path)
    got = [[tuple(r) for r in spark.sql(s.replace('"', "`").replace("unnest(", "explode("))
            .collect()] for s in _statements(program)]
    assert got == want


def test_the_printed_spark_sql_runs_as_printed(tmp_path, compiled, spark_backend):
    """What `regelkode sql --dialect spark` prints is what a user runs on a cluster:
    permanent views over their own table `sager`, one wide view with its layers as
    CTEs (the engine here runs the same SELECTs a layer at a time). Run statement by
    statement, as printed, it gives DuckDB's rows."""
    from regelkode.backends.sql.cases import by_case, row_line, rows_for
    from regelkode.backends.sql.engine import judge_rows
    from regelkode.backends.sql.spark import schema_ddl, session

    program = compiled.program
    samples = sample_cases(compiled.path)
    rows, refused = rows_for(program, samples + variants(samples, 10, seed=zlib.crc32(b"p")))
    assert rows and not any(refused)
    path = tmp_path / "sager.jsonl"
    path.write_text("".join(row_line(r) + "\n" for r in rows), encoding="utf-8")
    # a session of its own (the engine's temporary views would hide the table `sager`)
    # and a database in tmp_path, so nothing lands in the working directory
    spark = session().newSession()
    spark.sql(f"CREATE DATABASE regelkode_trykt LOCATION '{tmp_path / 'db'}'")
    try:
        spark.sql("USE regelkode_trykt")
        spark.read.schema(schema_ddl(program)).json(str(path)).write.saveAsTable("sager")
        statements = [s for s in emit_sql(program, "spark").split(";\n")
                      if any(line.strip() and not line.startswith("--")
                             for line in s.splitlines())]
        assert len(statements) == 4
        for statement in statements:
            spark.sql(statement)
        got = by_case((r["sag"], r["regel"], r["status"], r["mangler"]) for r in spark.sql(
            f"SELECT * FROM `{program.pack}_resultater`").collect())
    finally:
        spark.sql("DROP DATABASE IF EXISTS regelkode_trykt CASCADE")
    assert got == judge_rows(program, rows)
    # the catalog's default database is made on first use: in a temporary folder
    assert not (ROOT / "spark-warehouse").exists()


def test_a_number_spark_cannot_hold_is_one_message_not_a_traceback(tmp_path, spark_backend,
                                                                   capfd):
    """Spark (ANSI mode) stops the query on an overflow, as DuckDB does; the batch says
    so in one message, writes nothing, and points to the DuckDB engine, which names
    the cases (tests/sql/test_overflow.py). Its stderr is that message alone: not the
    executor's Java stack, the task manager's "aborting job" or PySpark's JSON copy of
    the error (some 40 lines before)."""
    from regelkode.backends.sql import spark
    from regelkode.backends.sql.cases import OVERFLOW

    from .test_overflow import OVER, SMALL, _pack

    pack, _program = _pack(tmp_path)
    src = tmp_path / "sager.jsonl"
    src.write_text("".join(json.dumps(case) + "\n" for case in (SMALL, SMALL | OVER[2])),
                   encoding="utf-8")
    out = tmp_path / "ud.csv"
    # the session first: a starting JVM prints its incubator-module notice once per
    # process (Spark's launcher adds the module), which is no part of the stop
    spark.session()
    capfd.readouterr()
    assert main(["batch", str(pack), str(src), "--out", str(out), "--engine", "spark"]) == 1
    err = capfd.readouterr().err
    assert (f"regelkode: Spark kan ikke bedømme sagerne: {OVERFLOW} ([ARITHMETIC_OVERFLOW] "
            "overflow.") in err
    assert "--engine duckdb bedømmer de andre" in err
    assert [line for line in err.splitlines() if line.strip()] == [
        line for line in err.splitlines() if line.startswith("regelkode: ")], err
    assert "Traceback" not in err and not out.exists()


def test_spark_divides_as_the_runtime_or_stops(tmp_path, spark_backend):
    """Spark rounds a decimal quotient to 6 places (1 / 1024 was 0.000977): it now
    divides with DECIMAL(38, 0) integers like DuckDB, and a quotient that does not
    end within 12 places stops the batch with a message instead of a wrong answer.
    The harness's runner finds that case by halving, as DuckDB does, and answers it
    OutOfRange; the others are compared."""
    from .test_division import EXACT, INEXACT, RULES
    from .test_emit import _compiled

    program = _compiled(tmp_path, "division", RULES)
    assert not compare(program, EXACT, spark_backend)
    skipped: list[int] = []
    mixed = EXACT[:3] + INEXACT[:1] + EXACT[3:5]
    assert not compare(program, mixed, spark_backend, out_of_range=skipped)
    assert skipped == [3]
    source = tmp_path / "sager.jsonl"
    source.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n"
                              for c, _ in EXACT + INEXACT[:1]), encoding="utf-8")
    assert main(["batch", str(tmp_path / "division"), str(source),
                 "--out", str(tmp_path / "ud.jsonl"), "--engine", "spark"]) == 1


def test_a_date_outside_the_calendar_on_spark(tmp_path, spark_backend):
    from .test_dates import CALENDAR_CASES, calendar_program

    assert not compare(calendar_program(tmp_path), CALENDAR_CASES, spark_backend)
