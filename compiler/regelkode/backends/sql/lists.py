"""Quantifiers and aggregates over a case's lists (`nogen`, `alle`, `antal`, `summen`, …).

A list is an array of structs; `hvor` predicates are lambdas over its elements
(`_e0`, with the index `_i0` for the missing-fact paths `samtaler[2].dato`).
Mixed into `expr.Compiler`.

A search asked once per element of another list (`nogen samtaler hvor (… dato
er før ydre dato og dato er tidligst ydre dato - interval)`) is quadratic as
a scan, and in a lambda nothing is shared: the bounds are recomputed for every
pair. Where passes/periods.py hints it (`ir.Window`), the field's values of
the elements whose other conditions hold are collected once per case, as a
column, and each question compares only those values with bounds computed
once; a case with an undecided element, or an unknown bound, takes the scan,
so the answer is the scan's (as the runtime's `_Vaerdier` does).
"""

from __future__ import annotations

from sqlglot import exp

from ...ir import nodes as ir
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

    # kinds a window's field may have: compared as plain SQL values
    _WINDOW_KINDS = ("dato", "heltal", "beløb", "decimal")

    def _window(self, node, seq, val, pred, op):
        """`val` (the scan) answered from the hinted window index (`ir.Window`) when the
        bounds are known: the values in the window decide, and only the undecided
        elements (unknown field or condition) are judged by the predicate, as the
        runtime's `op_nogen_vindue` / `op_antal_vindue` do."""
        w = getattr(node, "within", None)
        if not isinstance(w, ir.Window) or self.binder is None:
            return val
        depth = node.depth
        var, idx = f"_e{depth}", f"_i{depth}"
        elem = self.desc_of(node.seq)[1]
        if dict(elem[2])[w.field][0] not in self._WINDOW_KINDS or any(
                c.name == idx for c in pred.val.find_all(exp.Column)):
            return val
        # the index reads only this list's elements (the hint's promise): a column
        saved = self.scopes
        self.scopes = [*saved[:depth], (var, idx, lit(""), elem)]
        try:
            field = self.expr(ElemFieldRef(depth, w.field)).val
            rest = None if w.rest is None else self.expr(w.rest).val
        finally:
            self.scopes = saved
        if rest is None:
            usable, undecided = not_(is_null(field)), is_null(field)
        else:
            usable = and_(exp.Is(this=paren(rest), expression=exp.true()), not_(is_null(field)))
            undecided = or_(is_null(rest), and_(exp.Not(this=exp.Is(
                this=paren(rest), expression=exp.false())), is_null(field)))
        values = self.binder.bind(self.d.transform(self.d.filter(
            seq.val, self.lam(var, idx, usable)), self.lam(var, idx, field)))
        aside = self.binder.bind(self.d.filter(seq.val, self.lam(var, idx, undecided)))
        v = exp.column(f"_w{depth}")
        conds, bounds_known, lets = [], [], []
        for bound, strict, below in ((w.lo, w.lo_strict, True), (w.hi, w.hi_strict, False)):
            if bound is None:
                continue
            b = self.expr(bound).val
            bounds_known.append(not_(is_null(b)))
            name = f"_w{depth}{'lo' if below else 'hi'}"
            lets.append((name, b))
            b = exp.column(name)
            op_cls = exp.LT if strict else exp.LTE      # lo <(=) value <(=) hi
            conds.append(op_cls(this=b, expression=v) if below else op_cls(this=v, expression=b))
        n = self.d.size(self.d.filter(values, self.d.lam([v.name], and_(*conds))))
        for name, b in reversed(lets):
            n = self._let(name, b, n)
        zero = exp.Literal.number(0)
        ready = and_(not_(is_null(seq.val)), *bounds_known)
        if op == "nogen":
            best = self.d.list_max(self.d.transform(aside, self.lam(var, idx, self._rank(pred))))
            whens = [(exp.GT(this=n, expression=zero), exp.true()),
                     (exp.EQ(this=self.d.size(aside), expression=zero), exp.false()),
                     (exp.EQ(this=best, expression=exp.Literal.number(2)), exp.true()),
                     (exp.EQ(this=best, expression=exp.Literal.number(1)), exp.Null())]
            fast = case(whens, exp.false())
        else:
            open_n = self.count_where(V(aside), var, idx, is_null(pred.val))
            fast = case([(exp.GT(this=open_n, expression=zero), exp.Null())], exp.Add(
                this=n, expression=self.count_where(V(aside), var, idx, pred.val)))
        return case([(ready, fast)], val)

    def _let(self, name, value, body):
        """`body` with `name` bound to `value`, computed once: a lambda over a one-element
        list. Inside a lambda nothing can be a column, and an expression the inner
        lambda reads (a window's bound) would be computed again for every element."""
        return self.d.list_max(self.d.transform(exp.Array(expressions=[value]),
                                                self.d.lam([name], body)))

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

    def _rank(self, pred):
        """false 0 < unknown 1 < true 2."""
        return exp.func("COALESCE", exp.Mul(this=paren(exp.cast(paren(pred.val), self.d.type(
            "INTEGER"))), expression=exp.Literal.number(2)), exp.Literal.number(1))

    def _kleene(self, seq, var, idx, pred, fn):
        """The largest (or smallest) element of false 0 < unknown 1 < true 2: one pass
        over the list, the predicate evaluated once per element (a CASE would test it
        twice, and a nested search inside it twice over)."""
        return self.share(fn(self.d.transform(seq.val, self.lam(var, idx, self._rank(pred)))))

    def _nogen(self, node, seq, var, idx, pred):
        if pred is None:
            n = self.d.size(seq.val)
            return V(exp.GT(this=n, expression=exp.Literal.number(0)), seq.m)
        best = self._kleene(seq, var, idx, pred, self.d.list_max)    # NULL for an empty list
        val = case([(is_null(seq.val), exp.Null()),
                    (exp.EQ(this=best, expression=exp.Literal.number(2)), exp.true()),
                    (exp.EQ(this=best, expression=exp.Literal.number(1)), exp.Null())],
                   exp.false())
        val = self._window(node, seq, val, pred, "nogen")
        return V(val, self.agg_missing(val, seq, var, idx, pred))

    def agg_missing(self, val, seq, var, idx, pred, extra=None):
        inner = self.cat(self.pred_missing(seq, var, idx, pred), extra)
        if seq.m is None and inner is None:
            return None
        val = self.share(val)
        return case([(is_null(seq.val), self.m_or_empty(seq.m)),
                     (is_null(val), self.m_or_empty(inner))], self.empty())

    def agg_nogen(self, node, seq, var, idx, pred, fv):
        return self._nogen(node, seq, var, idx, pred)

    def agg_ingen(self, node, seq, var, idx, pred, fv):
        v = self._nogen(node, seq, var, idx, pred)
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
        val = self._window(node, seq, val, pred, "antal")
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
