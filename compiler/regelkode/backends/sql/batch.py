"""`regelkode batch`: a whole caseload through the SQL views.

Input: a folder of case files (`*.json`, the suffix in any case; id = file name
without it; the names of other entries are reported as skipped), a
JSONL file (id = the line's `id` field, a text or a whole number, unless the
pack has a fact of that name; else the line number from 1) or a Parquet file
(one row per case, a column per fact as in a case's JSON; id = the column
`sag` if there is one, else the row number from 1). A second case with an id
already seen is refused. Every case is validated by the runtime,
exactly as the Python module validates it; a malformed case is reported
with its JSON path and the batch goes on. The valid ones are written as
typed rows and judged by one query in DuckDB (or on a local Spark). A
Parquet file with typed columns is checked in bulk in DuckDB instead
(bulk.py); only the rows that check cannot pass reach the runtime.

Output: long rows `sag, regel, status, mangler` and a second table of
definitions `sag, definition, vaerdi, mangler` — as Parquet, JSONL or CSV
files (`OUT` and `OUT` with `.definitioner` before the suffix) or as the
tables `resultater` and `definitioner` in a DuckDB database (`.duckdb`,
`.db`), which also gets the pack's rules as a table `regler`. Files are
written under a temporary name and renamed when complete, so a failed run
never leaves half a result.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ... import files
from ...front.parse_errors import read_json_file
from ...runtime import _tusinder
from .bulk import ROW
from .bulk import load as load_parquet
from .cases import (
    ID_RULE,
    OVERFLOW,
    CaseId,
    Problem,
    jsonl_case,
    jsonl_lines,
    out_of_range,
    valid_id,
    validated,
)
from .engine import DuckDBEngine
from .names import sql_text
from .outfiles import copy_to, database_tables, staged, targets, unwritable
from .program import view_name
from .validate import parallel_rows

FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
           ".duckdb": "duckdb", ".db": "duckdb"}


class BatchFejl(Exception):
    """A problem with the batch as a whole (unreadable input, unknown format)."""


def unreadable(source: Path, exc: Exception) -> BatchFejl:
    """DuckDB could not read the Parquet file: its footer, its schema or its rows."""
    return BatchFejl(f"{source}: kan ikke læses som Parquet: {exc}")


@dataclass
class Summary:
    judged: int = 0
    problems: list = field(default_factory=list)
    skipped: list = field(default_factory=list)     # a folder's entries that are no case
    seconds: float = 0.0
    outputs: list = field(default_factory=list)


def out_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise BatchFejl(f"{out}: ukendt outputformat; brug en af "
                        f"{', '.join(sorted(FORMATS))}")
    return fmt


# --- reading cases --------------------------------------------------------------------

def read_cases(source: Path, facts, skipped: list | None = None
               ) -> Iterator[tuple[str, object, Problem | None]]:
    """(id, case, problem reading it) per case, in input order (`facts`: the pack's,
    which decide whether a JSONL line's `id` field is its id, cases.jsonl_case). A
    folder's cases are its `.json` files, the suffix in any case (`ANNA.JSON`); the
    names of its other entries go to `skipped` (hidden ones, like `.DS_Store`, not)."""
    if source.is_dir():
        for path in sorted(source.iterdir()):
            # a name that is not UTF-8 (os gives it lone surrogates) is shown escaped
            name = files.shown(path.name)
            if path.suffix.lower() != ".json":
                if skipped is not None and not name.startswith("."):
                    skipped.append(name + ("/" if path.is_dir() else ""))
                continue
            sag = name[:-len(".json")]
            if name != path.name:
                # no output can hold such an id, and an escaped one is another name
                yield sag, None, Problem(sag, "$", "filnavnet er ikke gyldig UTF-8 og kan "
                                         "ikke være sagens id; omdøb filen")
                continue
            if not valid_id(sag):
                # shown escaped: the id itself would break the report's line
                yield repr(sag), None, Problem(repr(sag), "$", "filnavnet kan ikke være "
                                               f"sagens id ({ID_RULE}); omdøb filen")
                continue
            try:
                case = read_json_file(path)
            except files.FileRefused as exc:
                yield sag, None, Problem(sag, exc.where or "$", exc.reason)
                continue
            yield sag, case, None
        return
    if not source.is_file():
        raise BatchFejl(f"{source}: findes ikke eller er ikke en almindelig fil eller mappe")
    suffix = source.suffix.lower()
    if suffix == ".parquet":
        yield from _parquet_cases(source)
        return
    if suffix not in (".jsonl", ".ndjson"):
        raise BatchFejl(f"{source}: inputtet skal være en mappe med .json-filer, en .jsonl- "
                        "eller en .parquet-fil")
    for number, raw in jsonl_lines(source):
        item = jsonl_case(number, raw, facts)
        if item is not None:
            yield item


def _parquet_cases(source: Path):
    """Each row as a case's JSON data (DuckDB's `to_json`: dates ISO, structs objects,
    DECIMAL exact)."""
    import duckdb

    con = duckdb.connect()
    try:
        path = sql_text(str(source))
        try:
            cursor = con.execute(f"SELECT to_json(t) FROM read_parquet({path}) AS t")
        except duckdb.Error as exc:
            raise unreadable(source, exc) from None
        number = 0
        while True:
            chunk = cursor.fetchmany(10_000)
            if not chunk:
                break
            for (text,) in chunk:
                number += 1
                yield parquet_case(number, text)
    finally:
        con.close()


def parquet_case(number: int, text: str, drop: str | None = None):
    """(id, case, problem) of a Parquet row read as JSON: the id is the column `sag` if
    there is one (a row without one is refused), else the row number."""
    # DECIMAL columns (money, decimals) arrive as JSON numbers: read them
    # exactly, as the runtime accepts a Decimal where a case has text
    case = json.loads(text, parse_float=Decimal)
    if drop is not None:
        case.pop(drop, None)
    where = f"række {number}"
    if "sag" in case:
        sag = case.pop("sag")
        if sag is None or not valid_id(sag):
            what = (ID_RULE if sag is not None
                    else "sagens id mangler: kolonnen sag er tom i denne række")
            sag = CaseId(str(number), where)
            return sag, None, Problem(sag, "$.sag", what)
        sag = CaseId(str(sag), where, "$.sag")
    else:
        sag = CaseId(str(number), where)
    # a null column is a missing fact, as in a case's JSON
    return sag, {k: v for k, v in case.items() if v is not None}, None


# --- progress -------------------------------------------------------------------------

def cases_text(n: int) -> str:
    """A count of cases in Danish: "1 sag", "12.345 sager"."""
    return f"{_tusinder(n)} {'sag' if n == 1 else 'sager'}"


class Progress:
    """A one-line progress count on stderr, only when stderr is a terminal."""

    def __init__(self, stream=None, every: int = 2000):
        self.stream = stream or sys.stderr
        self.on = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = every
        self.last = 0.0

    def tick(self, n: int, what: str) -> None:
        if self.on and n % self.every == 0:
            now = time.monotonic()
            if now - self.last > 0.1:
                self.last = now
                self.stream.write(f"\r{what}: {cases_text(n)}")
                self.stream.flush()

    def done(self, text: str) -> None:
        if self.on:
            self.stream.write("\r" + text + " " * 20 + "\n")
            self.stream.flush()


# --- the batch ------------------------------------------------------------------------

def write_rows(program, source: Path, rows_path: Path, dato: dt.date | None,
               summary: Summary, progress: Progress, cases=None) -> int:
    """Validate every case (or those of `cases`) and write the valid ones as typed
    JSON lines. A large JSONL file is validated by several processes (validate.py)."""
    n = 0
    seen: dict[str, str] = {}
    with rows_path.open("w", encoding="utf-8") as out:
        results = parallel_rows(program, source, dato) if cases is None else None
        if results is None:
            results = ((sag, *validated(program, sag, case, dato)) if problem is None
                       else (sag, None, problem)
                       for sag, case, problem in (read_cases(source, program.facts,
                                                             summary.skipped)
                                                  if cases is None else cases))
        for i, (sag, line, problem) in enumerate(results, start=1):
            progress.tick(i, "validerer")
            if problem is None and sag in seen:    # two cases, one id: the first is judged
                problem = repeated(sag, seen[sag])
            if problem is not None:
                summary.problems.append(problem)
                continue
            seen[sag] = sag
            out.write(line)
            out.write("\n")
            n += 1
    return n


def repeated(sag: str, first: str) -> Problem:
    """The refusal of a case whose id an earlier case has: the first one is judged.
    Where the id is the line's number, the line has no id field to point at."""
    there = getattr(first, "where", "en tidligere sag")
    field = getattr(sag, "field", "$")     # a plain text id (a caller's cases): the case
    if field is None:
        return Problem(sag, "$", f"linjenummeret {sag} er allerede brugt som id af "
                       f"{there}; giv linjen sit eget `id`")
    return Problem(sag, field, f"id'et {sag!r} er allerede brugt af {there}; hver sag skal "
                   "have sit eget id")


def run_batch(program, source: Path, out: Path, *, dato: dt.date | None = None,
              engine: str = "duckdb", progress: Progress | None = None) -> Summary:
    fmt = out_format(out)
    progress = progress or Progress()
    summary = Summary()
    start = time.perf_counter()
    if not out.parent.is_dir():
        raise BatchFejl(f"{out.parent}: mappen findes ikke")
    if engine not in ("duckdb", "spark"):
        raise BatchFejl(f"ukendt motor {engine!r}; brug duckdb eller spark")
    if why := unwritable(out, fmt, Path(source)):
        raise BatchFejl(why)
    if Path(source).suffix.lower() == ".parquet" and Path(source).is_file():
        _readable_parquet(Path(source))
    with tempfile.TemporaryDirectory() as tmp:
        rows_path = Path(tmp) / "sager.jsonl"
        if engine == "spark":
            summary.judged = write_rows(program, Path(source), rows_path, dato, summary,
                                        progress)
            progress.done(f"{cases_text(summary.judged)} valideret")
            from pyspark.errors import PySparkException

            from .spark import beyond_range, run_spark
            try:
                run_spark(program, rows_path, out, fmt, cases=summary.judged)
            except PySparkException as exc:
                # finding the cases costs a Spark query per halving: DuckDB does that
                if not beyond_range(exc):
                    raise
                first = str(exc).strip().splitlines()[0]
                raise BatchFejl(f"Spark kan ikke bedømme sagerne: {OVERFLOW} ({first}); "
                                "--engine duckdb bedømmer de andre og navngiver dem") from None
            summary.outputs = list(targets(out, fmt).values())
        else:
            _run_duckdb(program, Path(source), rows_path, out, fmt, dato, summary, progress)
    summary.seconds = time.perf_counter() - start
    return summary


def _readable_parquet(source: Path) -> None:
    """Refuse a Parquet file both engines would misread: both read it with DuckDB
    (bulk.py, _parquet_cases), which opens only a UTF-8 path and renames a column
    whose name another one has, ignoring the case of ASCII letters (the second `sag`
    becomes `sag_1`: read as a fact of that name, or every case refused over a column
    the file does not have)."""
    import duckdb

    if not files.is_utf8(str(source)):
        raise BatchFejl(f"{files.shown(str(source))}: stien er ikke gyldig UTF-8, og DuckDB "
                        "kan kun læse en Parquet-fil med en UTF-8-sti; omdøb filen eller "
                        "mappen")
    con = duckdb.connect()
    try:
        schema = con.execute("SELECT name, num_children FROM parquet_schema(?)",
                             [str(source)]).fetchall()
    except duckdb.Error as exc:
        raise unreadable(source, exc) from None
    finally:
        con.close()
    if clash := _name_clash(schema):
        column, first, second = clash
        what = (f"kolonnerne {first!r} og {second!r}" if column is None
                else f"felterne {first!r} og {second!r} i kolonnen {column!r}")
        raise BatchFejl(f"{source}: {what} har samme navn for DuckDB, der ikke skelner "
                        "mellem store og små bogstaver, og kan ikke læses hver for sig; giv "
                        "dem hvert sit navn")


def _name_clash(schema: list[tuple[str, int | None]]) -> tuple[str | None, str, str] | None:
    """Two names that DuckDB takes for one, in `parquet_schema`'s rows (the root, then
    each column followed by its nested fields, depth first): (the top-level column they
    are in, or None for two columns; the first name; the second). DuckDB ignores the
    case of ASCII letters only."""
    groups = [[schema[0][1] or 0, {}, None]]   # per open group: names left, seen, column
    for name, children in schema[1:]:
        group = groups[-1]
        group[0] -= 1
        key = name.encode().lower()
        if key in group[1]:
            return group[2], group[1][key], name
        group[1][key] = name
        if children:
            groups.append([children, {}, name if group[2] is None else group[2]])
        while groups and groups[-1][0] == 0:    # iterative: a file may nest deep
            groups.pop()
    return None


def _load(engine, program, source: Path, rows_path: Path, dato, summary, progress) -> None:
    """The table `sager`: typed Parquet checked in bulk in SQL (bulk.py), the rest of the
    cases (or all of them) validated in Python."""
    loaded = None
    if source.is_file() and source.suffix.lower() == ".parquet":
        import duckdb

        try:
            loaded = load_parquet(engine.con, program, source, dato)
        except duckdb.Error as exc:
            raise unreadable(source, exc) from None
    if loaded is None:
        summary.judged = write_rows(program, source, rows_path, dato, summary, progress)
        engine.load_jsonl(rows_path)
    else:
        cases = (parquet_case(number, text, ROW) for number, text in loaded.rest)
        summary.judged = loaded.count + write_rows(program, source, rows_path, dato,
                                                   summary, progress, cases)
        engine.load_jsonl(rows_path, table=loaded.tail, append=True)
    progress.done(f"{cases_text(summary.judged)} valideret")


def _materialised(engine, fmt: str) -> dict:
    """engine.materialise, with DuckDB's own words where more cases are outside its
    range than it looks for one by one (a constant of the pack's own puts them all)."""
    import duckdb

    from .engine import MAX_OUT_OF_RANGE, beyond_range

    try:
        return engine.materialise(labels=fmt != "duckdb")
    except duckdb.Error as exc:
        if not beyond_range(exc):
            raise
        raise BatchFejl(f"DuckDB kan ikke bedømme sagerne: {OVERFLOW}, i mere end "
                        f"{MAX_OUT_OF_RANGE} sager "
                        f"({str(exc).strip()}); Python-modulet regner med større tal") from None


def _run_duckdb(program, source: Path, rows_path: Path, out: Path, fmt: str, dato,
                summary: Summary, progress: Progress) -> None:
    interactive = sys.stderr.isatty()
    paths = targets(out, fmt)
    with staged(paths) as tmps:
        # a DuckDB output is the engine's own database file, its tables made in place
        engine = DuckDBEngine(program, str(tmps["database"]) if fmt == "duckdb" else ":memory:")
        try:
            engine.con.execute(f"SET enable_progress_bar = {'true' if interactive else 'false'}")
            _load(engine, program, source, rows_path, dato, summary, progress)
            selects = _materialised(engine, fmt)
            for sag, reason in engine.out_of_range.items():
                summary.problems.append(Problem(sag, "$", out_of_range(reason).besked,
                                                "uden_for_omraade"))
            summary.judged -= len(engine.out_of_range)
            views = {"resultater": selects[view_name(program.pack, "resultater")],
                     "definitioner": selects[view_name(program.pack, "definitioner")]}
            if fmt == "duckdb":
                for statement in database_tables(engine.output, views, program):
                    engine.con.execute(statement)
            else:
                for what, select in views.items():
                    engine.con.execute(copy_to(select, fmt, tmps[what]))
        finally:
            engine.close()
    summary.outputs = list(paths.values())
