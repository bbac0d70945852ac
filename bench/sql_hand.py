"""The generated SQL against hand-written SQL, for the five rules of bench/baseline.py.

The SQL benchmark's ratio is to the Python module, as issue 17 asks. This is the
other yardstick the guide asks of every benchmark: plain hand-written code for
the same job, measured in the same run. bench/baseline.sql is the five rules
written by hand in DuckDB SQL; the generated SQL is that of the pack cut down to
the same five rules and what they depend on (bench/packs.py), so both do the
same work (the generated SQL also works out every definition, for the
definitions table: a small part of its time).

Both run over the same table `sager`, loaded from the benchmark's Parquet file
as `regelkode batch` loads it, on the same connection. Only the judging is
timed: the long rows (`sag`, `regel`, `status`, `mangler`) into a table, the
best of `repeats` runs. The whole pack's generated SQL is timed the same way,
and the hand-written Python (bench/baseline.py) on a sample of the same cases,
so the page can say what the SQL buys by hand.

The two SQL answers must be equal row for row, or the run fails.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from regelkode.backends.sql import bulk
from regelkode.backends.sql.engine import DuckDBEngine
from regelkode.backends.sql.program import view_name
from regelkode.checks.analysis import compile_checked

from . import baseline
from .packs import subset_pack

HAND = Path(__file__).with_name("baseline.sql")
COLUMNS = "sag, regel, status, mangler"


def _engine(program, full, parquet: Path) -> DuckDBEngine:
    """An engine for `program` whose table `sager` holds every case of `parquet` (read
    with the whole pack's plan: the file has every fact, the slice's views read theirs)."""
    engine = DuckDBEngine(program)
    loaded = bulk.load(engine.con, full, parquet, None)
    if loaded is None or next(loaded.rest, None) is not None:
        engine.close()
        raise SystemExit(f"bench.sql: {parquet} did not load as typed, valid cases")
    return engine


def _best(repeats: int, run) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _generated(engine: DuckDBEngine, table: str) -> None:
    select = engine.materialise()[view_name(engine.program.pack, "resultater")]
    engine.con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT {COLUMNS} FROM ({select})')


def differences(con, a: str, b: str, limit: int = 5) -> list:
    """Rows of table `a` that table `b` lacks, and the other way round."""
    out = []
    for x, y in ((a, b), (b, a)):
        out += [(x, *row) for row in con.execute(
            f'SELECT {COLUMNS} FROM "{x}" EXCEPT SELECT {COLUMNS} FROM "{y}" '
            f"ORDER BY sag, regel LIMIT {limit}").fetchall()]
    return out


def measure(program, pack: Path, parquet: Path, sample: list, repeats: int = 3) -> dict:
    """Seconds for the hand-written and the generated SQL on every case of `parquet`,
    and the hand-written Python's cases per second on `sample` (`program` is the pack
    compiled from the folder `pack`)."""
    with tempfile.TemporaryDirectory() as tmp:
        sub = compile_checked(subset_pack(program, pack, Path(tmp), baseline.REGEL_IDER))
        if not sub.ok:
            raise SystemExit("bench.sql: the five rules' slice of the pack does not compile")
        engine = _engine(sub.program, program, parquet)
        try:
            hand_sql = HAND.read_text(encoding="utf-8")
            con = engine.con
            hand = _best(repeats, lambda: con.execute(
                f"CREATE OR REPLACE TABLE _hand AS {hand_sql}"))
            generated = _best(repeats, lambda: _generated(engine, "_generated"))
            cases = con.execute("SELECT count(*) FROM sager").fetchone()[0]
            wrong = differences(con, "_hand", "_generated")
            if wrong:
                raise SystemExit("bench.sql: the hand-written SQL and the generated SQL differ "
                                 "(table, sag, regel, status, mangler):\n" +
                                 "\n".join(map(str, wrong)))
        finally:
            engine.close()
    engine = _engine(program, program, parquet)
    try:
        whole = _best(repeats, lambda: _generated(engine, "_generated"))
    finally:
        engine.close()
    start = time.perf_counter()
    for case in sample:
        baseline.evaluate(case, forklaring=False)
    python = len(sample) / (time.perf_counter() - start)
    return {"cases": cases, "hand_sql_s": hand, "generated_sql_s": generated,
            "generated_to_hand": generated / hand, "whole_pack_s": whole,
            "whole_pack_rules": len(program.rules),
            "hand_python_cases_per_s": python, "python_sample": len(sample),
            "hand_sql_to_hand_python": cases / hand / python}
