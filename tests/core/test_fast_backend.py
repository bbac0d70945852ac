"""The fast Python backend's own promises (issue 15), beyond agreeing with the reference
interpreter (tests/differential does that on every example, sample and random case):
the fast path is really taken, definitions are computed only when needed, parameters
are looked up once per date, the report is lazy, `forklaring=False` drops the
explanations, and the validator computes the mask of incomplete facts."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from regelkode.backends.python.fast import emit_fast_module
from regelkode.checks.analysis import compile_checked
from regelkode.checks.examples import load_module
from regelkode.ir import interpret

ROOT = Path(__file__).resolve().parents[2]
ANNA = json.loads((ROOT / "tests/packs/eksempel/sager/anna.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    compiled = compile_checked(ROOT / "tests/packs/eksempel")
    assert compiled.ok
    source = emit_fast_module(compiled.program)
    module = load_module(source, "fast_eksempel", tmp_path_factory.mktemp("fast"))
    return compiled, source, module


def _counting(source: str, tmp: Path):
    """The module, noting each definition and rule that ran its three-valued path."""
    import re
    counting = re.sub(r"def ((?:regel|definition|delt)_\w+)\(s\):", r'def \1(s):\n    _FN = "\1"',
                      source)
    counting = counting.replace("        pass  # unknown after all: three-valued\n",
                                "        pass\n    _TRE.append(_FN)\n")
    counting = counting.replace("class _Ukendt(Exception):",
                                "_TRE = []\n\n\nclass _Ukendt(Exception):", 1)
    assert counting.count("_TRE.append(_FN)") >= 2
    return load_module(counting, "fast_eksempel_taelt", tmp)


def test_a_complete_case_takes_only_fast_paths(pack, tmp_path):
    compiled, source, _ = pack
    module = _counting(source, tmp_path)
    complete = dict(ANNA, antal_børn=1, navn="Anna", sats="1.5",
                    seneste_samtale=ANNA["samtaler"][3], ønsker_det=True)
    assert module._valider(complete)[1] == 0
    assert module.evaluate(complete).to_dict() == interpret.evaluate(
        compiled.program, complete).to_dict()
    assert module._TRE == []
    # Anna's own case leaves five facts out: what reads them goes three-valued, only that
    module.evaluate(ANNA).to_dict()
    slow = set(module._TRE)
    assert slow and "definition_alder" not in slow
    assert len(slow) < len(module.REGLER) + len(module.DEFINITION_TYPER)
    thin = {"beregningsdato": "2024-08-01", "startdato": "2024-01-08"}
    assert module._valider(thin)[1] != 0
    assert module.evaluate(thin).to_dict() == interpret.evaluate(compiled.program,
                                                                 thin).to_dict()


def test_a_complete_case_runs_every_rule_in_one_straight_line_function(pack):
    # _alle_kendte: the rules' fast paths one after another; the same outcomes as each
    # rule's own function, also for a date on which a parameter has no value (a fast
    # path gives up there, and that rule runs its own function)
    _, source, module = pack
    assert source.count("def _alle_kendte(s):") == 1
    complete = dict(ANNA, antal_børn=1, navn="Anna", sats="1.5",
                    seneste_samtale=ANNA["samtaler"][3], ønsker_det=True)
    f, mask = module._valider(complete)
    assert mask == 0
    for dato in ("2024-08-01", "1990-01-01", "2031-06-30"):
        s = module._Sag(f, mask, module.beregningsdato(complete, dato))
        one = module._Sag(f, mask, module.beregningsdato(complete, dato))
        assert module._alle_kendte(s) == [getattr(module, f"regel_{r}")(one)
                                          for r in module.REGLER], dato


def test_a_missing_field_in_a_list_marks_its_fact_incomplete(pack):
    _, _, module = pack
    sag = copy.deepcopy(ANNA)
    bit = 1 << list(module.FAKTA).index("samtaler")
    assert not module._valider(sag)[1] & bit
    del sag["samtaler"][2]["form"]
    f, mask = module._valider(sag)
    assert mask & bit
    assert f["samtaler"][2]["form"].mangler == frozenset({"samtaler[2].form"})


def test_a_field_missing_in_one_item_slows_only_what_reads_that_field(pack, tmp_path):
    # one conversation without `form`: what reads only the items' dato and afholdt
    # keeps its fast path; what reads `form` goes three-valued; same report either way
    compiled, source, _ = pack
    module = _counting(source, tmp_path)
    sag = dict(copy.deepcopy(ANNA), antal_børn=1, navn="Anna", sats="1.5",
               seneste_samtale=ANNA["samtaler"][3], ønsker_det=True)
    del sag["samtaler"][1]["form"]
    assert module.evaluate(sag).to_dict() == interpret.evaluate(compiled.program,
                                                                sag).to_dict()
    slow = set(module._TRE)
    assert "definition_første_samtale" not in slow
    assert slow == {"regel_første_samtale_personlig"}     # it reads the items' form


def test_definitions_are_computed_when_read_and_only_once(pack):
    compiled, _, module = pack
    rapport = module.evaluate(ANNA)
    def computed():     # "#n" are shared subexpressions, kept beside the definitions
        return {n for n in rapport._definitioner if not n.startswith("#")}

    # some definition no rule reads is left for the report to compute if asked
    assert computed() < set(module.DEFINITION_TYPER)
    everything = rapport.definitioner
    assert computed() == set(module.DEFINITION_TYPER)
    assert everything == interpret.evaluate(compiled.program, ANNA).to_dict()["definitioner"]
    # a definition is a function of its own, run at most once per case
    calls = []
    name = min(module.DEFINITION_TYPER)
    original = module._DEFINITIONER[name]
    module._DEFINITIONER[name] = lambda s: calls.append(1) or original(s)
    try:
        r = module.evaluate(ANNA)
        for _ in range(3):
            r.definition(name)
            r.to_dict()
    finally:
        module._DEFINITIONER[name] = original
    assert calls == [1]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    compiled = compile_checked(ROOT / "rules/ressourceforloeb")
    assert compiled.ok
    module = load_module(emit_fast_module(compiled.program), "fast_national",
                         tmp_path_factory.mktemp("national"))
    sag = json.loads(min((ROOT / "rules/ressourceforloeb/sager").glob("*.json"))
                     .read_text(encoding="utf-8"))
    return compiled, module, sag


def test_parameters_are_looked_up_once_per_date_and_only_when_read(national):
    _, module, sag = national
    module._PARAMETRE_PAA.clear()
    for dato in ("2024-08-01", "2024-08-01", "2025-01-01"):
        module.evaluate(sag, dato=dato).to_dict()
    assert len(module._PARAMETRE_PAA) == 2


def test_a_pack_that_reads_no_parameter_on_the_date_looks_none_up(pack):
    _, _, module = pack
    module._PARAMETRE_PAA.clear()
    rapport = module.evaluate(ANNA, dato="2024-08-01")
    assert rapport.to_dict()["beregningsdato"] == "2024-08-01"
    assert module._PARAMETRE_PAA == {}


def test_the_report_is_lazy_and_forklaring_false_drops_explanations(pack):
    compiled, _, module = pack
    rapport = module.evaluate(ANNA, forklaring=False)
    assert rapport._regler is None              # nothing built until asked
    got = rapport.to_dict()
    assert got == interpret.evaluate(compiled.program, ANNA, forklaring=False).to_dict()
    assert all(r["fakta"] == [] and r["definitioner"] == [] for r in got["regler"])
    assert got["fakta"] == {}
    full = module.evaluate(ANNA).to_dict()
    assert any(r["fakta"] for r in full["regler"])
    assert set(full["fakta"]) == {n for r in full["regler"] for n in r["fakta"]}
    assert module.evaluate(ANNA).opsummering() == full["opsummering"]


def test_to_dict_writes_met_rules_and_complete_facts_without_the_generic_walk(pack):
    # to_dict() writes a rule that doesn't apply or is met from its constants and a
    # complete fact with the function generated for its type; the report is the
    # interpreter's either way, before and after the rule results were read
    compiled, _, module = pack
    complete = dict(ANNA, antal_børn=1, navn="Anna", sats="1.5",
                    seneste_samtale=ANNA["samtaler"][3], ønsker_det=True)
    for sag in (complete, ANNA):
        want = interpret.evaluate(compiled.program, sag).to_dict()
        rapport = module.evaluate(sag)
        assert rapport._regler is None
        assert rapport.to_dict() == want
        assert rapport._regler is None      # no result objects for the met rules
        assert len(rapport.regler) == len(want["regler"])
        assert rapport.to_dict() == want
    f, mask = module._valider(complete)
    assert mask == 0
    for navn in module._FORKLAREDE_FAKTA:
        _bit, fn = module._FAKTA_JSON[navn]
        assert fn(f[navn]) == module.til_json(f[navn], module.FAKTA[navn]), navn


def test_every_rule_and_definition_is_findable_with_its_source_line(pack):
    compiled, source, _ = pack
    for rid, rule in compiled.pack.rules.items():
        at = source.index(f"\ndef regel_{rid}(s):")
        assert f"# {rule.span.file}:{rule.span.line}\n" in source[at - 2000:at]
    for name in compiled.pack.defs:
        assert f"\ndef definition_{name}(s):" in source


def test_money_is_whole_oere_and_dates_are_dates(pack):
    _, _, module = pack
    f, _ = module._valider(ANNA)
    beloeb = [u["beløb"] for u in f["udbetalinger"]]
    assert beloeb == [1232650, 10000] and all(type(b) is int for b in beloeb)
    assert type(f["startdato"]).__name__ == "date"


def test_a_repeated_expression_is_computed_once_per_case(tmp_path):
    from regelkode.backends.python.cse import shared_values
    compiled = compile_checked(ROOT / "rules/ressourceforloeb")
    shared = shared_values(compiled.program)
    assert shared, "the national pack repeats expressions (parameters on forløb_startdato, …)"
    module = load_module(emit_fast_module(compiled.program), "fast_cse", tmp_path)
    calls: dict = {}
    for key, fn in list(module._DEFINITIONER.items()):
        if key.startswith("#"):
            module._DEFINITIONER[key] = (lambda k, f: lambda s: calls.setdefault(k, []).append(1)
                                         or f(s))(key, fn)
    sag = json.loads((ROOT / "rules/ressourceforloeb/sager").glob("*.json").__next__()
                     .read_text(encoding="utf-8"))
    got = module.evaluate(sag).to_dict()
    assert got == interpret.evaluate(compiled.program, sag).to_dict()
    assert calls and all(len(c) == 1 for c in calls.values())


def test_a_searchs_loop_invariants_are_computed_once_per_search():
    # nogen samtaler hvor (dato < frist + 1 måned og nogen samtaler hvor (dato > ydre dato
    # − 1 måned)): `frist + 1 måned` reads no element (once, outside both loops) and
    # `ydre dato − 1 måned` only the outer one (once per outer element, not per pair)
    from regelkode.backends.python.fastexpr import FastExpr
    from regelkode.ir import nodes as ir
    from regelkode.runtime import Varighed
    month = ir.Const(Varighed(1, 0))
    inner = ir.Agg("nogen", ir.Fact("samtaler"), 1, ir.Call("stoerre", (
        ir.ElemField(1, "dato"), ir.Call("dato_minus", (ir.ElemField(0, "dato"), month)))))
    outer = ir.Agg("nogen", ir.Fact("samtaler"), 0, ir.Call("og", (
        ir.Call("mindre", (ir.ElemField(0, "dato"),
                           ir.Call("dato_plus", (ir.Fact("frist"), month)))), inner)))
    text = FastExpr().emit(outer)
    assert text.count("op_dato_plus") == text.count("op_dato_minus") == 1
    assert "for h0 in (_k(op_dato_plus(f['frist']" in text
    assert "for h1 in (_k(op_dato_minus(e0['dato']" in text
    # the loop variables are bound where the invariants are read: the text runs
    import datetime as dt

    from regelkode.runtime import op_dato_minus, op_dato_plus

    def _k(v):
        return v
    f = {"frist": dt.date(2024, 3, 1),
         "samtaler": ({"dato": dt.date(2024, 1, 10)}, {"dato": dt.date(2024, 2, 1)})}
    calls = []

    def minus(a, b):
        calls.append(a)
        return op_dato_minus(a, b)
    env = {"f": f, "_k": _k, "op_dato_plus": op_dato_plus, "op_dato_minus": minus,
           "Varighed": Varighed}
    assert eval(text, env) is True      # generated from the IR built above
    assert len(calls) <= 2              # per outer element, not per pair
    f["frist"] = dt.date(2023, 12, 1)      # no conversation before frist + 1 måned
    assert eval(text, env) is False


def test_a_hinted_search_keeps_its_index_on_the_fast_path(national):
    # the conversation-gap rule asks "a held conversation in the interval before this
    # one" for every conversation: the fast path asks the same sorted index as the
    # three-valued one (linear), rather than giving the rule up to the slow path
    import inspect
    _, module, _ = national
    text = inspect.getsource(module.regel_ingen_lange_huller_mellem_løbende_samtaler)
    fast = text[:text.index("except _Ukendt")]
    assert "_Vaerdier(" in fast and "op_nogen_vindue(" in fast


def test_a_case_judged_today_reads_the_clock_once_and_makes_the_date_when_read(pack):
    import datetime as dt
    _, _, module = pack
    sag = {k: v for k, v in ANNA.items() if k != "beregningsdato"}
    rapport = module.evaluate(sag)
    assert rapport.beregningsdato == dt.date.today()
    assert rapport.to_dict()["beregningsdato"] == dt.date.today().isoformat()
    s = module._Sag({}, 0, 1.5e9)       # the moment of evaluation, a date when read
    assert s._idag.__class__ is float
    assert s.idag == dt.date.fromtimestamp(1.5e9) and s._idag.__class__ is dt.date
