"""Builds are atomic: a build that fails halfway leaves the previous output as it was.

Failures tried: an error in one rule file, a full disk (ENOSPC) at every
write of the staging step, `os.replace` failing at every rename of the swap
step, and a real process killed with SIGKILL in the middle of writing and
between the two renames. Afterwards `build/<pack>/` must hold the previous
bytes exactly (after the recovery the next `regelkode` run does first), with
no staging or `.old` folders left behind.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regelkode import output

from .support import fuzz_settings, run_cli, tree_bytes, write_pack

RULE = """fakta:
  a: {{type: heltal, beskrivelse: x}}
regler:
  r:
    titel: {titel}
    område: o
    alvor: brud
    krav: a > {n}
    meddelelse: m
"""


def _packs(root: Path, version: int, broken: bool = False) -> list[Path]:
    """Two packs; `version` changes their output, `broken` puts an error in the second."""
    return [write_pack(root, "alfa", {"regler.yaml": RULE.format(titel=f"A{version}", n=version)}),
            write_pack(root, "beta", {"regler.yaml": RULE.format(
                titel=f"B{version}", n="(" if broken else version)})]


def _build(packs, out: Path):
    return run_cli(["build", *packs, "--no-site", "--quiet", "--out", out])


def _snapshot(out: Path) -> dict:
    return {p.name: tree_bytes(p) for p in sorted(out.iterdir())} if out.exists() else {}


def _litter(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()
                  if p.name.endswith(".old") or ".staging-" in p.name or p.name.startswith(".rege"))


@pytest.fixture
def built(tmp_path):
    """A first good build; returns (out folder, its bytes, packs for a second build)."""
    out = tmp_path / "build"
    first = _build(_packs(tmp_path / "v1", 1), out)
    assert first.code == 0, first.text
    before = _snapshot(out)
    assert set(before) == {"alfa", "beta"} and all(before.values())
    return out, before, _packs(tmp_path / "v2", 2)


def test_a_second_build_replaces_the_output(built):
    out, before, packs = built
    assert _build(packs, out).code == 0
    after = _snapshot(out)
    assert after != before and set(after) == set(before)
    assert _litter(out) == []


def test_an_error_in_one_file_writes_nothing(built, tmp_path):
    out, before, _ = built
    run = _build(_packs(tmp_path / "v3", 3, broken=True), out)
    assert run.code == 1 and "intet er skrevet" in run.err
    assert _snapshot(out) == before


def _count_calls(monkeypatch, obj, name):
    calls = []
    real = getattr(obj, name)

    def spy(*a, **k):
        calls.append(a)
        return real(*a, **k)
    monkeypatch.setattr(obj, name, spy)
    return calls


def _nth_call_fails(monkeypatch, obj, name, n, exc):
    real = getattr(obj, name)
    seen = [0]

    def failing(*a, **k):
        seen[0] += 1
        if seen[0] == n:
            raise exc
        return real(*a, **k)
    monkeypatch.setattr(obj, name, failing)


def test_the_build_does_enough_writes_and_renames_to_test(built, monkeypatch):
    """The fault tests below fail each write and each rename; make sure there are several."""
    out, _, packs = built
    writes = _count_calls(monkeypatch, output, "_write")
    renames = _count_calls(monkeypatch, output.os, "replace")
    assert _build(packs, out).code == 0
    assert len(writes) >= 4 and len(renames) >= 4


@pytest.mark.parametrize("n", range(1, 5))
def test_a_full_disk_while_staging_leaves_everything_as_before(built, monkeypatch, n):
    out, before, packs = built
    _nth_call_fails(monkeypatch, output, "_write", n,
                    OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    run = _build(packs, out)
    assert run.code == 1
    assert "kunne ikke skrive byggeresultatet" in run.err and "No space left" in run.err
    assert _snapshot(out) == before, f"write {n} failed, yet the output changed"
    assert _litter(out) == []


@pytest.mark.parametrize("n", range(1, 6))     # the journal, then two renames per pack
def test_a_failing_rename_leaves_everything_as_before(built, monkeypatch, n):
    out, before, packs = built
    _nth_call_fails(monkeypatch, output.os, "replace", n, OSError(errno.EIO, "I/O-fejl"))
    run = _build(packs, out)
    assert run.code == 1, run.text
    assert _snapshot(out) == before, f"rename {n} failed, yet the output changed"
    assert _litter(out) == []


@fuzz_settings(scale=0.25)
@given(plan=st.lists(st.sampled_from(["ok", "enospc", "eio"]), min_size=1, max_size=12))
def test_any_pattern_of_io_failures_leaves_old_or_new_never_a_mix(plan):
    """Writes and renames fail by a random plan; the result is wholly old or wholly new."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "build"
        assert _build(_packs(tmp / "v1", 1), out).code == 0
        before = _snapshot(out)
        packs = _packs(tmp / "v2", 2)
        calls = iter(plan)
        real_write, real_replace = output._write, output.os.replace

        def step(real):
            def run(*a, **k):
                what = next(calls, "ok")
                if what == "enospc":
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                if what == "eio":
                    raise OSError(errno.EIO, "I/O-fejl")
                return real(*a, **k)
            return run

        output._write, output.os.replace = step(real_write), step(real_replace)
        try:
            run = _build(packs, out)
        finally:
            output._write, output.os.replace = real_write, real_replace
        if run.code == 0:
            assert _snapshot(out) != before
        else:
            # A rename that fails while undoing a failed swap leaves `<pack>.old`
            # for the next run to put back; that run starts with recover().
            for pack in ("alfa", "beta"):
                output.recover(out / pack)
            assert _snapshot(out) == before
        assert _litter(out) == []
        # and the next build works and leaves no trace of the failed one
        assert _build(packs, out).code == 0
        assert _litter(out) == []


# --- a real process, killed ------------------------------------------------------------

KILLER = textwrap.dedent("""
    import os, signal, sys
    from regelkode import output
    from regelkode.cli import main
    where, n = sys.argv[1], int(sys.argv[2])
    seen = [0]
    if where == "write":
        real = output._write
        def write(path, data):
            seen[0] += 1
            if seen[0] == n:
                with open(path, "wb") as fh:          # half a file, then the kill
                    fh.write(data[: len(data) // 2])
                    fh.flush()
                os.kill(os.getpid(), signal.SIGKILL)
            return real(path, data)
        output._write = write
    else:
        real = os.replace
        def replace(a, b):
            seen[0] += 1
            if seen[0] == n:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(a, b)
        output.os.replace = replace
    sys.exit(main(sys.argv[3:]))
""")


def _killed_build(where: str, n: int, packs, out: Path) -> int:
    proc = subprocess.run([sys.executable, "-c", KILLER, where, str(n), "build", *map(str, packs),
                           "--no-site", "--quiet", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    return proc.returncode


@pytest.mark.parametrize(("where", "n"), [("write", 1), ("write", 3), ("write", 5),
                                          ("replace", 1), ("replace", 2), ("replace", 3),
                                          ("replace", 4), ("replace", 5)])
def test_a_build_killed_midway_leaves_the_previous_output(built, tmp_path, where, n):
    out, before, packs = built
    code = _killed_build(where, n, packs, out)
    assert code == -signal.SIGKILL, "the build must have been killed at that point"
    # Whatever the kill left, the next run of regelkode puts things right first,
    # even a build that stops at a compile error and writes nothing.
    run = _build(_packs(tmp_path / "v3", 3, broken=True), out)
    assert run.code == 1
    assert _snapshot(out) == before
    assert _litter(out) == []


def test_sigkill_at_random_moments_never_leaves_a_mix(tmp_path):
    """A real build of a bigger pack, killed after random delays: old or new, never a mix."""
    import random
    rng = random.Random(6)
    out = tmp_path / "build"
    rule = "".join(RULE.format(titel=f"T{i}", n=i).replace("  r:", f"  r{i}:").split(
        "regler:\n")[1] for i in range(300))
    big_old = write_pack(tmp_path / "old", "stor", {"regler.yaml": "fakta:\n  a: {type: heltal, "
                         "beskrivelse: x}\nregler:\n" + rule})
    big_new = write_pack(tmp_path / "new", "stor", {"regler.yaml": "fakta:\n  a: {type: heltal, "
                         "beskrivelse: x}\nregler:\n" + rule.replace("titel: T", "titel: N")})
    assert _build([big_old], out).code == 0
    old_bytes = _snapshot(out)
    assert _build([big_new], out).code == 0
    new_bytes = _snapshot(out)
    assert _build([big_old], out).code == 0
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-m", "regelkode", "build", str(big_new),
                                 "--no-site", "--quiet", "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.5))
        proc.kill()
        proc.wait()
        output.recover(out / "stor")
        now = _snapshot(out)
        assert now in (old_bytes, new_bytes), "a killed build left a mix of old and new"
        assert _build([big_old], out).code == 0


def test_a_build_killed_in_the_site_step_leaves_packs_and_site_as_before(tmp_path):
    """The site is swapped in with the packs: a kill while MkDocs runs changes nothing.

    On the old main the packs were swapped first and the site built after, so a
    kill in MkDocs left new packs beside the old site, and `.site-work-<pid>/`
    stayed in build/ for good.
    """
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "build"
    first = run_cli(["build", *_packs(tmp_path / "v1", 1), "--quiet", "--out", out])
    assert first.code == 0, first.text
    before = _snapshot(out)
    assert {"alfa", "beta", "site"} <= set(before)
    proc = subprocess.Popen([sys.executable, "-m", "regelkode", "build",
                             *map(str, _packs(tmp_path / "v2", 2)), "--quiet", "--out", str(out)],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    work = out / f".site-work-{proc.pid}"
    deadline = time.monotonic() + 120
    while not (work / "mkdocs.yml").exists() and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never reached the site step"
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert {k: v for k, v in _snapshot(out).items() if not k.startswith(".")} == before, (
        "a build killed in the site step left a mix of new and old")
    # the next build, even one that stops at a compile error, clears what the kill left
    run = run_cli(["build", *_packs(tmp_path / "v3", 3, broken=True), "--quiet", "--out", out])
    assert run.code == 1
    assert _snapshot(out) == before
    assert not list(out.glob(".site-work-*"))
