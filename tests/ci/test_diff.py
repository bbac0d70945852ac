"""`regelkode diff`: structure and behaviour between two versions, folders or git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.checks.diff_render import changes_markdown
from regelkode.checks.examples import collect

from .helpers import copy_eksempel, edit, run_cli


@pytest.fixture
def two_versions(tmp_path):
    old = copy_eksempel(tmp_path / "gammel")
    new = copy_eksempel(tmp_path / "ny")
    return old, new


def diff_json(old, new, *extra):
    run = run_cli(["diff", old, new, "--format", "json", *extra])
    assert run.code == 0, run.err
    return json.loads(run.out)


def only_pack(data):
    assert len(data["pakker"]) == 1
    return data["pakker"][0]


def test_a_changed_parameter_value_names_the_parameter_and_the_changed_examples(two_versions):
    old, new = two_versions
    # grundbeløb in 2023 is what `ydelse > 0 kr` reads for a course started then
    edit(new / "model.yaml", "        værdi: 12.000 kr", "        værdi: 0 kr")
    pd = only_pack(diff_json(old, new))
    assert pd["status"] == "ændret"
    assert [(c["art"], c["id"], c["ændring"]) for c in pd["ændringer"]] == [
        ("parameter", "grundbeløb", "ændret")]
    assert pd["ændringer"][0]["detaljer"] == [
        {"hvad": "periode fra 2023-01-01", "gammel": "12.000 kr", "ny": "0 kr"}]
    changed = {(o["kilde"], o["id"]): o for o in pd["udfald"]}
    assert set(changed) == {("eksempel", "regler.yaml::varighed_højst::inden for 3 år")}
    o = changed[("eksempel", "regler.yaml::varighed_højst::inden for 3 år")]
    assert (o["gammel"], o["ny"], o["forventet"], o["ny_som_forventet"]) == (
        "opfyldt", "brud", "opfyldt", False)
    c = compile_checked(old)
    assert pd["evalueret"] == len(collect(c)) + len(c.pack.cases)   # every example and case


def test_a_changed_value_that_a_computed_period_builds_on_shows_the_knock_on(two_versions):
    old, new = two_versions
    edit(new / "model.yaml", "værdi: 12.326,50 kr", "værdi: 13.000 kr")
    pd = only_pack(diff_json(old, new))
    details = pd["ændringer"][0]["detaljer"]
    assert details[0] == {"hvad": "periode fra 2024-01-01", "gammel": "12.326,50 kr",
                          "ny": "13.000 kr"}
    assert details[1]["hvad"] == "periode fra 2025-01-01: beregnet værdi"
    assert details[1]["gammel"] == "12.770 kr." and details[1]["ny"] == "13.468 kr."


def test_rule_changes_are_structural_and_reformatting_is_not_a_change(two_versions):
    old, new = two_versions
    rules = new / "regler.yaml"
    edit(rules, "    alvor: opmærksomhed\n", "    alvor: brud\n")
    edit(rules, "krav: samtaler_i_tide er mindst 4", "krav: samtaler_i_tide >= 5")
    # same tree, other spelling and layout: not a change
    edit(rules, "gælder_når: beregningsdato er efter seks_måneders_frist",
         "gælder_når: beregningsdato  >  seks_måneders_frist   # kommentar")
    edit(rules, '    kilder: [{lov: LAB, paragraf: "112", stk: 3}]',
         '    kilder: [{lov: LAB, paragraf: "112", stk: 3}, {lov: LAB, paragraf: "113"}]')
    pd = only_pack(diff_json(old, new))
    by_id = {c["id"]: c for c in pd["ændringer"]}
    assert set(by_id) == {"fire_samtaler", "første_samtale_personlig", "alder_under_60"}
    assert by_id["fire_samtaler"]["detaljer"] == [
        {"hvad": "krav", "gammel": "samtaler_i_tide er mindst 4", "ny": "samtaler_i_tide >= 5"}]
    assert by_id["første_samtale_personlig"]["detaljer"] == [
        {"hvad": "alvor", "gammel": "opmærksomhed", "ny": "brud"}]
    assert by_id["alder_under_60"]["detaljer"] == [
        {"hvad": "kilde", "gammel": None, "ny": "LAB § 113"}]
    outcomes = {(o["id"], o["hvad"]) for o in pd["udfald"]}
    # 4 samtaler was enough before, 5 now; the telefon example now reports brud
    assert ("regler.yaml::fire_samtaler::fire i tide", "regel fire_samtaler") in outcomes
    assert ("regler.yaml::første_samtale_personlig::telefon først",
            "regel første_samtale_personlig") in outcomes
    # the sample case (judged 2024-08-01, after the 6-month deadline) changes too
    assert ("eksempel/anna", "regel fire_samtaler") in outcomes


def test_added_and_removed_declarations_and_table_rows(two_versions):
    old, new = two_versions
    rules = new / "regler.yaml"
    edit(rules, '        - {hvis: ["> 1966-12-31"], så: 69 år}\n',
         '        - {hvis: ["1967-01-01 .. 1970-12-31"], så: 69 år}\n'
         '        - {hvis: ["> 1970-12-31"], så: 70 år}\n')
    edit(rules, """  andel:
    type: decimal
    værdi: (sats * 2 - 1) / 4 + 1.000 / 1.000
""", "")
    pd = only_pack(diff_json(old, new))
    by_id = {(c["id"], c["ændring"]): c for c in pd["ændringer"]}
    assert ("andel", "fjernet") in by_id
    rows = by_id[("folkepensionsalder", "ændret")]["detaljer"]
    assert rows == [
        {"hvad": "tabel: række 4", "gammel": "> 1966-12-31 → 69 år",
         "ny": "1967-01-01 .. 1970-12-31 → 69 år"},
        {"hvad": "tabel: række 5", "gammel": None, "ny": "> 1970-12-31 → 70 år"}]


def test_text_markdown_and_github_output(two_versions):
    old, new = two_versions
    edit(new / "model.yaml", "        værdi: 12.000 kr", "        værdi: 0 kr")
    run = run_cli(["diff", old, new])
    assert run.code == 0
    assert "~ parameter grundbeløb" in run.out and "12.000 kr → 0 kr" in run.out
    assert "varighed_højst::inden for 3 år: opfyldt → brud" in run.out
    md = run_cli(["diff", old, new, "--format", "markdown"]).out
    assert "**parameter** `grundbeløb` ændret" in md
    assert "| ❌ | eksempel `regler.yaml::varighed_højst::inden for 3 år` |" in md
    gh = run_cli(["diff", old, new, "--format", "github"]).out.splitlines()
    assert gh[0].startswith("::notice file=") and "grundbeløb" in gh[0]
    assert gh[1].startswith("::warning file=") and "inden for 3 år" in gh[1]
    assert run_cli(["diff", old, new, "--exit-code"]).code == 1
    assert run_cli(["diff", old, old, "--exit-code"]).code == 0


def test_bad_input_is_a_message_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tom").mkdir()
    run = run_cli(["diff", "tom", "tom"])
    assert run.code == 2 and "hverken en regelpakke" in run.err
    run = run_cli(["diff", "main", "tom"])     # not a folder, and no git repository here
    assert run.code == 2 and "git-repository" in run.err
    assert "Traceback" not in run.err


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.invalid")
    git(repo, "config", "user.name", "Test")
    pack = copy_eksempel(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "første")
    git(repo, "tag", "v1.0.0")
    edit(pack / "model.yaml", "        værdi: 12.000 kr", "        værdi: 0 kr")
    git(repo, "commit", "-q", "-am", "anden")
    monkeypatch.chdir(repo)
    return repo


def test_git_revisions_are_read_without_touching_the_working_tree(repo):
    edit(repo / "rules/eksempel/regler.yaml", "alvor: opmærksomhed", "alvor: brud")  # uncommitted
    status = git(repo, "status", "--porcelain")
    pd = only_pack(diff_json("HEAD~1", "HEAD"))
    assert [c["id"] for c in pd["ændringer"]] == ["grundbeløb"]     # not the uncommitted edit
    assert [o["id"] for o in pd["udfald"]] == ["regler.yaml::varighed_højst::inden for 3 år"]
    # a folder on one side and a revision on the other: the uncommitted edit shows
    pd = only_pack(diff_json("HEAD", "rules"))
    assert [c["id"] for c in pd["ændringer"]] == ["første_samtale_personlig"]
    assert git(repo, "status", "--porcelain") == status
    run = run_cli(["diff", "ingen-sådan-gren", "HEAD"])
    assert run.code == 2 and "ingen-sådan-gren" in run.err and "Traceback" not in run.err
    run = run_cli(["diff", "HEAD~1", "HEAD", "--pack", "findes_ikke"])
    assert run.code == 2 and "findes_ikke" in run.err


def test_a_revision_without_the_rules_folder_shows_every_pack_as_added(repo):
    git(repo, "commit", "-q", "--allow-empty", "-m", "tom")
    root = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    shutil.rmtree(repo / "rules")
    git(repo, "commit", "-q", "-am", "slet")
    data = diff_json(root + "~0", "HEAD~1")
    assert only_pack(data)["status"] == "ændret"       # HEAD~1 is the empty commit
    data = diff_json("HEAD", "HEAD~1")
    pd = only_pack(data)
    assert pd["status"] == "tilføjet"
    assert {"grundbeløb", "fire_samtaler", "fødselsdato"} <= {c["id"] for c in pd["ændringer"]}


def test_changes_page_for_the_site(repo, tmp_path):
    page = changes_markdown(repo / "rules" / "eksempel", None)
    assert page.startswith("# Ændringer")
    assert "udgivelsen v1.0.0" in page and "`grundbeløb`" in page
    assert "inden for 3 år" in page
    # no release tag: from the first commit that has the pack
    git(repo, "tag", "-d", "v1.0.0")
    page = changes_markdown(repo / "rules" / "eksempel", None)
    assert "den første version af pakken" in page and "`grundbeløb`" in page
    # an explicit base that equals the working tree: nothing changed
    page = changes_markdown(repo / "rules" / "eksempel", "HEAD")
    assert "Ingen ændringer" in page
    # outside git
    plain = copy_eksempel(tmp_path / "uden_git")
    page = changes_markdown(plain, None)
    assert "ikke i et git-repository" in page


def test_a_new_rule_and_fact_are_structure_not_changed_outcomes(two_versions):
    old, new = two_versions
    edit(new / "model.yaml", "fakta:\n", "fakta:\n  ny_oplysning: {type: heltal, "
         "beskrivelse: Ny.}\n")
    (new / "ny.yaml").write_text("""regler:
  ny_regel:
    titel: Ny regel
    område: samtaler
    alvor: brud
    krav: ny_oplysning > 2
    meddelelse: M.
    eksempler:
      - {navn: høj, dato: 2024-01-01, givet: {ny_oplysning: 5}, forventet: opfyldt}
""", encoding="utf-8")
    # the sample case now carries the new fact: the old version must still judge it
    case = new / "sager" / "anna.json"
    data = json.loads(case.read_text(encoding="utf-8"))
    case.write_text(json.dumps({**data, "ny_oplysning": 1}, ensure_ascii=False),
                    encoding="utf-8")
    pd = only_pack(diff_json(old, new))
    assert {(c["art"], c["id"], c["ændring"]) for c in pd["ændringer"]} == {
        ("faktum", "ny_oplysning", "tilføjet"), ("regel", "ny_regel", "tilføjet")}
    assert pd["udfald"] == []


def test_positions_from_a_revision_name_the_file_in_the_repository(repo):
    # packs two folders down (--mappe data/regler): a message must name
    # data/regler/eksempel/…, not a path inside the temporary copy
    (repo / "data").mkdir()
    git(repo, "mv", "rules", "data/regler")
    git(repo, "commit", "-q", "-m", "flyt")
    edit(repo / "data/regler/eksempel/model.yaml", "        værdi: 0 kr", "        værdi: 1 kr")
    git(repo, "commit", "-q", "-am", "tredje")
    run = run_cli(["diff", "HEAD~1", "HEAD", "--mappe", "data/regler", "--format", "github"])
    assert run.code == 0, run.err
    notice = run.out.splitlines()[0]
    assert notice.startswith("::notice file=data/regler/eksempel/model.yaml,line="), notice
