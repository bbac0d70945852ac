"""Deep and big input meets a stated limit with a position, never a RecursionError.

Each case is far past what a real pack holds — nesting in expressions, in
YAML, in types, in exceptions; long chains of definitions; wide tables — and
is run through `check`, `build` and `eval`. The answer is either a working
result or exit 1 naming file:line:column, within a time limit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .support import assert_clean_outcome, positioned_errors, run_cli, write_pack

RULE = """regler:
  r:
    titel: T
    område: o
    alvor: brud
    krav: {krav}
    meddelelse: m
"""
FACTS = """
fakta:
  a: {type: heltal, beskrivelse: x}
  s: {type: sandhedsværdi, beskrivelse: x}
"""


def _rule(krav: str) -> str:
    return RULE.format(krav=json.dumps(krav, ensure_ascii=False)) + FACTS


def _run_all(tmp_path: Path, files: dict, case: dict | None = None):
    pack = write_pack(tmp_path, "p", files)
    case_file = tmp_path / "sag.json"
    case_file.write_text(json.dumps(case or {"a": 1, "s": True, "beregningsdato": "2024-01-01"}))
    runs = [run_cli(["check", pack], limit=60),
            run_cli(["build", pack, "--no-site", "--out", tmp_path / "build"], limit=60),
            run_cli(["eval", pack, case_file, "--json"], limit=60)]
    for run in runs:
        assert_clean_outcome(run)
    return runs


def _refused(runs, code: str):
    check = runs[0]
    assert check.code == 1, check.text
    assert f"error[{code}]" in check.err, check.err
    assert positioned_errors(check.err)


EXPRESSIONS = {
    # name: (expression, the diagnostic code it must give, or None if it must compile)
    "parenteser": ("(" * 5000 + "s" + ")" * 5000, None),
    "ubalancerede parenteser": ("(" * 5000 + "s", "syntax"),
    "ikke": ("ikke " * 3000 + "s", "too-deep"),
    "minus": ("-" * 5000 + "a > 0", "too-deep"),
    "lang sum": (" + ".join(["a"] * 3000) + " > 0", "too-deep"),
    "lang og": (" og ".join(["s"] * 3000), "too-deep"),
    "hvis i hvis": ("hvis s så " * 500 + "s" + " ellers s" * 500, "too-deep"),
    "lige under grænsen": (" og ".join(["s"] * 60), None),
    "lister i lister": ("a i " + "(" * 300 + "1, 2" + ")" * 300, None),
    "langt udtryk": ("s" + " og s" * 10_000, "too-long"),
    "stort tal": ("a > " + "9" * 5000, "literal"),
    "stor varighed": ("2024-01-01 + " + "9" * 40 + " dage > 2024-01-01", "literal"),
    "dato uden for kalenderen": ("0000-01-01 < 2024-02-30", "literal"),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_deep_and_big_expressions(tmp_path, name):
    expr, code = EXPRESSIONS[name]
    runs = _run_all(tmp_path, {"regler.yaml": _rule(expr)})
    if code is None:
        assert [r.code for r in runs] == [0, 0, 0], runs[0].text
    else:
        _refused(runs, code)


def test_deep_yaml_is_a_positioned_limit(tmp_path):
    for text in ("fakta:\n  a: " + "[" * 5000 + "]" * 5000 + "\n",
                 "fakta:\n  a: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
                 "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "x: 1\n"):
        runs = _run_all(tmp_path, {"regler.yaml": text})
        _refused(runs, "yaml-depth")


def test_a_yaml_bomb_is_bounded(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    runs = _run_all(tmp_path, {"regler.yaml": "\n".join(lines) + "\n"})
    _refused(runs, "yaml-size")


def test_a_type_nested_very_deep(tmp_path):
    deep = "fakta:\n  l: {type: " + "liste af " * 5000 + "heltal, beskrivelse: x}\n"
    _refused(_run_all(tmp_path, {"regler.yaml": _rule("s") + deep.replace("fakta:\n", "")}),
             "too-deep")


def test_records_nested_deep(tmp_path):
    n = 120
    types = "typer:\n" + "".join(
        f"  r{i}:\n    beskrivelse: x\n    felter:\n      f: {{type: r{i + 1}}}\n"
        for i in range(n)) + (
        f"  r{n}:\n    beskrivelse: x\n    felter:\n      f: {{type: heltal}}\n")
    files = {"regler.yaml": _rule("p er kendt") + "  p: {type: r0, beskrivelse: x}\n",
             "typer.yaml": types}
    _refused(_run_all(tmp_path, files), "too-deep")


def test_exceptions_nested_deep(tmp_path):
    def exc(depth):
        if depth == 0:
            return ""
        pad = "  " * (2 * (12 - depth))
        return (f"{pad}      - id: u{depth}\n{pad}        hvis: s\n{pad}        krav: s\n"
                + (f"{pad}        undtagelser:\n" + exc(depth - 1) if depth > 1 else ""))
    text = _rule("s").replace("    meddelelse: m\n", "    meddelelse: m\n    undtagelser:\n"
                              + exc(12))
    runs = _run_all(tmp_path, {"regler.yaml": text})
    assert [r.code for r in runs] == [0, 0, 0], runs[0].text


def test_a_wide_table(tmp_path):
    width = 400
    table = {"definitioner": {"v": {"type": "heltal", "tabel": {
        "hitpolitik": "første", "input": ["a"] * width,
        "rækker": [{"hvis": ["> 0"] * width, "så": "1"}, {"hvis": ["-"] * width, "så": "2"}]}}}}
    files = {"regler.yaml": _rule("v > 0"), "tabel.yaml": json.dumps(table, ensure_ascii=False)}
    runs = _run_all(tmp_path, files)
    # Either it works (and both back ends agree, which eval's run of the module shows)
    # or it is refused with a position; never a crash of the generated code.
    if runs[0].code == 1:
        _refused(runs, "too-deep")
    else:
        assert [r.code for r in runs] == [0, 0, 0]


def test_a_long_chain_of_definitions(tmp_path):
    n = 3000
    # written last-first, so nothing is resolved before what it depends on
    defs = {f"d{i}": {"type": "heltal", "værdi": f"d{i - 1} + 1" if i else "a"}
            for i in reversed(range(n))}
    files = {"regler.yaml": _rule(f"d{n - 1} > 0"),
             "defs.yaml": json.dumps({"definitioner": defs}, ensure_ascii=False)}
    runs = _run_all(tmp_path, files)
    assert [r.code for r in runs] == [0, 0, 0], runs[0].text[-2000:]
    assert json.loads(runs[2].out)["definitioner"][f"d{n - 1}"] == n


def test_a_file_too_big(tmp_path):
    runs = _run_all(tmp_path, {"regler.yaml": _rule("s") + "# " + "x" * 2_100_000 + "\n"})
    _refused(runs, "file-size")


def _nested_exceptions(levels: int, expr: str) -> str:
    def exc(level):
        pad = "    " * level
        out = (f"{pad}      - id: u{level}\n{pad}        hvis: {json.dumps(expr)}\n"
               f"{pad}        krav: {json.dumps(expr)}\n")
        if level + 1 < levels:
            out += f"{pad}        undtagelser:\n" + exc(level + 1)
        return out
    return _rule(expr).replace("    meddelelse: m\n", "    meddelelse: m\n    undtagelser:\n"
                               + exc(0))


def test_the_deepest_exceptions_yaml_allows_still_compile_and_run(tmp_path):
    """As deep as the limits let a pack go: the generated module must still work."""
    deepest = " og ".join(["(" * 0 + "ikke " * 70 + "s"] * 2)
    runs = _run_all(tmp_path, {"regler.yaml": _nested_exceptions(30, deepest)})
    assert [r.code for r in runs] == [0, 0, 0], runs[0].text[-3000:]
    runs = _run_all(tmp_path, {"regler.yaml": _nested_exceptions(31, "s")})
    _refused(runs, "yaml-depth")


@pytest.mark.parametrize("where", ["udtryk", "meddelelse", "type"])
def test_thousands_of_unknown_names_are_reported_quickly(tmp_path, where):
    """"mente du …?" hints ran difflib over every name for every typo: 20,000
    unknown names in a pack of 2,000 facts took 70 s. Only the first get a hint."""
    import time
    facts = "".join(f"  fakt_{i}: {{type: heltal, beskrivelse: x}}\n" for i in range(2000))
    unknown = [f"ukendt_{i}" for i in range(20_000)]
    if where == "udtryk":
        body = "definitioner:\n" + "".join(
            f"  d{j}:\n    type: sandhedsværdi\n    værdi: \"fakt_1 i ("
            + ", ".join(unknown[j * 1000:(j + 1) * 1000]) + ")\"\n" for j in range(20))
    elif where == "meddelelse":
        body = _rule("sand").split("fakta:")[0].replace(
            "meddelelse: m", 'meddelelse: "' + "".join(f"{{{u}}}" for u in unknown) + '"')
        facts += "".join(f"  ukendt_{i}x: {{type: heltal, beskrivelse: x}}\n" for i in range(9))
    else:
        facts += "".join(f"  t_{i}: {{type: slags_{i % 1000}y, beskrivelse: x}}\n"
                         for i in range(15_000))
        body = "typer:\n" + "".join(f"  slags_{i}: {{beskrivelse: x, værdier: [v{i}]}}\n"
                                    for i in range(1000))
    pack = write_pack(tmp_path, "p", {"regler.yaml": "fakta:\n" + facts + body})
    start = time.monotonic()
    run = run_cli(["check", pack], limit=120)
    assert run.code == 1
    assert time.monotonic() - start < 20
    assert "mente du" in run.err
