"""The long run's summary reads real hypothesis statistics, and a failure or an
unfinished file is never summarised as a pass."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from .fuzz_summary import main, parse_log

HOLDS = textwrap.dedent("""
    from hypothesis import assume, given, settings, strategies as st

    @settings(max_examples=40, database=None, derandomize=True)
    @given(st.integers())
    def test_holds(x):
        assume(x % 7 != 3)
""")
BREAKS = textwrap.dedent("""
    @settings(max_examples=40, database=None, derandomize=True)
    @given(st.integers())
    def test_breaks(x):
        assert x < 5

    def test_plain():
        pass
""")
PROPERTIES = HOLDS + BREAKS


def _run(tmp_path, source: str, name: str):
    test_file = tmp_path / f"{name}.py"
    test_file.write_text(source, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--hypothesis-show-statistics", str(test_file)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    log = tmp_path / f"{name}.log"
    log.write_text(proc.stdout + proc.stderr
                   + f"fuzz-long: {name} examples=40 seconds=1 exit={proc.returncode}\n",
                   encoding="utf-8")
    return log


def test_counts_come_from_the_statistics(tmp_path):
    run = parse_log(_run(tmp_path, PROPERTIES, "test_mixed"))
    by_name = {p.node.rsplit("::", 1)[1]: p for p in run.properties}
    assert set(by_name) == {"test_holds", "test_breaks"}
    holds, breaks = by_name["test_holds"], by_name["test_breaks"]
    assert holds.passing == 40 and holds.failing == 0
    assert holds.stopped == "settings.max_examples=40"
    assert breaks.failing >= 1
    assert run.exit == 1 and not run.ok
    assert run.result == "1 failed, 2 passed"


def test_only_a_clean_run_of_every_file_passes(tmp_path, capsys):
    good = _run(tmp_path, HOLDS, "test_good")
    bad = _run(tmp_path, PROPERTIES, "test_bad")
    out = tmp_path / "summary.md"
    assert main(["--markdown", str(out), str(good)]) == 0
    assert "| `test_good.py::test_holds` | 40 | " in out.read_text(encoding="utf-8")
    assert main([str(good), str(bad)]) == 1
    assert main([str(good), str(tmp_path / "test_never_finished.log")]) == 1
    interrupted = tmp_path / "test_cut.log"
    interrupted.write_text(good.read_text(encoding="utf-8").rsplit("fuzz-long:", 1)[0],
                           encoding="utf-8")
    assert main([str(good), str(interrupted)]) == 1
    killed = tmp_path / "test_killed.log"
    killed.write_text("..E.fuzz-long: test_killed examples=40 seconds=9 exit=143\n",
                      encoding="utf-8")
    assert parse_log(killed).exit == 143
    assert main([str(good), str(killed)]) == 1
    assert "test_never_finished" in capsys.readouterr().err


def test_an_unreadable_statistics_line_is_an_error_with_its_position(tmp_path, capsys):
    log = tmp_path / "test_odd.log"
    log.write_text("tests/x.py::test_a[1, 2]:\n\n  - during generate phase (1.00 seconds):\n"
                   "    - 12 passing and 0 failing\n"
                   "fuzz-long: test_odd examples=40 seconds=1 exit=0\n", encoding="utf-8")
    assert main([str(log)]) == 1
    assert f"{log}:4: unreadable hypothesis statistics" in capsys.readouterr().err


def test_numbers_are_danish_and_names_are_left_alone(tmp_path):
    log = tmp_path / "test_commas.log"
    log.write_text("tests/x.py::test_a[1, 2]:\n\n  - during generate phase (1234.00 seconds):\n"
                   "    - 12000 passing, 0 failing, and 1500 invalid test cases\n\n"
                   "  - Stopped because settings.max_examples=12000\n"
                   "fuzz-long: test_commas examples=40 seconds=4321 exit=0\n", encoding="utf-8")
    out = tmp_path / "summary.md"
    assert main(["--markdown", str(out), str(log)]) == 0
    table = out.read_text(encoding="utf-8")
    assert ("| `tests/x.py::test_a[1, 2]` | 12.000 | 1.500 | 0 | 1.234 | alle input prøvet |"
            in table)
    assert "| `test_commas.py` |  | 4.321 | 0 |" in table
