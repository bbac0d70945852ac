"""The pack model: YAML trees (from `load.py`) -> typed declarations.

Layers are merged base first: an extending pack (a municipality) may add
anything, override a parameter's history, and add exceptions to a base
rule or definition. Every expression is parsed here, in place, so each
declaration carries its AST with file positions. Names are not resolved yet.

The declarations it builds are the dataclasses of `decls.py`.
"""

from __future__ import annotations

import datetime as dt
import re

from ..diagnostics import Diagnostics, Span
from .decls import (
    Citation,
    Conflict,
    DefDecl,
    Example,
    Exception_,
    Expr,
    FactDecl,
    Pack,
    ParamDecl,
    Period,
    Row,
    RuleDecl,
    Table,
    TypeDecl,
)
from .load import PackSource, key_span, value_span
from .parse import parse_expression
from .types import BASIC, Type, parse_type

KEYWORDS = frozenset("""og eller ikke hvis så ellers i er mindst højst under over før efter senest
tidligst kendt ukendt antal alle nogen ingen summen af tidligste seneste mindste største hvor
hele fra til dage dag uge uger måned måneder år på afrundet kroner kr sand falsk ydre""".split())
BUILTIN_NAMES = frozenset({"beregningsdato", "forrige"})
# Lists and records nest at most this deep in one type: every level is three
# brackets in the generated module's type table, and CPython allows 200.
MAX_TYPE_DEPTH = 12
ARTICLE = {"fakta": "et faktum", "parameter": "en parameter", "definition": "en definition",
           "regel": "en regel", "type": "en type", "undtagelse": "en undtagelse"}
# \Z, not $: `$` also matches before a final newline, and a key "r\n" (quoted in
# YAML) passed both this and the schema's pattern, then failed as a Python name.
NAME_RE = re.compile(r"^[a-zæøå_][a-zæøå0-9_]*\Z")


def layers_base_first(src: PackSource) -> list[PackSource]:
    """Base packs first, each once."""
    order: list[PackSource] = []
    seen: set[str] = set()

    def visit(p: PackSource):
        for parent in p.parents:
            visit(parent)
        if p.id not in seen:
            seen.add(p.id)
            order.append(p)

    visit(src)
    return order


class _Builder:
    def __init__(self, src: PackSource, diags: Diagnostics):
        self.diags = diags
        self.layer = ""
        self.file = ""
        m = src.manifest
        self.pack = Pack(
            id=str(m["id"]), title=str(m["titel"]), version=str(m["version"]),
            description=str(m.get("beskrivelse") or ""), layers=[], source=src,
            coverage_min=str((m.get("dækning") or {}).get("minimum") or "") or None)
        self.ids: dict[str, tuple[str, Span, str]] = {}
        self.record_depths: dict[str, int] = {}
        self.deep_reported: set[str] = set()

    # -- helpers --
    def expr(self, container, key, *, start: str = "start") -> Expr:
        value = container[key]
        span = value_span(container, key)
        node = parse_expression(value, span, self.diags, start=start)
        return Expr(value, span, node)

    def name_ok(self, name: str, span: Span, what: str) -> bool:
        if not NAME_RE.match(name):
            shown = f"`{name}`" if name.isprintable() else repr(name)  # one line, visibly
            self.diags.error("bad-name", f"{shown} er ikke et gyldigt navn for {what}", span,
                             "brug små bogstaver, tal og _; start med et bogstav")
            return False
        if name in KEYWORDS:
            self.diags.error("keyword-name", f"`{name}` er et nøgleord i regelsproget og kan "
                             f"ikke bruges som navn på {what}", span)
            return False
        if name in BUILTIN_NAMES:
            self.diags.error("builtin-name", f"`{name}` er et indbygget navn og kan ikke "
                             f"bruges som navn på {what}", span)
            return False
        return True

    def claim(self, name: str, span: Span, kind: str) -> bool:
        if name in self.ids:
            prev_kind, prev_span, _prev_layer = self.ids[name]
            self.diags.error("duplicate-id", f"id'et `{name}` er allerede brugt til "
                             f"{ARTICLE.get(prev_kind, prev_kind)} ({prev_span})", span,
                             "hvert id skal være entydigt i pakken og de pakker, den udvider")
            return False
        self.ids[name] = (kind, span, self.layer)
        return True

    def citations(self, container, key="kilder") -> list[Citation]:
        out = []
        items = container.get(key) or []
        for i, c in enumerate(items):
            span = value_span(items, i)
            if "lov" in c:
                out.append(Citation("lov", span, lov=str(c["lov"]), paragraf=str(c["paragraf"]),
                                    stk=c.get("stk"), nr=c.get("nr"), pkt=c.get("pkt"),
                                    note=_opt(c.get("note"))))
            else:
                out.append(Citation("dokument", span, dokument=str(c["dokument"]),
                                    afsnit=_opt(c.get("afsnit")), citat=_opt(c.get("citat")),
                                    note=_opt(c.get("note"))))
        return out

    def date(self, container, key) -> dt.date | None:
        raw = container.get(key)
        if raw is None:
            return None
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            self.diags.error("bad-date", f"`{raw}` er ikke en gyldig dato",
                             value_span(container, key), "datoer skrives ÅÅÅÅ-MM-DD")
            return None

    def examples(self, container) -> list[Example]:
        out = []
        items = container.get("eksempler") or []
        names: set[str] = set()
        for i, e in enumerate(items):
            span = value_span(items, i)
            name = str(e["navn"])
            if name in names:
                self.diags.error("duplicate-example", f"to eksempler hedder `{name}`", span)
            names.add(name)
            given = e.get("givet") or {}
            out.append(Example(
                name=name, span=span, date=self.date(e, "dato"),
                case_ref=_opt(e.get("sag")), given=given,
                expected=e["forventet"], expected_span=value_span(e, "forventet"),
                layer=self.layer, pack_dir=self.pack_dir, file=self.file))
        return out

    def exceptions(self, container, key="undtagelser", target=None) -> list[Exception_]:
        out = []
        for i, e in enumerate(container.get(key) or []):
            span = value_span(container[key], i)
            uid = str(e["id"])
            self.name_ok(uid, value_span(e, "id"), "en undtagelse")
            self.claim(uid, value_span(e, "id"), "undtagelse")
            out.append(self.exception(e, uid, span, target))
        return out

    def exception(self, e, uid, span, target) -> Exception_:
        if ("værdi" in e) == ("krav" in e):
            self.diags.error("exception-value", f"undtagelsen `{uid}` skal have enten `værdi` "
                             "(for en definition) eller `krav` (for en regel)", span)
            value = None
        else:
            value = self.expr(e, "værdi" if "værdi" in e else "krav")
        return Exception_(
            id=uid, span=span, when=self.expr(e, "hvis"), value=value,
            subs=self.exceptions(e), title=_opt(e.get("titel")),
            description=_opt(e.get("beskrivelse")), citations=self.citations(e),
            layer=self.layer, target=target, severity=_opt(e.get("alvor")))

    # -- sections --
    def build(self) -> Pack:
        src = self.pack.source
        for layer in layers_base_first(src):
            self.layer = layer.id
            self.pack_dir = layer.path
            self.pack.layers.append(layer.id)
            self.pack.layer_titles[layer.id] = str(layer.manifest["titel"])
            self.pack.pack_dirs[layer.id] = layer.path
            for area, title in (layer.manifest.get("områder") or {}).items():
                self.pack.areas.setdefault(str(area), str(title))
            self.pack.laws.update(layer.laws)
            self.pack.documents.update(layer.documents)
            for stem, path in layer.cases.items():
                self.pack.cases[f"{layer.id}/{stem}"] = path
            for f in layer.files:
                self.file = f.display
                self.section_types(f.tree)
            self.resolve_record_fields()
            for f in layer.files:
                self.file = f.display
                for section in ("fakta", "parametre", "definitioner", "regler", "undtagelser"):
                    if section in f.tree:
                        getattr(self, f"section_{section}")(f.tree[section])
            if layer.conflicts is not None:
                self.section_konflikter(layer.conflicts["konflikter"])
        self.attach_top_exceptions()
        self.check_exception_severities()
        return self.pack

    def section_types(self, tree):
        # Two steps: all names first, so a record's field may use a type declared later.
        section = tree.get("typer") or {}
        for name, t in section.items():
            span = key_span(section, name)
            if name in BASIC:
                # parse_type reads a built-in name first, so such a type could never be used.
                self.diags.error("builtin-type", f"`{name}` er en indbygget type og kan ikke "
                                 "bruges som navn på en ny type", span)
                continue
            if not (self.name_ok(name, span, "en type") and self.claim(name, span, "type")):
                continue
            decl = TypeDecl(name, span, str(t["beskrivelse"]),
                            tuple(str(v) for v in t["værdier"]) if "værdier" in t else None,
                            {}, self.layer, self.file)
            if decl.values is not None:
                if len(set(decl.values)) != len(decl.values):
                    self.diags.error("duplicate-value", f"opregningen `{name}` har en værdi "
                                     "to gange", value_span(t, "værdier"))
                for i, v in enumerate(decl.values):
                    if v in KEYWORDS:
                        self.diags.error("keyword-name", f"`{v}` er et nøgleord og kan ikke være "
                                         "en opregningsværdi", value_span(t["værdier"], i))
                    elif not NAME_RE.match(v):
                        # the schema's pattern lets "v\n" through (see NAME_RE)
                        self.diags.error("bad-name", f"{v!r} er ikke et gyldigt navn for en "
                                         "opregningsværdi", value_span(t["værdier"], i),
                                         "brug små bogstaver, tal og _; start med et bogstav")
                self.pack.enums[name] = decl.values
            else:
                felter = t["felter"]
                for fname, fdef in felter.items():
                    fspan = key_span(felter, fname)
                    self.name_ok(fname, fspan, "et felt")
                    decl.fields[fname] = (str(fdef["type"]), _opt(fdef.get("beskrivelse")),
                                          value_span(fdef, "type"))
                self.pack.records[name] = {}
            self.pack.types[name] = decl

    def resolve_record_fields(self):
        for decl in self.pack.types.values():
            if decl.values is not None:
                continue
            fields = {}
            for fname, (ttext, _desc, span) in decl.fields.items():
                t = self.type_of(ttext, span)
                if t is not None:
                    fields[fname] = t
            self.pack.records[decl.name] = fields
        self._check_recursive_records()
        self._check_record_depth()

    def _check_record_depth(self):
        """Record types nest at most MAX_TYPE_DEPTH levels (lists included).

        Iterative, so a chain of thousands of records can't exhaust the stack;
        edges of a recursive record (reported above) count as depth 0.
        """
        records, depths = self.pack.records, self.record_depths
        for start in records:
            stack, open_ = [start], {start}
            while stack:
                r = stack[-1]
                inner = [n for ft in records.get(r, {}).values() for n in _record_names(ft)
                         if n in records and n not in depths and n not in open_]
                if inner:
                    stack.extend(inner)
                    open_.update(inner)
                    continue
                stack.pop()
                open_.discard(r)
                if r not in depths:
                    depths[r] = 1 + max((type_depth(ft, depths) for ft in records[r].values()),
                                        default=0)
        for name, depth in depths.items():
            decl = self.pack.types.get(name)
            if depth > MAX_TYPE_DEPTH and decl is not None and name not in self.deep_reported:
                self.deep_reported.add(name)
                self.diags.error("too-deep", f"posttypen `{name}` er indlejret {depth} niveauer "
                                 f"(poster og lister); grænsen er {MAX_TYPE_DEPTH}", decl.span)

    def _check_recursive_records(self):
        def refs(t: Type):
            while t.kind == "list":
                t = t.elem
            return [t.name] if t.kind == "record" else []

        for start in self.pack.records:
            stack, seen = [start], set()
            while stack:
                r = stack.pop()
                for ft in self.pack.records.get(r, {}).values():
                    for name in refs(ft):
                        if name == start:
                            self.diags.error("recursive-type", f"posttypen `{start}` indeholder "
                                             "sig selv", self.pack.types[start].span)
                            stack = []
                            break
                        if name not in seen:
                            seen.add(name)
                            stack.append(name)

    def type_of(self, text, span) -> Type | None:
        # Checked on the text first: parse_type recurses once per `liste af`.
        lists = " ".join(str(text).split()).count("liste af")
        if lists > MAX_TYPE_DEPTH:
            self.diags.error("too-deep", f"typen har {lists} lag af `liste af`; grænsen er "
                             f"{MAX_TYPE_DEPTH}", span)
            return None
        t = parse_type(str(text), self.pack.enums, self.pack.records)
        depth = 0 if t is None else type_depth(t, self.record_depths)
        if depth > MAX_TYPE_DEPTH:
            self.diags.error("too-deep", f"typen `{text}` er indlejret {depth} niveauer (poster "
                             f"og lister); grænsen er {MAX_TYPE_DEPTH}", span)
            return None
        if t is None:
            from ..diagnostics import did_you_mean
            known = ["sandhedsværdi", "heltal", "decimal", "beløb", "dato", "varighed", "tekst",
                     *self.pack.enums, *self.pack.records]
            # difflib over every type for every unknown one is quadratic; the
            # first hundred get a "mente du …?", the rest the list of kinds
            self.type_hints_left = getattr(self, "type_hints_left", 100) - 1
            hint = did_you_mean(str(text), known) if self.type_hints_left >= 0 else None
            self.diags.error("unknown-type", f"ukendt type `{text}`", span,
                             hint or
                             "typer: " + ", ".join(known[:7]) + ", en opregning, en post "
                             "eller `liste af …`")
        return t

    def section_fakta(self, section):
        for name, f in section.items():
            span = key_span(section, name)
            if not (self.name_ok(name, span, "et faktum") and self.claim(name, span, "fakta")):
                continue
            self.pack.facts[name] = FactDecl(
                name, span, str(f["type"]), self.type_of(f["type"], value_span(f, "type")),
                str(f["beskrivelse"]), _opt(f.get("enhed")), self.layer, self.file)

    def section_parametre(self, section):
        for name, p in section.items():
            span = key_span(section, name)
            if not self.name_ok(name, span, "en parameter"):
                continue
            overrides = None
            if name in self.ids:
                kind, _pspan, layer = self.ids[name]
                if kind == "parameter" and layer != self.layer:
                    overrides = layer
                elif not self.claim(name, span, "parameter"):
                    continue
            else:
                self.claim(name, span, "parameter")
            periods = []
            hist = p["historik"]
            for i, per in enumerate(hist):
                pspan = value_span(hist, i)
                start = self.date(per, "gyldig_fra")
                if start is None:
                    continue
                periods.append(Period(
                    start, pspan,
                    self.expr(per, "værdi") if "værdi" in per else None,
                    self.expr(per, "beregnet") if "beregnet" in per else None,
                    self.citations(per), _opt(per.get("note"))))
            self.pack.params[name] = ParamDecl(
                name, span, str(p["type"]), self.type_of(p["type"], value_span(p, "type")),
                _opt(p.get("enhed")), _opt(p.get("titel")), str(p["beskrivelse"]),
                self.citations(p), periods, p.get("gennemgået"), self.layer, self.file,
                overrides)

    def section_definitioner(self, section):
        for name, d in section.items():
            span = key_span(section, name)
            if not (self.name_ok(name, span, "en definition")
                    and self.claim(name, span, "definition")):
                continue
            table = None
            if "tabel" in d:
                t = d["tabel"]
                inputs = [self.expr(t["input"], i) for i in range(len(t["input"]))]
                rows = []
                for i, row in enumerate(t["rækker"]):
                    rspan = value_span(t["rækker"], i)
                    cells = [self.expr(row["hvis"], j, start="celle")
                             for j in range(len(row["hvis"]))]
                    if len(cells) != len(inputs):
                        self.diags.error("table-shape", f"række {i + 1} har {len(cells)} celler, "
                                         f"men tabellen har {len(inputs)} input-kolonner", rspan)
                    rows.append(Row(cells, self.expr(row, "så"), rspan, _opt(row.get("note"))))
                table = Table(str(t["hitpolitik"]), inputs, rows, value_span(d, "tabel"))
            self.pack.defs[name] = DefDecl(
                name, span, str(d["type"]), self.type_of(d["type"], value_span(d, "type")),
                _opt(d.get("titel")), _opt(d.get("beskrivelse")), self.citations(d),
                self.expr(d, "værdi") if "værdi" in d else None, table,
                self.exceptions(d, target=name), self.examples(d), d.get("gennemgået"),
                self.layer, self.file)

    def section_regler(self, section):
        for rid, r in section.items():
            span = key_span(section, rid)
            if not (self.name_ok(rid, span, "en regel") and self.claim(rid, span, "regel")):
                continue
            self.pack.rules[rid] = RuleDecl(
                rid, span, str(r["titel"]), str(r["område"]), str(r["alvor"]),
                _opt(r.get("beskrivelse")), self.citations(r),
                self.expr(r, "gælder_når") if "gælder_når" in r else None,
                self.expr(r, "krav"), r["meddelelse"], value_span(r, "meddelelse"),
                self.exceptions(r, target=rid), self.examples(r), r.get("gennemgået"),
                self.layer, self.file)

    def section_undtagelser(self, section):
        for uid, e in section.items():
            span = key_span(section, uid)
            if not (self.name_ok(uid, span, "en undtagelse")
                    and self.claim(uid, span, "undtagelse")):
                continue
            exc = self.exception(e, uid, span, str(e["undtagelse_til"]))
            exc.target_span = value_span(e, "undtagelse_til")
            # Examples of the target as this layer changes it; a base pack's own
            # examples are not re-run in the layer, so these are the layer's tests.
            exc.examples = self.examples(e)
            self.pack.top_exceptions.append(exc)

    def attach_top_exceptions(self):
        for exc in self.pack.top_exceptions:
            target = self.pack.defs.get(exc.target) or self.pack.rules.get(exc.target)
            if target is None:
                from ..diagnostics import did_you_mean
                self.diags.error("unknown-target", f"`undtagelse_til: {exc.target}` peger ikke "
                                 "på en regel eller definition", exc.target_span,
                                 did_you_mean(exc.target, [*self.pack.defs, *self.pack.rules]))
                continue
            target.exceptions.append(exc)
            names = {ex.name for ex in target.examples}
            for ex in exc.examples:
                if ex.name in names:
                    self.diags.error("duplicate-example", f"`{exc.target}` har allerede et "
                                     f"eksempel, der hedder `{ex.name}`", ex.span)
                target.examples.append(ex)

    def check_exception_severities(self):
        """`alvor` belongs on an exception that decides a rule: not on a definition's, and
        not on a nested one (its parent decides the rule)."""
        def nested(excs):
            for e in excs:
                for s in e.subs:
                    if s.severity:
                        self.diags.error("exception-severity", f"`alvor` på undtagelsen "
                                         f"`{s.id}` virker ikke: kun en undtagelse direkte "
                                         "til en regel kan ændre dens alvor", s.span)
                nested(e.subs)
        for d in self.pack.defs.values():
            for e in d.exceptions:
                if e.severity:
                    self.diags.error("exception-severity", f"`alvor` på undtagelsen `{e.id}` "
                                     f"virker ikke: `{d.name}` er en definition, ikke en regel",
                                     e.span)
            nested(d.exceptions)
        for r in self.pack.rules.values():
            nested(r.exceptions)

    def section_konflikter(self, section):
        for cid, c in section.items():
            span = key_span(section, cid)
            self.pack.conflicts[cid] = Conflict(
                cid, span, str(c["titel"]), str(c["status"]), self.citations(c),
                str(c["beskrivelse"]), str(c["valg"]), [str(r) for r in c.get("regler") or []],
                value_span(c, "regler") if "regler" in c else span, self.layer)


def _opt(value):
    return None if value is None else str(value)


def _record_names(t: Type) -> list[str]:
    while t.kind == "list":
        t = t.elem
    return [t.name] if t.kind == "record" else []


def type_depth(t: Type, record_depths: dict) -> int:
    """Levels of lists and records in a type; `record_depths` holds each record's own."""
    depth = 0
    while t.kind == "list":
        depth += 1
        t = t.elem
    if t.kind == "record":
        depth += record_depths.get(t.name, 0)
    return depth


def build_model(src: PackSource, diags: Diagnostics) -> Pack:
    return _Builder(src, diags).build()
