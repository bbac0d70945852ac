"""Diagnostics: one value type for every problem a pass finds.

In: spans and messages from any pass. Out: text with the source line and a
caret, JSON, or GitHub workflow annotations. Passes never raise on bad
input; they append a `Diagnostic` and go on, so a run reports all errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .files import read_prefix

ERROR = "error"
WARNING = "warning"

MAX_SHOWN = 50


@dataclass(frozen=True, order=True)
class Span:
    """A region of a source file; lines and columns count from 1."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    code: str
    message: str
    span: Span | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self):
        s = self.span or Span("", 0, 0)
        return (s.file, s.line, s.column, self.code, self.message)


@dataclass
class Diagnostics:
    """A collector passed through the pipeline."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, span: Span | None = None, hint: str | None = None):
        self.items.append(Diagnostic(ERROR, code, message, span, hint))

    def warning(self, code: str, message: str, span: Span | None = None, hint: str | None = None):
        self.items.append(Diagnostic(WARNING, code, message, span, hint))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.severity, d.code, d.message, d.span, d.hint): d for d in self.items}
        return sorted(unique.values(), key=Diagnostic.sort_key)


# The caret line is read from at most this much of a file: the file may be one the
# loader refused (a FIFO, /dev/zero, an 8 GB sparse file), so it is never read whole.
MAX_SOURCE_PREFIX = 4_000_000
# A caret line is cut here: a minified or binary "line" would fill the terminal.
MAX_SHOWN_LINE = 1000


class SourceCache:
    """Reads source lines for carets; a file that can't be read shows no line."""

    def __init__(self, root: Path | None = None):
        self.root = root or Path.cwd()
        self._lines: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._lines:
            path = Path(file)
            if not path.is_absolute():
                path = self.root / path
            data = read_prefix(path, MAX_SOURCE_PREFIX)
            self._lines[file] = data.decode("utf-8", errors="replace").splitlines()
        lines = self._lines[file]
        if 1 <= number <= len(lines):
            return lines[number - 1]
        return None


def format_text(diags: list[Diagnostic], sources: SourceCache | None = None) -> str:
    sources = sources or SourceCache()
    out: list[str] = []
    for d in diags[:MAX_SHOWN]:
        where = f"{d.span}: " if d.span else ""
        out.append(f"{where}{d.severity}[{d.code}]: {d.message}")
        if d.span and d.span.line:
            src = sources.line(d.span.file, d.span.line)
            if src is not None:
                src = src.replace("\t", " ")
                if len(src) > MAX_SHOWN_LINE:
                    src = src[:MAX_SHOWN_LINE] + "…"
                width = 1
                if d.span.end_line == d.span.line and d.span.end_column > d.span.column:
                    width = d.span.end_column - d.span.column
                out.append(f"  {d.span.line:>4} | {src}")
                out.append("       | " + " " * (d.span.column - 1) + "^" * max(1, min(width, 80)))
        if d.hint:
            out.append(f"       = hint: {d.hint}")
    if len(diags) > MAX_SHOWN:
        out.append(f"… and {len(diags) - MAX_SHOWN} more")
    n_err = sum(1 for d in diags if d.is_error)
    n_warn = len(diags) - n_err
    if diags:
        out.append(f"{n_err} error(s), {n_warn} warning(s)")
    return "\n".join(out)


def to_json(diags: list[Diagnostic]) -> str:
    rows = []
    for d in diags:
        row = {"severity": d.severity, "code": d.code, "message": d.message, "hint": d.hint}
        if d.span:
            row.update(file=d.span.file, line=d.span.line, column=d.span.column,
                       end_line=d.span.end_line, end_column=d.span.end_column)
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def to_github(diags: list[Diagnostic]) -> str:
    out = []
    for d in diags:
        kind = "error" if d.is_error else "warning"
        msg = d.message + (f" (hint: {d.hint})" if d.hint else "")
        if d.span:
            props = (f"file={_gh_escape(d.span.file, True)},line={d.span.line},"
                     f"col={d.span.column},title={_gh_escape(d.code, True)}")
            out.append(f"::{kind} {props}::{_gh_escape(msg)}")
        else:
            out.append(f"::{kind} title={_gh_escape(d.code, True)}::{_gh_escape(msg)}")
    return "\n".join(out)


def render(diags: list[Diagnostic], fmt: str, sources: SourceCache | None = None) -> str:
    if fmt == "json":
        return to_json(diags)
    if fmt == "github":
        return to_github(diags)
    return format_text(diags, sources)


def did_you_mean(name: str, candidates) -> str | None:
    import difflib

    best = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"mente du `{best[0]}`?" if best else None
