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
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import interpret
from . import mdtext as md
from . import runtime as rt
from .diagnostics import Span, _gh_escape
from .load import to_plain
from .tables import shape

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class DiffError(Exception):
    """A problem with the user's input (a bad revision or folder): message, exit code 2."""


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


@dataclass
class Side:
    label: str
    packs: dict               # pack id -> folder
    # How a pack unpacked from a revision is named in messages -> its path in the
    # repository (a temporary folder has no name relative to the working directory).
    rename: dict = field(default_factory=dict)


# --- opening the two sides -------------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"git kan ikke køres: {exc.strerror or exc}") from None


def _toplevel(path: Path) -> Path | None:
    try:
        r = _git(["rev-parse", "--show-toplevel"], path)
    except DiffError:
        return None
    if r.returncode != 0:
        return None
    return Path(r.stdout.decode().strip())


def _packs_in(folder: Path) -> dict:
    from .load import discover_packs
    if (folder / "pakke.yaml").is_file():
        return {folder.name: folder}
    if folder.is_dir():
        return {p.name: p for p in discover_packs(folder)}
    return {}


def _extract(top: Path, rev: str, subdir: str, dest: Path) -> Path:
    """`subdir` as it was at `rev`, unpacked under `dest`; returns the unpacked folder."""
    r = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    if r.returncode != 0:
        raise DiffError(f"`{rev}` er hverken en mappe eller en git-revision i {top}")
    sha = r.stdout.decode().strip()
    out = dest / sha[:12]
    out.mkdir(parents=True, exist_ok=True)
    r = _git(["archive", "--format=tar", sha, "--", subdir], top)
    if r.returncode != 0:
        # The folder did not exist yet at that revision: an empty side, so all is added.
        return out / subdir
    with tarfile.open(fileobj=io.BytesIO(r.stdout)) as tar:
        tar.extractall(out, filter="data")
    return out / subdir


def open_side(spec: str, tmp: Path, subdir: str = "rules") -> Side:
    """A folder (rules root or pack) or a git revision of the repository around the cwd."""
    path = Path(spec)
    if path.is_dir():
        packs = _packs_in(path)
        if not packs:
            raise DiffError(f"`{spec}` er hverken en regelpakke (pakke.yaml mangler) eller en "
                            "mappe med regelpakker")
        return Side(spec, packs)
    top = _toplevel(Path.cwd())
    if top is None:
        raise DiffError(f"`{spec}` er ikke en mappe, og {Path.cwd()} ligger ikke i et "
                        "git-repository, så det kan heller ikke være en revision")
    folder = _extract(top, spec, subdir, tmp)
    return Side(spec, _packs_in(folder), _renames(folder, subdir))


def _renames(folder: Path, subdir: str) -> dict:
    from .load import _display
    if not folder.is_dir():
        return {}
    return {_display(p): f"{Path(subdir).as_posix()}/{p.name}"
            for p in folder.iterdir() if p.is_dir()}


def _renamed(span, rename: dict):
    import dataclasses
    if span is None:
        return None
    for shown, real in rename.items():
        if span.file.startswith(shown + "/"):
            return dataclasses.replace(span, file=real + span.file[len(shown):])
    return span


def _rename_spans(pd: PackDiff, rename: dict) -> None:
    import dataclasses
    if not rename:
        return
    for ch in pd.changes:
        ch.span = _renamed(ch.span, rename)
    for o in pd.outcomes:
        o.span = _renamed(o.span, rename)
    for side, errors in pd.errors.items():
        pd.errors[side] = [dataclasses.replace(d, span=_renamed(d.span, rename))
                           for d in errors]


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
            case = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
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
    from .pipeline import compile_pack
    oc = compile_pack(old_dir, analyse=False) if old_dir is not None else None
    nc = compile_pack(new_dir, analyse=False) if new_dir is not None else None
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
    from .model import Pack
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


# --- rendering -------------------------------------------------------------------------------

MARK = {"tilføjet": "+", "fjernet": "-", "ændret": "~"}
# A pull-request comment holds at most 65536 characters; the rest is in text/JSON.
MAX_MD_ROWS = 100
MD_MARK = {"tilføjet": "➕", "fjernet": "➖", "ændret": "✏️"}


def _detail_text(what, old, new) -> str:
    label = f"{what}: " if what else ""
    if old is None:
        return f"{label}ny: {new}" if what else f"{new}"
    if new is None:
        return f"{label}fjernet: {old}" if what else f"{old}"
    return f"{label}{old} → {new}"


def _where(span) -> str:
    return f"{span.file}:{span.line}" if span else ""


def _outcome_line(o: OutcomeChange) -> str:
    text = f"{o.source} {o.id}"
    if o.source == "sag":
        text += f", {o.item}"
    text += f": {o.old} → {o.new}"
    if o.expected is not None:
        verdict = "" if o.new_ok is None else (" ✓" if o.new_ok else " ✗")
        text += f" (forventet {o.expected}{verdict})"
    return text


def _summary(pd: PackDiff) -> str:
    return (f"ændrede erklæringer: {len(pd.changes)}, ændrede udfald: {len(pd.outcomes)} "
            f"(af {pd.evaluated} eksempler og sager)")


def _error_lines(pd: PackDiff) -> list[str]:
    out = []
    for side, errors in pd.errors.items():
        version = "den gamle" if side == "gammel" else "den nye"
        out.append(f"{version} version har {len(errors)} fejl:")
        for d in errors[:20]:
            out.append(f"  {d.span}: {d.message}" if d.span else f"  {d.message}")
    return out


def to_text(diffs: list[PackDiff], old: str, new: str) -> str:
    lines = [f"Semantisk forskel {old} → {new}"]
    for pd in diffs:
        lines.append("")
        lines.append(f"{pd.id}: {pd.status}" + ("" if pd.status in ("tilføjet", "fjernet")
                                                 else f" — {_summary(pd)}"))
        for ch in pd.changes:
            where = f"  ({_where(ch.span)})" if ch.span else ""
            lines.append(f"  {MARK[ch.action]} {ch.kind} {ch.id}{where}")
            for what, o, n in ch.details:
                lines.append(f"      {_detail_text(what, o, n)}")
        if pd.outcomes:
            lines.append("  Ændret udfald:")
            lines.extend(f"    {_outcome_line(o)}" for o in pd.outcomes)
        lines.extend(f"  note: {n}" for n in pd.notes)
        lines.extend(f"  {line}" for line in _error_lines(pd))
    return "\n".join(lines)


def _md(text) -> str:
    # The site's one escaping function: this Markdown also lands on the review site.
    return "" if text is None else md.text(text, table=True)


def _code(text) -> str:
    return md.code("" if text is None else text)


def _md_label(what) -> str:
    """A detail label: its `quoted` names as code, the rest as escaped text."""
    parts = str(what).split("`")
    out = []
    for i, p in enumerate(parts):
        if i % 2:
            out.append(_code(p))
        elif p.strip():
            # md.text trims; keep the spaces that separate text from the code spans.
            out.append((" " if p[0].isspace() else "") + _md(p) +
                       (" " if p[-1].isspace() else ""))
    return "".join(out)


def _md_detail(what, old, new) -> str:
    label = f"{_md_label(what)}: " if what else ""
    if old is None:
        return f"{label}{_code(new)}" if not what else f"{label}ny: {_code(new)}"
    if new is None:
        return f"{label}{_code(old)}" if not what else f"{label}fjernet: {_code(old)}"
    return f"{label}{_code(old)} → {_code(new)}"


def to_markdown(diffs: list[PackDiff], old: str, new: str, heading: int = 2) -> str:
    h = "#" * heading
    out = [f"{h} Regelændringer: `{old}` → `{new}`", ""]
    if not any(pd.changes or pd.outcomes or pd.notes or pd.errors for pd in diffs):
        out.append("Ingen ændringer i reglernes indhold eller adfærd.")
    for pd in diffs:
        if pd.status == "uændret" and not pd.notes and not pd.errors:
            continue
        out.append(f"{h}# Pakken `{pd.id}` — {pd.status}")
        out.append("")
        if pd.status not in ("tilføjet", "fjernet"):
            out += [_summary(pd) + ".", ""]
        if pd.changes:
            for ch in pd.changes:
                where = f" ({_code(_where(ch.span))})" if ch.span else ""
                out.append(f"- {MD_MARK[ch.action]} **{ch.kind}** `{ch.id}` {ch.action}{where}")
                for what, o, n in ch.details:
                    out.append(f"  - {_md_detail(what, o, n)}")
            out.append("")
        if pd.outcomes:
            out += ["**Ændret udfald**", "", "| | eksempel eller sag | hvad | før | efter "
                    "| forventet |", "|---|---|---|---|---|---|"]
            for o in pd.outcomes[:MAX_MD_ROWS]:
                mark = "" if o.new_ok is None else ("✅" if o.new_ok else "❌")
                out.append(f"| {mark} | {o.source} {_code(o.id)} | {_md(o.item)} | "
                           f"{_md(o.old)} | {_md(o.new)} | {_md(o.expected or '')} |")
            if len(pd.outcomes) > MAX_MD_ROWS:
                out.append(f"\n… og {len(pd.outcomes) - MAX_MD_ROWS} flere; hele listen: "
                           "`regelkode diff` med `--format text` eller `json`.")
            out.append("")
        for n in pd.notes:
            out += [f"> {_md(n)}", ""]
        if pd.errors:
            out += ["```", *_error_lines(pd), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def to_data(diffs: list[PackDiff], old: str, new: str) -> dict:
    def span(s):
        return {"fil": s.file, "linje": s.line, "kolonne": s.column} if s else None

    return {"gammel": old, "ny": new, "pakker": [{
        "id": pd.id, "status": pd.status, "evalueret": pd.evaluated, "noter": pd.notes,
        "fejl": {k: [{"kode": d.code, "besked": d.message, "sted": span(d.span)} for d in v]
                 for k, v in pd.errors.items()},
        "ændringer": [{"art": ch.kind, "id": ch.id, "ændring": ch.action, "sted": span(ch.span),
                       "detaljer": [{"hvad": w, "gammel": o, "ny": n} for w, o, n in ch.details]}
                      for ch in pd.changes],
        "udfald": [{"kilde": o.source, "id": o.id, "hvad": o.item, "gammel": o.old, "ny": o.new,
                    "forventet": o.expected, "ny_som_forventet": o.new_ok, "sted": span(o.span)}
                   for o in pd.outcomes],
    } for pd in diffs]}


def to_github(diffs: list[PackDiff]) -> str:
    out = []

    def line(kind, s, title, msg):
        props = f"title={_gh_escape(title, True)}"
        if s:
            props = (f"file={_gh_escape(s.file, True)},line={s.line},col={s.column},") + props
        out.append(f"::{kind} {props}::{_gh_escape(msg)}")

    for pd in diffs:
        for ch in pd.changes:
            body = "; ".join(_detail_text(*d) for d in ch.details)
            line("notice", ch.span, "regelændring",
                 f"{ch.kind} {ch.id} {ch.action}" + (f": {body}" if body else ""))
        for o in pd.outcomes:
            line("warning", o.span, "ændret udfald", _outcome_line(o))
        for side, errors in pd.errors.items():
            for d in errors:
                line("error" if side == "ny" else "warning", d.span, d.code, d.message)
    return "\n".join(out)


def render(diffs, fmt: str, old: str, new: str) -> str:
    if fmt == "json":
        return json.dumps(to_data(diffs, old, new), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return to_markdown(diffs, old, new)
    if fmt == "github":
        return to_github(diffs)
    return to_text(diffs, old, new)


# --- command line ----------------------------------------------------------------------------

def cmd_diff(args) -> int:
    try:
        with tempfile.TemporaryDirectory(prefix="regelkode-diff-") as tmp:
            old = open_side(args.old, Path(tmp) / "gammel", args.mappe)
            new = open_side(args.new, Path(tmp) / "ny", args.mappe)
            if not old.packs and not new.packs:
                raise DiffError(f"ingen regelpakker i `{args.mappe}` i hverken {args.old} "
                                f"eller {args.new}")
            diffs = diff_sides(old, new, args.pack)
    except DiffError as exc:
        print(f"regelkode diff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(render(diffs, args.format, args.old, args.new))
    if any("ny" in pd.errors for pd in diffs):
        return EXIT_FAIL
    if args.exit_code and any(pd.outcomes for pd in diffs):
        return EXIT_FAIL
    return EXIT_OK


def register(sub) -> None:
    """Add `regelkode diff` to the CLI's subparsers."""
    p = sub.add_parser("diff", help="semantisk forskel mellem to versioner af reglerne",
                       description="Sammenlign to versioner af regelpakkerne: hver side er en "
                       "mappe (rules/ eller en pakke) eller en git-revision (fx main, HEAD).")
    p.add_argument("old", metavar="GAMMEL", help="mappe eller git-revision")
    p.add_argument("new", metavar="NY", help="mappe eller git-revision")
    p.add_argument("--pack", "--pakke", dest="pack", metavar="ID",
                   help="kun denne pakke (standard: alle)")
    p.add_argument("--format", choices=("text", "markdown", "json", "github"), default="text",
                   help="uddata (standard: text; markdown til en pull request)")
    p.add_argument("--mappe", default="rules",
                   help="for en git-revision: mappen med pakkerne (standard: rules)")
    p.add_argument("--exit-code", action="store_true",
                   help="exit 1, hvis et eksempel eller en sag har fået et andet udfald")
    p.set_defaults(func=cmd_diff)


# --- the site's "Ændringer" page -------------------------------------------------------------

def _base_revision(top: Path, rel: str) -> tuple[str | None, str]:
    r = _git(["describe", "--tags", "--abbrev=0", "--match", "v*", "HEAD"], top)
    if r.returncode == 0 and r.stdout.strip():
        tag = r.stdout.decode().strip()
        return tag, f"udgivelsen {tag}"
    r = _git(["log", "--reverse", "--format=%H", "--", rel], top)
    first = r.stdout.decode().split() if r.returncode == 0 else []
    if first:
        return first[0], f"den første version af pakken i git ({first[0][:7]})"
    return None, "ingenting (pakken er endnu ikke i git)"


def changes_markdown(pack_dir: Path, base_rev: str | None = None) -> str:
    """Markdown for the site: the pack's changes from `base_rev` to the working tree.

    `base_rev` None: the latest tag `v*` reachable from HEAD, else the first
    commit that contains the pack. Outside a git repository: a page saying so.
    """
    pack_dir = Path(pack_dir).resolve()
    title = "# Ændringer\n\n"
    top = _toplevel(pack_dir) if pack_dir.is_dir() else None
    if top is None:
        return (title + f"Pakken `{pack_dir.name}` ligger ikke i et git-repository, så "
                "ændringerne siden sidste udgivelse kan ikke vises.\n")
    rel_root = os.path.relpath(pack_dir.parent, top)
    rel = os.path.relpath(pack_dir, top)
    try:
        with tempfile.TemporaryDirectory(prefix="regelkode-aendringer-") as tmp:
            if base_rev is None:
                base_rev, how = _base_revision(top, rel)
            else:
                how = f"`{base_rev}`"
            if base_rev is None:
                old_packs: dict = {}
            else:
                folder = _extract(top, base_rev, Path(rel_root).as_posix(), Path(tmp))
                old_packs = {k: v for k, v in _packs_in(folder).items() if k == pack_dir.name}
            label = base_rev[:7] if base_rev and len(base_rev) == 40 else base_rev
            old = Side(label or "(ingen)", old_packs)
            new = Side("arbejdskopien", {pack_dir.name: pack_dir})
            diffs = diff_sides(old, new, pack_dir.name)
    except DiffError as exc:
        return title + f"Ændringerne kan ikke vises: {exc}.\n"
    intro = f"Ændringer i `{pack_dir.name}` fra {how} til den aktuelle version.\n\n"
    body = to_markdown(diffs, old.label, "nu", heading=2)
    return title + intro + body
