"""Shared machinery for the reliability tests: budgets, time limits, running the CLI.

Budgets. Every property test takes its settings from `fuzz_settings()`, which
reads the hypothesis profile chosen by the environment: CI runs the
`regelkode-ci` profile (200 examples per property, derandomized so a CI run
is reproducible); `REGELKODE_FUZZ_EXAMPLES=10000` selects `regelkode-lang`
with that many examples (`make fuzz-long`). Profiles are applied per test,
never loaded globally, so other suites' hypothesis settings are untouched.

Seeds. Derandomized, a long run of N examples repeats the same N inputs every
time. `REGELKODE_FUZZ_SEED` (set with pytest's `--hypothesis-seed` to the
same number, as `make fuzz-long FUZZ_SEED=n` does) turns derandomizing off,
so each seed explores other inputs and the same seed repeats them.

Time. Hypothesis' `deadline` reports an example that is slow; it cannot stop
one that never returns. `time_limit` arms SIGALRM around each run so a hang
becomes a test failure (`Hang`) naming the input instead of a stuck CI job.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings

from regelkode.cli import main as cli_main

EXAMPLES_ENV = "REGELKODE_FUZZ_EXAMPLES"
SEED_ENV = "REGELKODE_FUZZ_SEED"
CI_EXAMPLES = 200
# Wall-clock limit for one run of one command on one input. Generous: a
# normal run takes well under a second; this only has to catch real hangs.
HARD_LIMIT_S = 30

_COMMON = dict(
    derandomize=not os.environ.get(SEED_ENV),
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)
settings.register_profile("regelkode-ci", max_examples=CI_EXAMPLES, **_COMMON)
settings.register_profile(
    "regelkode-lang", max_examples=int(os.environ.get(EXAMPLES_ENV) or CI_EXAMPLES), **_COMMON)


def budget() -> int:
    """Examples per property in this run."""
    return int(os.environ.get(EXAMPLES_ENV) or CI_EXAMPLES)


def fuzz_settings(*, deadline_ms: int = 10_000, scale: float = 1.0, share: float = 1.0,
                  floor: int = 10):
    """Settings for one property test: the active profile, a per-example deadline.

    `scale` lets a cheap property run more examples than the floor (never fewer);
    `share` lets an expensive one (a backend in another process or a database)
    run that share of the budget, at least `floor` examples.
    """
    profile = "regelkode-lang" if os.environ.get(EXAMPLES_ENV) else "regelkode-ci"
    parent = settings.get_profile(profile)
    extra = {}
    if os.environ.get("REGELKODE_FUZZ_NO_SHRINK"):
        # While hunting: report the first failure as found, don't spend minutes shrinking it.
        extra["phases"] = [Phase.explicit, Phase.reuse, Phase.generate]
    examples = max(parent.max_examples, int(parent.max_examples * scale))
    if share < 1.0:
        examples = max(floor, int(parent.max_examples * share))
    return settings(parent, max_examples=examples,
                    deadline=timedelta(milliseconds=deadline_ms), **extra)


class Hang(BaseException):
    """Raised by SIGALRM: BaseException so no `except Exception` in the compiler hides it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    def on_alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Run:
    argv: list
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.err + self.out


def run_cli(argv: list[str], limit: float = HARD_LIMIT_S) -> Run:
    """`regelkode.cli.main(argv)` in this process, output captured, time bounded.

    An exception escaping `main` is not caught: it is exactly what these
    tests look for, and pytest shows its traceback with the input.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        with time_limit(limit), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli_main([str(a) for a in argv])
            except SystemExit as exc:  # argparse usage errors
                code = exc.code
    finally:
        forget_generated_modules()
    return Run(list(argv), code, out.getvalue(), err.getvalue())


def forget_generated_modules() -> None:
    """`eval`/`test` import each generated module; drop them so 10,000 runs don't pile up."""
    for name in [n for n in sys.modules if n.startswith("regelkode_genereret_")]:
        del sys.modules[name]


_TEXT_ERROR = re.compile(r"^(?P<file>\S[^\n]*?):(?P<line>\d+):(?P<col>\d+): error\[[\w-]+\]: ",
                         re.MULTILINE)
_GITHUB_ERROR = re.compile(r"^::error file=[^,]+,line=(\d+),col=(\d+),", re.MULTILINE)


def positioned_errors(text: str, fmt: str = "text") -> list:
    """The errors in CLI output that name a file, a line and a column (all >= 1)."""
    if fmt == "json":
        start = text.find("[")
        if start < 0:
            return []
        rows, _end = json.JSONDecoder().raw_decode(text[start:])
        return [r for r in rows if r["severity"] == "error" and r.get("file")
                and r.get("line", 0) >= 1 and r.get("column", 0) >= 1]
    if fmt == "github":
        return [m for m in _GITHUB_ERROR.finditer(text) if int(m[1]) >= 1 and int(m[2]) >= 1]
    return [m for m in _TEXT_ERROR.finditer(text) if int(m["line"]) >= 1 and int(m["col"]) >= 1]


def assert_clean_outcome(run: Run, fmt: str = "text") -> None:
    """Success, or exit 1 with at least one positioned diagnostic (or a refused case)."""
    assert "Traceback" not in run.text, run.text
    assert run.code in (0, 1), f"{run.argv}: exit {run.code}\n{run.text}"
    if run.code == 1:
        refused_case = "sagen afvises: " in run.err
        failing_examples = "eksempler: " in run.out and " failed" in run.out
        assert positioned_errors(run.err, fmt) or refused_case or failing_examples, (
            f"{run.argv}: exit 1 without a positioned diagnostic:\n{run.text}")


# --- packs on disk ---------------------------------------------------------------

MANIFEST = "id: {id}\ntitel: Fuzzpakke\nversion: 1.0.0\n"


def write_pack(root: Path, pack_id: str, files: dict[str, str | bytes],
               manifest: str | bytes | None = None) -> Path:
    """rules-like folder `root/pack_id` with a manifest and the given files."""
    pack = Path(root) / pack_id
    pack.mkdir(parents=True, exist_ok=True)
    files = {"pakke.yaml": MANIFEST.format(id=pack_id) if manifest is None else manifest,
             **files}
    for rel, data in files.items():
        path = pack / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return pack


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), to compare builds byte for byte."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- YAML text -------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"[a-zæøå_][a-zæøå0-9_]*")


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar that loads back as exactly `text`.

    json.dumps is not enough: YAML folds raw U+2028/U+0085 line breaks inside
    quotes and refuses C1 controls, and JSON's surrogate pairs for astral
    characters are two separate escapes in YAML.
    """
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= o <= 0x7E or (0xA0 <= o <= 0xD7FF and o not in (0x2028, 0x2029)) or (
                0xE000 <= o <= 0xFFFD and o != 0xFEFF):
            out.append(ch)
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def to_yaml(value, indent: int = 0) -> str:
    """Block-style YAML for dicts/lists of str/int/bool/None; every string quoted."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        lines = []
        for key, item in value.items():
            k = key if _PLAIN_KEY.fullmatch(key) else yaml_quote(key)
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{k}:\n{to_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}{k}: {_scalar(item)}\n")
        return "".join(lines)
    if isinstance(value, list):
        if not value:
            return pad + "[]\n"
        lines = []
        for item in value:
            if isinstance(item, (dict, list)) and item:
                body = to_yaml(item, indent + 2)
                lines.append(f"{pad}- {body[indent + 2:]}")
            else:
                lines.append(f"{pad}- {_scalar(item)}\n")
        return "".join(lines)
    return pad + _scalar(value) + "\n"


def _scalar(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return yaml_quote(str(value))
