"""Inputs the reliability fuzzing found to break the compiler, kept as fixed tests.

Each test names the input that broke and what the right answer is; the
commit that added it says why the fix is right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .support import (
    assert_clean_outcome,
    fuzz_settings,
    positioned_errors,
    run_cli,
    write_pack,
)

GOOD_RULE = """regler:
  r:
    titel: T
    område: o
    alvor: brud
    krav: sand
    meddelelse: m
"""


@pytest.mark.parametrize("document", ["---\n", "~\n", "null\n", "--- ~\n...\n"])
@pytest.mark.parametrize("where", ["pakke.yaml", "regler.yaml"])
def test_a_null_yaml_document_is_an_empty_file(tmp_path: Path, document, where):
    # `---` alone used to load as None with no diagnostic: the manifest case
    # exited 1 silently, a rule file was skipped as if it were not there.
    files = {"regler.yaml": GOOD_RULE}
    manifest = None
    if where == "pakke.yaml":
        manifest = document
    else:
        files["regler.yaml"] = document
    pack = write_pack(tmp_path, "p", files, manifest=manifest)
    run = run_cli(["check", pack])
    assert run.code == 1
    assert_clean_outcome(run)
    assert "error[empty-file]: filen er tom" in run.err
    assert positioned_errors(run.err)[0]["file"].endswith(where)


@pytest.mark.parametrize("document", ["42\n", "true\n", '"tekst"\n', "2024-01-01\n"])
@pytest.mark.parametrize("where", ["pakke.yaml", "regler.yaml", "kilder/love/lov.yaml",
                                   "konflikter.yaml"])
def test_a_scalar_yaml_document_is_refused_with_a_position(tmp_path: Path, document, where):
    # A law text of `42` gave "error[schema]: (roden) skal være en tabel" with
    # no file or line: the int root had no span to point at.
    files = {"regler.yaml": GOOD_RULE}
    manifest = None
    if where == "pakke.yaml":
        manifest = document
    else:
        files[where] = document
    pack = write_pack(tmp_path, "p", files, manifest=manifest)
    run = run_cli(["check", pack])
    assert run.code == 1
    assert_clean_outcome(run)
    errors = positioned_errors(run.err)
    assert errors and all(e["file"].endswith(where) for e in errors), run.err
    assert "error[yaml-root]" in run.err


def test_test_with_format_json_prints_one_json_document(tmp_path: Path):
    # `regelkode test --format json` printed the compile warnings and the
    # failing examples as two JSON arrays one after the other on stderr,
    # which no JSON reader accepts.
    import json
    rule = GOOD_RULE.replace("krav: sand", "krav: a > 1") + """    eksempler:
      - navn: fejler
        dato: 2024-01-01
        givet: {a: 5}
        forventet: brud
fakta:
  a: {type: heltal, beskrivelse: x}
  ubrugt: {type: heltal, beskrivelse: x}
"""
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    run = run_cli(["test", pack, "--format", "json"])
    assert run.code == 1
    rows = json.loads(run.err)
    codes = {r["code"] for r in rows}
    assert {"example", "unused"} <= codes, rows


@pytest.mark.parametrize("expr", ["g er mindst 0 måneder", "g > 0 år", "s < 0 dage",
                                  "s er højst 0 uger", "g = 0 måneder", "s >= 0 dage",
                                  "g < 1 år # dage\n  0 måneder"])
def test_a_zero_duration_has_the_unit_written(tmp_path: Path, expr):
    # `g er mindst 0 måneder` (g in months) was a type error "en varighed i
    # måneder kan ikke sammenlignes med en i dage": the literal's unit was read
    # off its value, and Varighed(0, 0) has no months, so it counted as days.
    rule = GOOD_RULE.replace("krav: sand", "krav: |\n      " + expr.replace("\n", "\n    ")) + """
fakta:
  g: {type: varighed (måneder), beskrivelse: x}
  s: {type: varighed (dage), beskrivelse: x}
"""
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    run = run_cli(["check", pack])
    assert run.code == 0, run.text


def test_zero_months_and_zero_days_still_do_not_compare(tmp_path: Path):
    rule = GOOD_RULE.replace("krav: sand", "krav: g > 0 dage") + """
fakta:
  g: {type: varighed (måneder), beskrivelse: x}
"""
    run = run_cli(["check", write_pack(tmp_path, "p", {"regler.yaml": rule})])
    assert run.code == 1
    assert "en varighed i måneder kan ikke sammenlignes med en i dage" in run.err


@pytest.mark.parametrize("name", ["tekst", "dato", "beløb", "varighed", "heltal",
                                  "sandhedsværdi", "decimal"])
def test_a_type_named_like_a_builtin_type_is_refused(tmp_path: Path, name):
    # `typer: {tekst: {værdier: [a, b]}}` was accepted, but `type: tekst` (and
    # `liste af tekst`) still meant the built-in type: the declared enum could
    # never be used, and the generated pack failed with a confusing type error
    # far from the cause.
    rule = GOOD_RULE + f"""typer:
  {name}:
    beskrivelse: x
    værdier: [a, b]
"""
    run = run_cli(["check", write_pack(tmp_path, "p", {"regler.yaml": rule})])
    assert run.code == 1
    assert_clean_outcome(run)
    assert f"error[builtin-type]: `{name}` er en indbygget type" in run.err


def test_money_times_a_huge_decimal_is_unknown_not_a_traceback(tmp_path: Path):
    # `b × c` with b = 999999999999999.99 kr and c a 30-digit decimal (both
    # valid in a case) raised decimal.InvalidOperation out of `evaluate`:
    # rounding a 47-digit product to whole øre needs more digits than the
    # 40-digit context has. Such a number is now Ukendt with the reason.
    import json
    rule = GOOD_RULE.replace("krav: sand", "krav: b × c > 0 kr") + """
fakta:
  b: {type: beløb, beskrivelse: x}
  c: {type: decimal, beskrivelse: x}
"""
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    case = tmp_path / "sag.json"
    case.write_text(json.dumps({"b": "999999999999999.99", "c": "9" * 30,
                                "beregningsdato": "2024-01-01"}))
    run = run_cli(["eval", pack, case, "--json"])
    assert run.code == 0, run.text
    rule_result = json.loads(run.out)["regler"][0]
    assert rule_result["status"] == "ukendt"
    assert "40 cifre" in rule_result["meddelelse"]


def test_a_huge_integer_in_a_case_is_refused_not_a_traceback():
    # evaluate({"antal": 10**5000}) raised ValueError from repr() (Python won't
    # print an int past 4300 digits) while building the refusal's message.
    from regelkode import runtime as rt
    with pytest.raises(rt.SagFejl) as info:
        rt.normaliser({"a": 10**5000}, {"a": ("heltal",)})
    assert info.value.sti == "$.a"
    assert "over 60 cifre" in info.value.besked


def test_a_json_path_with_quotes_in_a_key_is_unambiguous():
    # An unknown key `x"]["y` was named `$["x"]["y"]`, which reads as two keys.
    from regelkode import runtime as rt
    with pytest.raises(rt.SagFejl) as info:
        rt.normaliser({'x"]["y': 1}, {"a": ("heltal",)})
    assert info.value.sti == '$["x\\"][\\"y"]'


@pytest.mark.parametrize(("typ", "value"), [(("beløb",), "1E+50"), (("beløb",), "1E+15"),
                                            (("decimal",), "1E+50"), (("decimal",), "1E+30")])
def test_a_decimal_object_past_the_text_forms_digits_is_refused(typ, value):
    # A caller reading JSON with parse_float=Decimal could pass Decimal('1E+50')
    # as a beløb: quantize() raised decimal.InvalidOperation out of evaluate;
    # as a decimal it was accepted although the text "1e50" is not.
    from decimal import Decimal

    from regelkode import runtime as rt
    with pytest.raises(rt.SagFejl) as info:
        rt.normaliser({"a": Decimal(value)}, {"a": typ})
    assert info.value.sti == "$.a"


def test_decimal_objects_within_the_limits_are_still_accepted():
    from decimal import Decimal

    from regelkode import runtime as rt
    out = rt.normaliser({"b": Decimal("999999999999999.50"), "c": Decimal("1.500"),
                         "d": Decimal("9" * 29)},
                        {"b": ("beløb",), "c": ("beløb",), "d": ("decimal",)})
    assert out == {"b": 99999999999999950, "c": 150, "d": Decimal("9" * 29)}


def _records(n: int, leaf: str = "heltal") -> str:
    out = "typer:\n"
    for i in range(n):
        nxt = f"r{i + 1}" if i + 1 < n else leaf
        out += f"  r{i}:\n    beskrivelse: x\n    felter:\n      f: {{type: {nxt}}}\n"
    return out


@pytest.mark.parametrize(("fact_type", "extra", "ok"), [
    ("liste af " * 12 + "heltal", "", True),
    ("liste af " * 13 + "heltal", "", False),
    ("liste af " * 5000 + "heltal", "", False),
    ("r0", _records(12), True),
    ("r0", _records(13), False),
    ("liste af r0", _records(12), False),
    ("r0", _records(3, "liste af " * 9 + "heltal"), True),
    ("r0", _records(3, "liste af " * 10 + "heltal"), False),
    ("r0", _records(4000), False),
])
def test_types_nest_to_a_stated_limit(tmp_path: Path, fact_type, extra, ok):
    # `type: liste af liste af … (5000 times)` made parse_type recurse until
    # RecursionError; 120 nested record types made the emitter's literal()
    # recurse past the limit, and at ~70 levels the generated module's type
    # table had more than the 200 nested brackets CPython accepts.
    import json
    rule = GOOD_RULE.replace("krav: sand", "krav: x er kendt") + (
        f"fakta:\n  x: {{type: {fact_type}, beskrivelse: x}}\n")
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule, "typer.yaml": extra or "typer: {}\n"})
    case = tmp_path / "sag.json"
    case.write_text(json.dumps({"beregningsdato": "2024-01-01"}))
    for argv in (["check", pack], ["build", pack, "--no-site", "--out", tmp_path / "b"],
                 ["eval", pack, case]):
        run = run_cli(argv)
        assert_clean_outcome(run)
        assert run.code == (0 if ok else 1), run.text[-3000:]
        if not ok:
            assert "error[too-deep]" in run.err


@pytest.mark.parametrize("duration", ["9" * 31 + " dage", "1 år " + "1" * 40 + " måneder"])
def test_a_duration_with_too_many_digits_is_an_error(tmp_path: Path, duration):
    # `d + 999…9 dage` (31+ digits) was silently read as 0 days, so the rule
    # compared d with itself and nobody was told.
    rule = GOOD_RULE.replace("krav: sand", f"krav: d + {duration} > d") + (
        "fakta:\n  d: {type: dato, beskrivelse: x}\n")
    run = run_cli(["check", write_pack(tmp_path, "p", {"regler.yaml": rule})])
    assert run.code == 1
    assert "error[literal]" in run.err and "har over 30 cifre" in run.err
    assert positioned_errors(run.err)


def test_a_table_with_400_columns_builds_and_both_back_ends_agree(tmp_path: Path):
    # Each row's condition was a left-nested chain of `og`, one call per column:
    # 400 columns made emit_python recurse into RecursionError during build.
    import json
    width = 400
    table = {"definitioner": {"v": {"type": "heltal", "tabel": {
        "hitpolitik": "første", "input": [f"a + {i}" for i in range(width)],
        "rækker": [{"hvis": ["> 0"] * width, "så": "1"}, {"hvis": ["-"] * width, "så": "2"}]}}}}
    rule = GOOD_RULE.replace("krav: sand", "krav: v = 1") + (
        "fakta:\n  a: {type: heltal, beskrivelse: x}\n")
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule, "t.yaml": json.dumps(table)})
    for a, status in ((5, "opfyldt"), (-3, "brud"), (None, "ukendt")):
        case = tmp_path / "sag.json"
        case.write_text(json.dumps({"a": a, "beregningsdato": "2024-01-01"}))
        run = run_cli(["eval", pack, case, "--json"])
        assert run.code == 0, run.text[-2000:]
        assert json.loads(run.out)["regler"][0]["status"] == status


_three = st.sampled_from([True, False, "u1", "u2", "u3", "k"])


@fuzz_settings()
@given(values=st.lists(_three, min_size=1, max_size=12))
def test_og_as_a_balanced_tree_equals_the_chain(values):
    """The lowering's balanced `og` (wide tables) gives what the left-nested chain gave."""
    from regelkode import runtime as rt

    def val(v):
        if v is True or v is False:
            return v
        return rt.Ukendt((v,), (f"grund {v}",), (v,) if v == "k" else ())

    def balanced(xs):
        if len(xs) == 1:
            return xs[0]
        mid = len(xs) // 2
        return rt.op_og(balanced(xs[:mid]), balanced(xs[mid:]))

    xs = [val(v) for v in values]
    chain = xs[0]
    for x in xs[1:]:
        chain = rt.op_og(chain, x)
    tree = balanced(xs)
    assert type(chain) is type(tree)
    if isinstance(chain, rt.Ukendt):
        assert (chain.mangler, chain.grunde, chain.konflikter) == (
            tree.mangler, tree.grunde, tree.konflikter)
    else:
        assert chain == tree


def test_an_inner_hvor_sees_the_fields_of_a_list_field(tmp_path: Path):
    # `antal as_ hvor (nogen bs hvor (n > m))`, where bs is a list field of the
    # outer element, was refused with "ukendt navn `n`": resolve gave the inner
    # `hvor` no fields when its list was itself a field.
    import json

    from regelkode.backends.python import fast as emit_python
    from regelkode.checks.analysis import compile_checked
    from regelkode.checks.examples import load_module
    from regelkode.ir import interpret
    rule = GOOD_RULE.replace("krav: sand", "krav: v = 1") + """typer:
  b:
    beskrivelse: x
    felter:
      n: {type: heltal}
  a:
    beskrivelse: x
    felter:
      bs: {type: liste af b}
      m: {type: heltal}
fakta:
  as_: {type: liste af a, beskrivelse: x}
definitioner:
  v:
    type: heltal
    værdi: antal as_ hvor (nogen bs hvor (n > m))
"""
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    compiled = compile_checked(pack)
    assert compiled.ok, compiled.diags.sorted()
    module = load_module(emit_python.emit_fast_module(compiled.program), "nested_hvor", tmp_path)
    case = {"as_": [{"m": 1, "bs": [{"n": 0}, {"n": 2}]}, {"m": 5, "bs": [{"n": 3}]},
                    {"m": 0, "bs": []}], "beregningsdato": "2024-01-01"}
    for evaluate in (lambda c: interpret.evaluate(compiled.program, c),
                     lambda c: module.evaluate(c)):
        assert evaluate(case).definitioner["v"] == 1
        case_missing = json.loads(json.dumps(case))
        del case_missing["as_"][1]["m"]
        assert evaluate(case_missing).definitioner["v"] == {
            "ukendt": True, "mangler": ["as_[1].m"]}


@pytest.mark.parametrize("text", [
    "fakta:\n  a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "fakta:\n  a: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n",
])
def test_deep_flow_yaml_does_not_crash_the_process(tmp_path: Path, text):
    # With PyYAML's libyaml composer (recursive in C), 100,000 nested brackets
    # killed `regelkode check` with a segmentation fault. Run in a subprocess,
    # so a regression fails this test instead of killing the test run.
    import subprocess
    import sys
    pack = write_pack(tmp_path, "p", {"regler.yaml": text})
    proc = subprocess.run([sys.executable, "-m", "regelkode", "check", str(pack)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "error[yaml-depth]: YAML-strukturen er indlejret mere end 64 niveauer" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("text", [
    "a: &a [*a]\n",
    "a: &a\n  b: *a\n",
    "".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "x: 1\n",
])
def test_yaml_deeper_than_the_limit_is_refused_where_it_gets_too_deep(tmp_path: Path, text):
    # Block nesting and self-containing aliases went through the converter's
    # recursion; the error (if any) was at 1:1, and 100 levels of indentation
    # were accepted although flow nesting that deep is not.
    run = run_cli(["check", write_pack(tmp_path, "p", {"regler.yaml": text})])
    assert run.code == 1
    assert "error[yaml-depth]" in run.err
    line = int(positioned_errors(run.err)[0]["line"])
    assert line > 1 or text.startswith("a:")


def test_a_name_with_a_trailing_newline_is_refused(tmp_path: Path):
    # A YAML key "r\n" (quoted) passed the schema's and the model's `^…$`
    # patterns — `$` matches before a final newline — and crashed the build
    # with AssertionError in emit_python.ident. Enum values "v\n" likewise
    # passed (and then could never be written in an expression).
    rule = r'''fakta:
  "a\n": {type: heltal, beskrivelse: x}
typer:
  e:
    beskrivelse: x
    værdier: ["v\n", w]
regler:
  "r\n":
    titel: T
    område: o
    alvor: brud
    krav: sand
    meddelelse: m
'''
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    run = run_cli(["build", pack, "--no-site", "--out", tmp_path / "b"])
    assert_clean_outcome(run)
    assert run.code == 1
    assert run.err.count("error[bad-name]") == 3, run.err
    assert "'a\\n' er ikke et gyldigt navn for et faktum" in run.err


@pytest.mark.parametrize(("message", "expected"), [
    ("Brug {} eller {0} eller { }", "Brug {} eller {0} eller { }"),
    ("{{}} {_}", "{{}} 7"),
    ("værdi: {_} {", "værdi: 7 {"),
])
def test_braces_without_a_name_in_a_message_are_text(tmp_path: Path, message, expected):
    # A message "Brug {}" was refused with "ukendt navn `{}`": every pair of
    # braces counted as a placeholder. Only braces holding a letter or `_` do.
    from regelkode.checks.analysis import compile_checked
    from regelkode.ir import interpret
    rule = GOOD_RULE.replace("krav: sand", "krav: falsk").replace(
        "meddelelse: m", f"meddelelse: {json.dumps(message)}") + (
        "fakta:\n  _: {type: heltal, beskrivelse: x}\n")
    compiled = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": rule}))
    assert compiled.ok, compiled.diags.sorted()
    rapport = interpret.evaluate(compiled.program, {"_": 7}, dato="2024-01-01")
    assert rapport.regler[0].meddelelse == expected


def test_an_unknown_name_in_braces_is_still_an_error(tmp_path: Path):
    rule = GOOD_RULE.replace("meddelelse: m", 'meddelelse: "Hej {navn}"')
    run = run_cli(["check", write_pack(tmp_path, "p", {"regler.yaml": rule})])
    assert run.code == 1 and "ukendt navn `{navn}` i meddelelsen" in run.err


@pytest.mark.parametrize("title", ["\nTitel", "\n\nTo linjer\nher", "Én\n  indrykket\nlinje"])
def test_a_title_starting_with_a_newline_keeps_its_text_in_the_docstring(tmp_path: Path, title):
    # docstring() indented every line and then sliced the indent off the
    # start, which ate the newline (and part of the text's indentation) when
    # the first line was empty: "\nTitel" became the docstring "  Titel".
    import inspect

    from regelkode.backends.python import fast as emit_python
    from regelkode.checks.analysis import compile_checked
    from regelkode.checks.examples import load_module
    rule = GOOD_RULE + f"definitioner:\n  x:\n    type: heltal\n    titel: {json.dumps(title)}\n" \
        "    værdi: '1'\n"
    compiled = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": rule}))
    assert compiled.ok, compiled.diags.sorted()
    source = emit_python.emit_fast_module(compiled.program)
    module = load_module(source, "doc_title", tmp_path)
    assert inspect.getdoc(module.definition_x) == inspect.cleandoc(title)
    assert module.definition_x.__doc__.startswith(title.split("\n")[0] + "\n")


@pytest.mark.parametrize("where", ["titel", "nøgle", "tekstkonstant", "opregning"])
def test_a_lone_surrogate_in_a_rule_file_is_refused_with_a_position(tmp_path: Path, where):
    # YAML's "\ud800" escape gives a lone surrogate: the compiler crashed with
    # UnicodeEncodeError (in the review fingerprint, and writing the module)
    # on check, build, eval and test.
    rule = GOOD_RULE + "fakta:\n  t: {type: tekst, beskrivelse: x}\n"
    if where == "titel":
        rule = rule.replace("titel: T", r'titel: "T\ud800"')
    elif where == "nøgle":
        rule = rule.replace("  t: {type", r'  "t\udfff": {type')
    elif where == "tekstkonstant":
        rule = rule.replace("krav: sand", r'krav: "t = \"\ud83d\ude00\""')
    else:
        rule += "typer:\n  e: {beskrivelse: x, værdier: [\"a\\udc00\"]}\n"
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    case = tmp_path / "sag.json"
    case.write_text("{}")
    for argv in (["check", pack], ["build", pack, "--no-site", "--out", tmp_path / "b"],
                 ["test", pack], ["eval", pack, case, "--json"]):
        run = run_cli(argv)
        assert_clean_outcome(run)
        assert run.code == 1 and "error[yaml-surrogate]" in run.err, run.text


def test_a_lone_surrogate_in_a_case_is_refused(tmp_path: Path):
    # A case {"t": "\ud800"} was judged, and 'regelkode eval --json' then died
    # printing the report: stdout can't encode a lone surrogate.
    rule = GOOD_RULE.replace("meddelelse: m", "meddelelse: '{t}'").replace(
        "krav: sand", "krav: falsk") + "fakta:\n  t: {type: tekst, beskrivelse: x}\n"
    pack = write_pack(tmp_path, "p", {"regler.yaml": rule})
    case = tmp_path / "sag.json"
    case.write_text('{"t": "x\\ud800", "beregningsdato": "2024-01-01"}')
    run = run_cli(["eval", pack, case, "--json"])
    assert run.code == 1 and run.out == ""
    assert "sagen afvises: $.t: teksten indeholder en enlig surrogat" in run.err
    case.write_text('{"t": "x\\ud83d\\ude00", "beregningsdato": "2024-01-01"}')   # a real pair
    run = run_cli(["eval", pack, case, "--json"])
    assert run.code == 0 and "x😀" in run.out
