"""Runtime semantics: unknown propagation, exact money, parameters, tables, exceptions."""

import datetime as dt
from decimal import Decimal, localcontext

import pytest

from regelkode import runtime as rt

U = rt.Ukendt(("x",))
V = rt.Ukendt(("y",))


def test_unknown_has_no_truth_value():
    with pytest.raises(TypeError):
        bool(U)


def test_and_or_decided_without_the_missing_fact():
    assert rt.op_og(False, U) is False
    assert rt.op_og(U, False) is False
    assert rt.op_eller(True, U) is True
    out = rt.op_og(True, U)
    assert isinstance(out, rt.Ukendt) and out.mangler == {"x"}
    assert rt.op_og(U, V).mangler == {"x", "y"}
    assert rt.op_ikke(U) is U


def test_if_with_known_condition_looks_only_at_the_chosen_branch():
    assert rt.op_hvis(True, 1, U) == 1
    assert rt.op_hvis(False, U, 2) == 2
    assert rt.op_hvis(U, 3, 3) == 3            # both branches agree: decided anyway
    assert isinstance(rt.op_hvis(U, 3, 4), rt.Ukendt)


def test_comparisons_propagate_unknown_and_keep_bools_apart_from_ints():
    assert isinstance(rt.op_mindre(U, 1), rt.Ukendt)
    assert rt.op_lig(True, 1) is False
    assert rt.op_lig(Decimal("1.0"), 1) is True


def test_quantifiers_three_valued():
    seq = ({"a": True}, {"a": U}, {"a": False})
    assert rt.op_nogen(seq, lambda e: e["a"]) is True
    assert rt.op_alle(seq, lambda e: e["a"]) is False
    assert isinstance(rt.op_antal(seq, lambda e: e["a"]), rt.Ukendt)
    assert rt.op_antal((), lambda e: e["a"]) == 0
    assert rt.op_nogen((), None) is False
    assert rt.op_alle((), lambda e: e["a"]) is True
    assert isinstance(rt.op_mindste_felt((), "a", None, "tidligste a i l"), rt.Ukendt)


def test_sum_and_extremes_with_an_undecided_element_are_unknown_not_an_error():
    # An element whose condition is unknown used to reach `unknown or …`, i.e. bool(Ukendt).
    seq = ({"a": True, "n": 1}, {"a": U, "n": 2})
    out = rt.op_summen(seq, "n", lambda e: e["a"], 0)
    assert isinstance(out, rt.Ukendt) and out.mangler == {"x"}
    out = rt.op_mindste_felt(seq, "n", lambda e: e["a"], "mindste n i l")
    assert isinstance(out, rt.Ukendt) and out.mangler == {"x"}
    out = rt.op_stoerste_felt(({"a": True, "n": V},), "n", lambda e: e["a"], "største n i l")
    assert isinstance(out, rt.Ukendt) and out.mangler == {"y"}


def test_money_rounds_half_away_from_zero_to_the_oere():
    assert rt.op_beloeb_gange(1232650, Decimal("1.5")) == 1848975
    assert rt.op_beloeb_gange(1, Decimal("0.5")) == 1            # 0,5 øre -> 1 øre
    assert rt.op_beloeb_gange(-1, Decimal("0.5")) == -1
    assert rt.op_beloeb_divider(100, 3) == 33
    assert rt.op_afrund_kroner(1697175) == 1697200              # 16.971,75 -> 16.972
    assert rt.op_afrund_kroner(1697150) == 1697200              # half away from zero
    assert rt.op_afrund_kroner(1697149) == 1697100


def test_decimal_results_ignore_the_callers_context():
    with localcontext() as ctx:
        ctx.prec = 3
        assert Decimal(1) / Decimal(3) == Decimal("0.333")   # the caller's context...
        assert str(rt.op_divider(1, 3)).startswith("0.3333333333")  # ...is not ours


def test_division_by_zero_is_unknown():
    out = rt.op_divider(1, 0)
    assert isinstance(out, rt.Ukendt) and out.grunde == ("division med nul",)


def test_parameter_value_in_force_on_a_date():
    dates = (dt.date(2023, 1, 1), dt.date(2024, 1, 1))
    values = (1, 2)
    assert rt.op_param("p", dates, values, dt.date(2023, 12, 31)) == 1
    assert rt.op_param("p", dates, values, dt.date(2024, 1, 1)) == 2
    out = rt.op_param("p", dates, values, dt.date(2022, 12, 31))
    assert isinstance(out, rt.Ukendt) and "ingen værdi på 2022-12-31" in out.grunde[0]


def test_default_logic_conflict_is_reported_not_picked():
    out = rt.op_standard(1, (("a", True, 2), ("b", True, 3)))
    assert isinstance(out, rt.Ukendt) and out.konflikter == ("a", "b")
    assert rt.op_standard(1, (("a", True, 2), ("b", False, 3))) == 2
    assert rt.op_standard(1, (("a", False, 2),)) == 1
    # An undecided exception whose value equals the base changes nothing.
    assert rt.op_standard(True, (("a", U, True),)) is True
    assert isinstance(rt.op_standard(False, (("a", U, True),)), rt.Ukendt)


def test_tables_unique_and_first():
    assert rt.op_tabel("t", "unik", (False, True), ("a", "b")) == "b"
    out = rt.op_tabel("t", "unik", (True, True), ("a", "b"))
    assert isinstance(out, rt.Ukendt) and out.konflikter == ("t[1]", "t[2]")
    assert rt.op_tabel("t", "første", (True, True), ("a", "b")) == "a"
    assert "ingen række" in rt.op_tabel("t", "første", (False,), ("a",)).grunde[0]


def test_rule_status():
    assert rt.regel_status(False, U, "brud") == "ikke_relevant"
    assert rt.regel_status(True, True, "brud") == "opfyldt"
    assert rt.regel_status(True, False, "opmærksomhed") == "opmærksomhed"
    assert rt.regel_status(True, U, "brud") == "ukendt"
    assert rt.regel_status(True, rt.Ukendt(konflikter=("a",)), "brud") == "konflikt"


FAKTA = {
    "dato": ("dato",),
    "beløb": ("beløb",),
    "samtaler": ("liste", ("post", "samtale", (("form", ("enum", "form", ("fremmøde",))),
                                                ("dato", ("dato",))))),
}


@pytest.mark.parametrize(("sag", "path", "words"), [
    ({"dato": "2023-02-29"}, "$.dato", "ikke en gyldig dato"),
    ({"dato": 20230101}, "$.dato", "forventede en dato"),
    ({"beløb": 12.5}, "$.beløb", "kommatal er ikke tilladt"),
    ({"beløb": "12.345"}, "$.beløb", "højst 2 decimaler"),
    ({"ukendt_felt": 1}, "$.ukendt_felt", "ukendt faktum"),
    ({"samtaler": [{"form": "telefon"}]}, "$.samtaler[0].form", "ikke en tilladt værdi"),
    ({"samtaler": [{"farve": "rød"}]}, "$.samtaler[0].farve", "har ikke feltet"),
    ({"samtaler": [None]}, "$.samtaler[0]", "må ikke være null"),
    ({"samtaler": [{}] * 10_001}, "$.samtaler", "højst 10000"),
    ([], "$", "JSON-objekt"),
])
def test_malformed_cases_are_refused_with_the_json_path(sag, path, words):
    with pytest.raises(rt.SagFejl) as info:
        rt.normaliser(sag, FAKTA)
    assert info.value.sti == path
    assert words in info.value.besked


def test_missing_facts_and_fields_become_unknown_with_their_path():
    f = rt.normaliser({"samtaler": [{"form": "fremmøde"}]}, FAKTA)
    assert f["dato"].mangler == {"dato"}
    assert f["samtaler"][0]["dato"].mangler == {"samtaler[0].dato"}
    assert f["samtaler"][0]["form"] == "fremmøde"


def test_values_as_json_and_danish_text():
    assert rt.til_json(1232650, ("beløb",)) == "12326.50"
    assert rt.tekst(1232650, ("beløb",)) == "12.326,50 kr."
    assert rt.tekst(1638200, ("beløb",)) == "16.382 kr."
    assert rt.tekst(dt.date(2024, 1, 8), ("dato",)) == "8. januar 2024"
    assert rt.tekst(rt.Varighed(18, 0), ("varighed",)) == "1 år og 6 måneder"
    assert rt.tekst(rt.Varighed(0, 182), ("varighed",)) == "26 uger"
    assert rt.tekst(Decimal("1.50"), ("decimal",)) == "1,5"


def test_undecided_exception_over_unknown_base_names_both_missing_facts():
    out = rt.op_standard(U, (("a", V, True),))
    assert isinstance(out, rt.Ukendt) and out.mangler == {"x", "y"}


def test_money_from_text_ignores_the_callers_decimal_context():
    with localcontext() as ctx:
        ctx.prec = 3
        f = rt.normaliser({"beløb": "12326.50"}, {"beløb": ("beløb",)})
        assert f["beløb"] == 1232650
        f = rt.normaliser({"beløb": Decimal("12326.50")}, {"beløb": ("beløb",)})
        assert f["beløb"] == 1232650
