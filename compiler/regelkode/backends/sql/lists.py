"""Quantifiers and aggregates over a case's lists (`nogen`, `alle`, `antal`, `summen`, …).

A list is an array of structs; `hvor` predicates are lambdas over its elements
(`_e0`, with the index `_i0` for the missing-fact paths `samtaler[2].dato`).
Mixed into `expr.Compiler`.

A search asked once per element of another list (`nogen samtaler hvor (… dato
er før ydre dato og dato er tidligst ydre dato - interval)`) is quadratic as
a scan, and in a lambda nothing is shared: the bounds are recomputed for every
pair. Where passes/periods.py hints it (`ir.Window`, `Within`, `Keyed`), the
known elements (other conditions true, compared fields known) are collected
once per case, as a column, and each question compares only their fields with
values computed once; an undecided element is judged by the whole predicate,
and a case with an unknown bound takes the scan, so the answer is the scan's
(as the runtime's indexes do). It stays a scan of the known values per
question — SQL lists have no binary search — but a cheap one.
"""

from __future__ import annotations

from sqlglot import exp

from ...ir import nodes as ir
from .dialects import sql_type
from .terms import ElemFieldRef, V, and_, call, case, cast, is_null, lit, not_, or_, paren


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

    # kinds a hinted search compares as plain SQL values
    _PLAIN = ("dato", "heltal", "beløb", "decimal")
    _KEYS = (*_PLAIN, "tekst", "enum", "sandhedsværdi")

    def _hinted(self, node, seq, val, pred, op):
        """`val` (the scan) answered from the hinted index (passes/periods.py: ir.Window,
        Within, Keyed) when the search's own values are known: the known elements
        (their other conditions true, the compared fields known) are collected once
        per case, as a column; each question compares only those fields with values
        computed once (`_let`); only the undecided elements are judged by the whole
        predicate, as the runtime's `op_nogen_vindue`/`_inden`/`_samme` do."""
        w = getattr(node, "within", None)
        if w is None or self.binder is None or any(
                c.name == f"_i{node.depth}" for c in pred.val.find_all(exp.Column)):
            return val
        depth = node.depth
        var, idx = f"_e{depth}", f"_i{depth}"
        elem = self.desc_of(node.seq)[1]
        kinds = dict(elem[2])
        # (field, operator, the question's value, the value's side) per comparison
        if isinstance(w, ir.Window):
            tests = [(w.field, exp.LT if s else exp.LTE, b, side) for b, s, side in
                     ((w.lo, w.lo_strict, "left"), (w.hi, w.hi_strict, "right"))
                     if b is not None]
            allowed = self._PLAIN
        elif isinstance(w, ir.Within):
            tests = [(w.start, exp.LTE, w.point, "right"), (w.end, exp.LTE, w.point, "left")]
            allowed = self._PLAIN
        else:
            tests = [(w.key, exp.EQ, w.match, "right")]
            if w.field is not None:
                tests.append((w.field, exp.LT if w.strict else exp.LTE, w.bound,
                              "right" if w.below else "left"))
            allowed = self._KEYS
        if op not in ("nogen", "antal") or (op == "antal" and not isinstance(w, ir.Window)) \
                or any(kinds[f][0] not in allowed for f, *_rest in tests):
            return val
        # the index reads only this list's elements (the hint's promise): a column
        saved = self.scopes
        self.scopes = [*saved[:depth], (var, idx, lit(""), elem)]
        try:
            fields = {f: self.expr(ElemFieldRef(depth, f)).val for f, *_rest in tests}
            rest = None if w.rest is None else self.expr(w.rest).val
        finally:
            self.scopes = saved
        unknown = or_(*(is_null(f) for f in fields.values()))
        if rest is None:
            usable, undecided = not_(paren(unknown)), unknown
        else:
            usable = and_(exp.Is(this=paren(rest), expression=exp.true()), not_(paren(unknown)))
            undecided = or_(is_null(rest), and_(exp.Not(this=exp.Is(
                this=paren(rest), expression=exp.false())), paren(unknown)))
        known = self.d.filter(seq.val, self.lam(var, idx, usable))
        v = exp.column(f"_w{depth}")
        if isinstance(w, ir.Window):        # one field: its values, the cheapest to compare
            known = self.d.transform(known, self.lam(var, idx, fields[w.field]))
            at = {w.field: v}
        else:
            at = {f: self.d.field(v, f) for f in fields}
        known = self.binder.bind(known)
        aside = self.binder.bind(self.d.filter(seq.val, self.lam(var, idx, undecided)))
        conds, ready, lets = [], [not_(is_null(seq.val))], []
        for k, (f, cmp, question, side) in enumerate(tests):
            q = self.expr(question).val
            ready.append(not_(is_null(q)))
            name = f"_w{depth}q{k}"
            lets.append((name, q))
            q = exp.column(name)
            conds.append(cmp(this=q, expression=at[f]) if side == "left"
                         else cmp(this=at[f], expression=q))
        n = self.d.size(self.d.filter(known, self.d.lam([v.name], and_(*conds))))
        for name, q in reversed(lets):
            n = self._let(name, q, n)
        zero = exp.Literal.number(0)
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
        return case([(and_(*ready), fast)], val)

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
        return self.d.flat_map(seq.val, self.lam(var, idx, body))

    def _rank(self, pred):
        """false 0 < unknown 1 < true 2."""
        return call("COALESCE", exp.Mul(this=paren(cast(paren(pred.val), self.d.type(
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
        val = self._hinted(node, seq, val, pred, "nogen")
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
        if self.binder is None or self.in_lambda:
            # inside a lambda nothing can be a column: two passes over the list
            true_n = self.count_where(seq, var, idx, pred.val)
            unknown = exp.GT(this=self.count_where(seq, var, idx, is_null(pred.val)),
                             expression=exp.Literal.number(0))
        else:
            # one pass: each element's predicate once, as a column of booleans
            truth = self.share(self.d.transform(seq.val, self.lam(var, idx, pred.val)))
            true_n, unknown = self.d.count_true(truth), self.d.has_null(truth)
        val = case([(is_null(seq.val), exp.Null()), (unknown, exp.Null())], true_n)
        val = self._hinted(node, seq, val, pred, "antal")
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
        field_m = self._field_missing(seq, var, idx, pred, fv)
        values = self.d.transform(self._selected(seq, var, idx, pred),
                                  self.lam(var, idx, fv.val))
        return values, or_(*undecided), field_m

    def _field_missing(self, seq, var, idx, pred, fv):
        """The missing facts of the field of every selected element."""
        sel_cond = pred.val if pred is not None else exp.true()
        return self.d.flat_map(seq.val, self.lam(var, idx, case([(sel_cond, fv.m)], self.empty())))

    def agg_summen(self, node, seq, var, idx, pred, fv):
        zero = node.extra[0]
        if self.binder is None or self.in_lambda:
            values, undecided, field_m = self._field_values(node, seq, var, idx, pred, fv)
        else:
            # one pass: each element's term (its field where selected, zero where not,
            # NULL where either is unknown) as a column, summed without another lambda
            term = fv.val if pred is None else case(
                [(pred.val, fv.val), (not_(pred.val), self.const(zero))], exp.Null())
            values = self.share(self.d.transform(seq.val, self.lam(var, idx, term)))
            undecided = self.d.has_null(values)
            field_m = self._field_missing(seq, var, idx, pred, fv)
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
        val = case([(is_null(seq.val), exp.Null()), (undecided, exp.Null())],
                   fn(values, dur=fv.dur))
        return V(val, self.agg_missing(val, seq, var, idx, pred, field_m), dur=fv.dur)

    def agg_mindste_felt(self, node, seq, var, idx, pred, fv):
        return self._yderst(node, seq, var, idx, pred, fv, self.d.list_min)

    def agg_stoerste_felt(self, node, seq, var, idx, pred, fv):
        return self._yderst(node, seq, var, idx, pred, fv, self.d.list_max)
