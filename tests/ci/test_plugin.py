"""The pytest plugin: pack examples as items, run in a separate pytest process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from regelkode.checks.analysis import compile_checked
from regelkode.checks.examples import collect

from .helpers import EKSEMPEL, LIVE_EKSEMPEL, REPO, copy_eksempel, edit, write_pack

CONFIG = """[tool.pytest.ini_options]
testpaths = ["rules", "tests"]
"""


KOMMUNE = """
definitioner:
  lokal_frist:
    type: dato
    værdi: seks_måneders_frist + 14 dage
    eksempler:
      - {navn: to uger senere, dato: 2024-12-01, givet: {startdato: "2024-01-01"},
         forventet: 2024-07-15}
"""


def pytest_in(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=root, capture_output=True, text=True, timeout=120)


def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    pack = copy_eksempel(tmp_path)
    # the 'tre i tide' example now expects the wrong status
    edit(pack / "regler.yaml", """            - {dato: "2024-03-10", form: digital, afholdt: true}
        forventet: brud""", """            - {dato: "2024-03-10", form: digital, afholdt: true}
        forventet: opfyldt""")
    # a pack that extends eksempel tests its own layer's examples, not eksempel's
    write_pack(tmp_path, "kommune", {"lokal.yaml": KOMMUNE},
               manifest="id: kommune\ntitel: K\nversion: 0.1.0\nudvider: [eksempel]\n")
    # a pack that doesn't compile: one failing item with the diagnostics
    write_pack(tmp_path, "ødelagt", {"regler.yaml": "regler:\n  r:\n    titel: R\n"
                                     "    område: a\n    alvor: brud\n    krav: ukendt_navn\n"
                                     "    meddelelse: M.\n"},
               manifest="id: oedelagt\ntitel: Ø\nversion: 0.1.0\n")
    # test packs meant to fail are skipped: by name, or by a marker file
    packs = tmp_path / "tests" / "packs"
    for name in ("fejl_med_vilje", "markeret"):
        p = packs / name
        p.mkdir(parents=True)
        (p / "pakke.yaml").write_text("id: x\n", encoding="utf-8")
    (packs / "markeret" / ".skal-fejle").write_text("", encoding="utf-8")
    return tmp_path


def test_items_failures_and_skipped_packs(tmp_path):
    root = project(tmp_path)
    collected = pytest_in(root, "--collect-only", "-q")
    ids = [line for line in collected.stdout.splitlines() if "::" in line]
    ex = "rules/eksempel/regler.yaml"
    assert f"{ex}::fire_samtaler::tre i tide" in ids
    assert "rules/kommune/lokal.yaml::lokal_frist::to uger senere" in ids
    assert f"{ex}::seks_måneders_frist::skudår" in ids
    assert "rules/eksempel/pakke.yaml::oversættelse" in ids
    assert "rules/kommune/pakke.yaml::oversættelse" in ids
    assert "rules/ødelagt/pakke.yaml::oversættelse" in ids
    assert not [i for i in ids if "tests/packs" in i]
    n_examples = len(collect(compile_checked(EKSEMPEL)))
    assert len([i for i in ids if i.startswith(ex)]) == n_examples
    assert len([i for i in ids if i.startswith("rules/kommune/")]) == 2

    run = pytest_in(root, "-q", "rules")
    assert run.returncode == 1
    summary = run.stdout.strip().splitlines()[-1]
    # failing: the changed example and the broken pack; passing: the rest, kommune's
    # example and two compiles
    assert summary.startswith(f"2 failed, {n_examples - 1 + 1 + 2} passed"), summary
    out = run.stdout
    assert "FAILED rules/eksempel/regler.yaml::fire_samtaler::tre i tide - " in out
    assert "FAILED rules/ødelagt/pakke.yaml::oversættelse" in out
    # the failure shows the facts given, expected and actual, and what the rule used
    assert "forventet: opfyldt" in out and "faktisk: brud" in out
    assert 'givet: {"beregningsdato": "2024-08-01"' in out
    assert 'definitioner brugt: {"samtaler_i_tide": 3' in out
    # the broken pack shows its diagnostics, not a traceback
    assert "error[unknown-name]: ukendt navn `ukendt_navn`" in out
    assert "Traceback" not in out


def test_the_repository_collects_every_example_of_the_example_pack():
    run = pytest_in(REPO, "--collect-only", "-q", "tests/packs/eksempel")
    ids = [line for line in run.stdout.splitlines() if "::" in line]
    expected = {f"tests/packs/eksempel/{Path(e.file).name}::{e.owner}::{e.name}"
                for e in collect(compile_checked(LIVE_EKSEMPEL))}
    assert expected and expected <= set(ids)
    assert "tests/packs/eksempel/pakke.yaml::oversættelse" in ids
