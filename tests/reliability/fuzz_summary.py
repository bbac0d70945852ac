"""Summarise a `make fuzz-long` run: how many inputs each property tried, and the outcome.

Reads the per-file logs in `build/fuzz-long/` (pytest output with
`--hypothesis-show-statistics`, and the Makefile's closing line
`fuzz-long: FILE examples=N seconds=S exit=RC`), prints one line per
property and per file, optionally writes the same as a Markdown table for
`site/docs/paalidelighed.md`, and exits 1 unless every file finished with
exit 0. A missing log (a file that never finished) counts as a failure.

    python -m tests.reliability.fuzz_summary [--markdown OUT.md] LOG...

Hypothesis calls its statistics format unstable; the parser is strict about
the lines it needs, so a format change shows up here as an error, not as
silently wrong numbers.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Searched, not matched: a killed pytest leaves its last line unfinished.
_CLOSING = re.compile(r"fuzz-long: (?P<file>\S+) examples=(?P<examples>\d+) "
                      r"seconds=(?P<seconds>\d+) exit=(?P<exit>\d+)$")
# A parametrized id may hold spaces ("test_x[1, 2]"); the header ends in a colon.
_NODE = re.compile(r"^(?P<node>\S+\.py::\S.*):$")
_PHASE = re.compile(r"^  - during (?P<phase>\w+) phase \((?P<seconds>[\d.]+) seconds\):$")
_COUNTS = re.compile(r"^    - (?P<passing>\d+) passing, (?P<failing>\d+) failing, "
                     r"and (?P<invalid>\d+) invalid test cases$")
_STOPPED = re.compile(r"^  - Stopped because (?P<why>.+)$")
_PYTEST = re.compile(r"^=*\s*(?P<result>(?:\d+ \w+(?:, )?)+) in [\d.]+s")
# Phases whose passing cases are new inputs (explicit @example cases and
# shrinking are not: the first are fixed, the second re-run variants of a failure).
_INPUT_PHASES = ("reuse", "generate", "target")


class SummaryError(Exception):
    """A log that this parser cannot read."""


@dataclass
class Property:
    node: str
    passing: int = 0
    failing: int = 0
    invalid: int = 0
    seconds: float = 0.0
    stopped: str = ""


@dataclass
class FileRun:
    file: str
    seconds: int | None = None
    exit: int | None = None
    result: str = ""
    properties: list[Property] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit == 0


def parse_log(path: Path) -> FileRun:
    run = FileRun(file=path.stem)
    if not path.is_file():
        run.result = "ingen log: kørslen blev ikke færdig"
        return run
    current: Property | None = None
    phase = ""
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace")
                                  .splitlines(), start=1):
        if m := _CLOSING.search(line):
            run.seconds, run.exit = int(m["seconds"]), int(m["exit"])
        elif m := _NODE.match(line):
            current = Property(m["node"])
            run.properties.append(current)
        elif current is not None and (m := _PHASE.match(line)):
            phase = m["phase"]
            current.seconds += float(m["seconds"])
        elif current is not None and (m := _COUNTS.match(line)):
            if phase in _INPUT_PHASES:
                current.failing += int(m["failing"])
                current.passing += int(m["passing"])
                current.invalid += int(m["invalid"])
        elif current is not None and (m := _STOPPED.match(line)):
            current.stopped = m["why"]
            current = None
        elif m := _PYTEST.match(line):
            run.result = m["result"]
        elif current is not None and line.startswith("    - ") and "passing" in line:
            raise SummaryError(f"{path}:{number}: unreadable hypothesis statistics: {line!r}")
    if run.exit is None:
        run.result = run.result or "ingen slutlinje: kørslen blev afbrudt"
    return run


def _stopped_da(p: Property) -> str:
    why = p.stopped
    if p.failing:
        return "fejl fundet"
    if why.startswith("settings.max_examples="):
        return "alle input prøvet"
    if "nothing left to do" in why:
        return "ikke flere forskellige input"
    return why


def _da(number: float) -> str:
    """A whole number as Danish text: 10.000 (only the number: names may hold commas)."""
    return f"{number:,.0f}".replace(",", ".")


def markdown(runs: list[FileRun]) -> str:
    lines = ["| egenskab | input prøvet | ugyldige | fejl | sekunder | stoppede fordi |",
             "|---|---:|---:|---:|---:|---|"]
    for run in runs:
        for p in run.properties:
            name = p.node.removeprefix("tests/reliability/").replace("|", "\\|")
            lines.append(f"| `{name}` | {_da(p.passing)} | {_da(p.invalid)} | {p.failing} | "
                         f"{_da(p.seconds)} | {_stopped_da(p)} |")
    lines += ["", "| testfil | resultat | sekunder | exit |", "|---|---|---:|---:|"]
    for run in runs:
        seconds = "–" if run.seconds is None else _da(run.seconds)
        code = "–" if run.exit is None else str(run.exit)
        lines.append(f"| `{run.file}.py` | {run.result} | {seconds} | {code} |")
    return "\n".join(lines) + "\n"


def text(runs: list[FileRun]) -> str:
    out = []
    for run in runs:
        state = "ok" if run.ok else "FAILED"
        out.append(f"{run.file}: {state} ({run.result}; {run.seconds} s; exit {run.exit})")
        for p in run.properties:
            out.append(f"  {p.node}: {p.passing} inputs, {p.invalid} invalid, "
                       f"{p.failing} failing, {p.seconds:.0f} s; stopped because {p.stopped}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fuzz_summary", description=__doc__.split("\n")[0])
    parser.add_argument("logs", nargs="+", type=Path)
    parser.add_argument("--markdown", type=Path, help="also write the summary as Markdown here")
    args = parser.parse_args(argv)
    try:
        runs = [parse_log(p) for p in args.logs]
    except (SummaryError, OSError) as exc:
        print(f"fuzz_summary: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text(runs))
    if args.markdown:
        args.markdown.write_text(markdown(runs), encoding="utf-8")
    failed = [r.file for r in runs if not r.ok]
    if failed:
        print(f"fuzz-long: failed or unfinished: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"fuzz-long: all {len(runs)} files passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
