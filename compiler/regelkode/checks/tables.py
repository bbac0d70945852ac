"""Static checks by interval analysis: decision tables, parameter histories, exceptions.

In: a `Compiled` pack that has been typed and lowered, and the diagnostics
collector; `analyse(compiled, diags)` is called from `analysis.analyse_pack`.
Out: diagnostics.

One module, over 600 lines: the three checks share one interval algebra (`_Cond`,
the partitioning of a column's domain); apart, that algebra would be a module
of its own with three one-function clients.

Decision tables (as Drools' DMN validator does), when every cell is a
constant and every input column has a type we can partition (dato, heltal,
decimal, beløb, varighed in one unit, an enum, sandhedsværdi, tekst):

- `table-gap` (warning): an input no row matches, with an example input
  ("ingen række dækker fødselsdato = 1955-03-31") and the whole uncovered range;
- `table-overlap` (error, hit policy `unik`): two rows that both match an
  input; the runtime would answer `konflikt` for it, so the table contradicts
  its own hit policy;
- `table-masked` (warning, hit policy `første`): a row whose every input an
  earlier row takes, so it can never be hit;
- `table-empty-row` (warning): a row no input can match (`5 .. 3`).

Each column's axis is cut at every constant a cell mentions into elementary
segments (points and the open stretches between them); every cell is
constant on a segment, so testing one sample per segment is exact. Gaps are
found by splitting the rows column by column (merging neighbouring segments
that the same rows match), which keeps big tables cheap.

Parameter histories (periods are "gyldig fra" dates: each period runs until
the next one starts, the last has no end, so periods can neither leave a gap
between them nor end; before the first period the parameter has no value):
`param-order` (periods not written in date order), `param-before-first`
(read `på` a constant date before the first period: always unknown),
`param-same-value` (a `værdi` period that repeats the previous value and
cites nothing: usually a copy-paste slip). Two periods with the same start
are reported by lowering (`param-overlap`).

Exceptions that can never apply on their own (sound, never guessed: only
what follows from the conditions' structure and constant comparisons):
`exception-dead` (condition constantly false, or contradicts the parent
exception's condition or the rule's `gælder_når`), `exception-always`
(constantly true: the main rule is never used), `exception-shadowed`
(whenever it applies a sibling applies too: identical or implied condition,
so the outcome is always a conflict).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal

from .. import runtime as rt
from ..diagnostics import Diagnostics
from ..front import ast

MAX_GAPS = 3          # gaps reported per table; the rest is summarised
MAX_SEARCH = 200      # gap search stops here: enough to say "and more"


class _Skip(Exception):
    """This table (or condition) is outside what the analysis can decide."""


# --- shapes: expressions compared without positions or spelling -------------------------------

_IGNORED = {"span", "list_span", "field_span", "word", "text"}


def shape(node):
    """A hashable form of an AST without positions and spelling (`er mindst` = `>=`)."""
    if node is None:
        return None
    if isinstance(node, ast.Node):
        return (type(node).__name__, *(shape(getattr(node, f.name))
                                       for f in dataclasses.fields(node)
                                       if f.name not in _IGNORED))
    if isinstance(node, tuple):
        return tuple(shape(x) for x in node)
    if isinstance(node, rt.Varighed):
        return ("varighed", node.maaneder, node.dage)
    return node


# --- columns ---------------------------------------------------------------------------------

@dataclasses.dataclass
class _Seg:
    lo: object              # key, None = unbounded
    hi: object
    lo_closed: bool
    hi_closed: bool
    sample: object          # a key (ordered) or a value (finite) inside the segment


class _Column:
    """One input column: how to turn constants into keys, and its elementary segments."""

    def __init__(self, name: str, typ, enums: dict):
        self.name = name
        self.kind = typ.kind
        self.finite = typ.kind in ("enum", "bool", "text")
        self.discrete = typ.kind in ("date", "int", "money", "dur")
        self.domain = (list(enums[typ.name]) if typ.kind == "enum"
                       else [True, False] if typ.kind == "bool" else None)
        self.unit = None       # durations: "m" or "d", fixed by the first constant
        if typ.kind not in ("date", "int", "money", "dec", "dur", "enum", "bool", "text"):
            raise _Skip

    def key(self, value):
        k = self.kind
        if k == "date" and isinstance(value, dt.date):
            return value.toordinal()
        if k in ("int", "money") and type(value) is int:
            return value
        if k == "int" and isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        if k == "dec" and type(value) in (int, Decimal):
            return Decimal(value)
        if k == "dur" and isinstance(value, rt.Varighed):
            if value.maaneder and value.dage:
                raise _Skip    # months and days have no single axis
            unit = "m" if value.maaneder else "d" if value.dage else None
            if unit:
                if self.unit and self.unit != unit:
                    raise _Skip
                self.unit = unit
            return value.maaneder or value.dage
        if k == "enum" and isinstance(value, str) and value in self.domain:
            return value
        if k == "bool" and type(value) is bool:
            return value
        if k == "text" and isinstance(value, str):
            return value
        raise _Skip

    def show(self, key) -> str:
        k = self.kind
        if k == "date":
            return dt.date.fromordinal(key).isoformat()
        if k == "money":
            return rt.tekst(key, ("beløb",))
        if k == "dec":
            return rt._decimal_tekst(Decimal(key), ",")
        if k == "dur":
            v = rt.Varighed(key, 0) if self.unit != "d" else rt.Varighed(0, key)
            return rt.varighed_tekst(v)
        if k == "bool":
            return "sand" if key else "falsk"
        if k == "text":
            return "en anden tekst" if key is _OTHER else f'"{key}"'
        return str(key)

    def build_segments(self, constants: set) -> None:
        if self.finite:
            values = self.domain if self.domain is not None else [*sorted(constants), _OTHER]
            self.segs = [_Seg(v, v, True, True, v) for v in values]
            return
        points = sorted(constants)
        segs = []
        prev = None
        for p in points:
            if self.discrete:
                lo = None if prev is None else prev + 1
                if lo is None or lo <= p - 1:
                    segs.append(_Seg(lo, p - 1, True, True, p - 1 if lo is None else lo))
            else:
                sample = p - 1 if prev is None else (prev + p) / 2
                segs.append(_Seg(prev, p, False, False, sample))
            segs.append(_Seg(p, p, True, True, p))
            prev = p
        if prev is None:
            zero = dt.date(2000, 1, 1).toordinal() if self.kind == "date" else 0
            segs.append(_Seg(None, None, False, False, zero))
        else:
            segs.append(_Seg(prev + 1 if self.discrete else prev, None, self.discrete, False,
                             prev + 1))
        self.segs = segs

    def describe(self, idxs: list) -> tuple[str, str]:
        """(an example value, the whole range as cell syntax) for segments `idxs`."""
        segs = [self.segs[i] for i in idxs]
        if self.finite:
            shown = [self.show(s.sample) for s in segs]
            return shown[len(shown) // 2 if len(shown) > 2 else 0], ", ".join(shown)
        first, last = segs[0], segs[-1]
        lo, hi = first.lo, last.hi
        # The middle of a bounded range reads as a typical input; an open end its edge.
        if lo is not None and hi is not None:
            sample = lo if lo == hi else (lo + hi) // 2 if self.discrete else (lo + hi) / 2
        elif lo is None and hi is None:
            sample = first.sample
        elif lo is None:
            sample = hi if last.hi_closed else last.sample
        else:
            sample = lo if first.lo_closed else first.sample
        return self.show(sample), self._range(lo, first.lo_closed, hi, last.hi_closed)

    def _range(self, lo, lo_closed, hi, hi_closed) -> str:
        s = self.show
        if lo is None and hi is None:
            return "-"
        if lo is not None and hi is not None and lo == hi:
            return s(lo)
        if lo is None:
            return f"{'<=' if hi_closed else '<'} {s(hi)}"
        if hi is None:
            return f"{'>=' if lo_closed else '>'} {s(lo)}"
        if lo_closed and hi_closed:
            return f"{s(lo)} .. {s(hi)}"
        return f"{'>=' if lo_closed else '>'} {s(lo)} og {'<=' if hi_closed else '<'} {s(hi)}"


_OTHER = object()   # a text no cell mentions


def _const(node, typing) -> object:
    if isinstance(node, ast.Literal):
        return node.value
    if isinstance(node, ast.Unary) and node.op == "neg":
        v = _const(node.operand, typing)
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            return -v
        raise _Skip
    if isinstance(node, ast.Name) and node in typing.enum_values:
        return node.name
    raise _Skip


_CMP = {"=": lambda a, b: a == b, "≠": lambda a, b: a != b, "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _cell_test(node, col: _Column, typing):
    """(predicate on a key, constants it mentions) for one cell."""
    if isinstance(node, ast.CellAny):
        return (lambda _k: True), set()
    if isinstance(node, ast.CellCompare):
        c = col.key(_const(node.value, typing))
        if col.finite and node.op not in ("=", "≠"):
            raise _Skip
        f = _CMP[node.op]
        return (lambda k: k is not _OTHER and f(k, c)) if node.op != "≠" else (
            lambda k: k is _OTHER or f(k, c)), {c}
    if isinstance(node, ast.CellRange):
        if col.finite:
            raise _Skip
        lo, hi = col.key(_const(node.low, typing)), col.key(_const(node.high, typing))
        return (lambda k: lo <= k <= hi), {lo, hi}
    if isinstance(node, ast.CellValues):
        values = {col.key(_const(v, typing)) for v in node.values}
        return (lambda k: k in values), values
    raise _Skip


# --- decision tables -------------------------------------------------------------------------

class _TableCheck:
    def __init__(self, compiled, name, table, diags: Diagnostics):
        self.c, self.name, self.table, self.diags = compiled, name, table, diags
        typing = compiled.typing
        self.cols = []
        for e in table.inputs:
            t = typing.types.get(e.node) if e.node is not None else None
            if t is None:
                raise _Skip
            self.cols.append(_Column(str(e), t, compiled.pack.enums))
        tests = []          # per row, per column: predicate
        constants = [set() for _ in self.cols]
        for row in table.rows:
            if len(row.cells) != len(self.cols) or any(c.node is None for c in row.cells):
                raise _Skip
            preds = []
            for j, cell in enumerate(row.cells):
                pred, consts = _cell_test(cell.node, self.cols[j], typing)
                preds.append(pred)
                constants[j] |= consts
            tests.append(preds)
        for col, consts in zip(self.cols, constants, strict=True):
            col.build_segments(consts)
        # match[r][j]: the segments of column j that row r's cell matches
        self.match = [[frozenset(i for i, s in enumerate(col.segs) if pred(s.sample))
                       for pred, col in zip(preds, self.cols, strict=True)] for preds in tests]

    def run(self):
        rows = self.table.rows
        full = [list(range(len(col.segs))) for col in self.cols]
        live = []
        for r, row in enumerate(rows):
            if any(not m for m in self.match[r]):
                self.diags.warning("table-empty-row", f"række {r + 1} i tabellen `{self.name}` "
                                   "kan aldrig passe: en af dens celler dækker ingen værdi",
                                   row.span)
            else:
                live.append(r)
        if self.table.hit == "unik":
            self.overlaps(live)
        else:
            self.masked(live)
        gaps = self.uncovered(full, live, MAX_SEARCH)
        for gap in gaps[:MAX_GAPS]:
            self.diags.warning("table-gap", f"tabellen `{self.name}` har et hul: ingen række "
                               f"dækker {self.point(gap)}", self.table.span, self.hint(gap))
        if len(gaps) > MAX_GAPS:
            more = f"mindst {len(gaps) - MAX_GAPS}" if len(gaps) >= MAX_SEARCH else str(
                len(gaps) - MAX_GAPS)
            self.diags.warning("table-gap", f"tabellen `{self.name}` har {more} huller mere",
                               self.table.span)

    def point(self, gap) -> str:
        parts = []
        for j, idxs in gap:
            sample, _rng = self.cols[j].describe(idxs)
            parts.append(f"{self.cols[j].name} = {sample}")
        return ", ".join(parts)

    def hint(self, gap) -> str:
        parts = []
        for j, idxs in gap:
            _sample, rng = self.cols[j].describe(idxs)
            parts.append(f"{self.cols[j].name}: {rng}")
        return ("hele hullet: " + "; ".join(parts) + " — tilføj en række, der dækker det, "
                "eller afgræns input, før tabellen bruges")

    def uncovered(self, space, rows, limit) -> list:
        """Regions of `space` (allowed segments per column) no row in `rows` matches."""
        out: list = []

        def go(j, rows, prefix):
            if len(out) >= limit:
                return
            col = self.cols[j]
            groups: list = []       # [(rows matching, [segment indices])]
            for i in space[j]:
                rs = frozenset(r for r in rows if i in self.match[r][j])
                last = groups[-1] if groups else None
                if last and last[0] == rs and (col.finite or last[1][-1] == i - 1):
                    last[1].append(i)
                elif col.finite and (same := next((g for g in groups if g[0] == rs), None)):
                    same[1].append(i)
                else:
                    groups.append((rs, [i]))
            for rs, idxs in groups:
                if not rs:
                    out.append([*prefix, (j, idxs)])
                elif j + 1 < len(self.cols):
                    go(j + 1, sorted(rs), [*prefix, (j, idxs)])
                if len(out) >= limit:
                    return

        go(0, rows, [])
        return out

    def overlaps(self, live):
        for a, b in itertools.combinations(live, 2):
            common = [self.match[a][j] & self.match[b][j] for j in range(len(self.cols))]
            if all(common):
                gap = [(j, [min(c)]) for j, c in enumerate(common)
                       if len(c) < len(self.cols[j].segs)]
                where = f"fx når {self.point(gap)}" if gap else "for alle input"
                self.diags.error("table-overlap", f"rækkerne {a + 1} og {b + 1} i tabellen "
                                 f"`{self.name}` passer begge ({where}), men hitpolitikken er "
                                 "`unik`", self.table.rows[b].span,
                                 "ret grænserne, så højst én række passer, eller brug "
                                 "hitpolitikken `første`, hvis rækkefølgen skal afgøre det")

    def masked(self, live):
        for pos, r in enumerate(live):
            earlier = live[:pos]
            if not earlier:
                continue
            region = [sorted(m) for m in self.match[r]]
            if not self.uncovered(region, earlier, 1):
                takers = [e + 1 for e in earlier
                          if all(self.match[e][j] & self.match[r][j]
                                 for j in range(len(self.cols)))]
                self.diags.warning("table-masked", f"række {r + 1} i tabellen `{self.name}` "
                                   "kan aldrig rammes: " + _rows(takers) + " over den "
                                   "dækker allerede alle dens input (hitpolitik `første`)",
                                   self.table.rows[r].span)


def _rows(nums) -> str:
    if len(nums) == 1:
        return f"række {nums[0]}"
    return "rækkerne " + ", ".join(map(str, nums[:-1])) + f" og {nums[-1]}"


def check_tables(compiled, diags: Diagnostics) -> None:
    for name in sorted(compiled.pack.defs):
        d = compiled.pack.defs[name]
        if d.table is None:
            continue
        try:
            check = _TableCheck(compiled, name, d.table, diags)
        except _Skip:
            continue    # a cell that isn't a constant, or a column type without an axis
        check.run()


# --- parameter histories ---------------------------------------------------------------------

def check_params(compiled, diags: Diagnostics) -> None:
    pack, program = compiled.pack, compiled.program
    for name, p in sorted(pack.params.items()):
        starts = [per.start for per in p.periods]
        if starts != sorted(starts):
            bad = next(per for per, prev in zip(p.periods[1:], p.periods, strict=False)
                       if per.start < prev.start)
            diags.warning("param-order", f"perioderne for parameteren `{name}` står ikke i "
                          "datoorden", bad.span, "skriv dem i rækkefølge efter `gyldig_fra`; "
                          "værdien på en dato er den seneste periode, der er begyndt")
        ir_param = program.params.get(name) if program else None
        if ir_param is None:
            continue
        by_start = {per.start: per for per in p.periods}
        for i in range(1, len(ir_param.dates)):
            per = by_start.get(ir_param.dates[i])
            if (per is not None and per.value is not None and not per.citations
                    and per.note is None and _same(ir_param.values[i], ir_param.values[i - 1])):
                diags.warning("param-same-value", f"perioden fra {per.start.isoformat()} ændrer "
                              f"ikke værdien af `{name}`", per.span,
                              "fjern perioden, eller angiv `kilder` eller `note`, hvis den "
                              "skal stå")
    res = compiled.resolution
    for node in _all_nodes(pack):
        if not (isinstance(node, ast.AtDate) and isinstance(node.date, ast.Literal)
                and isinstance(node.date.value, dt.date)):
            continue
        ref = res.refs.get(node.target)
        if not ref or ref[0] != "param":
            continue
        dates = program.params[ref[1]].dates if program and ref[1] in program.params else ()
        if dates and node.date.value < dates[0]:
            diags.warning("param-before-first", f"parameteren `{ref[1]}` har ingen værdi på "
                          f"{node.date.value.isoformat()}: dens første periode begynder "
                          f"{dates[0].isoformat()}", node.span,
                          "udtrykket er altid ukendt; tilføj en tidligere periode")


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _all_nodes(pack):
    def exprs_of(excs):
        for e in excs:
            yield e.when
            if e.value is not None:
                yield e.value
            yield from exprs_of(e.subs)

    for d in pack.defs.values():
        exprs = [d.value] if d.value is not None else []
        if d.table is not None:
            exprs += d.table.inputs + [row.result for row in d.table.rows]
        for e in [*exprs, *exprs_of(d.exceptions)]:
            if e is not None and e.node is not None:
                yield from ast.walk(e.node)
    for r in pack.rules.values():
        for e in [r.applies, r.requirement, *exprs_of(r.exceptions)]:
            if e is not None and e.node is not None:
                yield from ast.walk(e.node)


# --- exceptions ------------------------------------------------------------------------------

def _truth(node):
    """The constant truth value of a condition, or None when it depends on the case."""
    if isinstance(node, ast.Literal) and node.kind == "bool":
        return node.value
    if isinstance(node, ast.Unary) and node.op == "not":
        v = _truth(node.operand)
        return None if v is None else not v
    if isinstance(node, ast.Binary) and node.op in ("and", "or"):
        a, b = _truth(node.left), _truth(node.right)
        if node.op == "and":
            return False if False in (a, b) else True if a is True and b is True else None
        return True if True in (a, b) else False if a is False and b is False else None
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Literal) and isinstance(
            node.right, ast.Literal):
        try:
            return bool(_CMP[node.op](node.left.value, node.right.value))
        except TypeError:
            return None
    return None


def _conjuncts(node) -> list:
    if isinstance(node, ast.Binary) and node.op == "and":
        return _conjuncts(node.left) + _conjuncts(node.right)
    return [node]


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "≠": "≠"}


def _axis_key(v):
    """A number on one axis per kind, for comparing constants in conditions."""
    if isinstance(v, bool):
        return None
    if isinstance(v, dt.date):
        return ("dato", Decimal(v.toordinal()))
    if isinstance(v, (int, Decimal)):
        return ("tal", Decimal(v))
    if isinstance(v, rt.Varighed):
        if not v.dage:
            return ("måneder", Decimal(v.maaneder))
        if not v.maaneder:
            return ("dage", Decimal(v.dage))
    return None


def _atom(node, typing):
    """One conjunct, normalised: ('cmp', subject, axis, intervals), ('set', subject, values,
    negated), ('known', subject, known), ('not', operand shape) or ('opaque', shape)."""
    if isinstance(node, ast.Compare):
        left, right, op = node.left, node.right, node.op
        try:
            c = _const(right, typing)
        except _Skip:
            try:
                c = _const(left, typing)
            except _Skip:
                return ("opaque", shape(node))
            left, op = right, _FLIP[op]
        k = _axis_key(c)
        if k is None:
            if op in ("=", "≠") and isinstance(c, (str, bool)):
                return ("set", shape(left), frozenset([c]), op == "≠")
            return ("opaque", shape(node))
        x = k[1]
        ivs = {"<": [(None, False, x, False)], "<=": [(None, False, x, True)],
               ">": [(x, False, None, False)], ">=": [(x, True, None, False)],
               "=": [(x, True, x, True)],
               "≠": [(None, False, x, False), (x, False, None, False)]}[op]
        return ("cmp", shape(left), k[0], ivs)
    if isinstance(node, ast.Member) and isinstance(node.collection, ast.ListLit):
        try:
            values = frozenset(_const(v, typing) for v in node.collection.items)
        except _Skip:
            return ("opaque", shape(node))
        return ("set", shape(node.item), values, False)
    if isinstance(node, ast.IsKnown):
        return ("known", shape(node.operand), node.known)
    if isinstance(node, ast.Unary) and node.op == "not":
        return ("not", shape(node.operand))
    return ("opaque", shape(node))


def _in(ivs, x) -> bool:
    for lo, loc, hi, hic in ivs:
        if lo is not None and (x < lo or (x == lo and not loc)):
            continue
        if hi is not None and (x > hi or (x == hi and not hic)):
            continue
        return True
    return False


def _samples(*ivss):
    points = sorted({p for ivs in ivss for lo, _a, hi, _b in ivs for p in (lo, hi)
                     if p is not None})
    if not points:
        return [Decimal(0)]
    out = [points[0] - 1, points[-1] + 1]
    for a, b in itertools.pairwise(points):
        out.append((a + b) / 2)
    return out + points


def _implies(a, b) -> bool:
    """Atom a true ⇒ atom b true (False when unsure)."""
    if a == b:
        return True
    if a[0] == b[0] == "cmp" and a[1] == b[1] and a[2] == b[2]:
        return all(_in(b[3], x) for x in _samples(a[3], b[3]) if _in(a[3], x))
    if a[0] == b[0] == "set" and a[1] == b[1]:
        (_, _, va, nota), (_, _, vb, notb) = a, b
        if not nota and not notb:
            return va <= vb
        if not nota and notb:
            return not (va & vb)
        if nota and notb:
            return vb <= va
    # a comparison or membership that holds needs a known subject
    return a[0] in ("cmp", "set") and b[0] == "known" and b[2] and a[1] == b[1]


def _disjoint(a, b) -> bool:
    """Atoms a and b can never both be true (False when unsure); `ikke X` is _Cond's job."""
    if a[0] == b[0] == "known" and a[1] == b[1]:
        return a[2] != b[2]
    for x, y in ((a, b), (b, a)):
        if x[0] == "known" and not x[2] and y[0] in ("cmp", "set") and y[1] == x[1]:
            return True    # "er ukendt" and a comparison that holds can't meet
    if a[0] == b[0] == "cmp" and a[1] == b[1] and a[2] == b[2]:
        return not any(_in(a[3], x) and _in(b[3], x) for x in _samples(a[3], b[3]))
    if a[0] == b[0] == "set" and a[1] == b[1]:
        (_, _, va, nota), (_, _, vb, notb) = a, b
        if not nota and not notb:
            return not (va & vb)
        if not nota and notb:
            return va <= vb
        if nota and not notb:
            return vb <= va
    return False


class _Cond:
    """A condition as a conjunction of atoms."""

    def __init__(self, node, typing):
        self.node = node
        self.shape = shape(node)
        self.atoms = [_atom(n, typing) for n in _conjuncts(node)]
        # `ikke X` must be matched against X's own shape, whatever kind X's atom is
        self.plain = [shape(n) for n in _conjuncts(node)]

    def implies(self, other: _Cond) -> bool:
        return all(any(_implies(a, b) for a in self.atoms) for b in other.atoms)

    def excludes(self, other: _Cond) -> bool:
        for a, pa in zip(self.atoms, self.plain, strict=True):
            for b, pb in zip(other.atoms, other.plain, strict=True):
                if _disjoint(a, b):
                    return True
                if (a[0] == "not" and a[1] == pb) or (b[0] == "not" and b[1] == pa):
                    return True
        return False


def check_exceptions(compiled, diags: Diagnostics) -> None:
    typing = compiled.typing

    def cond(e):
        return _Cond(e.node, typing) if e is not None and e.node is not None else None

    def visit(excs, parent: _Cond | None, parent_what: str):
        conds = [cond(e.when) for e in excs]
        for i, (e, c) in enumerate(zip(excs, conds, strict=True)):
            if c is None:
                continue
            truth = _truth(c.node)
            if truth is False:
                diags.warning("exception-dead", f"undtagelsen `{e.id}` kan aldrig gælde: "
                              "dens betingelse er altid falsk", e.when.span)
            elif truth is True:
                diags.warning("exception-always", f"undtagelsen `{e.id}` gælder altid, så "
                              "hovedreglen bruges aldrig", e.when.span,
                              "skriv reglen om, så undtagelsens værdi er hovedreglen")
            elif parent is not None and c.excludes(parent):
                diags.warning("exception-dead", f"undtagelsen `{e.id}` kan aldrig få "
                              f"betydning: den kan kun gælde, når {parent_what} ikke gør",
                              e.when.span)
            else:
                others = [(j, f, d) for j, (f, d) in enumerate(zip(excs, conds, strict=True))
                          if j != i and d is not None and _truth(d.node) is None]
                twin = next((f for j, f, d in others if j < i and d.shape == c.shape), None)
                wider = next((f for _j, f, d in others if d.shape != c.shape and c.implies(d)),
                             None)
                if twin is not None:
                    diags.warning("exception-shadowed", f"undtagelsen `{e.id}` har samme "
                                  f"betingelse som `{twin.id}`: de gælder altid samtidig, og "
                                  "resultatet er en konflikt", e.when.span)
                elif wider is not None:
                    diags.warning("exception-shadowed", f"undtagelsen `{e.id}` kan aldrig "
                                  f"gælde alene: når den gælder, gælder `{wider.id}` også, og "
                                  "resultatet er en konflikt", e.when.span,
                                  f"gør den til en undtagelse under `{wider.id}`, eller "
                                  "afgræns betingelserne, så de udelukker hinanden")
            visit(e.subs, c, f"undtagelsen `{e.id}`, som den hører under,")

    for rid in sorted(compiled.pack.rules):
        r = compiled.pack.rules[rid]
        visit(r.exceptions, cond(r.applies), f"reglen `{rid}` (dens `gælder_når`)")
    for name in sorted(compiled.pack.defs):
        visit(compiled.pack.defs[name].exceptions, None, "")


def analyse(compiled, diags: Diagnostics) -> None:
    """Every check in this module (called from `analysis.analyse_pack`)."""
    check_tables(compiled, diags)
    check_params(compiled, diags)
    check_exceptions(compiled, diags)
