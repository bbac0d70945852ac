"""Property: no input makes `check`, `build`, `eval` or `test` crash or hang.

Inputs are the example pack (tests/packs/eksempel) with one file mutated
(cut, spliced, re-indented, made non-UTF-8, emptied), random YAML, and
mutated expressions in an otherwise good pack. Each outcome must be success,
or exit 1 with diagnostics that name file:line:column — in bounded time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import mutate
from .support import (
    HARD_LIMIT_S,
    assert_clean_outcome,
    fuzz_settings,
    positioned_errors,
    run_cli,
    to_yaml,
    write_pack,
    yaml_quote,
)

EKSEMPEL = Path(__file__).resolve().parents[1] / "packs" / "eksempel"
SEED_FILES = {p.relative_to(EKSEMPEL).as_posix(): p.read_text(encoding="utf-8")
              for p in sorted(EKSEMPEL.rglob("*"))
              if p.is_file() and p.suffix in (".yaml", ".json")}
COMMANDS = ["check", "build", "eval", "test"]
FORMATS = ["text", "json", "github"]


def _argv(command: str, pack: Path, tmp: Path, fmt: str, case: Path) -> list:
    if command == "eval":
        return ["eval", pack, case, "--json"]
    argv = [command, pack, "--format", fmt]
    if command == "build":
        # The review site is another part's output; this property is about the compiler.
        argv += ["--no-site", "--quiet", "--out", tmp / "build"]
    return argv


def _check(command, pack, tmp, fmt, case):
    run = run_cli(_argv(command, pack, tmp, fmt, case), limit=HARD_LIMIT_S)
    assert_clean_outcome(run, "text" if command == "eval" else fmt)
    return run


def test_the_seed_pack_is_good():
    """The fuzz starts from a pack that passes, so a failure is the mutation's doing."""
    with tempfile.TemporaryDirectory() as tmp:
        pack = write_pack(Path(tmp), "eksempel", {k: v for k, v in SEED_FILES.items()
                                                  if k != "pakke.yaml"},
                          manifest=SEED_FILES["pakke.yaml"])
        for command in COMMANDS:
            run = _check(command, pack, Path(tmp), "text", pack / "sager" / "anna.json")
            assert run.code == 0, run.text


@fuzz_settings()
@given(data=st.data(), target=st.sampled_from(sorted(SEED_FILES)),
       command=st.sampled_from(COMMANDS), fmt=st.sampled_from(FORMATS))
def test_mutated_pack_files(data, target, command, fmt):
    seed = SEED_FILES[target]
    mutated = data.draw(st.one_of(mutate.mutated_bytes(seed), mutate.degenerate_files()),
                        label="mutated " + target)
    files = dict(SEED_FILES)
    files[target] = mutated
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        manifest = files.pop("pakke.yaml")
        pack = write_pack(tmp, "eksempel", files, manifest=manifest)
        _check(command, pack, tmp, fmt, pack / "sager" / "anna.json")


# Random YAML documents shaped roughly like rule files: right section names,
# wrong everything else.
_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=20),
                  st.sampled_from(mutate.SNIPPETS))
_key = st.one_of(st.sampled_from(["typer", "fakta", "parametre", "definitioner", "regler",
                                  "undtagelser", "type", "værdi", "krav", "titel", "hvis", "så",
                                  "tabel", "rækker", "input", "hitpolitik", "historik",
                                  "gyldig_fra", "beregnet", "felter", "værdier", "meddelelse",
                                  "alvor", "område", "eksempler", "id", "beskrivelse"]),
                 st.from_regex(r"[a-zæøå_][a-zæøå0-9_]{0,8}", fullmatch=True),
                 st.text(max_size=8))
_tree = st.recursive(_leaf, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(_key, kids, max_size=5)), max_leaves=30)


@fuzz_settings()
@given(tree=st.dictionaries(_key, _tree, max_size=6), command=st.sampled_from(COMMANDS))
def test_random_rule_files(tree, command):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pack = write_pack(tmp, "tilfaeldig", {"regler.yaml": to_yaml(tree),
                                              "sager/sag.json": "{}"})
        _check(command, pack, tmp, "text", pack / "sager" / "sag.json")


# An otherwise good pack with facts of every type, where one expression is mutated.
_FACTS = {
    "a": "heltal", "b": "beløb", "c": "decimal", "dd": "dato", "v": "varighed (måneder)",
    "w": "varighed (dage)", "t": "tekst", "s": "sandhedsværdi", "form": "samtaleform",
    "ss": "liste af samtale", "p": "samtale",
}
_TYPES = {
    "samtaleform": {"beskrivelse": "Form.", "værdier": ["fremmøde", "telefon"]},
    "samtale": {"beskrivelse": "Samtale.", "felter": {
        "dato": {"type": "dato"}, "afholdt": {"type": "sandhedsværdi"},
        "form": {"type": "samtaleform"}, "kr": {"type": "beløb"}}},
}
SEED_EXPRESSIONS = [
    "hvis s så b × 1,5 ellers b afrundet til hele kroner",
    "antal ss hvor (afholdt og dato er senest dd + 6 måneder) er mindst 4",
    "alle ss hvor (ikke afholdt eller form i (fremmøde, telefon))",
    "summen af kr i ss hvor afholdt > 12.326,50 kr",
    "hele år fra dd til beregningsdato >= 18 og dage fra dd til 2024-02-29 < 365",
    "tidligste dato i ss hvor afholdt er før seneste af (dd, 2024-01-31)",
    "(a + 1) * 2 / 3 - c = 1,5 eller t = \"x\" eller p.form er telefon",
    "gp på dd + v + w > 0 kr og v er kendt og w er ukendt",
    "ingen ss hvor ikke afholdt og hele måneder fra dd til beregningsdato > 6",
]
_CASE = {"a": 3, "b": "100.50", "c": "1.5", "dd": "2024-02-29", "v": {"måneder": 6},
         "w": {"dage": 14}, "t": "x", "s": True, "form": "telefon",
         "ss": [{"dato": "2024-01-31", "afholdt": True, "form": "fremmøde", "kr": 5}],
         "p": {"dato": "2023-02-28", "afholdt": False}, "beregningsdato": "2025-01-31"}


def _expression_pack(expr: str, place: str, def_type: str) -> dict:
    rule = {"titel": "Regel", "område": "o", "alvor": "brud", "krav": "sand",
            "meddelelse": "Besked {x}."}
    defs = {"x": {"type": def_type, "værdi": "1"}}
    if place == "værdi":
        defs["x"]["værdi"] = expr
    elif place == "krav":
        rule["krav"] = expr
    elif place == "gælder_når":
        rule["gælder_når"] = expr
    elif place == "celle":
        defs["x"] = {"type": def_type, "tabel": {"hitpolitik": "første", "input": ["a", "dd"],
                                                 "rækker": [{"hvis": [expr, "-"], "så": "1"},
                                                            {"hvis": ["-", expr], "så": "2"}]}}
    elif place == "undtagelse":
        rule["undtagelser"] = [{"id": "u", "hvis": expr, "krav": expr}]
    elif place == "beregnet":
        pass
    return {
        "typer": _TYPES,
        "fakta": {n: {"type": t, "beskrivelse": "x"} for n, t in _FACTS.items()},
        "parametre": {"gp": {"type": "beløb", "beskrivelse": "x", "historik": [
            {"gyldig_fra": "2024-01-01", "værdi": "100 kr"},
            {"gyldig_fra": "2025-01-01",
             "beregnet": expr if place == "beregnet" else "forrige × 2"}]}},
        "definitioner": defs,
        "regler": {"r": rule},
    }


@fuzz_settings()
@given(data=st.data(), seed=st.sampled_from(SEED_EXPRESSIONS),
       place=st.sampled_from(["værdi", "krav", "gælder_når", "celle", "undtagelse", "beregnet"]),
       def_type=st.sampled_from(["heltal", "sandhedsværdi", "beløb", "dato", "varighed"]),
       command=st.sampled_from(["check", "eval", "build"]))
def test_mutated_expressions(data, seed, place, def_type, command):
    expr = data.draw(mutate.mutated_expression(seed), label="expression")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pack = write_pack(tmp, "udtryk", {"regler.yaml": to_yaml(_expression_pack(
            expr, place, def_type)), "sag.json": json.dumps(_CASE, ensure_ascii=False)})
        _check(command, pack, tmp, "text", pack / "sag.json")


def test_yaml_quote_round_trips_hostile_text():
    """The fuzz relies on to_yaml writing exactly the text drawn."""
    import yaml
    for text in ['a"b', "a\\b", "\u2028x\u0085", "\x00\x7f\x9f", "𝔘", "\ufeff", '"""', "\n\t"]:
        assert yaml.safe_load("x: " + yaml_quote(text))["x"] == text


# A few real processes, as CI and editors run the compiler: the in-process runs
# above can't see what only a fresh interpreter does (imports, exit codes, stderr).
SUBPROCESS_INPUTS = {
    "ikke utf-8": b"regler:\n  r:\n    titel: \xff\xfe\n",
    "tom": b"",
    "dyb": b"fakta:\n  a: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
    "tag": b"regler: !!python/object/apply:os.system ['true']\n",
    "stort tal": b"fakta:\n  a: {type: heltal, beskrivelse: x}\nregler:\n  r: {titel: T, "
                 b"omr\xc3\xa5de: o, alvor: brud, krav: 'a > " + b"9" * 5000
                 + b"', meddelelse: m}\n",
    "ubalanceret": b"regler:\n  r: {titel: T, omr\xc3\xa5de: o, alvor: brud, krav: '((((a', "
                   b"meddelelse: m}\n",
}


@pytest.mark.parametrize("name", sorted(SUBPROCESS_INPUTS))
@pytest.mark.parametrize("command", ["check", "build", "eval", "test"])
def test_real_processes_answer_with_diagnostics(tmp_path, name, command):
    pack = write_pack(tmp_path, "proces", {"regler.yaml": SUBPROCESS_INPUTS[name]})
    case = tmp_path / "sag.json"
    case.write_text("{}")
    argv = {"check": ["check", pack], "test": ["test", pack], "eval": ["eval", pack, case],
            "build": ["build", pack, "--no-site", "--out", tmp_path / "b"]}[command]
    proc = subprocess.run([sys.executable, "-m", "regelkode", *map(str, argv)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert positioned_errors(proc.stderr), proc.stderr[-2000:]
