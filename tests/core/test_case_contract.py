"""The case contract (compiler/DESIGN.md): what a case may hold, and how a refusal reads.

The module (runtime/case.py) and the published `sag.schema.json`
(backends/schema/emit.py) state one contract from one set of constants; the
differential test (tests/reliability/test_schema_contract.py) holds them to
it on mutated cases. These are the fixed points: each failed before the
contract was written down (issue 19).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from regelkode import runtime as rt
from regelkode.backends.schema.emit import case_schema
from regelkode.front.parse_errors import DuplicateKey, loads_case
from regelkode.ir import interpret
from regelkode.passes.pipeline import compile_pack

ROOT = Path(__file__).resolve().parents[2]
EKSEMPEL = ROOT / "tests" / "packs" / "eksempel"
FAKTA = {
    "n": ("heltal",), "b": ("beløb",), "d": ("decimal",), "dato": ("dato",),
    "ja": ("sandhedsværdi",), "t": ("tekst",), "v": ("varighed",),
    "form": ("enum", "form", ("fremmøde", "telefon")), "l": ("liste", ("dato",)),
    "p": ("post", "samtale", (("form", ("enum", "form", ("fremmøde",))),)),
}


def refusal(sag, fakta=FAKTA) -> rt.SagFejl:
    with pytest.raises(rt.SagFejl) as info:
        rt.normaliser(sag, fakta)
    # whatever it holds, a refusal can be printed and saved as UTF-8
    str(info.value).encode("utf-8")
    return info.value


# --- whole numbers are integers (JSON's number model) ---------------------------

@pytest.mark.parametrize("text", ["3.0", "1E2", "-0.0", "3e0", "100.00"])
def test_a_whole_number_with_a_fraction_or_exponent_is_an_integer(text):
    number = json.loads(text)
    whole = int(number)
    f = rt.normaliser({"n": number, "b": number, "d": number, "v": {"måneder": number,
                                                                   "dage": number}}, FAKTA)
    assert f["n"] == whole and f["n"].__class__ is int
    assert f["b"] == whole * 100
    assert f["d"] == whole
    assert f["v"] == rt.Varighed(whole, whole)


def test_whole_numbers_keep_their_limits():
    assert refusal({"n": 1e18}).sti == "$.n"
    assert refusal({"b": 1e15}).sti == "$.b"
    assert refusal({"v": {"dage": 1e6}}).sti == "$.v.dage"
    assert rt.normaliser({"n": 1e17, "b": 1e14}, FAKTA)["b"] == 10 ** 16
    for bad in (float("nan"), float("inf"), 2.5, True):
        assert refusal({"n": bad}).sti == "$.n"


# --- beskrivelse and beregningsdato are checked ----------------------------------

@pytest.mark.parametrize("bad", [None, {}, -1, [], "x" * 100_001, "a\ud800"])
def test_beskrivelse_is_checked(bad):
    assert refusal({"beskrivelse": bad}).sti == "$.beskrivelse"


def test_beregningsdato_null_is_refused_with_what_to_do_instead():
    fejl = refusal({"beregningsdato": None})
    assert fejl.sti == "$.beregningsdato"
    assert "fik null" in fejl.besked and "udelad beregningsdato" in fejl.besked


@pytest.mark.parametrize("bad", ["x", None, "2024-02-30", 20240101])
def test_the_cases_own_beregningsdato_is_checked_when_dato_is_given(bad):
    compiled = compile_pack(EKSEMPEL)
    with pytest.raises(rt.SagFejl) as info:
        interpret.evaluate(compiled.program, {"beregningsdato": bad}, dato="2024-08-01")
    assert info.value.sti == "$.beregningsdato"
    with pytest.raises(rt.SagFejl):
        rt.beregningsdato({"beregningsdato": bad}, "2024-08-01")


def test_dato_wins_over_a_good_beregningsdato():
    import datetime as dt
    assert rt.beregningsdato({"beregningsdato": "2020-01-01"}, "2024-08-01") == dt.date(2024, 8, 1)
    assert rt.beregningsdato({"beregningsdato": "2020-01-01"}, None) == dt.date(2020, 1, 1)


# --- messages ---------------------------------------------------------------------

@pytest.mark.parametrize(("fact", "form"), [
    ("dato", "en dato ÅÅÅÅ-MM-DD"), ("ja", "true eller false"),
    ("n", "et heltal med højst 18 cifre"), ("form", "en af: fremmøde, telefon"),
    ("l", "en liste"), ("t", "en tekst"),
])
def test_a_fraction_gets_advice_only_where_the_type_takes_one(fact, form):
    fejl = refusal({fact: 1.5})
    assert fejl.besked == f"forventede {form}, fik 1.5", fejl.besked
    assert '"1.50"' not in fejl.besked


@pytest.mark.parametrize(("fact", "advice"), [("b", '"1.50"'), ("d", '"1.5"')])
def test_a_fraction_for_money_or_a_decimal_is_told_to_write_text(fact, advice):
    fejl = refusal({fact: 12.5})
    assert "kommatal er ikke tilladt" in fejl.besked and advice in fejl.besked


def test_a_long_unknown_key_is_cut_in_the_message():
    fejl = refusal({"x" * 10_000: 1})
    assert "`" + "x" * rt.VIS_HOEJST + "…` (10.000 tegn)" in fejl.besked
    assert len(fejl.besked) < 200
    assert fejl.sti == "$." + "x" * 10_000       # the path names the place exactly


@pytest.mark.parametrize("sag", [
    {"\ud800": 1}, {"a\udfffb" * 50: 1}, {"form": "fremmøde\ud800"},
    {"p": {"\udc00": 1}}, {"v": {"\ud800": 1}}, {"dato": "\ud800"}, {"n": "\ud800"},
])
def test_a_lone_surrogate_is_escaped_in_path_and_message(sag):
    fejl = refusal(sag)
    assert not re.search("[\ud800-\udfff]", str(fejl))
    assert "\\ud" in str(fejl)


def test_control_characters_are_escaped_in_echoes():
    fejl = refusal({"form": "fremmøde\n"})
    assert fejl.besked.startswith('"fremmøde\\n" er ikke en tilladt værdi'), fejl.besked
    assert refusal({"b": "12.00\n"}).besked.endswith('fik "12.00\\n"')


def test_a_long_value_is_cut_in_the_message():
    fejl = refusal({"form": "y" * 5000})
    assert '"' + "y" * rt.VIS_HOEJST + '…" (5.000 tegn)' in fejl.besked
    assert len(refusal({"dato": "2" * 5000}).besked) < 200


def test_a_text_over_the_limit_says_the_limit():
    fejl = refusal({"t": "x" * (rt.MAX_TEKST + 1)})
    assert fejl.besked == "teksten har 100.001 tegn; højst 100.000 er tilladt"
    assert rt.normaliser({"t": "x" * rt.MAX_TEKST}, FAKTA)["t"] == "x" * rt.MAX_TEKST


def test_an_unknown_part_of_a_varighed_is_named_by_its_path():
    fejl = refusal({"v": {"uger": 2}})
    assert fejl.sti == "$.v.uger"
    assert "`måneder` og `dage`" in fejl.besked


@pytest.mark.parametrize("digits", ["١٢", "１２", "੧੨"])
def test_money_and_dates_take_ascii_digits_only(digits):
    assert refusal({"b": digits}).sti == "$.b"
    assert refusal({"d": digits}).sti == "$.d"
    assert refusal({"dato": f"20{digits}-01-01"}).sti == "$.dato"


# --- the schema states the same contract ------------------------------------------

@pytest.fixture(scope="module")
def schema():
    return case_schema(compile_pack(EKSEMPEL).program)


def _walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*path, i))


def test_every_text_states_its_limit_and_the_surrogate_rule(schema):
    texts = [(p, n) for p, n in _walk(schema) if n.get("type") == "string"
             and "pattern" not in n and "enum" not in n]
    assert len(texts) >= 2           # beskrivelse, and the pack's own texts
    for path, node in texts:
        assert node["maxLength"] == rt.MAX_TEKST, path
        assert "enlig surrogat" in node["description"], path


def test_every_integer_states_its_bounds(schema):
    bounds = {(n["minimum"], n["maximum"]) for _, n in _walk(schema) if n.get("type") == "integer"}
    allowed = {(-(g - 1), g - 1) for g in (rt.HELTAL_GRAENSE, rt.BELOEB_GRAENSE,
                                           rt.VARIGHED_GRAENSE)}
    assert bounds and bounds <= allowed
    assert all("minimum" in n for _, n in _walk(schema) if n.get("type") == "integer")


def _patterns(schema):
    return sorted({n["pattern"] for _, n in _walk(schema) if "pattern" in n})


def test_patterns_refuse_a_trailing_newline_and_other_digits_under_re_search(schema):
    samples = {"2024-01-08", "12326.50", "1.5", "12"}
    for pattern in _patterns(schema):
        assert "\\d" not in pattern
        good = [s for s in samples if re.search(pattern, s)]
        assert good, pattern
        for s in good:
            assert not re.search(pattern, s + "\n"), (pattern, s)
            assert not re.search(pattern, s.replace("1", "١").replace("2", "２")), (pattern, s)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (Debian nodejs)")
def test_patterns_refuse_a_trailing_newline_under_ecma(schema):
    script = """
    const patterns = JSON.parse(process.argv[1]);
    const out = patterns.map(p => [new RegExp(p).test("2024-01-08\\n") || new RegExp(p).test(
        "12\\n"), new RegExp(p, "u").test("2024-01-08") || new RegExp(p, "u").test("12")]);
    console.log(JSON.stringify(out));
    """
    run = subprocess.run(["node", "-e", script, json.dumps(_patterns(schema))],
                         capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(run.stdout) == [[False, True]] * len(_patterns(schema))


def test_a_name_twice_is_found_outer_first_and_at_any_depth():
    """Read from JSON text, an object holding a name twice is refused at the name's path
    (tests/sql/test_batch.py: from batch's inputs; test_cli.py: from eval)."""
    with pytest.raises(DuplicateKey) as info:
        loads_case('{"a": 1, "b": [1, {"c": 2, "c": 3}], "a": 2}')
    assert info.value.path == "$.a"
    with pytest.raises(DuplicateKey) as info:
        loads_case('{"x": [{"a": 1, "a": 2}, {"b": 1, "b": 2}], "y": {"c": 1, "c": 2}}')
    assert info.value.path == "$.x[0].a"
    deep = '{"x": ' + "[" * 900 + '{"y z": 1, "y z": 2}' + "]" * 900 + "}"
    with pytest.raises(DuplicateKey) as info:
        loads_case(deep)
    assert info.value.path == '$.x' + "[0]" * 900 + '["y z"]'
    assert loads_case('{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}') == {
        "a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}       # the same name in other objects
