"""A batch's output files, shared by the DuckDB and the Spark engine.

A file format writes two files side by side (`ud.parquet`, `ud.definitioner.parquet`),
a DuckDB database one file with both tables and a third, `regler`: the pack's rules
(titel, omraade, lag, alvor, kilder), so a query of the database joins them to its
results `USING (regel)` as a query of the views does. Each is written under a temporary
name beside its target and moved over it (os.replace, atomic) only when every
output is complete; on any error the temporary files are removed, so a failed
batch leaves neither a half-written output nor debris. Targets that cannot be
replaced (a directory) are refused before the batch starts.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ... import files
from .names import sql_text
from .program import rules_view

COPY_OPTIONS = {"parquet": "FORMAT PARQUET", "jsonl": "FORMAT JSON", "csv": "FORMAT CSV, HEADER"}


def targets(out: Path, fmt: str) -> dict[str, Path]:
    """What the batch writes where: {"database": out} for DuckDB, else
    {"resultater": out, "definitioner": the file beside it}."""
    if fmt == "duckdb":
        return {"database": out}
    return {"resultater": out,
            "definitioner": out.with_name(out.stem + ".definitioner" + out.suffix)}


def unwritable(out: Path, fmt: str, source: Path) -> str | None:
    """Why the outputs cannot be written, or None. An output that is the input file
    (a JSONL of cases named as `--out`) would replace the cases with their results."""
    for target in targets(out, fmt).values():
        if not files.is_utf8(str(target)):
            return (f"{files.shown(str(target))}: stien er ikke gyldig UTF-8, og DuckDB og "
                    "Spark kan kun skrive til en UTF-8-sti; vælg et andet navn")
        if target.is_dir():
            return f"{target}: er en mappe; --out skal navngive en fil"
        if target.exists() and source.exists() and os.path.samefile(target, source):
            return f"{target}: er inputfilen; resultaterne ville erstatte sagerne"
    return None


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


@contextlib.contextmanager
def staged(paths: dict[str, Path]):
    """{key: temporary path} beside each of `paths`; moved over them when the block
    ends without error, removed when it does not."""
    tmps = {key: _tmp_name(path) for key, path in paths.items()}
    for tmp in tmps.values():
        tmp.unlink(missing_ok=True)
    try:
        yield tmps
        for key, tmp in tmps.items():
            os.replace(tmp, paths[key])
    except BaseException:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
        raise


def database_tables(database: str, selects: dict[str, str], program) -> list[str]:
    """The statements that write a batch's DuckDB output: {table: SELECT} and `regler`
    as tables of the attached `database`."""
    db = '"' + database.replace('"', '""') + '"'
    tables = {**selects, "regler": rules_view(program, "duckdb").sql(dialect="duckdb")}
    return [f'CREATE TABLE {db}."{table}" AS {select}' for table, select in tables.items()]


def copy_to(select: str, fmt: str, path: Path) -> str:
    """`COPY` of a long view's rows to a file; CSV has no lists, so its missing facts
    are one text joined with `;`."""
    if fmt == "csv":
        select = f"SELECT * REPLACE (array_to_string(mangler, ';') AS mangler) FROM ({select})"
    return f"COPY ({select}) TO {sql_text(str(path))} ({COPY_OPTIONS[fmt]})"
