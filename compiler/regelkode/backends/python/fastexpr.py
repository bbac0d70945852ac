"""IR expression -> Python text for the fast path (every fact it reads is complete).

With every operand known, each three-valued `op_*` of the runtime is a plain
Python operator: `og` is `and`, `<` is `<`, `nogen … hvor` is `any(…)`. Where
an operation can still come out unknown with known operands (arithmetic past
40 digits, division by zero, months past year 9999, a parameter without a
value on the date, a table where no row fits, exceptions, `tidligste` of
nothing), the runtime's own op is called and its result passed through `_k`,
which leaves the fast path (`_Ukendt`) if it is unknown. Definitions are read
from `dk` (known values only) and parameters on the calculation date from
`pk`, both of which leave the fast path on an unknown value.

`uses` collects the local names an expression needs (`f`, `dk`, `pk`,
`idag`), so the function binds only those.
"""

from __future__ import annotations

from ...ir import nodes as ir
from .cse import _free
from .emit import literal, param_var


class NoFastPath(Exception):
    """An expression the fast path does not write; the three-valued path runs."""

# ops whose result with known operands is never unknown: a plain Python form
_PLAIN = {
    "og": "({0} and {1})", "eller": "({0} or {1})", "ikke": "(not {0})",
    "lig": "({0} == {1})", "forskellig": "({0} != {1})",
    "mindre": "({0} < {1})", "mindre_lig": "({0} <= {1})",
    "stoerre": "({0} > {1})", "stoerre_lig": "({0} >= {1})",
    "i": "({0} in {1})", "hvis": "({1} if {0} else {2})",
    "er_kendt": "_sand({0})", "er_ukendt": "_falsk({0})",
    "hele_aar": "_hele({0}, {1}, 12)", "hele_maaneder": "_hele({0}, {1}, 1)",
    "dage": "({1} - {0}).days", "neg": "op_neg({0})",
}
# ops that may still be unknown (see the module docstring): the runtime op, checked
_CHECKED = {"plus", "minus", "gange", "divider", "beloeb_gange", "beloeb_divider",
            "beloeb_forhold", "afrund_kroner", "varighed_gange", "dato_plus", "dato_minus"}


# Worth computing once per aggregate rather than once per element: date and money
# arithmetic, parameters on a date, searches, tables, exceptions.
_HOIST_OPS = _CHECKED | {"hele_aar", "hele_maaneder", "dage", "min", "max"}


def _costly(node) -> bool:
    cls = node.__class__
    if cls is ir.Call:
        return node.op in _HOIST_OPS
    if cls is ir.Param:
        return not isinstance(node.date, ir.Today)
    return cls is ir.Agg or cls is ir.Table or cls is ir.Default


# A longer first-hit table is one op_tabel call: a chain of N conditional expressions
# is N levels deep in CPython's parser.
MAX_CHAIN = 32


class FastExpr:
    """`shared` (cse.Shared or None): a shared value is read from `dk`, not recomputed;
    `root` is the node being defined, which is computed here even if it is shared.
    `lists`: the facts that are lists of records. A search over one of them needs the
    list and the fields its items are read for (`lists_read`, `fields`), not the whole
    fact (`facts`): one missing field elsewhere in an item doesn't stop the fast path."""

    def __init__(self, shared=None, root=None, lists=frozenset()):
        self.uses: set[str] = set()
        self.facts: set[str] = set()
        self.lists = lists
        self.lists_read: set[str] = set()
        self.fields: set[tuple[str, str]] = set()
        self.scope: dict[int, str | None] = {}    # a search's depth -> the list fact
        self.prelude: list[str] = []    # the indexes of hinted searches, made per call
        self.shared = shared
        self.root = root
        self.hoisted: dict[int, str] = {}     # id(node) -> the local that holds its value
        self.n_hoisted = 0

    def emit(self, node) -> str:
        name = self.hoisted.get(id(node))
        if name is not None:
            return name
        if self.shared is not None and node is not self.root:
            key = self.shared.key_of(node)
            if key is not None:
                self.uses.add("dk")
                return f"dk[{key!r}]"
        return getattr(self, f"e_{type(node).__name__}")(node)

    def e_Const(self, node):
        return literal(node.value)

    def e_Fact(self, node):
        self.uses.add("f")
        self.facts.add(node.name)
        return f"f[{node.name!r}]"

    def e_Def(self, node):
        self.uses.add("dk")
        return f"dk[{node.name!r}]"

    def e_ElemField(self, node):
        fact = self.scope.get(node.depth)
        if fact is not None:
            self.fields.add((fact, node.name))
        return f"e{node.depth}[{node.name!r}]"

    def e_Today(self, node):
        self.uses.add("idag")
        return "idag"

    def e_Prev(self, node):
        raise TypeError("`forrige` only exists while parameters are computed")

    def e_Param(self, node):
        if isinstance(node.date, ir.Today):
            self.uses.add("pk")
            return f"pk[{node.name!r}]"
        var = param_var(node.name)
        return f"_k(op_param({node.name!r}, {var}[0], {var}[1], {self.emit(node.date)}))"

    def e_Call(self, node):
        args = [self.emit(a) for a in node.args]
        op = node.op
        if op in _PLAIN:
            return _PLAIN[op].format(*args)
        if op == "min" or op == "max":
            return f"{op}({', '.join(args)})"
        if op == "felt":
            return f"{args[0]}[{args[1]}]"
        if op == "liste":
            return "(" + "".join(f"{a}, " for a in args) + ")"
        if op in _CHECKED:
            return f"_k(op_{op}({', '.join(args)}))"
        raise TypeError(f"no fast Python for op {op}")

    def _invariants(self, node) -> list:
        """The costly parts of `node.pred` that don't read its element (nor a deeper one):
        loop invariants, computed once per search instead of once per element. The
        outermost search claims them first, so each is computed at the outermost level
        where everything it reads is bound."""
        out, stack = [], [node.pred]
        while stack:
            n = stack.pop()
            if id(n) in self.hoisted:
                continue
            if _costly(n) and (self.shared is None or self.shared.key_of(n) is None) \
                    and all(d < node.depth for d in _free(n)):
                out.append(n)
                continue
            stack.extend(ir.children(n))
        return out

    def e_Agg(self, node):
        fact = node.seq.name if (node.seq.__class__ is ir.Fact
                                 and node.seq.name in self.lists) else None
        if fact is None:
            seq = self.emit(node.seq)
        else:       # the list must be there, and the fields read from its items
            self.uses.add("f")
            self.lists_read.add(fact)
            if node.field is not None:
                self.fields.add((fact, node.field))
            seq = f"f[{fact!r}]"
        outer = self.scope.get(node.depth)
        self.scope[node.depth] = fact
        try:
            if node.within is not None:
                return self._indexed(node, seq, fact)
            return self._agg(node, seq)
        finally:
            self.scope[node.depth] = outer

    def _indexed(self, node, seq: str, fact) -> str:
        """A hinted search (ir.Window, Keyed, Within): the runtime's index and its op, as
        the three-valued path calls them, with the fast path's plain predicates. The
        index is made once per call (the function's prelude), so a search asked once
        per element of another list stays linear."""
        w, e = node.within, f"e{node.depth}"
        name = f"_ix{len(self.prelude) + 1}"
        kept, self.hoisted = self.hoisted, {}     # the prelude runs before any search
        try:
            rest = "None" if w.rest is None else f"lambda {e}: {self.emit(w.rest)}"
        finally:
            self.hoisted = kept
        pred = f"lambda {e}: {self.emit(node.pred)}"
        op = node.op
        if isinstance(w, ir.Window):
            read = (w.field,)
            self.prelude.append(f"{name} = _Vaerdier({w.field!r}, {rest})")
            lo = "None" if w.lo is None else self.emit(w.lo)
            hi = "None" if w.hi is None else self.emit(w.hi)
            call = (f"op_{op}_vindue({seq}, {pred}, {name}, {lo}, {w.lo_strict!r}, {hi}, "
                    f"{w.hi_strict!r})")
        elif isinstance(w, ir.Keyed):
            read = (w.key,) + ((w.field,) if w.field is not None else ())
            self.prelude.append(f"{name} = _Grupper({w.key!r}, {w.field!r}, {w.below!r}, "
                                f"{rest})")
            bound = "None" if w.bound is None else self.emit(w.bound)
            call = (f"op_{op}_samme({seq}, {pred}, {name}, {self.emit(w.match)}, {bound}, "
                    f"{w.strict!r})")
        else:
            read = (w.start, w.end)
            self.prelude.append(f"{name} = _Perioder({w.start!r}, {w.end!r}, {rest})")
            call = f"op_{op}_inden({seq}, {pred}, {name}, {self.emit(w.point)})"
        if fact is not None:            # the index reads these fields of every item
            self.fields.update((fact, f) for f in read)
        return f"_k({call})"

    def _agg(self, node, seq: str) -> str:
        e = f"e{node.depth}"
        binds = []
        if node.pred is not None:
            for inv in self._invariants(node):
                # the value first (it may itself hold invariants of its own), then its name
                text = self.emit(inv)
                name = self.hoisted[id(inv)] = f"h{self.n_hoisted}"
                self.n_hoisted += 1
                binds.append((inv, name, text))
        pred = None if node.pred is None else self.emit(node.pred)
        for inv, _n, _t in binds:        # the names exist inside this search only
            del self.hoisted[id(inv)]
        binds = [(n, t) for _i, n, t in binds]
        # `for h in (X,)` before the loop: X is computed once, when the search starts
        hs = "".join(f"for {n} in ({t},) " for n, t in binds)
        op = node.op
        if op == "antal":
            return f"len({seq})" if pred is None else f"sum(1 {hs}for {e} in {seq} if {pred})"
        if op == "nogen":
            return f"(len({seq}) > 0)" if pred is None else f"any({pred} {hs}for {e} in {seq})"
        if op == "ingen":
            return (f"(len({seq}) == 0)" if pred is None
                    else f"(not any({pred} {hs}for {e} in {seq}))")
        if op == "alle":
            return "True" if pred is None else f"all({pred} {hs}for {e} in {seq})"
        # a lambda's defaults are computed once, when the search starts
        lam = "None" if pred is None else (
            f"lambda {e}{''.join(f', {n}={t}' for n, t in binds)}: {pred}")
        return f"_k(op_{op}({seq}, {node.field!r}, {lam}, {literal(node.extra[0])}))"

    def e_Table(self, node):
        conds = [self.emit(c) for c in node.conds]
        results = [self.emit(r) for r in node.results]
        if node.hit == "første" and len(conds) <= MAX_CHAIN:
            # the first row whose condition holds, computing only its result; no row:
            # unknown (op_tabel's reason). A chain, not nested brackets (CPython allows 200).
            chain = "".join(f"{r} if {c} else " for c, r in zip(conds, results, strict=True))
            return f"({chain}_ingen_raekke())"
        return (f"_k(op_tabel({node.name!r}, {node.hit!r}, ({''.join(c + ', ' for c in conds)}), "
                f"({''.join(r + ', ' for r in results)})))")

    def e_Default(self, node):
        excs = "".join(f"({uid!r}, {self.emit(w)}, {self.emit(v)}), "
                       for uid, w, v in node.exceptions)
        return f"_k(op_standard({self.emit(node.base)}, ({excs})))"
