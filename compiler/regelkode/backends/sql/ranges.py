"""Where a date can lie: the guard on `dato ± varighed` is left out where it cannot fire.

The runtime's date is unknown where a step leaves the years 1-9999, and the
SQL engines' dates go further; so each step of `SqlDialect.date_plus` is
NULL outside the calendar. That guard is two CASEs around every step, and
it cost about a fifth of a whole-pack batch. It can only fire near the
calendar's ends: every date a case brings (facts, list elements, record
fields, the judging date) lies within the years limits.FOERSTE_AAR to
limits.SIDSTE_AAR, and a duration it brings under limits.MAX_VARIGHED
months or days. So where the range of the date and the duration keep a
step inside the calendar for every case within the limits, the step is
written bare.

The range is worked out on the IR, once per node: a date's (first, last)
day as ordinals, a duration's (months, days) as two (low, high) pairs, and
None where nothing useful is known (the guard stays). Records and lists come
only from the case (a parameter cannot be one), so every field and element
date is within the case's range.

Month steps are monotone in both the date and the months (`_plus_maaneder`
clamps to the month's last day, which keeps order), so the ends of a range
go to the ends of the result.
"""

from __future__ import annotations

import datetime as dt

from ...ir import nodes as ir
from ...runtime import _plus_maaneder
from .limits import FOERSTE_AAR, MAX_HELTAL, MAX_VARIGHED, SIDSTE_AAR

_FIRST_DAY, _LAST_DAY = dt.date.min.toordinal(), dt.date.max.toordinal()
CASE_DATES = (dt.date(FOERSTE_AAR, 1, 1).toordinal(), dt.date(SIDSTE_AAR, 12, 31).toordinal())
_CASE_PART = (-(MAX_VARIGHED - 1), MAX_VARIGHED - 1)
CASE_DURATIONS = (_CASE_PART, _CASE_PART)
_CASE_INTEGERS = (-(MAX_HELTAL - 1), MAX_HELTAL - 1)

_FROM_THE_CASE = ("Fact", "ElemField", "ElemFieldRef")


def _hull(ranges):
    ranges = list(ranges)
    if not ranges or any(r is None for r in ranges):
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _add(a, b):
    return None if a is None or b is None else (a[0] + b[0], a[1] + b[1])


def _plus_months(ordinal: int, n: int, last: bool) -> tuple[int, bool]:
    """(the day `ordinal` + n months, by the runtime's own month step; whether it is
    in the calendar). Outside it, the calendar's first or last day (`last`)."""
    d = _plus_maaneder(dt.date.fromordinal(ordinal), n)
    if d is None:
        return (_LAST_DAY if last else _FIRST_DAY), False
    return d.toordinal(), True


class Ranges:
    """The ranges of one pack's IR expressions, for cases within limits.py's range."""

    def __init__(self, program):
        self.defs = {d.name: d.expr for d in program.defs}
        self.def_types = {d.name: d.desc for d in program.defs}
        self.facts = program.facts
        self.params = program.params
        self._memo: dict[int, tuple] = {}   # id -> (node, date range, steps in calendar)

    def steps_inside(self, node) -> tuple[bool, bool]:
        """For a `dato_plus`/`dato_minus` call: whether its month step and its day step
        stay within the years 1-9999 for every case within the limits."""
        return self._shift(node)[1]

    def date(self, node):
        """(first, last) day ordinal a date expression can have, or None."""
        cls = node.__class__.__name__
        if cls in _FROM_THE_CASE or cls == "Today":
            return CASE_DATES
        if cls == "Const":
            return ((node.value.toordinal(),) * 2 if node.value.__class__ is dt.date
                    else None)
        if cls == "Def":
            return self.date(self.defs[node.name])
        if cls == "Param":
            return _hull(self.date(ir.Const(v)) for v in self.params[node.name].values)
        if cls == "Call":
            if node.op in ("dato_plus", "dato_minus"):
                return self._shift(node)[0]
            if node.op == "felt":
                return CASE_DATES
            if node.op == "hvis":
                return _hull(self.date(a) for a in node.args[1:])
            if node.op in ("min", "max"):
                return _hull(self.date(a) for a in node.args)
            return None
        if cls == "Agg":
            return CASE_DATES if node.op in ("mindste_felt", "stoerste_felt") else None
        return _hull(self.date(v) for v in _outcomes(node))

    def duration(self, node):
        """((months low, high), (days low, high)) a duration expression can have, or None."""
        cls = node.__class__.__name__
        if cls in _FROM_THE_CASE:
            return CASE_DURATIONS
        if cls == "Const":
            v = node.value
            return (((v.maaneder,) * 2, (v.dage,) * 2)
                    if v.__class__.__name__ == "Varighed" else None)
        if cls == "Def":
            return self.duration(self.defs[node.name])
        if cls == "Param":
            return _hull2(self.duration(ir.Const(v)) for v in self.params[node.name].values)
        if cls == "Call":
            op, args = node.op, node.args
            if op == "felt":
                return CASE_DURATIONS
            if op in ("plus", "minus"):
                a, b = self.duration(args[0]), self.duration(args[1])
                if a is None or b is None:
                    return None
                if op == "minus":
                    b = _negated(b)
                return _add(a[0], b[0]), _add(a[1], b[1])
            if op == "neg":
                a = self.duration(args[0])
                return None if a is None else _negated(a)
            if op == "varighed_gange":
                return self._scaled(*args)
            if op == "hvis":
                return _hull2(self.duration(a) for a in args[1:])
            if op in ("min", "max"):
                return _hull2(self.duration(a) for a in args)
            return None
        if cls == "Agg":        # a sum of any number of elements is not bounded
            return CASE_DURATIONS if node.op in ("mindste_felt", "stoerste_felt") else None
        return _hull2(self.duration(v) for v in _outcomes(node))

    def _scaled(self, a, b):
        """A duration times an integer, in either order."""
        first = self._is_duration(a)
        if first is None:
            second = self._is_duration(b)
            if second is None:
                return None
            first = not second
        v, n = (a, b) if first else (b, a)
        v, n = self.duration(v), _integer(n, self.params)
        if v is None or n is None:
            return None
        return tuple(_times(part, n) for part in v)

    def _is_duration(self, node) -> bool | None:
        """Whether an operand of `varighed_gange` is the duration, where its kind is
        known without the element types (None: an element's field)."""
        cls = node.__class__.__name__
        if cls == "Const":
            return node.value.__class__.__name__ == "Varighed"
        if cls == "Fact":
            return self.facts[node.name][0] == "varighed"
        if cls == "Def":
            return self.def_types[node.name][0] == "varighed"
        if cls == "Param":
            values = self.params[node.name].values
            return bool(values) and values[0].__class__.__name__ == "Varighed"
        return None

    def _shift(self, node):
        """(the date range of a `dato_plus`/`dato_minus` call, (month step inside,
        day step inside)), worked out once per node."""
        found = self._memo.get(id(node))
        if found is not None:
            return found[1:]
        d, v = self.date(node.args[0]), self.duration(node.args[1])
        if v is not None and node.op == "dato_minus":
            v = _negated(v)
        steps = [False, False]
        if d is not None and v is not None:
            (mlo, mhi), (dlo, dhi) = v
            if (mlo, mhi) != (0, 0):
                (lo, in_lo), (hi, in_hi) = (_plus_months(d[0], mlo, False),
                                            _plus_months(d[1], mhi, True))
                d, steps[0] = (lo, hi), in_lo and in_hi
            else:
                steps[0] = True
            lo, hi = d[0] + dlo, d[1] + dhi
            steps[1] = (dlo, dhi) == (0, 0) or (lo >= _FIRST_DAY and hi <= _LAST_DAY)
            d = (_clamped(lo), _clamped(hi))
        else:
            d = None if d is None else (_FIRST_DAY, _LAST_DAY)
        found = (node, d, (steps[0], steps[1]))
        self._memo[id(node)] = found
        return found[1:]


def _clamped(ordinal: int) -> int:
    """A day outside the calendar as its nearest end: a step there is NULL."""
    return min(max(ordinal, _FIRST_DAY), _LAST_DAY)


def _outcomes(node):
    """The values a table or a default can take (other nodes: none known)."""
    if node.__class__.__name__ == "Table":
        return node.results
    if node.__class__.__name__ == "Default":
        return (node.base, *(value for _id, _when, value in node.exceptions))
    return ()


def _hull2(durations):
    durations = list(durations)
    if not durations or any(v is None for v in durations):
        return None
    return (_hull(v[0] for v in durations), _hull(v[1] for v in durations))


def _negated(v):
    return tuple((-hi, -lo) for lo, hi in v)


def _times(part, n):
    products = [a * b for a in part for b in n]
    return min(products), max(products)


def _integer(node, params):
    """(low, high) of the integer a duration is multiplied by (the type checker allows
    no other number there) where it is the case's, a constant or a parameter, or None."""
    cls = node.__class__.__name__
    if cls in _FROM_THE_CASE or (cls == "Call" and node.op == "felt"):
        return _CASE_INTEGERS
    if cls == "Const" and node.value.__class__ is int:
        return node.value, node.value
    if cls == "Param":
        values = params[node.name].values
        if values and all(v.__class__ is int for v in values):
            return min(values), max(values)
    return None
