"""Rule files are loaded safely: no object-building tags, bounded aliases, nothing outside.

A rule pack comes from a repository, so it is input like any other: YAML
tags that construct Python objects (or any custom tag) are refused with a
position and never run; anchors and aliases can't blow up memory; and no
file of the pack — symlinks, `sag:` paths in examples, `udvider:` — can make
the compiler read a file outside the pack (or a FIFO or device inside it).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from .support import assert_clean_outcome, positioned_errors, run_cli, write_pack

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


def _check(pack, *extra) -> object:
    run = run_cli(["check", pack, *extra], limit=60)
    assert_clean_outcome(run)
    return run


# --- tags ------------------------------------------------------------------------------

def _tagged(marker: Path) -> list[str]:
    """YAML that would run code or build objects if loaded with an unsafe loader."""
    return [
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/object:pathlib.Path {}",
        "!!python/module:os",
        f"!!python/object/new:os.system ['touch {marker}']",
        "!custom værdi",
        "!<tag:example.com,2024:x> værdi",
        "!!binary aGVq",
        "!!set {a: null}",
        "!!omap [{a: 1}]",
        "!!pairs [{a: 1}]",
    ]


@pytest.mark.parametrize("index", range(12))
@pytest.mark.parametrize("where", ["value", "fact", "manifest", "law", "conflicts"])
def test_constructing_tags_are_refused_with_a_position_and_never_run(tmp_path, index, where):
    marker = tmp_path / "kørt"
    tag = _tagged(marker)[index]
    files, manifest = {"regler.yaml": GOOD}, None
    if where == "value":
        files["regler.yaml"] = GOOD.replace("krav: a > 1", f"krav: {tag}")
    elif where == "fact":
        files["regler.yaml"] = GOOD.replace("  a: {type: heltal, beskrivelse: x}",
                                            f"  a: {tag}")
    elif where == "manifest":
        manifest = f"id: p\ntitel: {tag}\nversion: 1.0.0\n"
    elif where == "law":
        files["kilder/love/lov.yaml"] = f"kort: {tag}\n"
    else:
        files["konflikter.yaml"] = f"konflikter: {tag}\n"
    pack = write_pack(tmp_path, "p", files, manifest=manifest)
    run = _check(pack)
    assert run.code == 1
    assert not marker.exists(), "a tag ran code"
    errors = positioned_errors(run.err)
    assert errors, run.err
    assert re.search(r"error\[(yaml-tag|yaml-syntax)\]", run.err), run.err


def test_tags_refused_in_every_command(tmp_path):
    marker = tmp_path / "kørt"
    pack = write_pack(tmp_path, "p", {"regler.yaml": GOOD.replace(
        "krav: a > 1", f"krav: !!python/object/apply:os.system ['touch {marker}']")})
    case = tmp_path / "sag.json"
    case.write_text("{}")
    for argv in (["build", pack, "--no-site", "--out", tmp_path / "b"], ["test", pack],
                 ["eval", pack, case]):
        run = run_cli(argv)
        assert_clean_outcome(run)
        assert run.code == 1 and "error[yaml-tag]" in run.err
    assert not marker.exists()


# --- aliases -----------------------------------------------------------------------------

BOMBS = {
    "billion laughs": "\n".join(
        ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]) + "\n",
    "nøgler": "\n".join(
        ["a0: &a0 {x: 1, y: 2, z: 3, w: 4}"]
        + [f"a{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}, r: *a{i - 1}, s: *a{i - 1}}}"
           for i in range(1, 14)]) + "\n",
    "flet": "a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n",
    "rekursiv": "a: &a [1, *a]\n",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_alias_expansion_is_bounded(tmp_path, name):
    pack = write_pack(tmp_path, "p", {"regler.yaml": BOMBS[name]})
    start = time.monotonic()
    run = _check(pack)
    assert time.monotonic() - start < 20
    assert run.code == 1
    assert positioned_errors(run.err)
    if name in ("billion laughs", "nøgler"):
        assert "error[yaml-size]" in run.err


# --- nothing outside the pack ---------------------------------------------------------

@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside the pack whose content must never show up anywhere."""
    path = tmp_path / "udenfor" / "hemmelig.yaml"
    path.parent.mkdir()
    path.write_text("regler:\n  hemmelig_regel:\n    titel: HEMMELIGT-INDHOLD\n", encoding="utf-8")
    return path


def _leaks(run) -> bool:
    return "HEMMELIGT" in run.text or "hemmelig_regel" in run.text


@pytest.mark.parametrize("where", ["regler.yaml", "pakke.yaml", "konflikter.yaml",
                                   "kilder/love/lov.yaml", "kilder/dokumenter/001.txt"])
def test_a_symlink_to_a_file_outside_is_not_read(tmp_path, secret, where):
    files = {"regler.yaml": GOOD}
    pack = write_pack(tmp_path, "p", files)
    link = pack / where
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.exists():
        link.unlink()
    link.symlink_to(secret)
    run = _check(pack)
    assert not _leaks(run), run.text
    if where in ("regler.yaml", "pakke.yaml"):
        assert run.code == 1 and "error[outside-pack]" in run.err, run.err


def test_a_symlinked_folder_outside_is_not_read(tmp_path, secret):
    pack = write_pack(tmp_path, "p", {"regler.yaml": GOOD})
    (pack / "kilder").symlink_to(secret.parent, target_is_directory=True)
    (pack / "sager").symlink_to(secret.parent, target_is_directory=True)
    run = _check(pack)
    assert not _leaks(run), run.text


@pytest.mark.parametrize("ref", ["../../udenfor/hemmelig.yaml", "../udenfor/hemmelig.yaml",
                                 "{secret}", "sager/link.json", "sager/../../udenfor/x.json",
                                 "/etc/passwd", "/dev/zero", "sager/fifo.json"])
def test_an_example_case_outside_the_pack_is_refused(tmp_path, secret, ref):
    ref = ref.format(secret=secret)
    rule = GOOD + f"""    eksempler:
      - navn: udefra
        dato: 2024-01-01
        sag: {ref}
        forventet: opfyldt
"""
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    (pack / "sager").mkdir(exist_ok=True)
    (pack / "sager" / "link.json").symlink_to(secret)
    os.mkfifo(pack / "sager" / "fifo.json")
    start = time.monotonic()
    run = run_cli(["test", pack], limit=60)
    assert time.monotonic() - start < 30, "reading the case must not block or run forever"
    assert_clean_outcome(run)
    assert run.code == 1
    assert not _leaks(run)
    assert re.search(r"sagen `[^`]*` (ligger uden for pakken|kan ikke læses|er ikke en fil)",
                     run.err), run.err


@pytest.mark.parametrize("parent", ["../x", "..", "/etc", "x/../y", "ud", "rules"])
def test_udvider_cannot_reach_outside_the_rules_folder(tmp_path, secret, parent):
    rules = tmp_path / "rules"
    # `ud` is a sibling that is really a symlink to a pack folder elsewhere
    outside = write_pack(tmp_path / "andetsteds", "ud", {"regler.yaml": "regler:\n"
                         "  hemmelig_regel: {titel: HEMMELIGT, område: o, alvor: brud, "
                         "krav: sand, meddelelse: m}\n"})
    rules.mkdir()
    (rules / "ud").symlink_to(outside, target_is_directory=True)
    pack = write_pack(rules, "p", {"regler.yaml": GOOD},
                      manifest=f'id: p\ntitel: T\nversion: 1.0.0\nudvider: ["{parent}"]\n')
    run = _check(pack)
    assert run.code == 1
    assert not _leaks(run)
    assert positioned_errors(run.err)


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "dir"])
def test_a_rule_file_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    pack = write_pack(tmp_path, "p", {"regler.yaml": GOOD})
    odd = pack / "andet.yaml"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "dev_zero":
        # inside the pack by name, so only the file kind can stop the read
        odd.symlink_to("/dev/zero")
    else:
        odd.mkdir()
    start = time.monotonic()
    run = _check(pack)
    assert time.monotonic() - start < 20
    if kind != "dir":
        assert run.code == 1, run.text
        assert positioned_errors(run.err)
