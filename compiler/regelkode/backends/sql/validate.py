"""Validating a large JSONL caseload on every core.

The runtime's validation of a case (`normaliser`, the SQL limits, the row as
JSON) costs about 0.3 ms in Python: more than DuckDB then spends judging it,
and one process does it on one core. A JSONL file larger than PARALLEL_BYTES
is cut into chunks of lines that worker processes validate exactly as the
serial path does (cases.validated); the parent gets (id, row, problem) per case
in input order, holding at most a few chunks per worker in memory. Workers are
spawned, not forked: the parent already runs DuckDB's threads, and a fork
copies none of them but all of their locks.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

from .cases import Problem, jsonl_case, jsonl_lines, validated

PARALLEL_BYTES = 16 * 1024 * 1024      # below this (about 2,000 cases) one process is quicker
CHUNK_LINES = 500
AHEAD = 4                               # chunks in flight per worker

_worker: dict = {}


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:              # not on Linux
        return os.cpu_count() or 1


def _start(blob: bytes, dato: dt.date | None) -> None:
    # validation reads only the pack's fact descriptors (plain tuples): a compiled
    # program carries closures the interpreter caches on it, which do not pickle
    _worker["program"] = SimpleNamespace(facts=pickle.loads(blob))
    _worker["dato"] = dato


def _validate(chunk: list[tuple[int, bytes | None]]
              ) -> list[tuple[str, str | None, Problem | None]]:
    program, dato = _worker["program"], _worker["dato"]
    out = []
    for number, raw in chunk:
        item = jsonl_case(number, raw, program.facts)
        if item is None:
            continue
        sag, case, problem = item
        out.append((sag, None, problem) if problem is not None
                   else (sag, *validated(program, sag, case, dato)))
    return out


def _chunks(source: Path) -> Iterator[list[tuple[int, bytes | None]]]:
    chunk = []
    for number, raw in jsonl_lines(source):
        chunk.append((number, raw))
        if len(chunk) == CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def parallel_rows(program, source: Path, dato: dt.date | None):
    """(id, row line, problem) per case of a large JSONL file, validated by worker
    processes; None when the input is not a large JSONL file or there is one core."""
    n = workers()
    if (n < 2 or not source.is_file() or source.suffix.lower() not in (".jsonl", ".ndjson")
            or source.stat().st_size < PARALLEL_BYTES):
        return None
    return _results(program, source, dato, n)


def _results(program, source: Path, dato, n: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    blob = pickle.dumps(program.facts)
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start, initargs=(blob, dato)) as pool:
        pending: deque = deque()
        for chunk in _chunks(source):
            pending.append(pool.submit(_validate, chunk))
            if len(pending) >= AHEAD * n:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
