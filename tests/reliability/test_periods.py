"""`nogen L hvor (… start er senest X og slut er tidligst X)` inside another list.

passes/periods.py hints such aggregates and the runtime answers them from a
sorted index of the list's periods (`op_nogen_inden`). Two things must hold:

- the answer is exactly a scan's: the same report, with the same missing facts
  and reasons when elements lack dates or conditions (a property over random
  lists with fields left out, interpreter with and without hints and the
  generated module);
- the work is linear, not quadratic: with n sanction events and n leave periods
  the date comparisons are counted (no timing: counts are deterministic). On
  the old main, 300 × 300 made about 90,000 comparisons, nearly all in that one rule.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from differential.harness import compare, judging_backends
from regelkode.backends import backend
from regelkode.backends.python import emit as emit_python
from regelkode.backends.python.fast import emit_fast_module
from regelkode.checks.examples import load_module
from regelkode.ir import interpret
from regelkode.ir import nodes as ir
from regelkode.passes.pipeline import compile_pack

from .support import forget_generated_modules, fuzz_settings

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "ressourceforloeb"
RULE = "ingen_sanktion_under_orlov_eller_ferie"


@pytest.fixture(scope="module")
def program():
    c = compile_pack(PACK)
    assert c.ok
    return c.program


@pytest.fixture(scope="module")
def module(program, tmp_path_factory):
    yield load_module(emit_python.emit_module(program), program.pack,
                      tmp_path_factory.mktemp("modul"))
    forget_generated_modules()


@pytest.fixture(scope="module")
def fast_module(program, tmp_path_factory):
    yield load_module(emit_fast_module(program), program.pack + "_hurtig",
                      tmp_path_factory.mktemp("hurtig"))
    forget_generated_modules()


def _unhinted(node):
    """The IR without period hints: what every back end did before."""
    if isinstance(node, ir.Agg):
        return dataclasses.replace(node, seq=_unhinted(node.seq), within=None,
                                   pred=None if node.pred is None else _unhinted(node.pred))
    if isinstance(node, ir.Call):
        return dataclasses.replace(node, args=tuple(_unhinted(a) for a in node.args))
    return node


@pytest.fixture(scope="module")
def plain(program):
    out = copy.copy(program)
    out.rules = [dataclasses.replace(r, applies=None if r.applies is None else
                                     _unhinted(r.applies), requirement=_unhinted(r.requirement))
                 for r in program.rules]
    out.defs = [dataclasses.replace(d, expr=_unhinted(d.expr)) for d in program.defs]
    return out


def _hinted(node) -> list:
    found = [node] if isinstance(node, ir.Agg) and node.within is not None else []
    return found + [h for c in ir.children(node) for h in _hinted(c)]


def test_counts_of_earlier_events_in_a_window_are_hinted(program):
    windows = [a.within for r in program.rules for a in _hinted(r.requirement)
               + ([] if r.applies is None else _hinted(r.applies))
               if isinstance(a.within, ir.Window) and a.op == "antal"]
    assert windows and all(w.field == "dato" and w.lo_strict and not w.hi_strict
                           for w in windows)


def test_the_rule_over_leave_and_holidays_is_hinted(program):
    rule = next(r for r in program.rules if r.id == RULE)
    hints = {(a.seq.name, a.within.start, a.within.end) for a in _hinted(rule.requirement)
             if isinstance(a.within, ir.Within)}
    assert hints == {("orlovsperioder", "startdato", "slutdato"),
                     ("ferieperioder", "startdato", "slutdato")}
    ferie = next(a for a in _hinted(rule.requirement) if a.seq.name == "ferieperioder")
    assert ferie.within.rest == ir.ElemField(1, "aftalt_og_godkendt_forud")


def _base():
    return json.loads((PACK / "sager" / "anna_alt_i_orden.json").read_text(encoding="utf-8"))


def _case(n: int) -> dict:
    case = _base()
    start = dt.date(2024, 3, 1)
    case["sanktionshændelser"] = [
        {"dato": (start + dt.timedelta(days=3 * i + 1)).isoformat(),
         "situation": "udeblevet_fra_samtale", "rimelig_grund": False,
         "personlig_kontakt_forsøgt": True, "indstillet_til_sanktion": True} for i in range(n)]
    # periods that never hold an event day: every event is looked up in full
    case["orlovsperioder"] = [
        {"art": "barsel", "startdato": (start + dt.timedelta(days=3 * i + 2)).isoformat(),
         "slutdato": (start + dt.timedelta(days=3 * i + 3)).isoformat(), "kalenderdage": 2,
         "ret_efter_barselsloven": True, "ydelse_udbetalt": True} for i in range(n)]
    return case


N = 300


def test_the_generated_module_compares_dates_linearly(module, monkeypatch):
    calls = [0]
    real = module.op_mindre_lig

    def counted(a, b):
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(module, "op_mindre_lig", counted)
    module.evaluate(_case(N))
    assert calls[0] < 30 * N, f"{calls[0]} date comparisons for {N} × {N} elements"


def test_the_interpreter_compares_dates_linearly(program, monkeypatch):
    calls = [0]
    real = interpret._OPS["mindre_lig"]

    def counted(a, b):
        calls[0] += 1
        return real(a, b)

    monkeypatch.setitem(interpret._OPS, "mindre_lig", counted)
    interpret.evaluate(program, _case(N))
    assert calls[0] < 30 * N, f"{calls[0]} date comparisons for {N} × {N} elements"


MONTH_RULE = "højst_en_nedsættelse_pr_kalendermåned"


def test_an_earlier_event_in_the_same_month_is_hinted(program):
    rule = next(r for r in program.rules if r.id == MONTH_RULE)
    keyed = [a.within for a in _hinted(rule.requirement) if isinstance(a.within, ir.Keyed)]
    assert [(k.key, k.field, k.below, k.strict) for k in keyed] == [
        ("fradrag_i_udbetalingen_for", "dato", True, True)]
    assert keyed[0].match == ir.ElemField(0, "fradrag_i_udbetalingen_for")


def _same_month(n: int) -> dict:
    """n § 69 d events, all deducted in the same month: before the index, each
    looked through all the others (3,000 took 19 s in the module, 34 s in the
    interpreter)."""
    case = _base()
    case["sanktionshændelser"] = [
        {"dato": (dt.date(2024, 3, 1) + dt.timedelta(days=i % 28)).isoformat(),
         "situation": "afslået_arbejde", "indstillet_til_sanktion": True,
         "anden_nedsættelse_i_samme_måned": False,
         "fradrag_i_udbetalingen_for": "2024-04-01"} for i in range(n)]
    return case


def _counted(which, ops, case, program, module, fast_module, monkeypatch):
    """Judge `case` with the interpreter, the old or the fast module, counting the
    calls of the comparison ops: (report, count)."""
    calls = [0]

    def counting(real):
        def counted(a, b):
            calls[0] += 1
            return real(a, b)
        return counted

    if which == "interpreter":
        for op in ops:
            monkeypatch.setitem(interpret._OPS, op, counting(interpret._OPS[op]))
        fresh = copy.copy(program)      # new lists: its closures are made again, counting
        fresh.defs, fresh.rules = list(program.defs), list(program.rules)
        return interpret.evaluate(fresh, case), calls[0]
    m = module if which == "module" else fast_module
    for op in ops:
        monkeypatch.setattr(m, f"op_{op}", counting(getattr(m, f"op_{op}")))
    return m.evaluate(case), calls[0]     # left to right: counted after judging


@pytest.mark.parametrize("which", ["interpreter", "module", "fast_module"])
def test_the_same_month_is_found_linearly(program, module, fast_module, which, monkeypatch):
    rapport, calls = _counted(which, ["lig"], _same_month(N), program, module, fast_module,
                              monkeypatch)
    assert rapport.regel(MONTH_RULE).status == "brud"
    assert calls < 30 * N, f"{calls} comparisons for {N} events"


GAP_RULE = "ingen_lange_huller_mellem_løbende_samtaler"


def _conversations(n: int) -> dict:
    """n held conversations a week apart, none with a long gap: before the window
    index, each looked through all the others for one in the interval before it."""
    case = _base()
    start = dt.date(2024, 3, 4)
    case["samtaler"] = [{"dato": (start + dt.timedelta(weeks=i)).isoformat(), "afholdt": True,
                         "form": "fremmøde"} for i in range(n)]
    case["beregningsdato"] = (start + dt.timedelta(weeks=n)).isoformat()
    return case


def test_a_conversation_in_the_interval_before_is_hinted(program):
    rule = next(r for r in program.rules if r.id == GAP_RULE)
    windows = [a for a in _hinted(rule.requirement) if isinstance(a.within, ir.Window)]
    assert [(a.op, a.within.field) for a in windows] == [("nogen", "dato")]


@pytest.mark.parametrize("which", ["interpreter", "module", "fast_module"])
def test_the_interval_before_is_searched_linearly(program, module, fast_module, which,
                                                   monkeypatch):
    rapport, calls = _counted(which, ["mindre", "stoerre_lig"], _conversations(N), program,
                              module, fast_module, monkeypatch)
    assert rapport.regel(GAP_RULE).status == "opfyldt"
    assert calls < 30 * N, f"{calls} comparisons for {N} conversations"


# --- exactly a scan's answer ----------------------------------------------------------

DAYS = st.integers(0, 40).map(lambda d: (dt.date(2024, 3, 1) + dt.timedelta(days=d)).isoformat())


def _records(fields: dict) -> st.SearchStrategy:
    # every field may be left out: the element's value is then unknown
    return st.lists(st.fixed_dictionaries({}, optional=fields), max_size=6)


# events over years, so the counts in a 5-year or 12-month window vary too
YEARS = st.integers(0, 3000).map(lambda d: (dt.date(2018, 1, 1) + dt.timedelta(days=d)).isoformat())
MONTHS = st.sampled_from(["2024-03-01", "2024-04-01", "2024-05-01"])
EVENTS = _records({"dato": st.one_of(DAYS, YEARS),
                   "situation": st.sampled_from(["udeblevet_fra_samtale",
                                                 "tilsidesat_oplysningspligt",
                                                 "uberettiget_ydelse_under_udlandsophold",
                                                 "afslået_arbejde", "manglende_sygemelding"]),
                   "fradrag_i_udbetalingen_for": MONTHS,
                   "anden_nedsættelse_i_samme_måned": st.booleans(),
                   "rimelig_grund": st.booleans(), "personlig_kontakt_forsøgt": st.booleans(),
                   "mod_bedre_vidende": st.booleans(),
                   "indstillet_til_sanktion": st.booleans()})
LEAVE = _records({"art": st.sampled_from(["barsel", "sorgorlov"]), "startdato": DAYS,
                  "slutdato": DAYS, "kalenderdage": st.integers(1, 40),
                  "ret_efter_barselsloven": st.booleans(), "ydelse_udbetalt": st.booleans()})
HOLIDAYS = _records({"startdato": DAYS, "slutdato": DAYS, "ferieuger": st.just("1"),
                     "med_feriegodtgørelse": st.booleans(),
                     "aftalt_og_godkendt_forud": st.booleans()})


@fuzz_settings()
@given(events=EVENTS, leave=LEAVE, holidays=HOLIDAYS)
def test_the_index_gives_exactly_a_scans_report(program, plain, module, fast_module, events,
                                                  leave, holidays):
    case = _base()
    case.update(sanktionshændelser=events, orlovsperioder=leave, ferieperioder=holidays)
    scan = interpret.evaluate(plain, copy.deepcopy(case)).to_dict()
    assert interpret.evaluate(program, copy.deepcopy(case)).to_dict() == scan
    assert module.evaluate(copy.deepcopy(case)).to_dict() == scan
    assert fast_module.evaluate(copy.deepcopy(case)).to_dict() == scan


@pytest.mark.parametrize(("day", "status"), [("2024-03-05", "brud"), ("2024-04-05", "ukendt")])
def test_a_known_period_decides_and_an_unknown_one_leaves_it_open(program, plain, day, status):
    case = _base()
    case.update(sanktionshændelser=[{"dato": day, "situation": "udeblevet_fra_samtale",
                                     "indstillet_til_sanktion": True}],
                orlovsperioder=[{"startdato": "2024-03-10",           # no end: unknown
                                 "ret_efter_barselsloven": True},
                                {"startdato": "2024-03-01", "slutdato": "2024-03-31",
                                 "ret_efter_barselsloven": True}],
                ferieperioder=[])
    got = interpret.evaluate(program, copy.deepcopy(case)).to_dict()
    assert got == interpret.evaluate(plain, copy.deepcopy(case)).to_dict()
    assert next(r for r in got["regler"] if r["id"] == RULE)["status"] == status


@pytest.mark.parametrize("path", sorted((PACK / "sager").glob("*.json")), ids=lambda p: p.stem)
def test_the_interpreters_closures_and_its_tree_walk_agree(program, path):
    # Without a recorder the interpreter runs closures made from the IR; with one
    # (coverage) it walks the tree. Both must give the same report.
    case = json.loads(path.read_text(encoding="utf-8"))
    fast = interpret.evaluate(program, copy.deepcopy(case)).to_dict()
    walked = interpret.evaluate(program, copy.deepcopy(case), recorder=interpret.Recorder())
    assert fast == walked.to_dict()


@fuzz_settings()
@given(events=EVENTS, leave=LEAVE, holidays=HOLIDAYS)
def test_closures_and_tree_walk_agree_on_random_lists(program, events, leave, holidays):
    case = _base()
    case.update(sanktionshændelser=events, orlovsperioder=leave, ferieperioder=holidays)
    fast = interpret.evaluate(program, copy.deepcopy(case)).to_dict()
    walked = interpret.evaluate(program, copy.deepcopy(case), recorder=interpret.Recorder())
    assert fast == walked.to_dict()


CONVERSATIONS = _records({"dato": st.one_of(DAYS, YEARS), "afholdt": st.booleans(),
                          "form": st.sampled_from(["fremmøde", "telefon"])})


@fuzz_settings()
@given(conversations=CONVERSATIONS, day=st.one_of(DAYS, YEARS))
def test_the_window_gives_exactly_a_scans_report(program, plain, module, fast_module,
                                                 conversations, day):
    case = _base()
    case.update(samtaler=conversations, beregningsdato=day)
    scan = interpret.evaluate(plain, copy.deepcopy(case)).to_dict()
    assert interpret.evaluate(program, copy.deepcopy(case)).to_dict() == scan
    assert module.evaluate(copy.deepcopy(case)).to_dict() == scan
    assert fast_module.evaluate(copy.deepcopy(case)).to_dict() == scan


# --- every judging backend uses (or safely ignores) the hints ---------------------------

def _random_lists(rng: random.Random) -> dict:
    """A case whose lists exercise every hint: events of many situations and months,
    leave and holidays over the same days, conversations; any field may be missing."""
    def day():
        # close together (same month, overlapping periods) or years apart (windows)
        span = rng.choice([60, 1100])
        return (dt.date(2023, 3, 1) + dt.timedelta(days=rng.randrange(span))).isoformat()

    def some(fields: dict) -> dict:
        return {k: v() for k, v in fields.items() if rng.random() < 0.85}

    case = _base()
    case["sanktionshændelser"] = [some({
        "dato": day, "indstillet_til_sanktion": lambda: rng.random() < 0.8,
        "situation": lambda: rng.choice(["afslået_arbejde", "manglende_sygemelding",
                                         "udeblevet_fra_samtale", "tilsidesat_oplysningspligt",
                                         "uberettiget_ydelse_under_udlandsophold"]),
        "mod_bedre_vidende": lambda: rng.random() < 0.5,
        "fradrag_i_udbetalingen_for": lambda: rng.choice(["2023-04-01", "2023-05-01"]),
        "anden_nedsættelse_i_samme_måned": lambda: rng.random() < 0.2,
        "rimelig_grund": lambda: rng.random() < 0.2,
        "personlig_kontakt_forsøgt": lambda: rng.random() < 0.8})
        for _ in range(rng.randrange(8))]
    case["orlovsperioder"] = [some({"art": lambda: "barsel", "startdato": day, "slutdato": day,
                                    "kalenderdage": lambda: 5,
                                    "ret_efter_barselsloven": lambda: True,
                                    "ydelse_udbetalt": lambda: True})
                              for _ in range(rng.randrange(4))]
    case["samtaler"] = [some({"dato": day, "afholdt": lambda: rng.random() < 0.8,
                              "form": lambda: "fremmøde"}) for _ in range(rng.randrange(12))]
    case["beregningsdato"] = "2026-04-01"
    return case


@pytest.mark.parametrize("name", [n for n in judging_backends() if n != "python"])
def test_other_backends_agree_on_hinted_lists(program, name, tmp_path):
    # The harness holds each backend to the interpreter, which the properties above
    # hold to a scan. JS and SQL answer from their own indexes: both must agree.
    if backend(name).unavailable():
        pytest.skip(backend(name).unavailable())
    rng = random.Random(20261204)
    cases = [(_random_lists(rng), None) for _ in range(150)]
    assert compare(program, cases, name, tmp_path) == []
