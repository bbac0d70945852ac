"""The CLI and the generated module as a user meets them."""

import contextlib
import io
import json
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from regelkode.cli import main

PACK = "tests/packs/eksempel"
CASE = "tests/packs/eksempel/sager/anna.json"


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def at_root(repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)


@pytest.fixture(scope="module")
def built(tmp_path_factory, repo_root):
    out = tmp_path_factory.mktemp("build")
    import os
    cwd = os.getcwd()
    os.chdir(repo_root)
    try:
        code, _, err = run("build", PACK, "--no-site", "--out", str(out))
    finally:
        os.chdir(cwd)
    assert code == 0, err
    return out


def test_check_ok_exits_0():
    code, out, _ = run("check", PACK)
    assert code == 0 and "ingen fejl" in out


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as info, contextlib.redirect_stderr(io.StringIO()):
        main(["byg"])
    assert info.value.code == 2


def usage(*argv) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a call that argparse ends (help, usage errors)."""
    out, err = io.StringIO(), io.StringIO()
    with (pytest.raises(SystemExit) as info, contextlib.redirect_stdout(out),
          contextlib.redirect_stderr(err)):
        main(list(argv))
    return info.value.code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("argv", "message"), [
    (["batch"], "regelkode batch: fejl: disse argumenter mangler: PACK, INPUT, --out"),
    (["batch", "p", "s.jsonl", "--out", "u.csv", "--engine", "x"],
     "argument --engine: ugyldigt valg: 'x' (vælg mellem 'duckdb', 'spark')"),
    (["sql", "p", "--dialect"], "regelkode sql: fejl: argument --dialect: skal have en værdi"),
    (["sql", "p", "q"], "regelkode: fejl: ukendte argumenter: q"),
    (["byg"], "regelkode: fejl: argument KOMMANDO: ugyldigt valg: 'byg' (vælg mellem 'build',"),
    ([], "regelkode: fejl: disse argumenter mangler: KOMMANDO"),
])
def test_usage_errors_are_danish(argv, message):
    code, out, err = usage(*argv)
    assert code == 2 and out == ""
    assert err.startswith("brug: regelkode") and message in err, err


def test_an_unknown_argparse_message_is_shown_as_written():
    from regelkode.cli import _danish_usage_error

    assert _danish_usage_error("argument --x: something new") == "argument --x: something new"


def test_every_command_helps_in_danish():
    code, top, _ = usage("--help")
    assert code == 0
    commands = re.findall(r"^    (\w+)", top, re.MULTILINE)
    assert "batch" in commands and "lovdækning" in commands
    for command in commands:
        code, text, _ = usage(command, "--help")
        assert code == 0
        assert text.startswith(f"brug: regelkode {command}")
        assert "argumenter:" in text and "tilvalg:" in text
        assert "vis denne hjælp og afslut" in text
        for english in ("usage:", "positional arguments", "options:", "show this help"):
            assert english not in text, (command, english)
        # every argument says what it is: a line with a bare name has no help
        listed = text.split("argumenter:\n", 1)[1]
        bare = re.findall(r"^  ([A-ZÆØÅ_.]+|-\S+(?: \S+)?)\n(?!   )", listed, re.MULTILINE)
        assert not bare, (command, bare)


def test_build_twice_is_byte_identical(built, tmp_path):
    code, _, _ = run("build", PACK, "--no-site", "--out", str(tmp_path))
    assert code == 0
    for name in ("eksempel/eksempel.py", "eksempel/sag.schema.json"):
        assert (built / name).read_bytes() == (tmp_path / name).read_bytes()


def test_generated_module_runs_without_regelkode(built, tmp_path):
    # A bare venv (no pip, no regelkode) running with -I: only the standard library.
    env_dir = tmp_path / "bare"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    script = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(built / 'eksempel')!r})\n"
        "try:\n    import regelkode\nexcept ImportError:\n    pass\n"
        "else:\n    raise SystemExit('regelkode must not be importable here')\n"
        "import eksempel\n"
        "r = eksempel.evaluate({}, dato='2024-08-01')\n"
        "print(json.dumps(sorted({x.status for x in r.regler})))\n"
        f"r = eksempel.evaluate(json.load(open({CASE!r})))\n"
        "print(r.regel('fire_samtaler').status)\n"
    )
    proc = subprocess.run([str(python), "-I", "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    statuses, fire = proc.stdout.split("\n")[:2]
    assert set(json.loads(statuses)) <= {"ukendt", "ikke_relevant"}
    assert fire == "opfyldt"


def test_eval_prints_a_table_a_case_worker_can_act_on():
    code, out, _ = run("eval", PACK, CASE, "--dato", "2024-08-01")
    assert code == 0
    assert "OPFYLDT" in out and "fire_samtaler" in out


def test_eval_breach_shows_message_citation_and_facts(tmp_path):
    case = json.loads(Path(CASE).read_text())
    case["samtaler"] = case["samtaler"][:2]
    path = tmp_path / "to.json"
    path.write_text(json.dumps(case))
    code, out, _ = run("eval", PACK, str(path), "--dato", "2024-08-01")
    assert code == 0
    block = out[out.index("BRUD"):]
    assert "Der er kun holdt 2 samtaler inden 8. juli 2024." in block
    assert "LAB § 31, stk. 3" in block
    assert "samtaler_i_tide=2" in block


def test_message_names_parameters_and_the_date_judged_on(tmp_path):
    path = tmp_path / "lang.json"
    path.write_text(json.dumps({"startdato": "2023-01-01", "har_barn": False,
                                "udbetalinger": []}))
    code, out, _ = run("eval", PACK, str(path), "--dato", "2026-01-02")
    assert code == 0
    assert ("Forløbet skulle være slut 1. januar 2026 (højst 3 år); bedømt 2. januar 2026."
            in out)


def test_eval_json_report(tmp_path):
    code, out, _ = run("eval", PACK, CASE, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["beregningsdato"] == "2024-08-01"
    rule = next(r for r in report["regler"] if r["id"] == "fire_samtaler")
    assert rule["status"] == "opfyldt"
    # the rule names what it reads; the values are the report's, once
    assert "startdato" in rule["fakta"] and "samtaler_i_tide" in rule["definitioner"]
    assert report["fakta"]["startdato"] == "2024-01-08"
    assert report["definitioner"]["samtaler_i_tide"] == 4


@pytest.mark.parametrize(("content", "words"), [
    ('{"startdato": "2023-02-29"}', "$.startdato: 2023-02-29 er ikke en gyldig dato"),
    ('{"startdato": ', "ugyldig JSON"),
    ('{"navnet": "x"}', "ukendt faktum `navnet` (mente du `navn`?)"),
    ('{"udbetalinger": [{"beløb": 1.5}]}', "$.udbetalinger[0].beløb"),
    # JSON does not say which of two values counts (Python's json takes the last)
    ('{"startdato": "2024-01-08", "startdato": "2024-02-01"}',
     "afvises: $.startdato: "),
])
def test_eval_refuses_a_malformed_case_with_its_path(tmp_path, content, words):
    path = tmp_path / "sag.json"
    path.write_text(content)
    code, out, err = run("eval", PACK, str(path))
    assert code == 1
    assert out == ""                 # never a partial report
    assert words in err


def test_missing_fact_is_named_in_an_unknown_result():
    case = json.loads(Path(CASE).read_text())
    del case["startdato"]
    from regelkode.checks.analysis import compile_checked
    from regelkode.ir import interpret
    rapport = interpret.evaluate(compile_checked(Path(PACK)).program, case)
    r = rapport.regel("fire_samtaler")
    assert r.status == "ukendt" and r.mangler == ("startdato",)
    assert "mangler startdato" in r.meddelelse


def test_test_command_runs_examples():
    code, out, _ = run("test", PACK)
    assert code == 0
    assert "eksempler: 15 passed, 0 failed" in out


def test_non_editable_install_ships_grammar_and_schemas(tmp_path, repo_root):
    # Build a wheel and install it, without dependencies, into a fresh venv whose only
    # other packages come from our venv's site-packages (where regelkode is NOT installed).
    wheel_dir = tmp_path / "wheel"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-q", "-w", str(wheel_dir), str(repo_root)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    wheel = next(wheel_dir.glob("regelkode-*.whl"))
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    import lark
    deps = Path(lark.__file__).resolve().parents[1]
    (site / "deps.pth").write_text(str(deps) + "\n")
    import zipfile
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "regelkode/grammar/regelkode.lark" in names
        assert "regelkode/schemas/regelfil.schema.json" in names
        zf.extractall(site)
    script = ("import regelkode, regelkode.front.parse as p\n"
              "assert 'site-packages' in regelkode.__file__, regelkode.__file__\n"
              "from regelkode.cli import main\n"
              f"raise SystemExit(main(['check', {str(repo_root / PACK)!r}]))\n")
    proc = subprocess.run([str(env_dir / "bin" / "python"), "-I", "-c", script],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ingen fejl" in proc.stdout
    # The wheel is typed and licensed, and builds the review site without a checkout:
    # the site's config and hand-written pages ship in it (cwd has no site/ folder).
    assert "regelkode/py.typed" in names
    assert any(n.endswith("licenses/LICENSE") or n.endswith("/LICENSE") for n in names), names
    assert "regelkode/site_source/mkdocs.yml" in names
    build = ("from regelkode.cli import main\n"
             f"raise SystemExit(main(['build', {str(repo_root / PACK)!r}, '--quiet', "
             f"'--out', {str(tmp_path / 'ud')!r}]))\n")
    proc = subprocess.run([str(env_dir / "bin" / "python"), "-I", "-c", build],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "ud" / "site" / "index.html").is_file()
    assert (tmp_path / "ud" / "site" / "sprog" / "index.html").is_file(), "hand-written pages"
