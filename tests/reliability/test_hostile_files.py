"""Files an attacker (or an accident) puts in a pack: FIFOs, devices, huge sparse
files and symlink loops end every command quickly with a Danish diagnostic.

The loader already refused a FIFO or /dev/zero, but the diagnostic printer then
read the whole refused file to show the line under the caret: `check` blocked
forever on a FIFO and ran out of memory on /dev/zero or an 8 GB sparse file.
These run the CLI in a child process (with an address-space limit), in the
pack's parent folder, so the diagnostic names a file the printer can open.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from regelkode import diagnostics

from .support import assert_clean_outcome, run_cli, write_pack

GOOD = """fakta:
  a: {type: heltal, beskrivelse: x}
regler:
  r:
    titel: T
    område: o
    alvor: brud
    krav: a > 1
    meddelelse: m
"""

LIMIT_BYTES = 2_000_000_000   # far below the 8 GB a whole-file read of the sparse file takes


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _cli(cwd: Path, *argv, timeout: float = 60):
    try:
        proc = subprocess.run([sys.executable, "-m", "regelkode", *map(str, argv)], cwd=cwd,
                              capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limited)
    except subprocess.TimeoutExpired:
        pytest.fail(f"regelkode {' '.join(map(str, argv))} did not end within {timeout} s")
    return proc


def _odd_file(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        with open(path, "wb") as fh:
            fh.truncate(8 * 1024 ** 3)


@pytest.mark.parametrize("kind", ["fifo", "zero", "huge"])
@pytest.mark.parametrize("command", ["check", "test", "build"])
def test_a_pack_with_an_unreadable_file_ends_with_an_error(tmp_path, kind, command):
    write_pack(tmp_path, "p", {"regler.yaml": GOOD})
    _odd_file(tmp_path / "p" / "andet.yaml", kind)
    argv = [command, "p"] + (["--no-site", "--out", "ud"] if command == "build" else [])
    proc = _cli(tmp_path, *argv)
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text and "MemoryError" not in text, text
    assert proc.returncode == 1, text
    assert "p/andet.yaml:1:1: error[" in proc.stderr, text


CARET = """
import sys
from regelkode import diagnostics as D
line = D.SourceCache(sys.argv[1]).line("andet.yaml", 1)
shown = D.format_text([D.Diagnostic("error", "x", "m", D.Span("andet.yaml", 1, 1))],
                      D.SourceCache(sys.argv[1]))
print(-1 if line is None else len(line), max(len(s) for s in shown.splitlines()))
"""


@pytest.mark.parametrize("kind", ["fifo", "zero", "huge"])
def test_the_caret_printer_reads_only_a_prefix_of_a_refused_file(tmp_path, kind):
    # In a child with an address-space limit: a regression must not eat the machine's memory.
    _odd_file(tmp_path / "andet.yaml", kind)
    try:
        proc = subprocess.run([sys.executable, "-c", CARET, str(tmp_path)], capture_output=True,
                              text=True, timeout=20, preexec_fn=_limited)
    except subprocess.TimeoutExpired:
        pytest.fail("showing the source line of a refused file blocked")
    assert proc.returncode == 0, proc.stderr[-2000:]
    line, widest = map(int, proc.stdout.split())
    if kind == "huge":
        assert 0 <= line <= diagnostics.MAX_SOURCE_PREFIX
    else:
        assert line == -1, "a FIFO or a device shows no line"
    assert widest < 1100, "the caret line is cut short"


# --- symlink loops ----------------------------------------------------------------

LOOPS = {
    "regelfil": "loop.yaml",
    "sag": "sager/loop.json",
    "dokument": "kilder/dokumenter/loop.txt",
    "lov": "kilder/love/loop.yaml",
    "konflikter": "konflikter.yaml",
}


@pytest.mark.parametrize("where", sorted(LOOPS))
@pytest.mark.parametrize("command", ["check", "test"])
def test_a_symlink_loop_in_a_pack_is_a_diagnostic(tmp_path, where, command):
    pack = write_pack(tmp_path, "p", {"regler.yaml": GOOD})
    link = pack / LOOPS[where]
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(link.name)
    run = run_cli([command, pack], limit=60)
    assert_clean_outcome(run)
    assert run.code == 1, run.text
    assert "error[symlink-loop]" in run.err and "løkke" in run.err, run.err


def test_an_examples_sag_that_is_a_symlink_loop_is_refused(tmp_path):
    rule = GOOD + """    eksempler:
      - navn: løkke
        dato: 2024-01-01
        sag: andre/a.json
        forventet: opfyldt
"""
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    (pack / "andre").mkdir()     # not sager/, which the loader itself reads
    (pack / "andre" / "a.json").symlink_to("b.json")
    (pack / "andre" / "b.json").symlink_to("a.json")
    run = run_cli(["test", pack], limit=60)
    assert_clean_outcome(run)
    assert run.code == 1
    assert "sagen `andre/a.json` kan ikke læses" in run.text, run.text


def test_a_pack_folder_that_is_a_symlink_loop_is_a_diagnostic(tmp_path):
    (tmp_path / "p").symlink_to("p")
    run = run_cli(["check", tmp_path / "p"], limit=60)
    assert_clean_outcome(run)
    assert run.code == 1


# --- eval reads only regular files ------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "zero", "loop", "dir"])
def test_eval_of_a_case_that_is_not_a_regular_file_is_refused_at_once(tmp_path, kind):
    pack = write_pack(tmp_path, "p", {"regler.yaml": GOOD})
    case = tmp_path / "sag.json"
    if kind == "loop":
        case.symlink_to("sag.json")
    elif kind == "dir":
        case.mkdir()
    else:
        _odd_file(case, kind)
    run = run_cli(["eval", pack, case], limit=20)
    assert_clean_outcome(run)
    assert run.code == 1 and "sagen afvises" in run.err, run.text
    assert str(case) in run.err, "the message names the file as given"
    # why, in Danish: a loop is named as one, not as the OS's "Too many levels of …"
    if kind == "loop":
        assert "filen er en symlink, der peger på sig selv (en løkke)" in run.err, run.err


def test_a_case_file_that_cannot_be_opened_says_why_in_danish(tmp_path):
    pack = write_pack(tmp_path, "p", {"regler.yaml": GOOD})
    run = run_cli(["eval", pack, tmp_path / "mangler.json"], limit=20)
    assert_clean_outcome(run)
    assert run.code == 1 and "kan ikke læse filen: den findes ikke" in run.err, run.text


# --- names in bytes that are not UTF-8 --------------------------------------------

def test_a_pack_under_a_folder_named_in_latin1_builds_and_says_where(tmp_path):
    """A folder named in another encoding (`\\xe6ldre`, Latin-1 from an old share) gives
    os lone surrogates, which no UTF-8 file or message can hold. The pack's displayed
    name writes the byte as `\\xe6`, so every command works; `build` used to end in a
    UnicodeEncodeError writing the generated module's first line."""
    parent = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"\xe6ldre")))
    pack = write_pack(parent, "p", {"regler.yaml": GOOD})
    out = tmp_path / "ud"
    for argv in (["check", pack], ["test", pack], ["sql", pack],
                 ["build", pack, "--out", out], ["check", pack, "--format", "json"]):
        proc = _cli(tmp_path, *argv)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, (argv, proc.stderr)
    first = (out / "p" / "p.py").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith("\\xe6ldre/p — do not edit.")
