"""Finds "a date within any period of a list" inside another list's condition,
and its kin: a count in a window, and "an element with the same key, before".

`ingen sanktionshændelser hvor (… nogen orlovsperioder hvor (startdato er senest
dato og slutdato er tidligst dato))` asks the inner list once per outer element:
two lists of 10,000 took 10⁸ condition evaluations (about 50 s). When a
`nogen`/`ingen` condition is a chain of `og` holding `start ≤ X` and `slut ≥ X`
on the element's own fields, with X read from an outer element, the aggregate
gets an `ir.Within` hint; the runtime then sorts the list's known periods once
and answers each X by binary search (`runtime.op_nogen_inden`). Elements with
unknown dates or conditions are judged by the full condition as before, so the
result — an `Ukendt` with its missing facts included — is the same as a scan.

In: a lowered `ir.Program`. Out: the same program, some `Agg` nodes hinted.
"""

from __future__ import annotations

import dataclasses

from ..ir import nodes as ir


def hint_periods(program: ir.Program) -> ir.Program:
    for d in program.defs:
        d.expr = _walk(d.expr)
    for r in program.rules:
        r.applies = None if r.applies is None else _walk(r.applies)
        r.requirement = _walk(r.requirement)
    return program


def _walk(node):
    if isinstance(node, ir.Call):
        return dataclasses.replace(node, args=tuple(_walk(a) for a in node.args))
    if isinstance(node, ir.Param):
        return dataclasses.replace(node, date=_walk(node.date))
    if isinstance(node, ir.Table):
        return dataclasses.replace(node, conds=tuple(_walk(c) for c in node.conds),
                                   results=tuple(_walk(r) for r in node.results))
    if isinstance(node, ir.Default):
        return dataclasses.replace(node, base=_walk(node.base), exceptions=tuple(
            (uid, _walk(w), _walk(v)) for uid, w, v in node.exceptions))
    if isinstance(node, ir.Agg):
        node = dataclasses.replace(node, seq=_walk(node.seq),
                                   pred=None if node.pred is None else _walk(node.pred))
        if node.op in ("nogen", "ingen") and node.pred is not None:
            within = _within(node) or _keyed(node) or _window(node)
            if within is not None:
                node = dataclasses.replace(node, within=within)
        elif node.op == "antal" and node.pred is not None:
            window = _window(node)
            if window is not None:
                node = dataclasses.replace(node, within=window)
        return node
    return node


def _within(node: ir.Agg) -> ir.Within | None:
    depth = node.depth
    if _reads(node.seq, lambda d: d < depth):
        return None        # a list that differs per outer element is not worth indexing
    leaves = _conjuncts(node.pred)
    bounds = [_bound(leaf, depth) for leaf in leaves]
    for i, lo in enumerate(bounds):
        if lo is None or lo[0] != "start" or lo[3]:
            continue
        for j, hi in enumerate(bounds):
            if hi is None or hi[0] != "end" or hi[3] or not _same(lo[2], hi[2]):
                continue
            point = lo[2]
            if not _reads(point, lambda d: d < depth):
                return None    # the same point for every question: one scan is as good
            rest = [leaf for k, leaf in enumerate(leaves) if k not in (i, j)]
            if any(_reads(leaf, lambda d: d < depth) for leaf in rest):
                return None    # the other conditions must be the element's alone
            joined = None
            for leaf in rest:
                joined = leaf if joined is None else ir.Call("og", (joined, leaf))
            return ir.Within(lo[1], hi[1], point, joined)
    return None


def _keyed(node: ir.Agg) -> ir.Keyed | None:
    """`nogen L hvor (rest og key = X [og field <(=) Y])`, X (and Y) read from an outer
    element: "an earlier event in the same month" asked for every event of the
    list (`højst_en_nedsættelse_pr_kalendermåned`), quadratic when scanned."""
    depth = node.depth
    if _reads(node.seq, lambda d: d < depth):
        return None
    leaves = _conjuncts(node.pred)
    outer = lambda n: _reads(n, lambda d: d < depth)  # noqa: E731
    eq = next((i for i, leaf in enumerate(leaves) if (k := _key(leaf, depth))
               and outer(k[1])), None)
    if eq is None:
        return None
    key, match = _key(leaves[eq], depth)
    bound = next((i for i, b in enumerate(_bound(leaf, depth) for leaf in leaves)
                  if i != eq and b is not None and outer(b[2])), None)
    rest = [leaf for k, leaf in enumerate(leaves) if k not in (eq, bound)]
    if any(outer(leaf) for leaf in rest):
        return None        # the other conditions must be the element's alone
    joined = None
    for leaf in rest:
        joined = leaf if joined is None else ir.Call("og", (joined, leaf))
    if bound is None:
        return ir.Keyed(key, match, None, None, True, False, joined)
    kind, field, point, strict = _bound(leaves[bound], depth)
    return ir.Keyed(key, match, field, point, kind == "start", strict, joined)


def _key(leaf, depth):
    """(field, X) for `field = X` on this aggregate's element, else None."""
    if not isinstance(leaf, ir.Call) or leaf.op != "lig":
        return None
    a, b = leaf.args
    for own, other in ((a, b), (b, a)):
        if (isinstance(own, ir.ElemField) and own.depth == depth
                and not _reads(other, lambda d: d == depth)):
            return own.name, other
    return None


def _window(node: ir.Agg) -> ir.Window | None:
    """`antal`/`nogen`/`ingen L hvor (rest og lo <(=) field og field <(=) hi)`: a count
    in (or any element in) a window of one field's values, the bounds read from an
    outer element ("a conversation in the interval before this one")."""
    depth = node.depth
    if _reads(node.seq, lambda d: d < depth):
        return None
    leaves = _conjuncts(node.pred)
    bounds = [_bound(leaf, depth) for leaf in leaves]
    # field ≤ X is an upper bound ("start" above), field ≥ X a lower one ("end")
    upper = next((i for i, b in enumerate(bounds) if b and b[0] == "start"), None)
    lower = next((i for i, b in enumerate(bounds) if b and b[0] == "end"
                  and (upper is None or b[1] == bounds[upper][1])), None)
    used = [i for i in (lower, upper) if i is not None]
    if not used or (lower is not None and upper is not None
                    and bounds[lower][1] != bounds[upper][1]):
        return None
    if not any(_reads(bounds[i][2], lambda d: d < depth) for i in used):
        return None        # the same window for every question: one scan is as good
    rest = [leaf for k, leaf in enumerate(leaves) if k not in used]
    if any(_reads(leaf, lambda d: d < depth) for leaf in rest):
        return None
    joined = None
    for leaf in rest:
        joined = leaf if joined is None else ir.Call("og", (joined, leaf))
    lo = bounds[lower] if lower is not None else None
    hi = bounds[upper] if upper is not None else None
    return ir.Window(bounds[used[0]][1], lo and lo[2], bool(lo and lo[3]),
                     hi and hi[2], bool(hi and hi[3]), joined)


def _conjuncts(node) -> list:
    if isinstance(node, ir.Call) and node.op == "og":
        return [leaf for a in node.args for leaf in _conjuncts(a)]
    return [node]


_FLIP = {"mindre_lig": "stoerre_lig", "stoerre_lig": "mindre_lig", "mindre": "stoerre",
         "stoerre": "mindre"}


def _bound(leaf, depth):
    """("start", field, X, strict) for `field ≤ X` (`<`: strict), ("end", field, X,
    strict) for `field ≥ X` (`>`), else None."""
    if not isinstance(leaf, ir.Call) or leaf.op not in _FLIP:
        return None
    a, b = leaf.args
    def own(n) -> bool:
        return isinstance(n, ir.ElemField) and n.depth == depth

    if own(a) and not _reads(b, lambda d: d == depth):
        field, point, op = a.name, b, leaf.op
    elif own(b) and not _reads(a, lambda d: d == depth):
        # X ≥ field is field ≤ X
        field, point, op = b.name, a, _FLIP[leaf.op]
    else:
        return None
    return ("start" if op.startswith("mindre") else "end", field, point,
            not op.endswith("_lig"))


def _reads(node, which) -> bool:
    """Whether `node` reads an element field whose depth satisfies `which`."""
    if isinstance(node, ir.ElemField):
        return which(node.depth)
    return any(_reads(c, which) for c in ir.children(node))


def _same(a, b) -> bool:
    """Structural equality that ignores where a node came from (`origin`)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if not dataclasses.is_dataclass(a):
        return a == b and type(a) is type(b)
    return all(_same(getattr(a, f.name), getattr(b, f.name))
               for f in dataclasses.fields(a) if f.name != "origin")
