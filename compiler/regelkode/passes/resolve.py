"""Name resolution: every `Name` in every expression -> what it refers to.

In: the `Pack` model. Out: `Resolution` — a reference per name node, the
dependency graph between definitions, rules and parameters, an evaluation
order for definitions and parameters, and for every rule and definition the
facts and definitions it uses (transitively), which the report shows.
Unknown names, cycles and names used where they can't be (a fact inside a
parameter) are diagnostics. A bare name that is no declaration but is an
enum value is left for the type checker, which knows the expected enum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostics, Span, did_you_mean
from ..front import ast
from ..front.decls import Expr, Pack

# `{navn}` in a message is a placeholder when the braces hold a letter or `_`
# (names may be just `_`); `{}`, `{ }` or `{0}` are text, printed as written
# (they used to be "ukendt navn").
PLACEHOLDER = re.compile(r"\{([^{}]*[^\W\d][^{}]*)\}")
MAX_HINTS = 100     # unknown names that get a "mente du …?" (see _Resolver.__init__)


@dataclass
class Resolution:
    refs: dict = field(default_factory=dict)         # Name node -> ref tuple
    lists: dict = field(default_factory=dict)        # Aggregate node -> ref tuple of the list
    deps: dict = field(default_factory=dict)         # item -> set of items
    def_order: list = field(default_factory=list)
    param_order: list = field(default_factory=list)
    uses: dict = field(default_factory=dict)         # item -> (facts, defs), transitive, sorted
    messages: dict = field(default_factory=dict)     # rule id -> [str | (name, ref, span)]
    used_params: set = field(default_factory=set)


class _Resolver:
    def __init__(self, pack: Pack, diags: Diagnostics):
        self.pack = pack
        self.diags = diags
        self.res = Resolution()
        self.enum_values = {v for values in pack.enums.values() for v in values}
        # "mente du …?" runs difflib over every name in the pack; a file of
        # 20,000 unknown names took 70 s. Hints for the first ones are enough.
        self.hints_left = MAX_HINTS

    # -- expressions --
    def expr(self, e: Expr | None, item, *, context: str = "regel", scopes=()):
        if e is None or e.node is None:
            return
        self.context = context
        self.item = item
        self.visit(e.node, list(scopes))

    def visit(self, node, scopes):
        if isinstance(node, ast.Name):
            self.name(node, scopes)
            return
        if isinstance(node, ast.Aggregate):
            self.aggregate(node, scopes)
            return
        if isinstance(node, ast.AtDate) and isinstance(node.target, ast.Name):
            self.name(node.target, scopes, at_date=True)
            self.visit(node.date, scopes)
            return
        for child in ast.children(node):
            self.visit(child, scopes)

    def depend(self, kind, name):
        self.res.deps.setdefault(self.item, set()).add((kind, name))

    def name(self, node: ast.Name, scopes, at_date: bool = False):
        n = node.name
        if node.outer:
            self.outer_name(node, scopes)
            return
        for depth in range(len(scopes) - 1, -1, -1):
            fields = scopes[depth]
            if n in fields:
                self.res.refs[node] = ("field", n, depth)
                return
        ctx = self.context
        if n == "beregningsdato":
            if ctx in ("parameter", "konstant"):
                self.bad(node, "`beregningsdato` kan ikke bruges i en parameter: parametre "
                         "beregnes, når pakken bygges")
            self.res.refs[node] = ("today",)
            return
        if n == "forrige":
            if ctx != "parameter":
                self.bad(node, "`forrige` kan kun bruges i en parameters `beregnet`")
            self.res.refs[node] = ("prev",)
            return
        p = self.pack
        if n in p.facts:
            if ctx in ("parameter", "konstant"):
                self.bad(node, f"faktummet `{n}` kan ikke bruges i en parameter")
            self.res.refs[node] = ("fact", n)
            self.depend("fact", n)
        elif n in p.params:
            if ctx == "konstant":
                self.bad(node, "en parameters `værdi` skal være en konstant; brug `beregnet`")
            self.res.refs[node] = ("param", n)
            self.depend("param", n)
            self.res.used_params.add(n)
        elif n in p.defs:
            if ctx in ("parameter", "konstant"):
                self.bad(node, f"definitionen `{n}` kan ikke bruges i en parameter")
            self.res.refs[node] = ("def", n)
            self.depend("def", n)
        elif n in self.enum_values:
            self.res.refs[node] = ("enum?", n)
        else:
            kind = p.kind_of(n)
            if kind == "regel":
                self.bad(node, f"`{n}` er en regel; udtryk kan kun bruge fakta, parametre og "
                         "definitioner", "lav en definition, som reglen og dette udtryk deler")
                return
            hint = None
            if self.hints_left > 0:
                self.hints_left -= 1
                candidates = [*p.facts, *p.params, *p.defs, *self.enum_values, "beregningsdato"]
                for fields in scopes:
                    candidates.extend(fields)
                hint = did_you_mean(n, candidates)
            self.diags.error("unknown-name", f"ukendt navn `{n}`", node.span, hint)

    def outer_name(self, node: ast.Name, scopes):
        """`ydre n`: the field n of an enclosing element, skipping the innermost one."""
        for depth in range(len(scopes) - 2, -1, -1):
            if node.name in scopes[depth]:
                self.res.refs[node] = ("field", node.name, depth)
                return
        if len(scopes) < 2:
            self.bad(node, f"`ydre {node.name}` kan kun bruges i et `hvor` inden i et andet `hvor`")
        else:
            self.bad(node, f"intet ydre listeelement har feltet `{node.name}`")

    def bad(self, node, message, hint=None):
        self.diags.error("misplaced-name", message, node.span, hint)

    def aggregate(self, node: ast.Aggregate, scopes):
        fake = ast.Name(node.list_span, node.list_name)
        self.name(fake, scopes)
        ref = self.res.refs.pop(fake, None)
        if ref is None:
            return
        self.res.lists[node] = ref
        elem = self.list_elem_type(ref, scopes)
        fields: dict = {}
        if elem is not None and elem.kind == "record":
            fields = self.pack.records.get(elem.name, {})
        if node.field is not None and node.field not in fields and (
                elem is not None and elem.kind == "record"):
                self.diags.error("unknown-field", f"`{node.list_name}` har ikke feltet "
                                 f"`{node.field}`", node.field_span,
                                 did_you_mean(node.field, fields))
        if node.where is not None:
            self.visit(node.where, [*scopes, fields])

    def list_elem_type(self, ref, scopes=()):
        kind = ref[0]
        t = None
        if kind == "fact":
            t = self.pack.facts[ref[1]].type
        elif kind == "def":
            t = self.pack.defs[ref[1]].type
        elif kind == "param":
            t = self.pack.params[ref[1]].type
        elif kind == "field":
            # A list field of the element being looked at (`nogen bs hvor (n > m)`
            # inside `… hvor`): its type is in the enclosing scope. Without it the
            # inner `hvor` saw no fields and every one of them was "ukendt navn".
            t = scopes[ref[2]].get(ref[1])
        if t is None:
            return None
        if t.kind != "list":
            return None
        return t.elem

    # -- declarations --
    def run(self) -> Resolution:
        p = self.pack
        for name, param in p.params.items():
            for period in param.periods:
                self.expr(period.value, ("param", name), context="konstant")
                self.expr(period.computed, ("param", name), context="parameter")
        for name, d in p.defs.items():
            item = ("def", name)
            self.res.deps.setdefault(item, set())
            self.expr(d.value, item)
            if d.table is not None:
                for e in d.table.inputs:
                    self.expr(e, item)
                for row in d.table.rows:
                    for cell in row.cells:
                        self.expr(cell, item)
                    self.expr(row.result, item)
            self.exceptions(d.exceptions, item)
        for rid, r in p.rules.items():
            item = ("rule", rid)
            self.res.deps.setdefault(item, set())
            self.expr(r.applies, item)
            self.expr(r.requirement, item)
            self.exceptions(r.exceptions, item)
            self.res.messages[rid] = self.message(r, item)
        self.order()
        return self.res

    def exceptions(self, excs, item):
        for exc in excs:
            self.expr(exc.when, item)
            self.expr(exc.value, item)
            self.exceptions(exc.subs, item)

    def message(self, rule, item):
        parts = []
        text = rule.message
        pos = 0
        for m in PLACEHOLDER.finditer(text):
            parts.append(text[pos:m.start()])
            pos = m.end()
            name = m.group(1).strip()
            span = _offset(rule, m.start())
            if name in self.pack.facts:
                parts.append((name, ("fact", name), span))
                self.res.deps[item].add(("fact", name))
            elif name in self.pack.defs:
                parts.append((name, ("def", name), span))
                self.res.deps[item].add(("def", name))
            elif name in self.pack.params:
                parts.append((name, ("param", name), span))
                self.res.deps[item].add(("param", name))
                self.res.used_params.add(name)
            elif name == "beregningsdato":
                parts.append((name, ("today",), span))
            else:
                hint = None
                if self.hints_left > 0:
                    self.hints_left -= 1
                    hint = did_you_mean(name, [*self.pack.facts, *self.pack.defs,
                                               *self.pack.params, "beregningsdato"])
                self.diags.error("unknown-name", f"ukendt navn `{{{name}}}` i meddelelsen", span,
                                 hint or "en meddelelse kan indsætte værdien af et faktum, en "
                                 "definition, en parameter eller beregningsdato")
        parts.append(text[pos:])
        return [p for p in parts if p != ""]

    # -- order and transitive uses --
    def order(self):
        deps = self.res.deps
        defs = [("def", n) for n in sorted(self.pack.defs)]
        self.res.def_order = [n for _, n in self._topo(defs, "def", "definitionerne")]
        params = [("param", n) for n in sorted(self.pack.params)]
        self.res.param_order = [n for _, n in self._topo(params, "param", "parametrene")]
        memo: dict = {}

        def uses(item):
            """Facts and definitions `item` reads, through the definitions it reads.

            Not recursive: definitions are visited in def_order, so what one uses
            is known before anything that uses it (a chain of 3000 definitions
            used to recurse into RecursionError). Inside a cycle — reported
            above — the not yet visited part counts as nothing.
            """
            if item in memo:
                return memo[item]
            facts, ds = set(), set()
            for kind, name in deps.get(item, ()):
                if kind == "fact":
                    facts.add(name)
                elif kind == "def":
                    ds.add(name)
                    f2, d2 = memo.get(("def", name), (set(), set()))
                    facts |= f2
                    ds |= d2
            memo[item] = (facts, ds)
            return memo[item]

        for name in self.res.def_order:
            uses(("def", name))
        for item in deps:
            f, d = uses(item)
            self.res.uses[item] = (tuple(sorted(f)), tuple(sorted(d)))

    def _topo(self, items, kind, what):
        deps = self.res.deps
        order, state = [], {}
        for start in items:
            if start in state:
                continue
            # Iterative DFS so a long chain of definitions cannot hit the recursion limit.
            stack = [(start, iter(sorted(d for d in deps.get(start, ()) if d[0] == kind)))]
            state[start] = "open"
            path = [start]
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    path.pop()
                    state[node] = "done"
                    order.append(node)
                    continue
                if state.get(nxt) == "open":
                    cycle = [*path[path.index(nxt):], nxt]
                    span = self._span_of(nxt)
                    self.diags.error("cycle", f"{what} afhænger af hinanden i ring: "
                                     + " → ".join(n for _, n in cycle), span)
                    continue
                if nxt not in state:
                    state[nxt] = "open"
                    path.append(nxt)
                    stack.append((nxt, iter(sorted(d for d in deps.get(nxt, ())
                                                   if d[0] == kind))))
        return order

    def _span_of(self, item) -> Span | None:
        kind, name = item
        table = self.pack.defs if kind == "def" else self.pack.params
        decl = table.get(name)
        return decl.span if decl else None


def _offset(rule, index: int) -> Span:
    msg = rule.message
    if hasattr(msg, "offset_span"):
        return msg.offset_span(index, index + 1)
    return rule.message_span


def resolve_names(pack: Pack, diags: Diagnostics) -> Resolution:
    return _Resolver(pack, diags).run()
