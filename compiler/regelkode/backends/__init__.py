"""Backends: one folder per target, one small protocol, one registry.

A backend turns the IR (`ir.nodes.Program`) into files and, if it judges
cases, runs them with what it emitted:

    class Backend(Protocol):
        name: str                 # as in REGISTRY
        judges: bool              # False for outputs that judge nothing (the schema)
        def emit(self, program) -> dict[str, str]         # relative path -> text
        def unavailable(self) -> str | None               # why it cannot run here
        def runner(self, program, workdir: Path) -> Runner
        compares: tuple[str, ...]  # optional: the per-rule fields it answers (SQL:
                                   # id, status, mangler); the harness compares only those

    class Runner(Protocol):
        def judge(self, cases: list[tuple[dict, date | None]]) -> list[dict | Refusal]
        def close(self) -> None

`judge` takes many cases at once (a backend in another process or a database
answers a batch far faster than case by case) and returns, per case, the
report as `to_dict()` data or the `Refusal` of a malformed case. Every
backend is held to the reference interpreter by the one differential harness
(tests/differential/): registering a backend here is all it takes to be
built by `regelkode build` and tested by the harness. A backend imports the
IR and the runtime, never the site, the checks or the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

# name -> the package whose BACKEND implements the protocol. `build` backends
# are written by `regelkode build` into build/<pack>/, in this order.
REGISTRY = {
    "python": "regelkode.backends.python",
    "schema": "regelkode.backends.schema",
    "js": "regelkode.backends.js",
    "sql": "regelkode.backends.sql",
}


@dataclass(frozen=True)
class Refusal:
    """A case the backend refused as malformed: the JSON path and the Danish message."""

    sti: str
    besked: str


@dataclass(frozen=True)
class OutOfRange:
    """A valid case outside the range a backend computes exactly (SQL: numbers in
    BIGINT/DECIMAL(38, 12), years 1000-8999): named at its JSON path, never judged
    wrongly. The harness counts these instead of comparing them."""

    sti: str
    besked: str


def backend(name: str):
    """The registered backend called `name` (KeyError if there is none)."""
    return import_module(REGISTRY[name]).BACKEND


def backends() -> list:
    """Every registered backend, in registry order."""
    return [backend(name) for name in REGISTRY]


def emit_all(program) -> dict[str, str]:
    """Every backend's files for one pack: relative path -> text."""
    out: dict[str, str] = {}
    for b in backends():
        for path, text in b.emit(program).items():
            if path in out:
                raise ValueError(f"two backends write {path}")
            out[path] = text
    return out
