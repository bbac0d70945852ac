"""Broken packs kept as files; each must fail `check` with exactly the expected diagnostics.

One folder per case under tests/golden/fejl/<case>/: the pack in <case>/<case>/ and
the expected text (message, file:line:column, source line and caret) in forventet.txt.
Run pytest with --update-golden to rewrite forventet.txt after a deliberate change.
"""

import contextlib
import io
from pathlib import Path

import pytest

from regelkode.cli import main

HERE = Path(__file__).resolve().parents[1] / "golden" / "fejl"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())


def run_check(pack: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(pack)])
    return code, err.getvalue() + out.getvalue()


def test_there_are_at_least_15_kinds_of_bad_input():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_positioned_diagnostics(case, repo_root, monkeypatch, update_golden):
    monkeypatch.chdir(repo_root)
    code, text = run_check(Path("tests/golden/fejl") / case / case)
    assert code == 1, text
    assert "Traceback" not in text
    expected = HERE / case / "forventet.txt"
    if update_golden or not expected.exists():
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    # Every error names a file:line:column.
    for line in text.splitlines():
        if "error[" in line:
            location = line.split(": error[")[0]
            assert location.count(":") == 2, line
