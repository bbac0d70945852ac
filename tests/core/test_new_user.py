"""What a new user trips over (issue 12): exit codes, a `$schema` key, typo hints,
Danish parse errors, paths that name the file, future review dates, the README.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from regelkode import cli
from regelkode.backends.schema import emit as emit_schema
from regelkode.passes.pipeline import compile_pack

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "ressourceforloeb"
SAGER = PACK / "sager"


def run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


# --- eval --fejl-ved-brud -----------------------------------------------------------

def test_eval_exits_3_on_a_breach_only_when_asked():
    breach = SAGER / "bo_for_få_samtaler.json"
    assert run(["eval", PACK, breach, "--json"])[0] == 0
    assert run(["eval", PACK, breach, "--json", "--fejl-ved-brud"])[0] == cli.EXIT_BREACH == 3
    fine = SAGER / "anna_alt_i_orden.json"
    assert run(["eval", PACK, fine, "--fejl-ved-brud"])[0] == 0


# --- a case may carry $schema -------------------------------------------------------

def test_a_case_with_a_schema_key_is_judged_and_valid(tmp_path):
    case = json.loads((SAGER / "anna_alt_i_orden.json").read_text(encoding="utf-8"))
    case["$schema"] = "../../build/ressourceforloeb/sag.schema.json"
    path = tmp_path / "sag.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(["eval", PACK, path, "--json"])
    assert code == 0, err
    c = compile_pack(PACK)
    jsonschema.validate(case, json.loads(emit_schema.emit_case_schema(c.program)))


def test_a_schema_key_that_is_not_text_is_refused_by_both(tmp_path):
    case = json.loads((SAGER / "anna_alt_i_orden.json").read_text(encoding="utf-8"))
    case["$schema"] = 7
    path = tmp_path / "sag.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    code, _out, err = run(["eval", PACK, path])
    assert code == 1 and "$schema" in err
    c = compile_pack(PACK)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(case, json.loads(emit_schema.emit_case_schema(c.program)))


# --- JSON and YAML errors in Danish -----------------------------------------------

@pytest.mark.parametrize("text", ['{"a": 1,}', "{'a': 1}", '{"a" 1}', "[1 2]", '"x', ""])
def test_a_case_that_is_not_json_is_refused_in_danish(tmp_path, text):
    path = tmp_path / "sag.json"
    path.write_text(text, encoding="utf-8")
    code, _out, err = run(["eval", PACK, path])
    assert code == 1
    assert "ugyldig JSON (linje 1, kolonne" in err, err
    assert not re.search(r"Expecting|Unterminated|delimiter|Extra data", err), err


@pytest.mark.parametrize(("yaml_text", "danish"), [
    ("a: b: c\n", "kolon"), ("a:\n\tb: 1\n", "tabulator"), ("a: [1, 2\n", "forventede"),
    ("a: 'x\n", "slutter midt i"), ("a: *x\n", "aliasset"), ("a: 1\n---\nb: 2\n", "ét YAML"),
    ("a: [\n", "forventede en værdi, men fandt slutningen af filen"),
    ("%YAML 1.1 x\n--- a\n", "forventede en kommentar eller et linjeskift"),
    ("a: |x\n  b\n", "efter | eller > må kun stå +, - eller et indrykningstal, ikke 'x'"),
])
def test_yaml_errors_are_danish(tmp_path, yaml_text, danish):
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pakke.yaml").write_text("id: p\ntitel: T\nversion: 1.0.0\n", encoding="utf-8")
    (pack / "regler.yaml").write_text(yaml_text, encoding="utf-8")
    code, _out, err = run(["check", pack])
    assert code == 1
    assert "error[yaml-syntax]: YAML-fejl:" in err and danish in err, err
    assert not re.search(r"mapping values|could not find|expected|found|the node|line break|"
                         r"comment|chomping|indicator", err), err


# --- paths in diagnostics --------------------------------------------------------

def test_a_pack_outside_the_working_folder_is_named_by_its_absolute_path(tmp_path, monkeypatch):
    pack = tmp_path / "pakker" / "p"
    pack.mkdir(parents=True)
    (pack / "pakke.yaml").write_text("id: p\ntitel: T\nversion: 1.0.0\n", encoding="utf-8")
    (pack / "regler.yaml").write_text("regler: [\n", encoding="utf-8")
    elsewhere = tmp_path / "andetsteds"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _out, err = run(["check", pack])
    assert code == 1
    assert f"{pack.as_posix()}/regler.yaml:" in err, err       # not "pakker/p/regler.yaml"


# --- the expression-typo hint -----------------------------------------------------

def test_a_misspelt_comparison_word_gets_a_hint_for_it(tmp_path):
    pack = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "packs" / "eksempel", pack)
    rules = pack / "regler.yaml"
    text = rules.read_text(encoding="utf-8")
    m = re.search(r"\ber (mindst|højst|senest|tidligst)\b", text)
    assert m, "the example pack has a comparison to misspell"
    wrong = m[1][:-2] + m[1][-1] + m[1][-2]         # mindst -> mindts
    rules.write_text(text[:m.start(1)] + wrong + text[m.end(1):], encoding="utf-8")
    code, _out, err = run(["check", pack])
    assert code == 1
    assert f"hint: mente du `{m[1]}`?" in err, err
    assert "ellers" not in err, "no hint about `hvis … så … ellers` where there is no `hvis`"


# --- godkend refuses a date in the future ------------------------------------------

def test_godkend_refuses_a_future_date(tmp_path):
    pack = tmp_path / "eksempel"
    shutil.copytree(ROOT / "tests" / "packs" / "eksempel", pack)
    before = {p: p.read_bytes() for p in pack.rglob("*.yaml")}
    rule = next(iter(compile_pack(pack).pack.rules))
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    code, _out, err = run(["godkend", pack, rule, "--af", "Jurist", "--dato", future])
    assert code == 2 and "fremtiden" in err, err
    assert {p: p.read_bytes() for p in pack.rglob("*.yaml")} == before
    today = dt.date.today().isoformat()
    assert run(["godkend", pack, rule, "--af", "Jurist", "--dato", today])[0] == 0


# --- the README says what a new user needs -----------------------------------------

def test_the_readme_tells_a_new_user_what_they_need():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/regelkode" in readme and "PATH" in readme
    assert "PACK` is always a pack **folder**" in readme
    assert "about 9 minutes" in readme
    assert "make serve" in readme
    assert "--fejl-ved-brud" in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve:", makefile, re.MULTILINE)


def test_the_readme_documents_every_exit_code_the_cli_uses():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\d+)` \| (.+) \|$", readme, re.MULTILINE))
    codes = {cli.EXIT_OK, cli.EXIT_FAIL, cli.EXIT_USAGE, cli.EXIT_BREACH, 130}
    assert {int(c) for c in table} == codes
    assert "brud" in table["3"] and "usage" in table["2"]


def test_the_project_has_a_licence_and_is_typed():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert (ROOT / "compiler" / "regelkode" / "py.typed").is_file()
