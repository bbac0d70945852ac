"""A small directed graph drawn as SVG at build time: the site needs no diagram script.

In: node keys with labels, and edges (source, target, badge, dashed). Out:
an SVG document, left to right in layers (a node sits one layer right of
its furthest predecessor), each edge a curve with an arrow and a numbered
badge that the page's table explains. Pure and deterministic: integer
coordinates, every order decided by sorted keys, and every label escaped
as XML text, so the same graph always gives the same bytes and no label
can become markup. The drawing references nothing outside itself (no
fonts, no scripts, no links), so the site stays usable offline.
"""

from __future__ import annotations

import html
import itertools
import textwrap
from dataclasses import dataclass

NODE_W = 190
LINE_H = 16
PAD = 8
MAX_LINES = 3
WRAP = 24               # characters per line at 13 px in a 190 px box
COL_GAP = 110
ROW_GAP = 20
MARGIN = 16
BADGE_R = 10
ROW_H = MAX_LINES * LINE_H + 2 * PAD
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    badge: str
    dashed: bool = False


def _x(text: object) -> str:
    return html.escape(" ".join(str(text).split()), quote=True)


def _lines(label: str) -> list[str]:
    lines = textwrap.wrap(" ".join(label.split()), WRAP, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES - 1], lines[MAX_LINES - 1][:WRAP - 1] + "…"]
    return lines


def _back_edges(keys: list[str], succ: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Edges that close a cycle (found by an iterative depth-first search in key order)."""
    state: dict[str, int] = {}          # 1 on the stack, 2 done
    back = set()
    for root in keys:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ[child])))
    return back


def layers(nodes: dict[str, str], edges: list[Edge]) -> tuple[list[list[str]], list[list[str]]]:
    """Columns of node keys, and each edge's path through them.

    A node's column is the longest path to it from a source (edges that close
    a cycle are left out of that count). An edge that spans several columns
    passes through a free slot (a virtual node) in each column between, so no
    edge crosses a box; rows are ordered by the barycentre of their neighbours.
    """
    keys = sorted(nodes)
    succ: dict[str, list[str]] = {k: [] for k in keys}
    for e in edges:
        if e.source != e.target and e.target not in succ[e.source]:
            succ[e.source].append(e.target)
    for k in keys:
        succ[k].sort()
    back = _back_edges(keys, succ)
    forward = [(a, b) for a in keys for b in succ[a] if (a, b) not in back]
    indegree = {k: 0 for k in keys}
    for _a, b in forward:
        indegree[b] += 1
    layer = {k: 0 for k in keys}
    ready = [k for k in keys if indegree[k] == 0]
    while ready:
        ready.sort()
        node = ready.pop(0)
        for a, b in forward:
            if a == node:
                layer[b] = max(layer[b], layer[a] + 1)
                indegree[b] -= 1
                if indegree[b] == 0:
                    ready.append(b)
    columns: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for k in keys:
        columns[layer[k]].append(k)
    paths, links = [], []
    for i, e in enumerate(edges):
        a, b = e.source, e.target
        if a not in layer or b not in layer:
            paths.append([])
            continue
        path = [a]
        if (a, b) not in back and layer[b] > layer[a] + 1:
            for col in range(layer[a] + 1, layer[b]):
                virtual = f"\x00{i:06d}"  # after every real key, one per edge
                columns[col].append(virtual)
                path.append(virtual)
        path.append(b)
        paths.append(path)
        links += list(itertools.pairwise(path))
    column_of = {k: c for c, col in enumerate(columns) for k in col}
    preds = {k: sorted(a for a, b in links if b == k and column_of[a] < column_of[k])
             for k in column_of}
    succs = {k: sorted(b for a, b in links if a == k and column_of[b] > column_of[k])
             for k in column_of}
    for _sweep in range(4):
        for i in range(1, len(columns)):
            _reorder(columns[i], preds, columns)
        for i in range(len(columns) - 2, -1, -1):
            _reorder(columns[i], succs, columns)
    return columns, paths


def _reorder(column: list[str], neighbours: dict, columns: list[list[str]]) -> None:
    where = {k: i for col in columns for i, k in enumerate(col)}

    def key(k):
        near = [where[n] for n in neighbours[k]]
        centre = sum(near) / len(near) if near else where[k]
        return (centre, where[k], k)

    column.sort(key=key)


def _curve(p0, p3) -> tuple[str, list]:
    """A cubic from p0 to p3 leaving and arriving horizontally; the path and its points."""
    bend = max(COL_GAP // 2, (p3[0] - p0[0]) // 3) if p3[0] > p0[0] else COL_GAP
    p1, p2 = (p0[0] + bend, p0[1]), (p3[0] - bend, p3[1])
    return f"C{p1[0]},{p1[1]} {p2[0]},{p2[1]} {p3[0]},{p3[1]}", [p0, p1, p2, p3]


def _at(points, t: float) -> tuple[int, int]:
    p0, p1, p2, p3 = points
    u = 1 - t
    return tuple(round(u ** 3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t ** 3 * d)
                 for a, b, c, d in zip(p0, p1, p2, p3, strict=True))


def render(nodes: dict[str, str], edges: list[Edge], title: str) -> tuple[str, int, int]:
    """(svg text, width, height) for the graph; `title` is the drawing's accessible name."""
    columns, paths = layers(nodes, edges)
    rows = max((len(c) for c in columns), default=0)
    width = 2 * MARGIN + len(columns) * NODE_W + max(len(columns) - 1, 0) * COL_GAP
    height = 2 * MARGIN + rows * ROW_H + max(rows - 1, 0) * ROW_GAP
    box = {}
    for i, col in enumerate(columns):
        x = MARGIN + i * (NODE_W + COL_GAP)
        top = MARGIN + (rows - len(col)) * (ROW_H + ROW_GAP) // 2
        for j, k in enumerate(col):
            box[k] = (x, top + j * (ROW_H + ROW_GAP))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_x(title)}" '
           f'font-family="{_x(FONT)}" font-size="13">',
           f"<title>{_x(title)}</title>",
           "<defs>",
           '<marker id="pil" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
           'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#37474f"/></marker>',
           "</defs>",
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    badges, taken = [], []
    for e, path in zip(edges, paths, strict=True):
        if not path:
            continue
        mid = ROW_H // 2
        d = [f"M{box[path[0]][0] + NODE_W},{box[path[0]][1] + mid}"]
        segments = []
        for a, b in itertools.pairwise(path):
            start = (box[a][0] + NODE_W, box[a][1] + mid)
            end = (box[b][0], box[b][1] + mid)
            if a != path[0]:
                d.append(f"L{start[0]},{start[1]}")       # straight through a free slot
            text, points = _curve(start, end)
            d.append(text)
            segments.append(points)
        dash = ' stroke-dasharray="6 4"' if e.dashed else ""
        colour = "#607d8b" if e.dashed else "#1e3a8a"
        out.append(f'<path d="{" ".join(d)}" fill="none" stroke="{colour}" '
                   f'stroke-width="1.6"{dash} marker-end="url(#pil)"/>')
        spot = _badge_spot(segments, taken)
        taken.append(spot)
        badges.append(f'<circle cx="{spot[0]}" cy="{spot[1]}" r="{BADGE_R}" fill="#ffffff" '
                      f'stroke="{colour}" stroke-width="1.4"/>'
                      f'<text x="{spot[0]}" y="{spot[1] + 4}" text-anchor="middle" '
                      f'font-size="11" fill="{colour}">{_x(e.badge)}</text>')
    for k in sorted(nodes):
        if k not in box:
            continue
        x, y = box[k]
        lines = _lines(nodes[k])
        first = y + (ROW_H - len(lines) * LINE_H) // 2 + LINE_H - 4
        out.append(f'<g><title>{_x(nodes[k])}</title>'
                   f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{ROW_H}" rx="6" '
                   f'fill="#eef2f7" stroke="#37474f" stroke-width="1.2"/>')
        for n, line in enumerate(lines):
            out.append(f'<text x="{x + NODE_W // 2}" y="{first + n * LINE_H}" '
                       f'text-anchor="middle" fill="#1b1b1b">{_x(line)}</text>')
        out.append("</g>")
    out += badges
    out.append("</svg>")
    return "\n".join(out) + "\n", width, height


def _badge_spot(segments, taken) -> tuple[int, int]:
    """Where an edge's number goes: in a gap between columns, clear of other numbers."""
    candidates = [_at(seg, t) for seg in segments for t in (0.5, 0.3, 0.7, 0.2, 0.8)]
    for spot in candidates:
        if all((spot[0] - x) ** 2 + (spot[1] - y) ** 2 > (2 * BADGE_R + 2) ** 2
               for x, y in taken):
            return spot
    return candidates[0]
