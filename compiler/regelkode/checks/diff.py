"""Semantic diff of rule packs: what a change does, not how its text moved.

In: two sides, each a folder (a `rules/` root or one pack folder) or a git
revision. A revision is read with `git archive` into a temporary folder; the
working tree and the index are never touched.
Out: per pack (`PackDiff`):

- declarations added, removed or changed, as structure: pack manifest,
  types, facts, parameters (type, unit, citations, each period's value or
  formula and the value it computes), definitions (value, decision-table
  rows, exceptions, citations, examples) and rules (title, area, severity,
  `gælder_når`, `krav`, message, citations, exceptions, examples).
  Expressions are compared as syntax trees without positions or spelling
  (`er mindst` = `>=`, reformatting and comments don't count), and shown as
  old/new formal text;
- behaviour: every example of either version and every sample case
  (`sager/*.json`) of either version is evaluated on both versions with the
  reference interpreter; the ones whose outcome differs are listed, with the
  example's expectation.

Rendered as text, Markdown (a pull-request comment), JSON or GitHub
annotations. `register(subparsers)` adds `regelkode diff`;
`changes_markdown(pack_dir, base_rev)` renders the site's "Ændringer" page.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import files
from .. import runtime as rt
from ..diagnostics import Span
from ..front.load import to_plain
from ..front.parse_errors import read_json_file
from ..ir import interpret
from .revisions import DiffError, Side, _rename_spans
from .tables import shape

# --- the result ------------------------------------------------------------------------------

@dataclass
class Change:
    kind: str                 # pakke | type | faktum | parameter | definition | regel
    id: str
    action: str               # tilføjet | fjernet | ændret
    details: list = field(default_factory=list)     # (what, old text | None, new text | None)
    span: Span | None = None


@dataclass
class OutcomeChange:
    source: str               # eksempel | sag
    id: str                   # file::owner::example, or the case's name
    item: str                 # "regel x" / "definition y"
    old: str
    new: str
    expected: str | None = None
    new_ok: bool | None = None
    span: Span | None = None


@dataclass
class PackDiff:
    id: str
    status: str               # tilføjet | fjernet | ændret | uændret
    changes: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    evaluated: int = 0
    notes: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)      # "gammel"/"ny" -> [Diagnostic]


# --- structure -------------------------------------------------------------------------------

def _text(e) -> str | None:
    return None if e is None else str(e)


def _same_expr(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if a.node is None or b.node is None:
        return str(a) == str(b)
    return shape(a.node) == shape(b.node)


def _cite_key(c) -> tuple:
    return (c.kind, c.lov, c.paragraf, c.stk, c.nr, c.pkt, c.dokument, c.afsnit, c.citat)


def _cite_text(c) -> str:
    return c.label() + (f" »{c.citat}«" if c.citat else "")


def _citations(details, what, old, new):
    ok = {_cite_key(c): c for c in old}
    nk = {_cite_key(c): c for c in new}
    for k, c in ok.items():
        if k not in nk:
            details.append((what, _cite_text(c), None))
    for k, c in nk.items():
        if k not in ok:
            details.append((what, None, _cite_text(c)))


def _field(details, what, old, new):
    if old != new:
        details.append((what, None if old is None else str(old), None if new is None else str(new)))


def _expr_field(details, what, old, new):
    if not _same_expr(old, new):
        details.append((what, _text(old), _text(new)))


def _examples(details, old, new):
    om = {e.name: e for e in old}
    nm = {e.name: e for e in new}
    for name, e in om.items():
        if name not in nm:
            details.append((f"eksempel `{name}`", f"forventet {e.expected}", None))
    for name, e in nm.items():
        if name not in om:
            details.append((f"eksempel `{name}`", None, f"forventet {e.expected}"))
            continue
        o = om[name]
        _field(details, f"eksempel `{name}`: forventet", o.expected, e.expected)
        _field(details, f"eksempel `{name}`: dato", o.date, e.date)
        _field(details, f"eksempel `{name}`: sag", o.case_ref, e.case_ref)
        og, ng = to_plain(o.given), to_plain(e.given)
        keys = sorted(k for k in set(og) | set(ng) if og.get(k, _NONE) != ng.get(k, _NONE))
        if keys:    # only the facts that differ, so a long case stays readable
            details.append((f"eksempel `{name}`: givet",
                            json.dumps({k: og[k] for k in keys if k in og}, ensure_ascii=False),
                            json.dumps({k: ng[k] for k in keys if k in ng}, ensure_ascii=False)))


_NONE = object()


def _flat_exceptions(excs, parent=None, out=None) -> dict:
    out = {} if out is None else out
    for e in excs:
        out[e.id] = (e, parent)
        _flat_exceptions(e.subs, e.id, out)
    return out


def _exceptions(details, old, new):
    om, nm = _flat_exceptions(old), _flat_exceptions(new)
    for uid, (e, _p) in om.items():
        if uid not in nm:
            details.append((f"undtagelse `{uid}`", f"hvis {e.when}", None))
    for uid, (e, parent) in nm.items():
        if uid not in om:
            details.append((f"undtagelse `{uid}`", None, f"hvis {e.when}"))
            continue
        o, oparent = om[uid]
        _expr_field(details, f"undtagelse `{uid}`: hvis", o.when, e.when)
        _expr_field(details, f"undtagelse `{uid}`: værdi", o.value, e.value)
        _field(details, f"undtagelse `{uid}`: hører under", oparent, parent)
        _citations(details, f"undtagelse `{uid}`: kilde", o.citations, e.citations)


def _row_text(row) -> str:
    return ", ".join(str(c) for c in row.cells) + f" → {row.result}"


def _row_shape(row):
    return (tuple(shape(c.node) if c.node is not None else str(c) for c in row.cells),
            shape(row.result.node) if row.result.node is not None else str(row.result))


def _table(details, old, new):
    if old is None or new is None:
        if old is not new:
            details.append(("tabel", "tabel" if old else None, "tabel" if new else None))
        return
    _field(details, "tabel: hitpolitik", old.hit, new.hit)
    oi = [str(e) for e in old.inputs]
    ni = [str(e) for e in new.inputs]
    if [shape(e.node) for e in old.inputs] != [shape(e.node) for e in new.inputs]:
        details.append(("tabel: input", ", ".join(oi), ", ".join(ni)))
    a = [_row_shape(r) for r in old.rows]
    b = [_row_shape(r) for r in new.rows]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        olds, news = old.rows[i1:i2], new.rows[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            num = (j1 + k + 1) if n is not None else (i1 + k + 1)
            details.append((f"tabel: række {num}", _row_text(o) if o else None,
                            _row_text(n) if n else None))


def _param_value(c, name, start):
    p = c.program.params.get(name) if c is not None and c.program is not None else None
    if p is None or start not in p.dates:
        return None
    i = p.dates.index(start)
    return rt.tekst(p.values[i], p.desc)


def _params(details, name, old, new, oc, nc):
    _field(details, "type", old.type_text, new.type_text)
    _field(details, "enhed", old.unit, new.unit)
    _citations(details, "kilde", old.citations, new.citations)
    op = {p.start: p for p in old.periods}
    np_ = {p.start: p for p in new.periods}
    for start in sorted(set(op) | set(np_)):
        o, n = op.get(start), np_.get(start)
        what = f"periode fra {start.isoformat()}"
        if o is None or n is None:
            per = n or o
            shown = (f"beregnet: {per.computed}" if per.computed is not None
                     else str(per.value))
            value = _param_value(nc if n else oc, name, start)
            if value is not None and per.computed is not None:
                shown += f" (= {value})"
            details.append((what, None if n else shown, shown if n else None))
            continue
        oe, ne = o.value or o.computed, n.value or n.computed
        ov, nv = _param_value(oc, name, start), _param_value(nc, name, start)
        if not _same_expr(oe, ne) or (o.computed is None) != (n.computed is None):
            ot = f"beregnet: {o.computed}" if o.computed is not None else str(o.value)
            nt = f"beregnet: {n.computed}" if n.computed is not None else str(n.value)
            if o.computed is not None and ov is not None:
                ot += f" (= {ov})"
            if n.computed is not None and nv is not None:
                nt += f" (= {nv})"
            details.append((what, ot, nt))
        elif ov is not None and nv is not None and ov != nv:
            # Same formula, different result: an earlier period it builds on changed.
            details.append((f"{what}: beregnet værdi", ov, nv))
        _citations(details, f"{what}: kilde", o.citations, n.citations)


def _rule(details, old, new):
    _field(details, "titel", old.title, new.title)
    _field(details, "område", old.area, new.area)
    _field(details, "alvor", old.severity, new.severity)
    _expr_field(details, "gælder_når", old.applies, new.applies)
    _expr_field(details, "krav", old.requirement, new.requirement)
    _field(details, "meddelelse", str(old.message), str(new.message))
    _citations(details, "kilde", old.citations, new.citations)
    _exceptions(details, old.exceptions, new.exceptions)
    _examples(details, old.examples, new.examples)


def _definition(details, old, new):
    _field(details, "titel", old.title, new.title)
    _field(details, "type", old.type_text, new.type_text)
    _expr_field(details, "værdi", old.value, new.value)
    _table(details, old.table, new.table)
    _citations(details, "kilde", old.citations, new.citations)
    _exceptions(details, old.exceptions, new.exceptions)
    _examples(details, old.examples, new.examples)


def _fact(details, old, new):
    _field(details, "type", old.type_text, new.type_text)
    _field(details, "beskrivelse", old.description, new.description)
    _field(details, "enhed", old.unit, new.unit)


def _type(details, old, new):
    if old.values is not None or new.values is not None:
        ov, nv = list(old.values or ()), list(new.values or ())
        for v in ov:
            if v not in nv:
                details.append(("værdi", v, None))
        for v in nv:
            if v not in ov:
                details.append(("værdi", None, v))
    of = {k: v[0] for k, v in old.fields.items()}
    nf = {k: v[0] for k, v in new.fields.items()}
    for k in sorted(set(of) | set(nf)):
        _field(details, f"felt `{k}`", of.get(k), nf.get(k))


def _describe(kind, decl) -> str | None:
    if kind == "regel":
        return f"{decl.title} — krav: {decl.requirement}"
    if kind == "definition":
        return str(decl.value) if decl.value is not None else "beslutningstabel"
    if kind == "parameter":
        if not decl.periods:
            return None
        last = max(decl.periods, key=lambda p: p.start)
        return f"{decl.type_text}, fra {last.start.isoformat()}: {last.value or last.computed}"
    if kind == "faktum":
        return f"{decl.type_text}: {decl.description}"
    return None


def structure(old, new, oc=None, nc=None, layer: str | None = None) -> list[Change]:
    """Declarations added, removed or changed between two `model.Pack`s.

    With `layer`, only what that layer declares, plus the exceptions it adds
    to rules and definitions of the packs it extends: the rest is the
    extended packs' own change, and is listed under them.
    """
    changes: list[Change] = []
    details: list = []
    om, nm = old.source.manifest, new.source.manifest
    for key in ("titel", "version", "udvider", "dækning"):
        _field(details, key, to_plain(om.get(key)), to_plain(nm.get(key)))
    if details:
        changes.append(Change("pakke", new.id, "ændret", details,
                              Span(f"{new.source.display}/pakke.yaml", 1, 1)))
    sections = [
        ("type", old.types, new.types, _type),
        ("faktum", old.facts, new.facts, _fact),
        ("parameter", old.params, new.params,
         lambda d, o, n: _params(d, n.name, o, n, oc, nc)),
        ("definition", old.defs, new.defs, _definition),
        ("regel", old.rules, new.rules, _rule),
    ]
    for kind, otab, ntab, compare in sections:
        for name in sorted(set(otab) | set(ntab)):
            o, n = otab.get(name), ntab.get(name)
            if layer is not None and layer not in (getattr(o, "layer", None),
                                                   getattr(n, "layer", None)):
                if kind in ("regel", "definition") and o is not None and n is not None:
                    details = []
                    _exceptions(details, [e for e in o.exceptions if e.layer == layer],
                                [e for e in n.exceptions if e.layer == layer])
                    if details:
                        changes.append(Change(kind, name, "ændret", details, n.span))
                continue
            if o is None:
                d = _describe(kind, n)
                changes.append(Change(kind, name, "tilføjet", [("", None, d)] if d else [],
                                      n.span))
            elif n is None:
                d = _describe(kind, o)
                changes.append(Change(kind, name, "fjernet", [("", d, None)] if d else [],
                                      o.span))
            else:
                details = []
                compare(details, o, n)
                if details:
                    changes.append(Change(kind, name, "ændret", details, n.span))
    return changes


# --- behaviour -------------------------------------------------------------------------------

def _show(actual) -> str:
    if isinstance(actual, dict) and actual.get("ukendt"):
        return "ukendt"
    if isinstance(actual, str):
        return actual
    return json.dumps(actual, ensure_ascii=False)


ABSENT = "findes ikke"


def _known_facts(c, case):
    """The case without facts this version doesn't declare: they can't change its outcome,
    and refusing the whole case for them would hide every real difference."""
    if not isinstance(case, dict):
        return case
    return {k: v for k, v in case.items() if k in c.program.facts or k in rt.RESERVEREDE}


def _example_outcome(c, ex) -> tuple[str, bool | None]:
    import dataclasses

    from .examples import run_one
    table = c.pack.rules if ex.kind == "regel" else c.pack.defs
    if ex.owner not in table:
        return ABSENT, None
    o = run_one(c, dataclasses.replace(ex, case=_known_facts(c, ex.case)))
    if o.actual is None:
        first = (o.detail or "fejl").splitlines()[0]
        return f"fejl: {first}", False
    return _show(o.actual), o.ok


def _evaluate(c, case, date):
    try:
        return interpret.evaluate(c.program, _known_facts(c, case), dato=date,
                                  forklaring=False), None
    except rt.SagFejl as exc:
        return None, f"sagen afvises: {exc}"


def behaviour(oc, nc, pd: PackDiff) -> None:
    """Examples and sample cases of either version whose outcome differs between them."""
    from .examples import collect
    examples: dict = {}
    for c in (oc, nc):             # the new version's example wins when both have it
        for ex in collect(c):
            examples[(ex.kind, ex.owner, ex.name)] = ex
    for key in sorted(examples):
        ex = examples[key]
        if ex.problem:
            continue
        pd.evaluated += 1
        old, _ = _example_outcome(oc, ex)
        new, new_ok = _example_outcome(nc, ex)
        # A rule or definition only one version has is an added/removed declaration,
        # already listed as such; its outcomes are not a change in behaviour.
        if old != new and ABSENT not in (old, new):
            pd.outcomes.append(OutcomeChange(
                "eksempel", f"{Path(ex.file).name}::{ex.owner}::{ex.name}",
                f"{ex.kind} {ex.owner}", old, new, str(ex.expected), new_ok, ex.span))
    cases = {**oc.pack.cases, **nc.pack.cases}
    today = dt.date.today()
    for name in sorted(cases):
        path = Path(cases[name])
        try:
            case = read_json_file(path)
        except files.FileRefused as exc:
            pd.notes.append(f"sagen {name} kan ikke læses: {exc}")
            continue
        date = None if isinstance(case, dict) and case.get("beregningsdato") else today
        pd.evaluated += 1
        (ro, eo), (rn, en) = _evaluate(oc, case, date), _evaluate(nc, case, date)
        if ro is None or rn is None:
            if (eo or "") != (en or ""):
                pd.outcomes.append(OutcomeChange("sag", name, "hele sagen", eo or "bedømt",
                                                 en or "bedømt"))
            continue
        old_rules = {r.id: r.status for r in ro.regler}
        new_rules = {r.id: r.status for r in rn.regler}
        for rid in sorted(set(old_rules) & set(new_rules)):
            if old_rules[rid] != new_rules[rid]:
                pd.outcomes.append(OutcomeChange("sag", name, f"regel {rid}", old_rules[rid],
                                                 new_rules[rid]))
        od, nd = ro.definitioner, rn.definitioner
        for d in sorted(set(od) & set(nd)):
            if _show(od[d]) != _show(nd[d]):
                pd.outcomes.append(OutcomeChange("sag", name, f"definition {d}", _show(od[d]),
                                                 _show(nd[d])))


# --- one pack, all packs ---------------------------------------------------------------------

def diff_pack(pack_id: str, old_dir: Path | None, new_dir: Path | None) -> PackDiff:
    from ..passes.pipeline import compile_pack
    oc = compile_pack(old_dir) if old_dir is not None else None
    nc = compile_pack(new_dir) if new_dir is not None else None
    pd = PackDiff(pack_id, "ændret")
    for label, c in (("gammel", oc), ("ny", nc)):
        if c is not None and c.diags.has_errors:
            pd.errors[label] = [d for d in c.diags.sorted() if d.is_error]
    if oc is None or nc is None:
        c = nc or oc
        pd.status = "tilføjet" if oc is None else "fjernet"
        if c.pack is not None:
            empty = _empty_pack(c.pack)
            pd.changes = (structure(empty, c.pack, None, c, pack_id) if oc is None
                          else structure(c.pack, empty, c, None, pack_id))
            pd.changes = [ch for ch in pd.changes if ch.kind != "pakke"]
        return pd
    if oc.pack is None or nc.pack is None:
        which = "den gamle" if oc.pack is None else "den nye"
        pd.notes.append(f"{which} version af pakken kan ikke indlæses, så den kan ikke "
                        "sammenlignes")
        return pd
    pd.changes = structure(oc.pack, nc.pack, oc, nc, pack_id)
    if oc.program is None or nc.program is None:
        which = "den gamle" if oc.program is None else "den nye"
        pd.notes.append(f"{which} version kan ikke oversættes, så eksemplernes og sagernes "
                        "udfald er ikke sammenlignet")
    else:
        behaviour(oc, nc, pd)
    if not pd.changes and not pd.outcomes:
        pd.status = "uændret"
    return pd


def _empty_pack(like):
    from ..front.decls import Pack
    return Pack(like.id, like.title, like.version, "", [], like.source)


def diff_sides(old: Side, new: Side, only: str | None = None) -> list[PackDiff]:
    ids = sorted(set(old.packs) | set(new.packs))
    if only is not None:
        if only not in ids:
            raise DiffError(f"pakken `{only}` findes ikke i {old.label} eller {new.label}")
        ids = [only]
    out = []
    for i in ids:
        pd = diff_pack(i, old.packs.get(i), new.packs.get(i))
        _rename_spans(pd, {**old.rename, **new.rename})
        out.append(pd)
    return out


