"""Quantifiers and aggregates over a case's lists (`nogen`, `alle`, `antal`, `summen`, …).

A list is an array of structs; `hvor` predicates are lambdas over its elements
(`_e0`, with the index `_i0` for the missing-fact paths `samtaler[2].dato`).
Mixed into `expr.Compiler`.
"""

from __future__ import annotations

from sqlglot import exp

from .dialects import sql_type
from .terms import ElemFieldRef, V, and_, case, is_null, lit, not_, or_, paren


class ListOps:
    # -- aggregates over lists --
    def c_Agg(self, node):
        seq = self.expr(node.seq)
        seq_path = self.path_of(node.seq)
        depth = node.depth
        var, idx = f"_e{depth}", f"_i{depth}"
        elem_path = self.d.concat_text([seq_path, lit("["), self.d.index0_text(exp.column(idx)),
                                        lit("]")])
        elem_desc = self.desc_of(node.seq)[1]
        pred = None
        if node.pred is not None:
            self.scopes.append((var, idx, elem_path, elem_desc))
            try:
                pred = self.expr(node.pred)
            finally:
                self.scopes.pop()
        fv = None
        if node.field is not None:
            self.scopes.append((var, idx, elem_path, elem_desc))
            try:
                fv = self.expr(ElemFieldRef(depth, node.field))
            finally:
                self.scopes.pop()
        return getattr(self, f"agg_{node.op}")(node, seq, var, idx, pred, fv)

    def lam(self, var, idx, body):
        return self.d.lam([var, idx], body)

    def count_where(self, seq, var, idx, cond):
        return self.d.size(self.d.filter(seq.val, self.lam(var, idx, cond)))

    def pred_missing(self, seq, var, idx, pred, only=None):
        """The missing facts of every element's predicate (only where `only` holds)."""
        if pred is None or pred.m is None:
            return None
        body = pred.m if only is None else case([(only, pred.m)], self.empty())
        return self.d.flatten(self.d.transform(seq.val, self.lam(var, idx, body)))

    def _kleene(self, seq, var, idx, pred, fn):
        """The largest (or smallest) element of false 0 < unknown 1 < true 2: one pass
        over the list, the predicate evaluated once per element (a CASE would test it
        twice, and a nested search inside it twice over)."""
        rank = exp.func("COALESCE", exp.Mul(this=paren(exp.cast(paren(pred.val), self.d.type(
            "INTEGER"))), expression=exp.Literal.number(2)), exp.Literal.number(1))
        return self.share(fn(self.d.transform(seq.val, self.lam(var, idx, rank))))

    def _nogen(self, seq, var, idx, pred):
        if pred is None:
            n = self.d.size(seq.val)
            return V(exp.GT(this=n, expression=exp.Literal.number(0)), seq.m)
        best = self._kleene(seq, var, idx, pred, self.d.list_max)    # NULL for an empty list
        val = case([(is_null(seq.val), exp.Null()),
                    (exp.EQ(this=best, expression=exp.Literal.number(2)), exp.true()),
                    (exp.EQ(this=best, expression=exp.Literal.number(1)), exp.Null())],
                   exp.false())
        return V(val, self.agg_missing(val, seq, var, idx, pred))

    def agg_missing(self, val, seq, var, idx, pred, extra=None):
        inner = self.cat(self.pred_missing(seq, var, idx, pred), extra)
        if seq.m is None and inner is None:
            return None
        val = self.share(val)
        return case([(is_null(seq.val), self.m_or_empty(seq.m)),
                     (is_null(val), self.m_or_empty(inner))], self.empty())

    def agg_nogen(self, node, seq, var, idx, pred, fv):
        return self._nogen(seq, var, idx, pred)

    def agg_ingen(self, node, seq, var, idx, pred, fv):
        v = self._nogen(seq, var, idx, pred)
        return V(not_(v.val), v.m)

    def agg_alle(self, node, seq, var, idx, pred, fv):
        worst = self._kleene(seq, var, idx, pred, self.d.list_min)   # NULL for an empty list
        val = case([(is_null(seq.val), exp.Null()),
                    (exp.EQ(this=worst, expression=exp.Literal.number(0)), exp.false()),
                    (exp.EQ(this=worst, expression=exp.Literal.number(1)), exp.Null())],
                   exp.true())
        return V(val, self.agg_missing(val, seq, var, idx, pred))

    def agg_antal(self, node, seq, var, idx, pred, fv):
        if pred is None:
            return V(self.d.size(seq.val), seq.m)
        true_n = self.count_where(seq, var, idx, pred.val)
        unknown_n = self.count_where(seq, var, idx, is_null(pred.val))
        val = case([(is_null(seq.val), exp.Null()),
                    (exp.GT(this=unknown_n, expression=exp.Literal.number(0)), exp.Null())],
                   true_n)
        return V(val, self.agg_missing(val, seq, var, idx, pred))

    def _selected(self, seq, var, idx, pred):
        """The selected elements: all, or those whose predicate is true."""
        if pred is None:
            return seq.val
        return self.d.filter(seq.val, self.lam(var, idx, pred.val))

    def _field_values(self, node, seq, var, idx, pred, fv):
        """(values of the field over the selected elements, unknown-count condition, missing)."""
        sel_cond = pred.val if pred is not None else exp.true()
        # the index must be the element's index in the whole list, so filter by
        # the predicate inside transform rather than transform a filtered list
        bad_n = self.count_where(seq, var, idx, and_(sel_cond, is_null(fv.val)))
        undecided = [exp.GT(this=bad_n, expression=exp.Literal.number(0))]
        if pred is not None:
            undecided.append(exp.GT(this=self.count_where(seq, var, idx, is_null(pred.val)),
                                    expression=exp.Literal.number(0)))
        field_m = self.d.flatten(self.d.transform(seq.val, self.lam(
            var, idx, case([(sel_cond, fv.m)], self.empty()))))
        values = self.d.transform(self._selected(seq, var, idx, pred),
                                  self.lam(var, idx, fv.val))
        return values, or_(*undecided), field_m

    def agg_summen(self, node, seq, var, idx, pred, fv):
        values, undecided, field_m = self._field_values(node, seq, var, idx, pred, fv)
        zero = node.extra[0]
        if zero.__class__.__name__ == "Varighed":
            total = self.d.varighed_sum(values)
        else:
            elem = self.desc_of(node.seq)[1]
            total = self.d.sum(values, self.const(zero),
                               sql_type(dict(elem[2])[node.field]))
        val = case([(is_null(seq.val), exp.Null()), (undecided, exp.Null())], total)
        return V(val, self.agg_missing(val, seq, var, idx, pred, field_m), dur=fv.dur)

    def _yderst(self, node, seq, var, idx, pred, fv, fn):
        values, undecided, field_m = self._field_values(node, seq, var, idx, pred, fv)
        val = case([(is_null(seq.val), exp.Null()), (undecided, exp.Null())], fn(values))
        return V(val, self.agg_missing(val, seq, var, idx, pred, field_m), dur=fv.dur)

    def agg_mindste_felt(self, node, seq, var, idx, pred, fv):
        return self._yderst(node, seq, var, idx, pred, fv, self.d.list_min)

    def agg_stoerste_felt(self, node, seq, var, idx, pred, fv):
        return self._yderst(node, seq, var, idx, pred, fv, self.d.list_max)
