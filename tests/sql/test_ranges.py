"""ranges.py is sound: a step it writes bare never leaves the calendar.

The SQL backend leaves out the calendar guard of a `dato ± varighed` step
where ranges.Ranges says no case within limits.py's range can leave the
years 1-9999 there. A wrong claim would give a known date where the runtime
has an unknown one, and only for cases near the range's ends, which random
packs and cases seldom reach. So the claims are held here to the runtime's
own date arithmetic: random date expressions over a case's date `d` and
duration `v`, evaluated at the range's ends and inside it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from regelkode import runtime as rt
from regelkode.backends.sql import limits
from regelkode.backends.sql.ranges import Ranges
from regelkode.ir import nodes as ir
from reliability.support import fuzz_settings

# the case's range from limits.py itself, not from the module under test
FIRST, LAST = dt.date(limits.FOERSTE_AAR, 1, 1), dt.date(limits.SIDSTE_AAR, 12, 31)
LONGEST = limits.MAX_VARIGHED - 1
PARAM_DATES = (dt.date(2020, 1, 1), dt.date(2024, 7, 1))
PROGRAM = SimpleNamespace(
    facts={"d": ("dato",), "v": ("varighed",), "n": ("heltal",)},
    params={"p_dato": SimpleNamespace(dates=PARAM_DATES,
                                      values=(dt.date(1, 1, 1), dt.date(9999, 12, 31))),
            "p_varighed": SimpleNamespace(dates=PARAM_DATES,
                                          values=(rt.Varighed(-1200, 0), rt.Varighed(600, 40))),
            "p_tal": SimpleNamespace(dates=PARAM_DATES, values=(-3, 1000))},
    defs=[])

# near the calendar's ends from the case's range, and small ones
MONTHS = st.one_of(st.integers(-12_000, 12_000), st.integers(-120_000, 120_000),
                   st.integers(-24, 24))
DAYS = st.one_of(st.integers(-3_700_000, 3_700_000), st.integers(-370_000, 370_000),
                 st.integers(-40, 40))
DATES = st.dates().map(ir.Const)


def _durations():
    leaf = st.one_of(
        st.builds(lambda m, k: ir.Const(rt.Varighed(m, k)), MONTHS, DAYS),
        st.just(ir.Fact("v")), st.just(ir.Param("p_varighed", ir.Today())),
        # no range known: a product of two sums
        st.just(ir.Call("varighed_gange", (ir.Call("plus", (ir.Fact("v"), ir.Fact("v"))),
                                           ir.Call("plus", (ir.Fact("n"), ir.Fact("n")))))))

    def grow(inner):
        factor = st.one_of(st.integers(-20, 20).map(ir.Const), st.just(ir.Fact("n")),
                           st.just(ir.Param("p_tal", ir.Today())))
        return st.one_of(
            st.builds(lambda op, a, b: ir.Call(op, (a, b)),
                      st.sampled_from(["plus", "minus"]), inner, inner),
            st.builds(lambda a: ir.Call("neg", (a,)), inner),
            st.builds(lambda a, n, swap: ir.Call("varighed_gange", (n, a) if swap else (a, n)),
                      inner, factor, st.booleans()),
            st.builds(lambda c, a, b: ir.Call("hvis", (ir.Const(c), a, b)),
                      st.booleans(), inner, inner))
    return st.recursive(leaf, grow, max_leaves=4)


def _dates():
    leaf = st.one_of(st.just(ir.Fact("d")), st.just(ir.Today()), DATES,
                     st.just(ir.Param("p_dato", ir.Today())),
                     st.just(ir.Call("felt", (ir.Fact("post"), ir.Const("dato")))))

    def grow(inner):
        return st.one_of(
            st.builds(lambda op, a, v: ir.Call(op, (a, v)),
                      st.sampled_from(["dato_plus", "dato_minus"]), inner, _durations()),
            st.builds(lambda c, a, b: ir.Call("hvis", (ir.Const(c), a, b)),
                      st.booleans(), inner, inner),
            st.builds(lambda op, a, b: ir.Call(op, (a, b)), st.sampled_from(["min", "max"]),
                      inner, inner))
    return st.recursive(leaf, grow, max_leaves=6)


def _case_values():
    part = st.one_of(st.sampled_from([-LONGEST, LONGEST]), st.integers(-LONGEST, LONGEST))
    day = st.one_of(st.sampled_from([FIRST, LAST]), st.dates(FIRST, LAST))
    whole = st.one_of(st.sampled_from([1 - limits.MAX_HELTAL, limits.MAX_HELTAL - 1]),
                      st.integers(-50, 50))
    return st.fixed_dictionaries({"d": day, "today": day, "post": day,
                                  "v": st.builds(rt.Varighed, part, part), "n": whole,
                                  "p": st.integers(0, 1)})


class _Evaluator:
    """The runtime's values of the expressions, checking each claim of `ranges` on the way."""

    def __init__(self, ranges: Ranges, env: dict):
        self.ranges, self.env = ranges, env

    def value(self, node):
        cls = node.__class__.__name__
        if cls == "Const":
            return node.value
        if cls == "Fact":
            return self.env[node.name]
        if cls == "Today":
            return self.env["today"]
        if cls == "Param":
            return PROGRAM.params[node.name].values[self.env["p"]]
        args = node.args
        if node.op == "felt":
            return self.env["post"]
        if node.op == "hvis":
            return self.value(args[1] if args[0].value else args[2])
        values = [self.value(a) for a in args]
        if any(v.__class__ is rt.Ukendt for v in values):
            return rt.Ukendt()
        if node.op in ("dato_plus", "dato_minus"):
            return self.step(node, *values)
        if node.op in ("min", "max"):
            return (min if node.op == "min" else max)(values)
        if node.op == "neg":
            return rt.Varighed(-values[0].maaneder, -values[0].dage)
        if node.op == "varighed_gange":
            return rt.op_varighed_gange(*values)
        return (rt.op_plus if node.op == "plus" else rt.op_minus)(*values)

    def step(self, node, d, v):
        sign = 1 if node.op == "dato_plus" else -1
        months_inside, days_inside = self.ranges.steps_inside(node)
        out = d
        if v.maaneder:
            out = rt.op_dato_plus(out, rt.Varighed(sign * v.maaneder, 0))
            assert not (months_inside and out.__class__ is rt.Ukendt), (node, d, v)
        if v.dage and out.__class__ is not rt.Ukendt:
            out = rt.op_dato_plus(out, rt.Varighed(0, sign * v.dage))
            assert not (days_inside and out.__class__ is rt.Ukendt), (node, d, v)
        if out.__class__ is not rt.Ukendt:
            lo, hi = self.ranges.date(node)
            assert lo <= out.toordinal() <= hi, (node, d, v, out)
        return out


@fuzz_settings(scale=5)
@given(expr=_dates(), env=_case_values())
def test_a_bare_step_never_leaves_the_calendar(expr, env):
    _Evaluator(Ranges(PROGRAM), env).value(expr)


def test_the_claims_are_not_all_guarded():
    """The property above holds trivially for an analysis that guards everything."""
    ranges = Ranges(PROGRAM)
    step = ir.Call("dato_plus", (ir.Fact("d"), ir.Const(rt.Varighed(12_000, 0))))
    assert ranges.steps_inside(step) == (True, True)
    back = ir.Call("dato_minus", (step, ir.Param("p_varighed", ir.Today())))
    assert ranges.steps_inside(back) == (False, True)
    either = ir.Call("hvis", (ir.Const(True), ir.Fact("d"), ir.Const(dt.date(1, 1, 1))))
    assert ranges.date(either) == (1, LAST.toordinal())
