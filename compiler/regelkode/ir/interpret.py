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
        index = env.periods[id(node)] = _index(w, rest)
    return _asker(w, node.op, lambda n: lambda env: ev(n, env))(seq, pred, index, env)


_VINDUE = {"antal": rt.op_antal_vindue, "nogen": rt.op_nogen_vindue,
           "ingen": rt.op_ingen_vindue}


def _asker(w, op: str, value):
    """How a hinted aggregate asks its index: (seq, pred, index, env) -> the answer.
    `value` turns an IR expression into a function of the environment."""
    if isinstance(w, ir.Window):
        lo = None if w.lo is None else value(w.lo)
        hi = None if w.hi is None else value(w.hi)
        vindue = _VINDUE[op]
        return lambda s, p, ix, env: vindue(s, p, ix, None if lo is None else lo(env),
                                            w.lo_strict, None if hi is None else hi(env),
                                            w.hi_strict)
    if isinstance(w, ir.Keyed):
        match = value(w.match)
        bound = None if w.bound is None else value(w.bound)
        samme = rt.op_nogen_samme if op == "nogen" else rt.op_ingen_samme
        return lambda s, p, ix, env: samme(s, p, ix, match(env),
                                           None if bound is None else bound(env), w.strict)
    point = value(w.point)
    inden = rt.op_nogen_inden if op == "nogen" else rt.op_ingen_inden
    return lambda s, p, ix, env: inden(s, p, ix, point(env))


def _index(w, rest):
    """The runtime index a hint asks for, made once per list and evaluation."""
    if isinstance(w, ir.Window):
        return rt._Vaerdier(w.field, rest)
    if isinstance(w, ir.Keyed):
        return rt._Grupper(w.key, w.field, w.below, rest)
    return rt._Perioder(w.start, w.end, rest)


# --- the same evaluation, as closures --------------------------------------------------
#
# `ev` walks the tree at every step: about 2 µs a node, 3 s for a case with two lists
# of 10,000. Without a recorder, each expression is turned once per program into
# nested closures that make the very calls `ev` makes, in the same order (about 4×
# faster). With a recorder (coverage) `ev` runs, as it must see every node.

def _closure(node):
    cls = node.__class__
    if cls is ir.Const:
        value = node.value
        return lambda env: value
    if cls is ir.Fact:
        name = node.name
        return lambda env: env.facts[name]
    if cls is ir.ElemField:
        depth, name = node.depth, node.name
        return lambda env: env.elems[depth][name]
    if cls is ir.Def:
        name = node.name
        return lambda env: env.defs[name]
    if cls is ir.Today:
        return lambda env: env.today
    if cls is ir.Prev:
        return lambda env: env.prev
    if cls is ir.Call:
        op = _OPS[node.op]
        args = [_closure(a) for a in node.args]
        if len(args) == 1:
            a, = args
            return lambda env: op(a(env))
        if len(args) == 2:
            a, b = args
            return lambda env: op(a(env), b(env))
        return lambda env: op(*[f(env) for f in args])
    if cls is ir.Param:
        name, date = node.name, _closure(node.date)

        def param(env):
            p = env.params[name]
            return rt.op_param(name, p.dates, p.values, date(env))
        return param
    if cls is ir.Agg:
        return _agg_closure(node)
    if cls is ir.Table:
        name, hit = node.name, node.hit
        conds, results = [_closure(c) for c in node.conds], [_closure(r) for r in node.results]
        return lambda env: rt.op_tabel(name, hit, tuple(c(env) for c in conds),
                                       tuple(r(env) for r in results))
    if cls is ir.Default:
        base = _closure(node.base)
        excs = [(uid, _closure(w), _closure(v)) for uid, w, v in node.exceptions]
        return lambda env: rt.op_standard(base(env), tuple((uid, w(env), v(env))
                                                           for uid, w, v in excs))
    raise TypeError(f"unknown IR node {cls.__name__}")


def _element(fn):
    """A closure over the element: fn evaluated with `e` bound at the next depth."""
    def make(env):
        elems = env.elems

        def with_element(e):
            elems.append(e)
            try:
                return fn(env)
            finally:
                elems.pop()
        return with_element
    return make


def _agg_closure(node: ir.Agg):
    seq = _closure(node.seq)
    pred = None if node.pred is None else _element(_closure(node.pred))
    op, field, extra = node.op, node.field, node.extra
    if node.within is not None:
        w = node.within
        rest = None if w.rest is None else _element(_closure(w.rest))
        ask = _asker(w, op, _closure)
        key = id(node)

        def indexed(env):
            s, p = seq(env), pred(env)
            index = env.periods.get(key)
            if index is None:
                index = env.periods[key] = _index(w, None if rest is None else rest(env))
            return ask(s, p, index, env)
        return indexed
    if op in _AGG:
        fn = _AGG[op]
        return lambda env: fn(seq(env), None if pred is None else pred(env))
    fn = {"summen": rt.op_summen, "mindste_felt": rt.op_mindste_felt,
          "stoerste_felt": rt.op_stoerste_felt}.get(op)
    if fn is None:
        raise TypeError(f"unknown aggregate {op}")
    return lambda env: fn(seq(env), field, None if pred is None else pred(env), extra[0])


def _closures(program: ir.Program):
    """(defs, rules) as closures, made once per program (and again if its lists change)."""
    cached = program.__dict__.get("_closures")
    if cached is None or cached[0] is not program.defs or cached[1] is not program.rules:
        defs = [(d.name, _closure(d.expr)) for d in program.defs]
        rules = [(None if r.applies is None else _closure(r.applies), _closure(r.requirement))
                 for r in program.rules]
        cached = program.__dict__["_closures"] = (program.defs, program.rules, defs, rules)
    return cached[2], cached[3]


def evaluate(program: ir.Program, sag, *, dato=None, forklaring=True, recorder=None) -> rt.Rapport:
    """The same contract as the generated module's `evaluate`."""
    facts = rt.normaliser(sag, program.facts)
    today = rt.beregningsdato(sag, dato)
    defs: dict = {}
    env = Env(facts, defs, today, program.params, recorder=recorder)
    fast = None if recorder is not None else _closures(program)
    for i, d in enumerate(program.defs):
        defs[d.name] = ev(d.expr, env) if fast is None else fast[0][i][1](env)
    rapport = rt.Rapport(program.pack, program.version, today, facts, program.facts, defs,
                         program.def_types)
    for i, r in enumerate(program.rules):
        if fast is None:
            applies = True if r.applies is None else ev(r.applies, env)
            requirement = ev(r.requirement, env)
        else:
            applies_fn, requirement_fn = fast[1][i]
            applies = True if applies_fn is None else applies_fn(env)
            # A rule that doesn't apply is ikke_relevant whatever its krav says, so
            # krav is not computed (as in the generated module): a nested search over
            # a long list in krav costs nothing when gælder_når already says no.
            requirement = None if applies is False else requirement_fn(env)
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
