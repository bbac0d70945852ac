"""Common subexpressions of a pack, computed once per case.

Many rules repeat the same computation: `forløb_startdato + 6 måneder`, a
parameter on `forløb_startdato`, `antal samtaler hvor …`. Each such
expression that occurs twice or more in the pack (in definitions and rules
together) becomes a *shared value*: a hidden definition with the key `#n`,
computed the first time it is read and then kept, exactly like a
definition. A parameter on a date other than the calculation date is always
worth sharing when repeated: that is "looked up once per case".

Only closed expressions are shared (no element of an enclosing `hvor` in
them), and only those that cost something (arithmetic, dates, parameters,
aggregates); a fact read or a comparison is cheaper inline than a lookup.
Sharing never changes a value: every operation is pure, and a shared value
is computed by the same code, on the same path, as it would be inline.
"""

from __future__ import annotations

from ...ir import nodes as ir

_COSTLY = {"plus", "minus", "gange", "divider", "beloeb_gange", "beloeb_divider",
           "beloeb_forhold", "afrund_kroner", "varighed_gange", "dato_plus", "dato_minus",
           "hele_aar", "hele_maaneder", "dage", "min", "max"}


def _const_key(value):
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return (type(value).__name__, value)


def skey(node):
    """A structural key: equal for equal expressions wherever they were written."""
    cls = node.__class__
    if cls is ir.Call:
        return ("C", node.op, tuple(skey(a) for a in node.args))
    if cls is ir.Const:
        return ("K", _const_key(node.value))
    if cls is ir.Fact:
        return ("F", node.name)
    if cls is ir.Def:
        return ("D", node.name)
    if cls is ir.ElemField:
        return ("E", node.depth, node.name)
    if cls is ir.Param:
        return ("P", node.name, skey(node.date))
    if cls is ir.Today:
        return ("T",)
    if cls is ir.Agg:
        return ("A", node.op, skey(node.seq), node.depth,
                None if node.pred is None else skey(node.pred), node.field,
                tuple(_const_key(x) for x in node.extra))
    return ("X", id(node))          # tables, exceptions, `forrige`: never shared


def _free(node) -> frozenset:
    """The `hvor` depths whose element `node` reads without binding it."""
    cls = node.__class__
    if cls is ir.ElemField:
        return frozenset((node.depth,))
    if cls is ir.Agg:
        inner = _free(node.pred) - {node.depth} if node.pred is not None else frozenset()
        return _free(node.seq) | inner
    out = frozenset()
    for c in ir.children(node):
        out |= _free(c)
    return out


def _candidate(node) -> bool:
    cls = node.__class__
    if cls is ir.Call:
        ok = node.op in _COSTLY
    elif cls is ir.Agg:
        ok = True
    elif cls is ir.Param:
        ok = not isinstance(node.date, ir.Today)     # on the calculation date: looked up once
    else:
        ok = False
    return ok and not _free(node)


class Shared:
    """The shared values of a pack, and which node is one (`key_of`)."""

    def __init__(self, program: ir.Program):
        self.keys: dict = {}        # skey -> "#n"
        self.nodes: list = []       # ("#n", node) in order
        self._memo: dict = {}       # id(node) -> "#n" or None
        for k, (key, node) in shared_values(program).items():
            self.keys[k] = key
            self.nodes.append((key, node))

    def key_of(self, node) -> str | None:
        memo = self._memo.get(id(node), False)
        if memo is not False:
            return memo
        key = self.keys.get(skey(node)) if _quick(node) and _candidate(node) else None
        self._memo[id(node)] = key
        return key


def _quick(node) -> bool:
    cls = node.__class__
    return (cls is ir.Call and node.op in _COSTLY) or cls is ir.Agg or cls is ir.Param


def shared_values(program: ir.Program) -> dict:
    """skey -> (key, node) for every costly closed expression used twice or more."""
    counts: dict = {}
    first: dict = {}

    def walk(node):
        if _quick(node) and _candidate(node):
            k = skey(node)
            counts[k] = counts.get(k, 0) + 1
            first.setdefault(k, node)
        for c in ir.children(node):
            walk(c)

    for d in program.defs:
        walk(d.expr)
    for r in program.rules:
        if r.applies is not None:
            walk(r.applies)
        walk(r.requirement)
    shared = {}
    for k, n in counts.items():
        if n >= 2:
            shared[k] = (f"#{len(shared)}", first[k])
    return shared
