"""The compiled case parsers (`runtime._parser`) give exactly what `_norm` gives.

`normaliser` validates through parser functions built once per fact table;
they take only the common valid shapes themselves and hand the rest to
`_norm`. This checks that the result, or the refusal with its JSON path and
message, is the same as validating with `_norm` directly, on valid cases and
on a large space of malformed ones.
"""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regelkode import runtime as rt

FORM = ("enum", "samtaleform", ("fremmøde", "telefon", "digital"))
SAMTALE = ("post", "samtale", (("dato", ("dato",)), ("form", FORM),
                               ("afholdt", ("sandhedsværdi",)), ("navn", ("tekst",)),
                               ("antal", ("heltal",)), ("beløb", ("beløb",))))
FAKTA = {
    "dato": ("dato",), "ja": ("sandhedsværdi",), "form": FORM, "n": ("heltal",),
    "tekst": ("tekst",), "beløb": ("beløb",), "decimal": ("decimal",),
    "varighed": ("varighed",), "post": SAMTALE, "samtaler": ("liste", SAMTALE),
    "lister": ("liste", ("liste", ("dato",))),
}
FIELDS = [f for f, _ in SAMTALE[2]] + ["farve"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**19, max_value=10**19),
    st.floats(allow_nan=False), st.sampled_from(["fremmøde", "telefon", "post", ""]),
    st.sampled_from(["2024-01-08", "2024-02-30", "2024-1-08", "٢٠٢٤-٠١-٠٨", "2024-01-08 ",
                     " 2024-01-08", "+024-01-08", "2024W011", "20240108", "2024-W01-1"]),
    st.sampled_from(["12326.50", "12.345", "-1", "1e3", "1.5", "0.10"]),
    st.dates().map(dt.date.isoformat), st.dates(), st.just(Decimal("1.25")),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner),
        st.dictionaries(st.sampled_from([*FIELDS, "måneder", "dage"]), inner, max_size=7)),
    max_leaves=30)
# Mostly valid records and lists with now and then one bad value deep inside, so
# that refusals are reached through the parsers' fast paths, not only at the top.
good = {"dato": st.dates().map(dt.date.isoformat), "form": st.sampled_from(FORM[2]),
        "afholdt": st.booleans(), "navn": st.text(max_size=5),
        "antal": st.integers(-5, 5), "beløb": st.sampled_from(["1.50", 12, "7"])}


def mostly(strategy, n=6):
    """`strategy` n times out of n + 1, else any scalar (usually a bad one)."""
    return st.one_of(*[strategy] * n, scalars)


record = st.fixed_dictionaries({}, optional={
    k: st.one_of(mostly(v), st.none()) for k, v in good.items()})
near_valid = st.fixed_dictionaries({}, optional={
    "samtaler": st.lists(mostly(record), max_size=5), "post": mostly(record),
    "lister": st.lists(st.lists(mostly(good["dato"]), max_size=3), max_size=3),
    "dato": mostly(good["dato"], 12), "form": mostly(good["form"], 12),
    "ja": mostly(st.booleans(), 12)})
cases = st.one_of(
    near_valid, near_valid,
    st.dictionaries(st.sampled_from(sorted(FAKTA)), values, max_size=len(FAKTA)),
    values)


def reference(sag, fakta):
    """normaliser as it was: every fact through _norm."""
    if not isinstance(sag, dict) or any(k not in fakta and k not in rt.RESERVEREDE
                                        for k in sag):
        return rt.normaliser(sag, fakta)       # these checks come before any parser
    return {navn: rt.Ukendt((navn,)) if sag.get(navn) is None
            else rt._norm(sag[navn], typ, (navn,)) for navn, typ in fakta.items()}


def outcome(fn, sag):
    try:
        return "ok", repr(fn(sag, FAKTA))
    except rt.SagFejl as exc:
        return "fejl", exc.sti, exc.besked


@settings(max_examples=500, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(cases)
@example({"post": {"dato": 5}})
@example({"samtaler": [{"dato": "2024-01-08"}, {"form": "brev"}]})
@example({"samtaler": [{"dato": "2024-01-08"}, None]})
@example({"lister": [["2024-01-01"], ["2024-13-01"]]})
def test_parsers_agree_with_norm(sag):
    assert outcome(rt.normaliser, sag) == outcome(reference, sag)


def test_valid_record_list_and_missing_field():
    sag = {"samtaler": [{"dato": "2024-01-08", "form": "telefon", "afholdt": True},
                        {"dato": "2024-02-01", "antal": 3, "beløb": "10.50"}],
           "lister": [["2024-01-01"], []], "ja": False}
    assert outcome(rt.normaliser, sag) == outcome(reference, sag)
    f = rt.normaliser(sag, FAKTA)
    assert f["samtaler"][1]["beløb"] == 1050
    assert f["samtaler"][1]["afholdt"].mangler == {"samtaler[1].afholdt"}


def test_parsers_are_built_once_per_table():
    assert rt._parsere(FAKTA) is rt._parsere(FAKTA)
