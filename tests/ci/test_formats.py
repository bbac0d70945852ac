"""Every command that reports problems honours --format text|json|github."""

from __future__ import annotations

import json

from .helpers import copy_eksempel, edit, run_cli, write_pack

GAP = """
fakta:
  x: {type: heltal, beskrivelse: X.}
definitioner:
  t:
    type: heltal
    tabel:
      hitpolitik: unik
      input: [x]
      rækker:
        - {hvis: ["< 0"], så: 1}
        - {hvis: ["> 0"], så: 2}
regler:
  r:
    titel: R
    område: a
    alvor: brud
    kilder: []
    krav: t > 0
    meddelelse: M.
"""


def test_check_json_and_github(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_pack(tmp_path, "p", {"regler.yaml": GAP})
    run = run_cli(["check", "rules/p", "--format", "json"])
    assert run.code == 0
    gap = next(d for d in json.loads(run.err) if d["code"] == "table-gap")
    assert gap["file"] == "rules/p/regler.yaml" and gap["line"] == 8 and "x = 0" in gap["message"]
    run = run_cli(["check", "rules/p", "--format", "github"])
    assert any(line.startswith("::warning file=rules/p/regler.yaml,line=8,col=")
               and "title=table-gap::" in line and "x = 0" in line
               for line in run.err.splitlines())
    run = run_cli(["check", "rules/p"])
    assert "warning[table-gap]" in run.err and "^" in run.err      # text: with a caret


def test_json_prints_a_document_even_when_there_is_nothing_to_say():
    import io

    from regelkode.cli import _print_diags
    from regelkode.diagnostics import Diagnostics
    out = io.StringIO()
    _print_diags(Diagnostics(), "json", out)
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    _print_diags(Diagnostics(), "text", out)
    assert out.getvalue() == ""


def test_test_and_build_formats(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pack = copy_eksempel(tmp_path)
    edit(pack / "regler.yaml", "        forventet: ikke_relevant", "        forventet: opfyldt")
    run = run_cli(["test", "rules/eksempel", "--format", "github"])
    assert run.code == 1
    assert any(line.startswith("::error file=rules/eksempel/regler.yaml,line=")
               and "title=example::" in line and "før fristen" in line
               for line in run.err.splitlines())
    run = run_cli(["test", "rules/eksempel", "--format", "json"])
    failing = [d for d in json.loads(run.err) if d["severity"] == "error"]
    assert len(failing) == 1 and "før fristen" in failing[0]["message"]
    edit(pack / "regler.yaml", "krav: samtaler_i_tide er mindst 4", "krav: samtaler_i_tid")
    run = run_cli(["build", "rules/eksempel", "--no-site", "--out", tmp_path / "ud",
                   "--format", "json"])
    assert run.code == 1
    errors = [d for d in json.loads(run.err.split("\nregelkode:")[0]) if d["severity"] == "error"]
    assert errors[0]["code"] == "unknown-name"
    assert errors[0]["hint"] == "mente du `samtaler_i_tide`?"
