"""Decision tables and exceptions (`undtagelser`): picking one of several outcomes.

Mixed into `expr.Compiler`.
"""

from __future__ import annotations

from sqlglot import exp

from .dialects import Unsupported
from .terms import (
    KONFLIKT,
    MAX_EXCEPTION_DEPTH,
    V,
    and_,
    call,
    case,
    compare,
    is_null,
    lit,
    not_,
    not_null,
    or_,
)


class TableOps:
    # -- tables and exceptions --
    def c_Table(self, node):
        conds = [self.expr(c) for c in node.conds]
        results = [self.expr(r) for r in node.results]
        cond_m = self.cat(*(c.m for c in conds))
        if node.hit == "første":
            whens_v, whens_m = [], []
            for c, r in zip(conds, results, strict=True):
                whens_v += [(c.val, r.val), (is_null(c.val), exp.Null())]
                whens_m += [(c.val, self.m_or_empty(r.m)),
                            (is_null(c.val), self.m_or_empty(cond_m))]
            return V(case(whens_v), case(whens_m, self.empty()), dur=results[0].dur)
        hits = exp.Add(this=exp.Literal.number(0), expression=exp.Literal.number(0))
        for c in conds:
            hits = exp.Add(this=hits, expression=case([(c.val, exp.Literal.number(1))],
                                                      exp.Literal.number(0)))
        many = compare(exp.GT, hits, exp.Literal.number(1))
        unknown = or_(*(is_null(c.val) for c in conds))
        pick_v = [(c.val, r.val) for c, r in zip(conds, results, strict=True)]
        pick_m = [(c.val, self.m_or_empty(r.m)) for c, r in zip(conds, results,
                                                                       strict=True)]
        val = case([(many, exp.Null()), (unknown, exp.Null()), *pick_v])
        m = case([(many, self.konflikt()), (unknown, self.m_or_empty(cond_m)),
                  *pick_m], self.empty())
        return V(val, m, dur=results[0].dur)

    def konflikt(self):
        return exp.Array(expressions=[lit(KONFLIKT)])

    def c_Default(self, node):
        # Each level repeats its base and exceptions a few times in the CASE that picks
        # between them. Outside a list's lambda each of them is a column (bind.py), so
        # nesting costs a layer; inside one the SQL grows exponentially with nesting.
        if self.binder is not None and not self.in_lambda:
            return self._default(node)
        depth = getattr(self, "_default_depth", 0)
        if depth >= MAX_EXCEPTION_DEPTH:
            raise Unsupported(f"undtagelser i mere end {MAX_EXCEPTION_DEPTH} niveauer")
        self._default_depth = depth + 1
        try:
            return self._default(node)
        finally:
            self._default_depth = depth

    def _default(self, node):
        base = self.expr(node.base)
        excs = [(uid, self.expr(w), self.expr(v)) for uid, w, v in node.exceptions]
        hits = exp.Literal.number(0)
        for _uid, w, _v in excs:
            hits = exp.Add(this=hits, expression=case([(w.val, exp.Literal.number(1))],
                                                      exp.Literal.number(0)))
        many = compare(exp.GT, hits, exp.Literal.number(1))
        no_hits = compare(exp.EQ, hits, exp.Literal.number(0))
        unknown = or_(*(is_null(w.val) for _u, w, _v in excs))
        # undecided exceptions don't matter when every outcome is the base's known value
        same = and_(no_hits, not_null(base.val), *(
            or_(not_null(w.val), call("COALESCE", compare(exp.EQ, v.val, base.val),
                                          exp.false()))
            for _u, w, v in excs))
        chosen_v = case([(w.val, v.val) for _u, w, v in excs], base.val)
        chosen_m = case([(w.val, self.m_or_empty(v.m)) for _u, w, v in excs],
                        self.m_or_empty(base.m))
        val = case([(many, exp.Null()), (not_(unknown), chosen_v), (same, base.val)])
        undecided_m = self.m_or_empty(self.cat(*(w.m for _u, w, _v in excs), base.m))
        m = case([(many, self.konflikt()), (not_(unknown), chosen_m),
                  (same, self.empty())], undecided_m)
        return V(val, m, dur=base.dur)
