"""Compiling pauses Python's cyclic garbage collector and leaves it as it found it.

The pause is what keeps `check` linear in the size of a pack (issue 15: the
collector's full collections re-traversed the growing tree, ~40 % of the time
of a 100× pack); a compile must not leave a program's collector switched off,
nor switch on one the program had switched off.
"""

import gc
from pathlib import Path

from regelkode.checks.analysis import compile_checked
from regelkode.passes.pipeline import collector_paused

ROOT = Path(__file__).resolve().parents[2]


def test_the_collector_is_off_while_compiling_and_as_before_after():
    states = []
    with collector_paused():
        states.append(gc.isenabled())
    assert gc.isenabled()
    compiled = compile_checked(ROOT / "tests/packs/eksempel")
    assert compiled.ok
    assert gc.isenabled()
    gc.disable()
    try:
        compile_checked(ROOT / "tests/packs/eksempel")
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert states == [False]


def test_the_collector_comes_back_when_compiling_fails():
    try:
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("a pass that fails")
    except RuntimeError:
        pass
    assert gc.isenabled()
