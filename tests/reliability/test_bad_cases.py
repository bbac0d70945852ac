"""Property: a malformed case is refused clearly, before anything is evaluated.

Malformed JSON, wrong types, unknown fields, wrong enum values, impossible
dates, floats for money, huge numbers and over-long lists: `regelkode eval`
and the generated `evaluate` answer with a SagFejl naming the JSON path and
what was expected — in bounded time, and never with a partial report. The
reference interpreter must refuse the same way (same path, same message).
"""

from __future__ import annotations

import functools
import json
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regelkode import runtime as rt
from regelkode.backends.python import fast as emit_python
from regelkode.checks.analysis import compile_checked
from regelkode.checks.examples import load_module
from regelkode.ir import interpret

from .support import fuzz_settings, run_cli, time_limit

EKSEMPEL = Path(__file__).resolve().parents[1] / "packs" / "eksempel"
ANNA = json.loads((EKSEMPEL / "sager" / "anna.json").read_text(encoding="utf-8"))
PATH = r"^\$(\.[^\W\d]\w*|\[\d+\]|\[\"(?:[^\"\\]|\\.)*\"\])*$"


@functools.lru_cache(maxsize=1)
def backends():
    compiled = compile_checked(EKSEMPEL)
    assert compiled.ok
    tmp = tempfile.mkdtemp(prefix="regelkode-bad-cases-")
    module = load_module(emit_python.emit_fast_module(compiled.program), "eksempel_sager",
                         Path(tmp))
    return compiled.program, module


def judge(case, dato="2024-08-01"):
    """(("rapport", dict) | ("SagFejl", sti, besked)) from both back ends, which must agree."""
    program, module = backends()
    outcomes = []
    for run in (lambda: interpret.evaluate(program, case, dato=dato),
                lambda: module.evaluate(case, dato=dato)):
        try:
            with time_limit(10):
                outcomes.append(("rapport", run().to_dict()))
        except Exception as exc:
            if type(exc).__name__ != "SagFejl":
                raise
            assert exc.besked and str(exc) == f"{exc.sti}: {exc.besked}"
            assert __import__("re").fullmatch(PATH, exc.sti), exc.sti
            outcomes.append(("SagFejl", exc.sti, exc.besked))
    assert outcomes[0] == outcomes[1], outcomes
    return outcomes[0]


def _wrong_values(typ) -> list:
    """Values no fact of this runtime type may hold (null is fine: it means unknown).

    A whole number written as 1.0 is the integer 1 (JSON's number model), so it is
    not among them; 1.000001 is.
    """
    kind = typ[0]
    common = [1.5, float("nan"), float("inf"), [], {}, 10**5000, "😀", "\x00"]
    return {
        "sandhedsværdi": [1, 0, "true", "ja", *common],
        "heltal": [1.000001, "1", True, 10**18, -(10**18), 2.5, Decimal("1.5"), *common],
        "decimal": [1.5, 0.1, "1,5", "1e5", "1.5.5", " 1", "9" * 31, True, Decimal("1e50"),
                    Decimal("NaN"), Decimal("Infinity"), *common],
        "beløb": [12326.5, 0.5, "12326,50", "1.505", "1e3", "12 kr", True, 10**15,
                  Decimal("1e50"), Decimal("1.001"), *common],
        "dato": ["2023-02-29", "2024-13-01", "2024-1-1", "24-01-01", "2024-01-01T00:00",
                 "20240101", 20240101, "0000-01-01", True, *common],
        "varighed": [6, "6 måneder", {"måneder": 1.5}, {"uger": 2}, {"dage": "1"},
                     {"måneder": True}, {"dage": 10**7}, 1.5, [], 10**5000, "😀"],  # {} is 0 days
        "tekst": [1, True, "x" * 100_001, ["a"], {"a": 1}, 1.5, 10**5000, "a\ud800"],
        "enum": ["x", "FREMMØDE", " fremmøde", 1, True, *common],
        "liste": ["a", 1, {"a": 1}, [None], True, 1.5, 10**5000],
        "post": [[], "a", 1, {"ukendt_felt": 1}, True, 1.5],
    }[kind]


def _facts():
    _program, module = backends()
    return module.FAKTA


@fuzz_settings(scale=2)
@given(data=st.data())
def test_a_wrong_value_anywhere_is_refused_at_its_path(data):
    facts = _facts()
    name = data.draw(st.sampled_from(sorted(facts)), label="fact")
    typ, path = facts[name], ["$." + name]
    case = json.loads(json.dumps(ANNA))
    target, key = case, name
    # walk into lists and records some of the time
    while typ[0] in ("liste", "post") and data.draw(st.booleans(), label="deeper"):
        value = target.get(key) if isinstance(target, dict) else target[key]
        if typ[0] == "liste":
            if not isinstance(value, list) or not value:
                value = []
                target[key] = value
                break
            i = data.draw(st.integers(0, len(value) - 1), label="index")
            target, key, typ = value, i, typ[1]
            path.append(f"[{i}]")
        else:
            if not isinstance(value, dict):
                break
            fname, ftyp = data.draw(st.sampled_from(typ[2]), label="field")
            target, key, typ = value, fname, ftyp
            path.append(f".{fname}")
    bad = data.draw(st.sampled_from(_wrong_values(typ)), label="bad value")
    target[key] = bad
    outcome = judge(case)
    assert outcome[0] == "SagFejl", f"{''.join(path)} = {bad!r} was accepted"
    expected = "".join(path)
    # a bad element or field inside a list or record is named by its own longer path
    assert outcome[1] == expected or (typ[0] in ("post", "liste", "varighed")
                                      and outcome[1].startswith(expected)), (outcome, expected)


# Any JSON at all, including floats, deep nesting and huge numbers.
_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
              st.sampled_from(["2024-02-29", "2023-02-29", "12326.50", "fremmøde", "1.5",
                               "\udc00"])),
    lambda kids: st.one_of(st.lists(kids, max_size=5),
                           st.dictionaries(st.one_of(st.sampled_from(sorted(ANNA)),
                                                     st.text(max_size=8)), kids, max_size=5)),
    max_leaves=40)


@fuzz_settings(scale=2)
@given(case=st.one_of(_json, st.dictionaries(st.sampled_from([*sorted(ANNA), "x"]), _json,
                                             max_size=6)))
def test_any_json_is_judged_or_refused(case):
    outcome = judge(case)
    assert outcome[0] in ("rapport", "SagFejl")


def test_a_refused_case_evaluates_nothing(monkeypatch):
    """SagFejl comes from validation, before the first definition is computed."""
    _program, module = backends()
    called = []
    for name in [n for n in vars(module) if n.startswith(("definition_", "regel_"))]:
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _o=original, _n=name: (
            called.append(_n), _o(*a))[1])
    module.evaluate(ANNA, dato="2024-08-01")
    assert called, "the spies must see a good case being evaluated"
    called.clear()
    bad = {**ANNA, "samtaler": [*ANNA["samtaler"], {"dato": "2024-02-30"}]}
    with pytest.raises(Exception) as info:
        module.evaluate(bad, dato="2024-08-01")
    assert type(info.value).__name__ == "SagFejl"
    assert info.value.sti == f"$.samtaler[{len(ANNA['samtaler'])}].dato"
    assert called == []


def _samtaler(n):
    return [{"dato": "2024-01-10", "form": "fremmøde", "afholdt": True}] * n


def test_the_list_limit_is_exact_and_fast():
    ok = judge({"samtaler": _samtaler(rt.MAX_LISTE)})
    assert ok[0] == "rapport"
    refused = judge({"samtaler": _samtaler(rt.MAX_LISTE + 1)})
    assert refused[:2] == ("SagFejl", "$.samtaler")
    assert f"højst {rt.MAX_LISTE}" in refused[2]


def test_a_list_of_100000_samtaler_is_refused_in_bounded_time():
    start = time.monotonic()
    refused = judge({"samtaler": _samtaler(100_000)})
    assert refused[:2] == ("SagFejl", "$.samtaler")
    assert "100000 elementer" in refused[2]
    assert time.monotonic() - start < 5


# --- through the command line -------------------------------------------------------

BAD_FILES = {
    "tom": b"",
    "kun mellemrum": b"  \n",
    "afkortet": json.dumps(ANNA).encode()[:40],
    "ikke utf-8": b'{"navn": "\xff"}',
    "bom": b"\xef\xbb\xbf{}",
    "liste": b"[1, 2]",
    "tal": b"42",
    "null": b"null",
    "komma til sidst": b'{"antal_b\xc3\xb8rn": 1,}',
    "enkelt-citationstegn": b"{'a': 1}",
    "NaN": b'{"sats": NaN}',
    "kæmpetal": b'{"antal_b\xc3\xb8rn": ' + b"9" * 5000 + b"}",
    "dybt": b"[" * 100_000 + b"]" * 100_000,
    "dobbelt nøgle": b'{"navn": "a", "navn": 1}',
    "kommatal for beløb": b'{"udbetalinger": [{"bel\xc3\xb8b": 12326.5}]}',
    "ukendt felt": b'{"samtaler": [{"dato": "2024-01-01", "sted": "x"}]}',
    "forkert opregning": b'{"seneste_samtale": {"form": "brev"}}',
    "umulig dato": b'{"f\xc3\xb8dselsdato": "2023-02-29"}',
    "beregningsdato": b'{"beregningsdato": "2024-02-30"}',
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_eval_refuses_a_bad_case_file_with_a_message(tmp_path, name):
    case = tmp_path / "sag.json"
    case.write_bytes(BAD_FILES[name])
    start = time.monotonic()
    run = run_cli(["eval", EKSEMPEL, case, "--json"], limit=20)
    assert time.monotonic() - start < 20
    assert "Traceback" not in run.text
    if name in ("bom", "null") and run.code == 0:
        json.loads(run.out)   # a BOM or `null`... only if judged, the report is whole
        return
    assert run.code == 1, run.text
    assert run.out == "", "a refused case prints no (partial) report"
    assert "regelkode: sagen afvises: " in run.err
    assert run.err.strip().splitlines()[-1].startswith("regelkode: sagen afvises: $")


def test_eval_of_an_endless_case_file_stops(tmp_path):
    """`regelkode eval PACK /dev/zero` read until memory ran out; now it stops at a bound."""
    start = time.monotonic()
    run = run_cli(["eval", EKSEMPEL, "/dev/zero"], limit=60)
    assert time.monotonic() - start < 30
    # a device is refused before a byte is read; a regular file past the limit for its size
    assert run.code == 1 and (("er over" in run.err and "bytes" in run.err)
                              or "ikke en almindelig fil" in run.err), run.err
