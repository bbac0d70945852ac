"""Reference interpreter: evaluates the IR directly with the shared runtime.

It exists to keep every back end honest: tests check that it and the
generated module give identical reports. It also evaluates parameter
histories at build time, and can record which outcomes each condition took
(`Recorder`), which is how rule coverage is measured.
"""

from __future__ import annotations

from .. import runtime as rt
from . import nodes as ir

_OPS = {name[3:]: getattr(rt, name) for name in dir(rt) if name.startswith("op_")}
_AGG = {
    "antal": rt.op_antal, "nogen": rt.op_nogen, "ingen": rt.op_ingen, "alle": rt.op_alle,
}


class Recorder:
    """What `evaluate(..., recorder=)` reports; subclass and override (coverage.py does).

    `saw(node, value)`: an AST node with a lowered operation took a value (for
    `hvis … så … ellers` also its condition node, so branches can be told
    apart); `saw_table(name, conds)`: a decision table's row conditions;
    `saw_exception(id, when)`: an exception's condition; `saw_rule(id,
    applies, requirement)`; `saw_param(name, date)`: a parameter was read on a date.
    """

    def saw(self, node, value):
        pass

    def saw_table(self, name, conds):
        pass

    def saw_exception(self, uid, when):
        pass

    def saw_rule(self, rid, applies, requirement):
        pass

    def saw_param(self, name, date):
        pass


class Env:
    __slots__ = ("facts", "defs", "today", "elems", "params", "prev", "recorder", "periods")

    def __init__(self, facts, defs, today, params, prev=None, recorder=None):
        self.facts = facts
        self.defs = defs
        self.today = today
        self.params = params
        self.prev = prev
        self.elems: list = []
        self.recorder = recorder
        self.periods: dict = {}     # id(Agg) -> rt._Perioder, for this evaluation


def ev(node, env: Env):
    cls = node.__class__
    if cls is ir.Call:
        args = [ev(a, env) for a in node.args]
        value = _OPS[node.op](*args)
        if env.recorder is not None and node.origin is not None:
            env.recorder.saw(node.origin, value)
            if node.op == "hvis":  # the branch taken is only visible in the condition's value
                env.recorder.saw(node.origin.cond, args[0])
        return value
    if cls is ir.Const:
        return node.value
    if cls is ir.Fact:
        return env.facts[node.name]
    if cls is ir.ElemField:
        return env.elems[node.depth][node.name]
    if cls is ir.Def:
        return env.defs[node.name]
    if cls is ir.Today:
        return env.today
    if cls is ir.Prev:
        return env.prev
    if cls is ir.Param:
        p = env.params[node.name]
        date = ev(node.date, env)
        if env.recorder is not None:
            env.recorder.saw_param(node.name, date)
        return rt.op_param(node.name, p.dates, p.values, date)
    if cls is ir.Agg:
        return _agg(node, env)
    if cls is ir.Table:
        conds = tuple(ev(c, env) for c in node.conds)
        if env.recorder is not None:
            env.recorder.saw_table(node.name, conds)
        return rt.op_tabel(node.name, node.hit, conds, tuple(ev(r, env) for r in node.results))
    if cls is ir.Default:
        excs = tuple((uid, ev(w, env), ev(v, env)) for uid, w, v in node.exceptions)
        if env.recorder is not None:
            for uid, when, _v in excs:
                env.recorder.saw_exception(uid, when)
        return rt.op_standard(ev(node.base, env), excs)
    raise TypeError(f"unknown IR node {cls.__name__}")


def _agg(node: ir.Agg, env: Env):
    seq = ev(node.seq, env)
    pred = None
    if node.pred is not None:
        def pred(e, _node=node.pred, _depth=node.depth):
            env.elems.append(e)
            try:
                return ev(_node, env)
            finally:
                env.elems.pop()
    if node.within is not None and env.recorder is None:
        # Indexed (passes/periods.py). Not while recording coverage: the recorder
        # must see every condition a scan evaluates.
        return _within(node, seq, pred, env)
    if node.op in _AGG:
        return _AGG[node.op](seq, pred)
    if node.op == "summen":
        return rt.op_summen(seq, node.field, pred, node.extra[0])
    if node.op == "mindste_felt":
        return rt.op_mindste_felt(seq, node.field, pred, node.extra[0])
    if node.op == "stoerste_felt":
        return rt.op_stoerste_felt(seq, node.field, pred, node.extra[0])
    raise TypeError(f"unknown aggregate {node.op}")


def _within(node: ir.Agg, seq, pred, env: Env):
    w = node.within
    index = env.periods.get(id(node))
    if index is None:
        rest = None
        if w.rest is not None:
            def rest(e, _node=w.rest):
                env.elems.append(e)
                try:
                    return ev(_node, env)
                finally:
                    env.elems.pop()
        index = env.periods[id(node)] = rt._Perioder(w.start, w.end, rest)
    point = ev(w.point, env)
    op = rt.op_nogen_inden if node.op == "nogen" else rt.op_ingen_inden
    return op(seq, pred, index, point)


def evaluate(program: ir.Program, sag, *, dato=None, forklaring=True, recorder=None) -> rt.Rapport:
    """The same contract as the generated module's `evaluate`."""
    facts = rt.normaliser(sag, program.facts)
    today = rt.beregningsdato(sag, dato)
    defs: dict = {}
    env = Env(facts, defs, today, program.params, recorder=recorder)
    for d in program.defs:
        defs[d.name] = ev(d.expr, env)
    rapport = rt.Rapport(program.pack, program.version, today, facts, program.facts, defs,
                         program.def_types)
    for r in program.rules:
        applies = True if r.applies is None else ev(r.applies, env)
        requirement = ev(r.requirement, env)
        if recorder is not None:
            recorder.saw_rule(r.id, applies, requirement)
        meta = r.meta
        if r.severity is not None:
            severity = ev(r.severity, env)
            if severity.__class__ is str and severity != meta[2]:
                meta = (*meta[:2], severity, *meta[3:])
        rapport.regler.append(rt.tilfoej(meta, applies, requirement, r.message, facts, defs,
                                         r.uses if forklaring else None, rapport))
    return rapport
