"""Cases -> rows of the input table `sager`, validated by the pack's own rules.

Every case goes through the runtime's `normaliser` (the Python module's
validation), so the SQL backend refuses exactly the cases the Python module
refuses, with the same JSON path and message. A valid case becomes one
JSON line with the fact columns (missing = null, money in øre, dates ISO),
which DuckDB reads with the column types of `program.input_columns`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ... import files
from ... import runtime as rt
from ...front.parse_errors import DuplicateKey, json_message, loads_case
from .. import OutOfRange, Refusal
from .limits import OutsideRange, row_converter
from .names import columns_arg
from .program import input_columns


class UdenforOmraade(Exception):
    """A valid case with a value outside the SQL backend's exact range (limits.py)."""

    def __init__(self, sti: str, besked: str):
        super().__init__(f"{sti}: {besked}")
        self.sti = sti
        self.besked = besked


def _converter(program):
    """limits.row_converter of the pack's facts, made once per program (and again if
    its facts change), cached on it as the interpreter caches its closures."""
    cached = program.__dict__.get("_sql_row")
    if cached is None or cached[0] is not program.facts:
        cached = program.__dict__["_sql_row"] = (program.facts, row_converter(program.facts))
    return cached[1]


def case_row(program, sag_id: str, sag, dato: dt.date | None = None) -> dict:
    """The row of one case; raises the runtime's SagFejl for a malformed case and
    UdenforOmraade for one the SQL engines cannot compute exactly."""
    convert = _converter(program)
    values = rt.normaliser(sag, program.facts)
    day = rt.beregningsdato(sag, dato)
    try:
        row = convert(values, day)
    except OutsideRange as exc:
        raise UdenforOmraade(exc.path, exc.msg) from None
    return {"sag": sag_id, "beregningsdato": day.isoformat(), **row}


@contextlib.contextmanager
def rows_file(rows: list[dict]):
    """Validated rows as a JSONL file, the engines' input, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sager.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(row_line(row) + "\n")
        yield path


def row_line(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Problem:
    """A case the batch refuses, reported with its JSON path; the batch goes on."""

    sag: str
    sti: str
    besked: str
    kind: str = "afvist"        # afvist (malformed) | uden_for_omraade (limits.py)

    def line(self) -> str:
        what = "afvist" if self.kind == "afvist" else "uden for SQL-backendens talområde"
        # an id of the case's own is no line number: say where the case stands too
        where = f" ({self.sag.where})" if getattr(self.sag, "field", None) else ""
        return f"sag {self.sag}{where}: {what}: {self.sti}: {self.besked}"


ID = "id"       # a JSONL line's own case id, unless the pack has a fact of that name
ID_RULE = "sagens id skal være en ikke-tom tekst uden kontroltegn eller et heltal"


def valid_id(value) -> bool:
    """Whether `value` can be a case's id: a whole number, or a non-empty text of at
    most rt.MAX_TEKST printable characters. A line break or another control character
    would break a CSV row and the one line that reports the case, so every input
    (a JSONL line's `id`, a Parquet row's `sag`, a case file's name) keeps this rule."""
    return value.__class__ is int or (value.__class__ is str and 0 < len(value) <= rt.MAX_TEKST
                                      and value.isprintable())


class CaseId(str):
    """A case's id, and where the input has it: `where` names the line or row
    ("linje 7"), `field` the path of the id's own field ("$.id", "$.sag"), or is None
    where the id is the line's or row's number. A refusal of a repeated id names both
    places, and points at the field only where the case has one. (A text subclass:
    it pickles to the validating workers and back, and is a plain text everywhere
    else.)"""

    def __new__(cls, text: str, where: str, field: str | None = None):
        self = super().__new__(cls, text)
        self.where = where
        self.field = field
        return self

    def __reduce__(self):
        return CaseId, (str(self), self.where, self.field)


def jsonl_lines(source: Path):
    """(line number, the line) of a JSONL file, the line None where it is longer than a
    case may be (files.MAX_CASE_BYTES): such a line is refused, not read whole."""
    with files.open_regular(source) as fh:
        yield from files.lines(fh, files.MAX_CASE_BYTES)


def jsonl_case(number: int, raw: bytes | None, facts
               ) -> tuple[str, object, Problem | None] | None:
    """(id, case, problem reading it) of line `number` of a JSONL file; None if blank.
    The id is the line's `id` field (a text or a whole number) when the pack has no
    fact called `id`, else the line number."""
    where = f"linje {number}"
    sag = CaseId(str(number), where)
    if raw is None:
        return sag, None, Problem(sag, "$", f"linjen er over {files.MAX_CASE_BYTES} bytes "
                                  "og læses ikke")
    if not raw.strip():
        return None
    try:
        case = loads_case(raw)
    except DuplicateKey as exc:
        return sag, None, Problem(sag, exc.path, exc.message)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return sag, None, Problem(sag, "$", json_message(exc, one_line=True))
    if case.__class__ is dict and ID in case and ID not in facts:
        value = case.pop(ID)
        if valid_id(value):
            return CaseId(str(value), where, "$.id"), case, None
        return sag, None, Problem(sag, "$.id", ID_RULE)
    return sag, case, None


def validated(program, sag: str, case, dato: dt.date | None) -> tuple[str | None, Problem | None]:
    """(the case's row as a JSON line, None), or (None, why the case is refused)."""
    try:
        return row_line(case_row(program, sag, case, dato)), None
    except rt.SagFejl as exc:
        return None, Problem(sag, exc.sti, exc.besked)
    except UdenforOmraade as exc:
        return None, Problem(sag, exc.sti, exc.besked, "uden_for_omraade")


def duckdb_columns(program) -> str:
    """`read_json`'s `columns` argument: every column with its type."""
    return columns_arg(input_columns(program))


def rows_for(program, cases) -> tuple[list[dict], list]:
    """The input rows of the cases that validate, and per case None or its refusal."""
    rows, out = [], []
    for i, (case, dato) in enumerate(cases):
        try:
            rows.append(case_row(program, str(i), case, dato))
            out.append(None)
        except rt.SagFejl as exc:
            out.append(Refusal(exc.sti, exc.besked))
        except UdenforOmraade as exc:
            out.append(OutOfRange(exc.sti, exc.besked))
    return rows, out


# What the SQL backend answers per rule; the differential harness compares these.
COMPARES = ("id", "status", "mangler")


def judged(program, cases, judge_rows) -> list:
    """The harness's answer for `cases` ((case, date) pairs): a refused case's refusal,
    a valid one's report from `judge_rows(program, rows)` — one engine or another."""
    rows, out = rows_for(program, cases)
    return reports(program, out, judge_rows(program, rows) if rows else {})


def by_case(rows) -> dict:
    """{case id: {rule id: (status, mangler)}} from an engine's long result rows."""
    out: dict = {}
    for sag, regel, status, mangler in rows:
        out.setdefault(sag, {})[regel] = (status, list(mangler))
    return out


def halving(rows: list[dict], judge, stops) -> dict:
    """`judge(rows)` ({case id: …}) for engines that stop a whole query on one case
    beyond their range: where `judge` raises an exception `stops(exc)` says is such a
    stop, the rows are halved until that case stands alone, and it maps to its
    OutOfRange. Spark and PostgreSQL judge so for the harness; DuckDB does the same
    inside one database (engine.DuckDBEngine._wide)."""
    pending, out = [rows], {}
    while pending:
        part = pending.pop()
        try:
            out |= judge(part)
        except Exception as exc:
            if not stops(exc):
                raise
            if len(part) == 1:
                out[part[0]["sag"]] = out_of_range(str(exc).strip().splitlines()[0])
            else:
                half = len(part) // 2
                pending += [part[half:], part[:half]]
    return out


def out_of_range(reason: str) -> OutOfRange:
    """A valid case the engine could not compute: a number left its range mid-way."""
    return OutOfRange("$", f"{OVERFLOW} ({reason})")


OVERFLOW = "beregningen giver et tal, som SQL-motoren ikke kan holde"


def reports(program, out: list, results: dict) -> list:
    """`out` with each judged case's report: id, status and mangler per rule (or the
    case's OutOfRange, where the engine could not compute it)."""
    for i, item in enumerate(out):
        if item is None:
            per_rule = results[str(i)]
            if isinstance(per_rule, OutOfRange):
                out[i] = per_rule
                continue
            out[i] = {"regler": [{"id": r.id, "status": per_rule[r.id][0],
                                  "mangler": per_rule[r.id][1]} for r in program.rules]}
    return out
