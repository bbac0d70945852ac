"""The course in time: a diagram of a pack's dates and deadlines, drawn at build time.

In: a `PackContext`. Out: Markdown for the page, with an SVG drawing
(`svg.py`, a file beside the page: no diagram script, nothing fetched) and
the same edges as a numbered table (what a screen reader or a printout
reads). Nothing is named by hand:

- a definition of type `dato` whose expression is `X + varighed` (or a chain
  `X + a - b`) is an edge X → definition, labelled with the duration;
- a rule or definition that compares two dates (`a er senest b`) is a dotted
  edge a → b: a comes first. Inside `hvor`, a field of a list element is
  drawn as the list's field (`samtaler · dato`).
"""

from __future__ import annotations

from .. import mdtext as md
from ..front import ast
from . import danish as dk
from . import svg
from .context import PackContext

_ORDER_WORDS = {"<": "før", "<=": "senest", ">": "før", ">=": "senest"}


class _Timeline:
    def __init__(self, ctx: PackContext):
        self.ctx = ctx
        self.nodes: dict[str, str] = {}                  # key -> label
        self.edges: dict[tuple[str, str], tuple] = {}   # (a, b) -> (label, style, owner)

    def node_key(self, ref, lists) -> str | None:
        if ref is None:
            return None
        pk = self.ctx.pack
        if ref[0] == "fact" and _is_date(pk.facts[ref[1]].type):
            self.nodes.setdefault(f"fact:{ref[1]}", dk.name_text(ref[1]))
            return f"fact:{ref[1]}"
        if ref[0] == "def" and _is_date(self.ctx.typing.def_types.get(ref[1])):
            title = pk.defs[ref[1]].title
            label = title if title and len(title) <= 48 else dk.name_text(ref[1])
            self.nodes.setdefault(f"def:{ref[1]}", label)
            return f"def:{ref[1]}"
        if ref[0] == "field" and ref[2] < len(lists) and lists[ref[2]] is not None:
            owner = lists[ref[2]]
            key = f"field:{owner}.{ref[1]}"
            self.nodes.setdefault(key, f"{dk.name_text(owner)} · {dk.name_text(ref[1])}")
            return key
        return None

    def dated_definitions(self):
        for name, d in self.ctx.pack.defs.items():
            if d.value is None or d.value.node is None:
                continue
            if not _is_date(self.ctx.typing.def_types.get(name)):
                continue
            chain, node = [], d.value.node
            while (isinstance(node, ast.Binary) and node.op in ("add", "sub")
                   and self._kind(node.right) == "dur"):
                chain.append((node.op, node.right))
                node = node.left
            if not chain or not isinstance(node, ast.Name):
                continue
            base = self.node_key(self.ctx.res.refs.get(node), [])
            if base is None:
                continue
            target = self.node_key(("def", name), [])
            # with the parameters' values, so the table says "+ 6 måneder (…)" not just a name
            label = " ".join(("+ " if op == "add" else "− ")
                             + dk.render(right, self.ctx.types, self.ctx.param_values)
                             for op, right in reversed(chain))
            self.edges[(base, target)] = (label, "frist", ("def", name))

    def comparisons(self):
        """Order edges from requirements and definitions (not from conditions).

        Only comparisons that must hold count: not under `ikke`, `eller`,
        `ingen` or a `hvis`, where `a er før b` is one possibility among others.
        """
        pk = self.ctx.pack
        for rid, r in pk.rules.items():
            exprs = [r.requirement] + [e.value for e in _walk(r.exceptions)]
            for e in exprs:
                if e is not None and e.node is not None:
                    self.visit(e.node, [], ("rule", rid))
        for name, d in pk.defs.items():
            exprs = [d.value] + [e.value for e in _walk(d.exceptions)]
            for e in exprs:
                if e is not None and e.node is not None:
                    self.visit(e.node, [], ("def", name))

    def visit(self, root, lists, owner):
        # Iterative walk that remembers which list each `hvor` scope ranges over.
        stack = [(root, lists)]
        while stack:
            node, scope = stack.pop()
            if isinstance(node, ast.Compare):
                if node.op in _ORDER_WORDS:
                    self.compare(node, scope, owner)
                # `antal … hvor (dato er senest x) er mindst 4`: the count holds a scope
                stack.extend((child, scope) for child in (node.left, node.right))
            elif isinstance(node, ast.Aggregate):
                ref = self.ctx.res.lists.get(node)
                inner = [*scope, ref[1] if ref and ref[0] in ("fact", "def") else None]
                if node.where is not None and node.kind != "ingen":
                    stack.append((node.where, inner))
            elif isinstance(node, ast.Binary) and node.op == "and":
                stack.extend((child, scope) for child in (node.left, node.right))

    def compare(self, node, scope, owner):
        if not (isinstance(node.left, ast.Name) and isinstance(node.right, ast.Name)):
            return
        refs = self.ctx.res.refs
        a = self.node_key(refs.get(node.left), scope)
        b = self.node_key(refs.get(node.right), scope)
        if a is None or b is None or a == b:
            return
        if node.op in (">", ">="):
            a, b = b, a
        if (a, b) not in self.edges:
            self.edges[(a, b)] = (_ORDER_WORDS[node.op], "orden", owner)

    def _kind(self, node):
        t = self.ctx.types.get(node)
        if t is not None:
            return t.kind
        return "dur" if isinstance(node, ast.Literal) and node.kind == "duration" else None


def _is_date(t) -> bool:
    return t is not None and t.kind == "date"


def _walk(excs):
    for e in excs:
        yield e
        yield from _walk(e.subs)


SVG_NAME = "forloeb.svg"


def timeline_page(ctx: PackContext) -> tuple[str, bytes | None]:
    """The page's Markdown and its diagram (an SVG file beside the page, or None)."""
    tl = _Timeline(ctx)
    tl.dated_definitions()
    tl.comparisons()
    out = [f"# Forløbet i tid — {md.text(ctx.pack.title)}", "",
           "Datoerne i et forløb og fristerne mellem dem, som reglerne regner med. En fuld "
           "pil er en frist, som en definition regner ud (fx 6 måneder efter start); en "
           "stiplet pil er en rækkefølge, som en regel kræver (fx at mødet holdes senest "
           "på afgørelsesdagen). Tallet på en pil er dens nummer i tabellen under "
           "diagrammet. Diagrammet er dannet af pakkens definitioner og regler.", ""]
    if not tl.edges:
        out += ["Pakken har ingen datoer, der regnes ud fra hinanden.", ""]
        return "\n".join(out).rstrip() + "\n", None
    # Deadlines first, then order; the number is the same in the drawing and the table.
    ordered = sorted(tl.edges.items(), key=lambda kv: (kv[1][1] != "frist", kv[0]))
    used = {k for edge in tl.edges for k in edge}
    nodes = {k: tl.nodes[k] for k in sorted(used)}
    edges = [svg.Edge(a, b, str(n), style != "frist")
             for n, ((a, b), (_label, style, _owner)) in enumerate(ordered, 1)]
    drawing, width, height = svg.render(
        nodes, edges, f"Forløbet i tid — {ctx.pack.title}: datoer og frister")
    out += [f"![Diagram over datoerne og fristerne; pilene er forklaret i tabellen herunder]"
            f'({SVG_NAME}){{ width="{width}" height="{height}" }}', "{: .rk-tidslinje }", ""]
    out += _table(ctx, tl, ordered)
    return "\n".join(out).rstrip() + "\n", drawing.encode("utf-8")


def _table(ctx: PackContext, tl: _Timeline, ordered) -> list[str]:
    page = ctx.page["forløb"]
    rows = []
    for n, ((a, b), (label, style, owner)) in enumerate(ordered, 1):
        kind = "frist" if style == "frist" else "rækkefølge"
        rows.append([str(n), md.cell(tl.nodes[a]), md.cell(tl.nodes[b]),
                     md.cell(f"{kind}: {label}"), ctx.ref(page, owner[0], owner[1])])
    return ["## Frister og rækkefølge", "",
            md.table(["Nr.", "Fra", "Til", "Sammenhæng", "Hvor"], rows), ""]
