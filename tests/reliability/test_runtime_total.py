"""Property: every runtime operation is total, as DESIGN.md promises.

For any arguments of the types the lowering passes it — including values far
outside what a case may hold, because arithmetic can grow them — an `op_*`
returns a value or an `Ukendt`, and never raises. A raise here would escape
`evaluate` as a traceback in the middle of judging a case.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from regelkode import runtime as rt

from .support import fuzz_settings

U = rt.Ukendt(("x",), ("grund",))

ints = st.one_of(st.integers(-10**6, 10**6), st.integers(-10**60, 10**60),
                 st.sampled_from([0, 1, -1, 10**18, 10**39, 10**40, -(10**40)]))
decs = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=-10**45,
                max_value=10**45),
    st.sampled_from([Decimal(0), Decimal("1e-30"), Decimal("1e-999990"), Decimal("9" * 40),
                     Decimal("1e39"), Decimal("-1e-20"), Decimal("0.5"), Decimal("2.5")]))
numbers = st.one_of(ints, decs)
money = ints
dates = st.dates()
durs = st.builds(rt.Varighed, st.integers(-10**7, 10**7) | st.sampled_from([0, 10**30]),
                 st.integers(-10**9, 10**9) | st.sampled_from([0, 10**30]))


def maybe(s):
    return st.one_of(s, st.just(U))


def _report_renders(value, typ):
    """Results also have to be shown: til_json and tekst must not raise either."""
    rt.til_json(value, typ)
    rt.tekst(value, typ)


@fuzz_settings(scale=5)
@given(a=maybe(numbers), b=maybe(numbers))
def test_number_arithmetic_is_total(a, b):
    for op in (rt.op_plus, rt.op_minus, rt.op_gange, rt.op_divider, rt.op_mindre,
               rt.op_stoerre_lig, rt.op_lig, rt.op_min, rt.op_max):
        out = op(a, b)
        if out.__class__ is not rt.Ukendt and op not in (rt.op_mindre, rt.op_stoerre_lig,
                                                          rt.op_lig):
            _report_renders(out, ("decimal",) if out.__class__ is Decimal else ("heltal",))
    out = rt.op_neg(a)
    assert out.__class__ is rt.Ukendt or out.__class__ in (int, Decimal)


@fuzz_settings(scale=5)
@given(m=maybe(money), n=maybe(numbers), m2=maybe(money))
def test_money_arithmetic_is_total(m, n, m2):
    for out in (rt.op_beloeb_gange(m, n), rt.op_beloeb_divider(m, n), rt.op_afrund_kroner(m),
                rt.op_plus(m, m2), rt.op_minus(m, m2)):
        if out.__class__ is not rt.Ukendt:
            assert out.__class__ is int
            _report_renders(out, ("beløb",))
    out = rt.op_beloeb_forhold(m, m2)
    if out.__class__ is not rt.Ukendt:
        _report_renders(out, ("decimal",))


@fuzz_settings(scale=5)
@given(d=maybe(dates), d2=maybe(dates), v=maybe(durs), v2=maybe(durs), n=maybe(ints))
def test_date_and_duration_arithmetic_is_total(d, d2, v, v2, n):
    for out in (rt.op_dato_plus(d, v), rt.op_dato_minus(d, v)):
        assert out.__class__ in (rt.Ukendt, dt.date)
    for out in (rt.op_hele_aar(d, d2), rt.op_hele_maaneder(d, d2), rt.op_dage(d, d2)):
        assert out.__class__ in (rt.Ukendt, int)
    for out in (rt.op_plus(v, v2), rt.op_minus(v, v2), rt.op_varighed_gange(v, n),
                rt.op_varighed_gange(n, v), rt.op_neg(v)):
        if out.__class__ is not rt.Ukendt:
            _report_renders(out, ("varighed",))
    rt.op_mindre(v, v2)
    rt.op_min(d, d2)


@fuzz_settings(scale=5)
@given(values=st.lists(maybe(st.one_of(money, durs)), max_size=6),
       pred=st.sampled_from([None, lambda e: True, lambda e: False, lambda e: U]))
def test_aggregates_are_total(values, pred):
    kind = [v for v in values if v.__class__ is not rt.Ukendt][:1]
    # one kind per list, as the type checker guarantees
    keep = [v for v in values if v.__class__ is rt.Ukendt or not kind
            or v.__class__ is kind[0].__class__]
    seq = tuple({"x": v} for v in keep)
    zero = rt.Varighed(0, 0) if kind and kind[0].__class__ is rt.Varighed else 0
    for out in (rt.op_summen(seq, "x", pred, zero), rt.op_mindste_felt(seq, "x", pred, "m"),
                rt.op_stoerste_felt(seq, "x", pred, "s"), rt.op_antal(seq, pred),
                rt.op_nogen(seq, pred), rt.op_ingen(seq, pred)):
        assert out is not None
    if pred is not None:
        rt.op_alle(seq, pred)
