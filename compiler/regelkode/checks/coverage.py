"""Rule coverage: which outcomes the pack's examples exercised.

In: a `Compiled` pack that compiled. Every rule and definition example is run
through the reference interpreter with a recorder (`interpret.Recorder`).
Out: `measure(compiled) -> Coverage`, a list of coverage items per rule,
definition and parameter, each hit or not:

- a rule's `gælder_når` true and false, and its `krav` met and not met
  (everything inside `krav` and the rule's exceptions counts only in an
  example where the rule applies: otherwise it decides nothing);
- every condition (`og`, `eller`, `ikke`, comparisons, `i`, `er kendt`)
  both true and false;
- both branches of every `hvis … så … ellers`;
- every exception both applied and not applied;
- every decision-table row hit (the row that gave the table its value);
- every period of a parameter that a rule or definition reads.

Only the pack's own layer counts (its examples are the ones `examples.collect`
runs): for a rule or definition of a pack it extends, only the exceptions
this layer adds to it.

`coverage_report(compiled, fmt, stream) -> bool` prints it (a text table,
one JSON object per line, or the table plus a GitHub annotation) and says
whether the pack's threshold (`dækning: minimum` in pakke.yaml) is met.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .. import runtime as rt
from ..diagnostics import Diagnostic as _Diagnostic
from ..diagnostics import Span, to_github
from ..front import ast
from ..ir import interpret

CONDITION_OPS = {"and", "or"}


@dataclass
class Item:
    kind: str                 # regel | definition | parameter
    owner: str
    what: str                 # Danish: what must happen for the item to count
    span: Span | None
    hit: bool = False


@dataclass
class Owner:
    kind: str
    name: str
    span: Span | None
    items: list = field(default_factory=list)

    @property
    def covered(self) -> int:
        return sum(1 for i in self.items if i.hit)

    @property
    def total(self) -> int:
        return len(self.items)


@dataclass
class Coverage:
    pack: str
    owners: list
    examples: int
    minimum: Decimal | None
    minimum_problem: str | None = None

    @property
    def items(self) -> list:
        return [i for o in self.owners for i in o.items]

    @property
    def covered(self) -> int:
        return sum(o.covered for o in self.owners)

    @property
    def total(self) -> int:
        return sum(o.total for o in self.owners)

    @property
    def ratio(self) -> Decimal:
        # A pack with nothing to cover is fully covered: there is nothing to miss.
        return Decimal(self.covered) / Decimal(self.total) if self.total else Decimal(1)

    @property
    def ok(self) -> bool:
        if self.minimum_problem:
            return False
        return self.minimum is None or self.ratio >= self.minimum


# --- the recorder --------------------------------------------------------------------------

class _Recorder(interpret.Recorder):
    """Collects outcomes keyed by id() of the AST node: the IR holds the model's own nodes.

    The interpreter evaluates a rule's `krav` even when the rule doesn't
    apply, but then nothing in it decides anything. So events are held until
    the rule's `saw_rule`, and those inside its `krav` (and its exceptions)
    only count when it applies.
    """

    def __init__(self, hit_policies: dict, krav_nodes: dict, krav_exceptions: dict):
        self.values: dict[int, set] = {}
        self.exceptions: dict[str, set] = {}
        self.rows: dict[str, set] = {}
        self.applies: dict[str, set] = {}
        self.requirements: dict[str, set] = {}
        self.param_dates: dict[str, set] = {}
        self.hit_policies = hit_policies
        self.krav_nodes = krav_nodes              # rule id -> ids of nodes in krav
        self.krav_exceptions = krav_exceptions    # rule id -> exception ids
        self.pending: list = []

    def saw(self, node, value):
        if value is True or value is False:
            self.pending.append((True, id(node), value))

    def flush(self, rid=None, applies=True):
        nodes = self.krav_nodes.get(rid, ())
        excs = self.krav_exceptions.get(rid, ())
        for is_node, key, value in self.pending:
            if applies is not True and (key in nodes if is_node else key in excs):
                continue
            target = self.values if is_node else self.exceptions
            target.setdefault(key, set()).add(value)
        self.pending.clear()

    def saw_table(self, name, conds):
        row = _row_hit(self.hit_policies.get(name, "unik"), conds)
        if row is not None:
            self.rows.setdefault(name, set()).add(row)

    def saw_exception(self, uid, when):
        if when is True or when is False:
            self.pending.append((False, uid, when))

    def saw_rule(self, rid, applies, requirement):
        self.flush(rid, applies)
        if applies is True or applies is False:
            self.applies.setdefault(rid, set()).add(applies)
        if applies is True and (requirement is True or requirement is False):
            self.requirements.setdefault(rid, set()).add(requirement)

    def saw_param(self, name, date):
        if isinstance(date, dt.date):
            self.param_dates.setdefault(name, set()).add(date)


def _row_hit(hit: str, conds) -> int | None:
    """The row that gave the table its value, by the same rules as `runtime.op_tabel`."""
    if hit == "første":
        for i, c in enumerate(conds):
            if c is True:
                return i
            if c is not False:   # an unknown row before it: the table's value is unknown
                return None
        return None
    trues = [i for i, c in enumerate(conds) if c is True]
    if len(trues) == 1 and all(c is True or c is False for c in conds):
        return trues[0]
    return None


# --- what there is to cover ----------------------------------------------------------------

class _Items:
    """Builds the coverage items of one pack, with a check for each."""

    def __init__(self, compiled, rec: _Recorder):
        self.c = compiled
        self.rec = rec
        self.owners: list[Owner] = []
        self.owner: Owner | None = None

    def add(self, what: str, span, hit: bool):
        self.owner.items.append(Item(self.owner.kind, self.owner.name, what, span, hit))

    def text(self, node) -> str:
        return _short(formal(node))

    def expr(self, node, skip: set):
        """Condition and branch items of an expression; `skip` holds nodes covered elsewhere."""
        if node is None:
            return
        conds = {id(n) for n in ast.walk(node) if _is_condition(n)}
        for n in ast.walk(node):
            if isinstance(n, ast.If):
                seen = self.rec.values.get(id(n.cond), set())
                where = f"`hvis {self.text(n.cond)}`"
                self.add(f"{where}: så-grenen", n.span, True in seen)
                self.add(f"{where}: ellers-grenen", n.span, False in seen)
                skip = skip | {id(n.cond)}
        for n in ast.walk(node):
            if not _is_condition(n) or id(n) in skip:
                continue
            if isinstance(n, ast.Unary) and id(n.operand) in conds:
                continue    # `ikke X` is true exactly when X is false: X's items say it all
            seen = self.rec.values.get(id(n), set())
            self.add(f"betingelsen `{self.text(n)}` er sand", n.span, True in seen)
            self.add(f"betingelsen `{self.text(n)}` er falsk", n.span, False in seen)

    def exceptions(self, excs):
        for e in excs:
            seen = self.rec.exceptions.get(e.id, set())
            self.add(f"undtagelsen `{e.id}` gælder", e.span, True in seen)
            self.add(f"undtagelsen `{e.id}` gælder ikke", e.span, False in seen)
            self.expr(e.when.node, {id(e.when.node)})
            if e.value is not None:
                self.expr(e.value.node, set())
            self.exceptions(e.subs)

    def base_exceptions(self, kind, name, decl) -> None:
        """A base-layer declaration: only the exceptions this pack's layer adds to it."""
        own = [e for e in decl.exceptions if e.layer == self.c.pack.id]
        if own:
            self.owner = Owner(kind, name, decl.span)
            self.owners.append(self.owner)
            self.exceptions(own)

    def build(self) -> list[Owner]:
        pack, res = self.c.pack, self.c.resolution
        # A pack answers for its own layer, as its examples do (examples.collect):
        # the packs it extends measure their own declarations.
        for rid in sorted(pack.rules):
            r = pack.rules[rid]
            if r.layer != pack.id:
                self.base_exceptions("regel", rid, r)
                continue
            self.owner = Owner("regel", rid, r.span)
            self.owners.append(self.owner)
            skip: set = set()
            if r.applies is not None and r.applies.node is not None:
                seen = self.rec.applies.get(rid, set())
                self.add("`gælder_når` er sand", r.applies.span, True in seen)
                self.add("`gælder_når` er falsk", r.applies.span, False in seen)
                skip.add(id(r.applies.node))
                self.expr(r.applies.node, skip)
            seen = self.rec.requirements.get(rid, set())
            self.add("`krav` er opfyldt (når reglen gælder)", r.requirement.span, True in seen)
            self.add("`krav` er ikke opfyldt (når reglen gælder)", r.requirement.span,
                     False in seen)
            if not r.exceptions and r.requirement.node is not None:
                skip.add(id(r.requirement.node))
            if r.requirement.node is not None:
                self.expr(r.requirement.node, skip)
            self.exceptions(r.exceptions)
        for name in sorted(pack.defs):
            d = pack.defs[name]
            if d.layer != pack.id:
                self.base_exceptions("definition", name, d)
                continue
            self.owner = Owner("definition", name, d.span)
            self.owners.append(self.owner)
            if d.value is not None:
                self.expr(d.value.node, set())
            if d.table is not None:
                for e in d.table.inputs:
                    self.expr(e.node, set())
                hit_rows = self.rec.rows.get(name, set())
                for i, row in enumerate(d.table.rows):
                    cells = ", ".join(str(c) for c in row.cells)
                    self.add(f"række {i + 1} ({cells}) rammes", row.span, i in hit_rows)
                    self.expr(row.result.node, set())
            self.exceptions(d.exceptions)
        read_by_rules = {name for item, deps in res.deps.items() if item[0] in ("rule", "def")
                         for kind, name in deps if kind == "param"}
        for name in sorted(read_by_rules):
            p = self.c.program.params.get(name)
            if p is None:
                continue
            decl = pack.params[name]
            if decl.layer != pack.id:
                continue
            self.owner = Owner("parameter", name, decl.span)
            self.owners.append(self.owner)
            used = {bisect.bisect_right(p.dates, d) - 1
                    for d in self.rec.param_dates.get(name, ())}
            spans = {per.start: per.span for per in decl.periods}
            for i, start in enumerate(p.dates):
                self.add(f"perioden fra {start.isoformat()} bruges", spans.get(start, decl.span),
                         i in used)
        return [o for o in self.owners if o.items]


def _is_condition(n) -> bool:
    return (isinstance(n, ast.Binary) and n.op in CONDITION_OPS) or (
        isinstance(n, ast.Unary) and n.op == "not") or isinstance(
        n, (ast.Compare, ast.Member, ast.IsKnown))


_BIN = {"or": ("eller", 1), "and": ("og", 2), "add": ("+", 6), "sub": ("-", 6),
        "mul": ("×", 7), "div": ("/", 7)}


def formal(node, need: int = 0) -> str:
    """An AST as formal text (the grammar's precedence; parentheses only where needed).

    Rebuilt from the tree rather than cut from the file, so it works whatever
    folder the pack was compiled from.
    """
    text, level = _formal(node)
    return f"({text})" if level < need else text


def _formal(n) -> tuple[str, int]:
    f = formal
    if isinstance(n, ast.Literal):
        return n.text, 10
    if isinstance(n, ast.Name):
        return (f"ydre {n.name}" if n.outer else n.name), 10
    if isinstance(n, ast.Field):
        return f"{f(n.obj, 9)}.{n.name}", 9
    if isinstance(n, ast.Unary):
        if n.op == "not":
            return f"ikke {f(n.operand, 3)}", 3
        return f"-{f(n.operand, 8)}", 8
    if isinstance(n, ast.Binary):
        word, level = _BIN[n.op]
        return f"{f(n.left, level)} {word} {f(n.right, level + 1)}", level
    if isinstance(n, ast.Compare):
        return f"{f(n.left, 5)} {n.word} {f(n.right, 5)}", 4
    if isinstance(n, ast.Member):
        return f"{f(n.item, 5)} i {f(n.collection, 5)}", 4
    if isinstance(n, ast.IsKnown):
        return f"{f(n.operand, 5)} er {'kendt' if n.known else 'ukendt'}", 4
    if isinstance(n, ast.If):
        return f"hvis {f(n.cond)} så {f(n.then)} ellers {f(n.else_)}", 0
    if isinstance(n, ast.ListLit):
        return "(" + ", ".join(f(i) for i in n.items) + ")", 10
    if isinstance(n, ast.AtDate):
        return f"{f(n.target, 9)} på {f(n.date, 10)}", 9
    if isinstance(n, ast.RoundKr):
        return f"{f(n.operand, 5)} afrundet til hele kroner", 5
    if isinstance(n, ast.Aggregate):
        head = n.kind if n.kind != "summen" else "summen af"
        text = (f"{head} {n.field} i {n.list_name}" if n.field is not None
                else f"{head} {n.list_name}")
        if n.where is not None:
            w = n.where
            if isinstance(w, ast.Name):
                q = w.name
            elif isinstance(w, ast.Unary) and w.op == "not" and isinstance(w.operand, ast.Name):
                q = f"ikke {w.operand.name}"
            else:
                q = f"({f(w)})"
            text += f" hvor {q}"
        return text, 10
    if isinstance(n, ast.Builtin):
        args = [f(a, 6) for a in n.args]
        if n.kind in ("hele_år", "hele_måneder", "dage"):
            # `til b` takes a whole sum, so anything after it would be read into b
            return f"{n.word} {args[0]} til {args[1]}", 0
        return f"{n.word} (" + ", ".join(f(a) for a in n.args) + ")", 10
    if isinstance(n, ast.CellAny):
        return "-", 10
    if isinstance(n, ast.CellCompare):
        return f"{n.word} {f(n.value, 6)}", 10
    if isinstance(n, ast.CellRange):
        return f"{f(n.low, 6)} .. {f(n.high, 6)}", 10
    if isinstance(n, ast.CellValues):
        return ", ".join(f(v, 6) for v in n.values), 10
    return type(n).__name__, 10


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "…"


# --- measuring and reporting ---------------------------------------------------------------

def _minimum(raw) -> tuple[Decimal | None, str | None]:
    if raw is None:
        return None, None
    text = str(raw).strip().replace(",", ".")
    percent = text.endswith("%")
    try:
        number = text.rstrip("%").strip()
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", number):
            raise InvalidOperation      # Decimal() would also read other scripts' digits
        value = Decimal(number)
    except InvalidOperation:
        return None, f"`dækning: minimum: {raw}` er ikke et tal (skriv fx 0.8)"
    if percent or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        return None, f"`dækning: minimum: {raw}` skal ligge mellem 0 og 1 (fx 0.8)"
    return value, None


def measure(compiled) -> Coverage:
    """Run every example of `compiled` on the interpreter and collect its coverage."""
    from .examples import collect
    pack = compiled.pack
    krav_nodes, krav_excs = {}, {}
    for rid, r in pack.rules.items():
        exprs = [r.requirement]
        stack = list(r.exceptions)
        while stack:
            e = stack.pop()
            krav_excs.setdefault(rid, set()).add(e.id)
            exprs += [e.when, e.value]
            stack.extend(e.subs)
        krav_nodes[rid] = {id(n) for x in exprs if x is not None and x.node is not None
                           for n in ast.walk(x.node)}
    rec = _Recorder({n: d.table.hit for n, d in pack.defs.items() if d.table is not None},
                    krav_nodes, krav_excs)
    examples = collect(compiled)
    run = 0
    for ex in examples:
        if ex.problem:
            continue
        try:
            interpret.evaluate(compiled.program, ex.case, dato=ex.date, forklaring=False,
                               recorder=rec)
        except rt.SagFejl:
            rec.pending.clear()
            continue   # a bad example case is reported by `regelkode test`; it covers nothing
        rec.flush()     # a pack without rules still has its definitions' events pending
        run += 1
    minimum, problem = _minimum(pack.coverage_min)
    return Coverage(pack.id, _Items(compiled, rec).build(), run, minimum, problem)


def _pct(x: Decimal) -> str:
    return f"{(x * 100).quantize(Decimal('0.1'))} %".replace(".", ",")


def to_text(cov: Coverage) -> str:
    lines = [f"Regeldækning for {cov.pack}: {cov.covered}/{cov.total} ({_pct(cov.ratio)}) "
             f"med {cov.examples} eksempler"]
    if cov.minimum_problem:
        lines.append(f"  fejl: {cov.minimum_problem}")
    elif cov.minimum is not None:
        mark = "opfyldt" if cov.ok else "IKKE opfyldt"
        lines.append(f"  minimum {_pct(cov.minimum)}: {mark}")
    lines.append("")
    width = max([len(o.name) for o in cov.owners] + [4])
    lines.append(f"  {'dækning':>8}  {'art':<10}  {'navn':<{width}}  dækket")
    for o in cov.owners:
        ratio = Decimal(o.covered) / Decimal(o.total)
        lines.append(f"  {_pct(ratio):>8}  {o.kind:<10}  {o.name:<{width}}  {o.covered}/{o.total}")
        for i in o.items:
            if not i.hit:
                where = f" ({i.span.file}:{i.span.line})" if i.span else ""
                lines.append(f"  {'':>8}  {'':<10}  mangler: {i.what}{where}")
    return "\n".join(lines)


def to_data(cov: Coverage) -> dict:
    def item(i: Item) -> dict:
        out = {"beskrivelse": i.what}
        if i.span:
            out.update(fil=i.span.file, linje=i.span.line, kolonne=i.span.column)
        return out

    return {
        "pakke": cov.pack, "dækket": cov.covered, "i_alt": cov.total,
        "andel": float(round(cov.ratio, 4)),
        "minimum": float(cov.minimum) if cov.minimum is not None else None,
        "ok": cov.ok, "fejl": cov.minimum_problem, "eksempler": cov.examples,
        "elementer": [{"art": o.kind, "navn": o.name, "dækket": o.covered, "i_alt": o.total,
                       "mangler": [item(i) for i in o.items if not i.hit]}
                      for o in cov.owners],
    }


def coverage_report(compiled, fmt: str, stream) -> bool:
    """Print `compiled`'s coverage in `fmt` (text | json | github); False if below the minimum."""
    cov = measure(compiled)
    if fmt == "json":
        # One object per line, so several packs still give parseable output (JSON Lines).
        print(json.dumps(to_data(cov), ensure_ascii=False), file=stream)
        return cov.ok
    print(to_text(cov), file=stream)
    if fmt == "github":
        span = Span(f"{compiled.pack.source.display}/pakke.yaml", 1, 1)
        if cov.minimum_problem:
            diag = _Diagnostic("error", "coverage", cov.minimum_problem, span)
        elif not cov.ok:
            diag = _Diagnostic("error", "coverage", f"regeldækningen {_pct(cov.ratio)} er under "
                               f"minimum {_pct(cov.minimum)}", span)
        else:
            diag = None
        if diag is not None:
            print(to_github([diag]), file=stream)
    return cov.ok
