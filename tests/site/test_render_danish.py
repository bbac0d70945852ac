"""Danish rendering of expressions: one test (at least) per AST node type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.diagnostics import Diagnostics, Span
from regelkode.front import ast
from regelkode.front import types as T
from regelkode.front.parse import parse_expression
from regelkode.site import danish as dk

SPAN = Span("t", 1, 1)


def parse(text: str, start: str = "start"):
    diags = Diagnostics()
    node = parse_expression(text, SPAN, diags, start=start)
    assert node is not None, diags.items
    return node


def da(text: str) -> str:
    return dk.render(parse(text))


def test_every_node_type_has_a_rendering():
    nodes = [c for c in vars(ast).values()
             if isinstance(c, type) and issubclass(c, ast.Node) and c is not ast.Node]
    missing = [c.__name__ for c in nodes if not hasattr(dk.Renderer, f"r_{c.__name__}")]
    assert not missing


def test_the_example_from_the_brief():
    assert da("antal samtaler hvor afholdt er mindst 4") == (
        "antallet af samtaler, der er afholdt, er mindst 4")


@pytest.mark.parametrize("text, danish", [
    ("2024-01-08", "8. januar 2024"),
    ("2023-12-31", "31. december 2023"),
    ("12.326,50 kr", "12.326,50 kr."),
    ("16.382 kr", "16.382 kr."),
    ("1,7 %", "1,7 %"),
    ("4", "4"),
    ("1.000", "1.000"),
    ("1,5", "1,5"),
    ("6 måneder", "6 måneder"),
    ("65 år 6 måneder", "65 år og 6 måneder"),
    ("1 år 2 måneder 3 dage", "1 år, 2 måneder og 3 dage"),
    ("sand", "sand"),
    ("falsk", "falsk"),
    ('"virksomhedspraktik"', "»virksomhedspraktik«"),
    ('""', "en tom tekst"),
])
def test_literals(text, danish):
    assert da(text) == danish


def test_names():
    assert da("ydelse_startdato") == "ydelse startdato"
    assert da("beregningsdato") == "beregningsdatoen"
    assert da("forrige") == "den forrige værdi"


def test_field():
    assert da("første_samtale.dato") == "dato for første samtale"


def test_unary():
    assert da("ikke afholdt") == "ikke afholdt"
    assert da("-beløb") == "minus beløb"
    assert da("ikke (a eller b)") == "hverken a er opfyldt eller b er opfyldt"
    assert da("ikke (a er kendt)") == "a ikke er oplyst"
    assert da("ikke (form = fremmøde)") == "form ikke er fremmøde"
    assert da("ikke (a er mindst 4)") == "det ikke gælder, at a er mindst 4"


def test_and_or():
    assert da("a og b og c") == "a er opfyldt, b er opfyldt og c er opfyldt"
    assert da("a eller b") == "a er opfyldt eller b er opfyldt"
    assert da("a og (b eller c)") == (
        "a er opfyldt; og enten b er opfyldt eller c er opfyldt")
    assert da("ikke a og b") == "a ikke er opfyldt og b er opfyldt"


@pytest.mark.parametrize("text, danish", [
    ("a + b", "a plus b"),
    ("a - b", "a minus b"),
    ("a * b", "a gange b"),
    ("a × b", "a gange b"),
    ("a / b", "a divideret med b"),
    ("(a + b) * c", "(a plus b) gange c"),
    ("a - (b - c)", "a minus (b minus c)"),
    ("startdato + 6 måneder", "6 måneder efter startdato"),
    ("slutdato - 14 dage", "14 dage før slutdato"),
    ("slutdato - 1 dag", "dagen før slutdato"),
    ("startdato + 1 dag", "dagen efter startdato"),
])
def test_arithmetic_and_dates(text, danish):
    assert da(text) == danish


@pytest.mark.parametrize("text, danish", [
    ("alder er mindst 60", "alder er mindst 60"),
    ("alder >= 60", "alder er mindst 60"),
    ("alder < 60", "alder er mindre end 60"),
    ("alder > 60", "alder er større end 60"),
    ("alder <= 60", "alder er højst 60"),
    ("alder = 60", "alder er 60"),
    ("alder ≠ 60", "alder ikke er 60"),
    ("dato < 2024-01-01", "dato er før 1. januar 2024"),
    ("dato >= 2024-01-01", "dato er tidligst 1. januar 2024"),
    ("dato er senest startdato + 6 måneder", "dato er senest 6 måneder efter startdato"),
    ("varighed > 3 år", "varighed er længere end 3 år"),
])
def test_comparisons_in_words(text, danish):
    assert da(text) == danish


def test_member():
    assert da("form i (fremmøde, telefon)") == "form er fremmøde eller telefon"
    assert da("form i former") == "form er blandt former"


def test_known():
    assert da("bevillingsdato er kendt") == "bevillingsdato er oplyst"
    assert da("bevillingsdato er ukendt") == "bevillingsdato ikke er oplyst"


def test_if():
    assert da("hvis har_barn så a ellers b") == "hvis har barn er opfyldt, så a; ellers b"


def test_list():
    assert da("(a, b, c)") == "a, b og c"


def test_at_date_and_rounding():
    assert da("ydelse_med_barn på startdato") == "ydelse med barn på startdato"
    assert da("forrige × 1,5 afrundet til hele kroner") == (
        "den forrige værdi gange 1,5 afrundet til hele kroner")


@pytest.mark.parametrize("text, danish", [
    ("antal samtaler", "antallet af samtaler"),
    ("antal samtaler hvor ikke afholdt", "antallet af samtaler, der ikke er afholdt"),
    ("antal samtaler hvor (afholdt og dato er senest frist)",
     "antallet af samtaler, der er afholdt og har dato senest frist"),
    ("alle samtaler hvor (form i (fremmøde, telefon))",
     "det gælder for alle samtaler, at de har form fremmøde eller telefon"),
    ("nogen indsatser hvor påbegyndt", "der findes indsatser, der er påbegyndt"),
    ("nogen indsatser", "der findes indsatser"),
    ("ingen samtaler hvor (form ≠ fremmøde)",
     "der findes ingen samtaler, der ikke har form fremmøde"),
    ("summen af uger i ferieperioder hvor godkendt",
     "summen af uger i ferieperioder, der er godkendt"),
    ("tidligste dato i samtaler hvor afholdt", "tidligste dato blandt samtaler, der er afholdt"),
    ("seneste dato i samtaler", "seneste dato blandt samtaler"),
    ("mindste beløb i udbetalinger", "mindste beløb blandt udbetalinger"),
    ("største beløb i udbetalinger hvor (beløb er kendt)",
     "største beløb blandt udbetalinger, der har beløb oplyst"),
    ("antal samtaler hvor (dato > første.dato eller ikke (afholdt og x))",
     "antallet af samtaler, der har dato over dato for første eller ikke både er afholdt "
     "og er x"),
    ("antal samtaler hvor (ikke (a og (b eller c)))",
     "antallet af samtaler, hvor det ikke gælder, at a er opfyldt; og enten b er opfyldt "
     "eller c er opfyldt"),
])
def test_aggregates(text, danish):
    assert da(text) == danish


@pytest.mark.parametrize("text, danish", [
    ("hele år fra fødselsdato til beregningsdato",
     "antallet af hele år fra fødselsdato til beregningsdatoen"),
    ("hele måneder fra a til b", "antallet af hele måneder fra a til b"),
    ("dage fra a til b", "antallet af dage fra a til b"),
    ("tidligste af (a, b)", "den tidligste af a og b"),
    ("seneste af (a, b, c)", "den seneste af a, b og c"),
    ("mindste af (a, b)", "den mindste af a og b"),
    ("største af (a, b)", "den største af a og b"),
    ("(hele måneder fra a til b) × 1 måned", "(antallet af hele måneder fra a til b) gange "
     "1 måned"),
])
def test_builtins(text, danish):
    assert da(text) == danish


def test_table_cells():
    r = dk.Renderer()
    assert r.render(parse("-", "celle")) == "hvad som helst"
    assert r.cell(parse("-", "celle"), "x") is None
    assert r.cell(parse("< 1954-01-01", "celle"), "fødselsdato") == (
        "fødselsdato er før 1. januar 1954")
    assert r.cell(parse("er mindst 40", "celle"), "alder") == "alder er mindst 40"
    assert r.cell(parse("1954-01-01 .. 1954-06-30", "celle"), "fødselsdato") == (
        "fødselsdato er fra og med 1. januar 1954 til og med 30. juni 1954")
    assert r.cell(parse("fremmøde, telefon", "celle"), "form") == "form er fremmøde eller telefon"


def test_date_text():
    assert dk.date_text(dt.date(2024, 1, 8)) == "8. januar 2024"
    assert dk.sentence("kravet er opfyldt") == "Kravet er opfyldt."
    assert dk.sentence("") == ""


def test_typed_rendering_uses_date_words_for_names():
    # Without types `a < b` reads as numbers; the checker's types make it a date comparison.
    node = parse("a < b")
    typed = {node.left: T.DATE, node.right: T.DATE}
    assert dk.render(node) == "a er mindre end b"
    assert dk.render(node, typed) == "a er før b"


@pytest.fixture(scope="module")
def eksempel():
    return compile_checked(Path(__file__).resolve().parents[2] / "tests" / "packs" / "eksempel")


def test_rule_sentences_with_nested_exceptions(eksempel):
    rule = eksempel.pack.rules["varighed_højst"]
    text = dk.rule_sentences(rule, eksempel.typing.types)
    assert text[0] == "Reglen gælder, når startdato er oplyst."
    assert text[1].startswith("Kravet er, at beregningsdatoen er senest forløbsslut")
    assert text[2] == ("Dog gælder: hvis startdato er før 1. januar 2022, er kravet i stedet, "
                       "at beregningsdatoen er senest 5 år efter startdato.")
    assert text[3] == ("Dog gælder igen: hvis startdato er før 1. januar 2014, er kravet i "
                       "stedet altid opfyldt.")


def test_rule_without_condition_and_boolean_requirement(eksempel):
    text = dk.rule_sentences(eksempel.pack.rules["alder_under_60"], eksempel.typing.types)
    assert text == ["Reglen gælder altid.", "Kravet er, at må starte er opfyldt."]


def test_definitions_and_tables(eksempel):
    defs, types = eksempel.pack.defs, eksempel.typing.types
    assert dk.definition_sentences(defs["seks_måneders_frist"], types) == [
        "Seks måneders frist er 6 måneder efter startdato."]
    assert dk.definition_sentences(defs["må_starte"], types) == [
        "Må starte er sand, når alder er under 60.",
        "Dog gælder: hvis ønsker det er opfyldt, er værdien i stedet sand."]
    assert dk.definition_sentences(defs["ydelse"], types)[0].startswith(
        "Ydelse er: hvis har barn er opfyldt, så grundbeløb på startdato gange 1,5; ellers")
    table = dk.definition_sentences(defs["folkepensionsalder"], types)
    assert table[0] == "Hvis fødselsdato er før 1. juli 1955, er folkepensionsalder 65 år."
    assert table[-1] == "Præcis én række må passe; passer flere, er det en konflikt."
    first = dk.definition_sentences(defs["samtaleform_klasse"], types)
    assert "Ellers er samtaleform klasse »fjern«." in first
    assert first[-1] == "Den første række, der passer, gælder."


def test_every_rule_of_every_test_pack_renders(eksempel):
    for rule in eksempel.pack.rules.values():
        for s in dk.rule_sentences(rule, eksempel.typing.types):
            assert s[0].isupper() and s.endswith(".")


# -- parameter values in the text ------------------------------------------------------

PARAMS = {"maksimal_varighed": [(dt.date(2013, 1, 1), "5 år"), (dt.date(2022, 1, 1), "3 år")],
          "mindste_alder": [(dt.date(2020, 1, 1), "18")],
          "satserne_er_kendt": [(dt.date(2023, 1, 1), "ja"), (dt.date(2027, 1, 1), "nej")],
          "sats": [(dt.date(2020 + i, 1, 1), f"{1000 + i}") for i in range(6)]}


@pytest.mark.parametrize("text, danish", [
    # one value: the value itself, with the parameter and the date it applies from
    ("alder er mindst mindste_alder",
     "alder er mindst 18 (mindste alder, fra 1. januar 2020)"),
    # several: each value with its date
    ("varighed er højst maksimal_varighed på start",
     "varighed er højst maksimal varighed på start (5 år fra 1. januar 2013, 3 år fra "
     "1. januar 2022)"),
    ("beløb er mindst sats",
     "beløb er mindst sats (tidligere værdier på parametersiden; 1003 fra 1. januar 2023, "
     "1004 fra 1. januar 2024, 1005 fra 1. januar 2025)"),
    # a yes/no parameter as a condition keeps its verb before the values
    ("satserne_er_kendt og a",
     "satserne er kendt er opfyldt (ja fra 1. januar 2023, nej fra 1. januar 2027) og "
     "a er opfyldt"),
    ("ikke satserne_er_kendt",
     "satserne er kendt ikke er opfyldt (ja fra 1. januar 2023, nej fra 1. januar 2027)"),
])
def test_parameter_values_are_in_the_text(text, danish):
    r = dk.Renderer(params=PARAMS)
    assert r.cond(parse(text)) == danish


def test_without_values_a_parameter_is_its_name():
    assert da("alder er mindst mindste_alder") == "alder er mindst mindste alder"


def test_rule_on_the_site_shows_the_parameter_values(eksempel):
    from regelkode.site.context import PackContext

    ctx = PackContext(eksempel, "genereret/eksempel")
    text = dk.rule_sentences(eksempel.pack.rules["varighed_højst"], eksempel.typing.types,
                             ctx.param_values)
    # forløbsslut = startdato + maksimal_varighed på startdato: the definition, not the rule,
    # names the parameter; its page shows the values
    defs = dk.definition_sentences(eksempel.pack.defs["forløbsslut"], eksempel.typing.types,
                                   ctx.param_values)
    assert defs == ["Forløbsslut er maksimal varighed på startdato (5 år fra 1. januar 2013, "
                    "3 år fra 1. januar 2022) efter startdato."]
    assert text[0] == "Reglen gælder, når startdato er oplyst."


def test_subordinate_word_order():
    # every expression is read inside "når …", "at …" or "hvis …": "ikke" before the verb
    assert da("ikke a") == "ikke a"
    assert dk.Renderer().cond(parse("ikke a")) == "a ikke er opfyldt"
    assert da("a ≠ 4") == "a ikke er 4"
    assert da("ikke (a er mindst 4)") == "det ikke gælder, at a er mindst 4"
