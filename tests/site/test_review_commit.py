"""A review records the commit it was made at; the site shows what changed since.

`regelkode godkend` writes `gennemgået: {af, dato, fingeraftryk, commit}` in a
git checkout (no `commit` outside one). When the rule changes afterwards, its
section on the site says so and shows a diff of the rule between that commit
and now.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest

from regelkode import cli
from regelkode.checks import review
from regelkode.checks.analysis import compile_checked
from regelkode.site.pages import emit_site

PACKS = Path(__file__).resolve().parents[1] / "packs"
ENV = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
       "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copytree(PACKS / "eksempel", tmp_path / "rules" / "eksempel")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "pakken")
    return tmp_path


def rule_file(pack: Path) -> Path:
    return next(p for p in pack.glob("*.yaml") if "fire_samtaler:" in p.read_text("utf-8"))


def test_godkend_records_the_commit_in_a_git_checkout(repo):
    pack = repo / "rules" / "eksempel"
    head = git(repo, "rev-parse", "HEAD")
    assert cli.main(["godkend", str(pack), "fire_samtaler", "--af", "A",
                     "--dato", "2025-01-08"]) == 0
    text = rule_file(pack).read_text("utf-8")
    assert re.search(r'gennemgået: \{af: "A", dato: 2025-01-08, fingeraftryk: "[0-9a-f]{16}", '
                     rf'commit: "{head}"\}}', text)
    c = compile_checked(pack)
    assert c.ok                                             # the schema takes `commit`
    decl = review.declarations(c.pack)[("regel", "fire_samtaler")]
    assert decl.state == review.REVIEWED and decl.review["commit"] == head


def test_outside_git_there_is_no_commit(tmp_path):
    pack = tmp_path / "eksempel"
    shutil.copytree(PACKS / "eksempel", pack)
    assert cli.main(["godkend", str(pack), "fire_samtaler", "--af", "A",
                     "--dato", "2025-01-08"]) == 0
    assert "commit" not in rule_file(pack).read_text("utf-8")


def test_site_shows_what_changed_since_the_review(repo):
    pack = repo / "rules" / "eksempel"
    assert cli.main(["godkend", str(pack), "fire_samtaler", "--af", "A",
                     "--dato", "2025-01-08"]) == 0
    git(repo, "commit", "-q", "-am", "godkendt")
    path = rule_file(pack)
    path.write_text(path.read_text("utf-8").replace("samtaler_i_tide er mindst 4",
                                                    "samtaler_i_tide er mindst 3"), "utf-8")
    c = compile_checked(pack)
    assert review.declarations(c.pack)[("regel", "fire_samtaler")].state == review.CHANGED
    page = emit_site([c]).pages["genereret/eksempel/regler/samtaler.md"]
    section = page[page.index("{#fire_samtaler}"):]
    section = section[:section.index('<hr class="rk-skille">')]
    assert "**ændret siden gennemgang**" in section and "ved commit `" in section
    assert '??? note "Hvad er ændret siden gennemgangen (commit ' in section
    assert "-krav: samtaler_i_tide er mindst 4" in section
    assert "+krav: samtaler_i_tide er mindst 3" in section
    assert "Bemærk" not in section             # the reviewed version was committed
    html = markdown.markdown(page, extensions=["admonition", "pymdownx.details",
                                               "pymdownx.superfences", "attr_list"])
    assert "<summary>Hvad er ændret siden gennemgangen" in html


def test_a_review_of_uncommitted_content_is_flagged(repo):
    pack = repo / "rules" / "eksempel"
    path = rule_file(pack)
    path.write_text(path.read_text("utf-8").replace("samtaler_i_tide er mindst 4",
                                                    "samtaler_i_tide er mindst 5"), "utf-8")
    assert cli.main(["godkend", str(pack), "fire_samtaler", "--af", "A",
                     "--dato", "2025-01-08"]) == 0
    path.write_text(path.read_text("utf-8").replace("mindst 5", "mindst 6"), "utf-8")
    c = compile_checked(pack)
    page = emit_site([c]).pages["genereret/eksempel/regler/samtaler.md"]
    assert "var ikke committed ved godkendelsen" in page
    assert "+krav: samtaler_i_tide er mindst 6" in page
