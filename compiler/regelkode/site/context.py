"""What every page of a pack's review site needs to know: where things live.

In: one `Compiled` pack. Out: `PackContext` — the page of each area, the
page and anchor of every rule, definition, parameter, fact, type and
conflict, relative links between pages, who uses what (and back), and each
declaration's review state. Page writers (`emit_*.py`) only ask this object,
so a link can never point at a page that is not generated.
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict

from .. import mdtext as md
from .. import runtime as rt
from ..checks import review, review_history
from ..front.model import layers_base_first

# Danish titles for areas a manifest does not name (its `områder` wins).
AREA_TITLES = {
    "visitation": "Visitation", "alder": "Alder", "varighed": "Varighed",
    "samtaler": "Samtaler", "indsatser": "Indsatser", "rettigheder": "Rettigheder",
    "ydelse": "Ydelse", "ferie_og_barsel": "Ferie og barsel", "sanktioner": "Sanktioner",
    "rehabiliteringsteam": "Rehabiliteringsteam",
}

# How `all_citations` names the kinds of declaration -> the kinds of `anchors`.
_OWNER_KINDS = {"regel": "rule", "definition": "def", "parameter": "param",
                "undtagelse": "exception", "konflikt": "conflict"}

REVIEW_KINDS = {"rule": "regel", "def": "definition", "param": "parameter"}

SEVERITY = {
    "brud": "brud — sagen er i strid med reglen, når kravet ikke er opfyldt",
    "opmærksomhed": "opmærksomhed — sagsbehandleren skal se på sagen, når kravet ikke er opfyldt",
}


def area_title(area: str, pack) -> str:
    return pack.areas.get(area) or AREA_TITLES.get(area) or area.replace("_", " ").capitalize()


class PackContext:
    """`inherited`: the contexts of packs this one extends that are on the same site.

    A rule, definition or parameter that comes unchanged from such a pack is
    shown once, on that pack's pages: here it is linked to there, so search
    and navigation hold each declaration once. What this pack's own layers
    add or change (an exception, a changed definition it uses) is shown here.
    """

    def __init__(self, compiled, prefix: str, inherited: dict | None = None):
        self.inherited = dict(inherited or {})
        self.c = compiled
        self.pack = compiled.pack
        self.res = compiled.resolution
        self.typing = compiled.typing
        self.program = compiled.program
        self.types = compiled.typing.types if compiled.typing is not None else {}
        self.prefix = prefix
        self.decls = review.declarations(self.pack)
        p = prefix
        self.page = {
            "definitioner": f"{p}/definitioner.md", "parametre": f"{p}/parametre.md",
            "datamodel": f"{p}/datamodel.md", "kilder": f"{p}/kilder.md",
            "konflikter": f"{p}/konflikter.md", "forløb": f"{p}/forloeb.md",
            "ændringer": f"{p}/aendringer.md",
        }
        self._shown: dict[tuple[str, str], bool] = {}
        self.areas = self._areas()
        self.anchors: dict[tuple[str, str], tuple[str, str]] = {}
        self._register()
        self._reverse = self._reverse_deps()

    # -- areas, in the manifest's order, then any others in rule order --
    @functools.cached_property
    def document_meta(self) -> dict[str, dict]:
        """Each source document's provenance (kilder/dokumenter/<navn>.yaml), layers merged."""
        out: dict[str, dict] = {}
        for layer in layers_base_first(self.pack.source):
            out.update(layer.document_meta)
        return out

    @functools.cached_property
    def param_values(self) -> dict[str, list]:
        """Each parameter's dated values as text, for the Danish sentences."""
        params = self.program.params if self.program is not None else {}
        # Inside `hvor`, a bare name may be a list element's field: never read a
        # field that shares a parameter's name as that parameter.
        fields = {f for t in self.pack.types.values() for f in (t.fields or {})}
        return {name: [(start, rt.tekst(value, p.desc))
                       for start, value in zip(p.dates, p.values, strict=False)]
                for name, p in params.items() if p.dates and name not in fields}

    # -- what is shown here, and what on the pack it comes from --
    def origin(self, kind: str, name: str):
        """The context of the extended pack that shows this declaration, or None (shown here)."""
        if not self.inherited or self.shown(kind, name):
            return None
        return self.inherited.get(self._decl(kind, name).layer)

    def shown(self, kind: str, name: str) -> bool:
        key = (kind, name)
        if key not in self._shown:
            self._shown[key] = True          # a cycle through definitions: assume shown
            self._shown[key] = self._changed_here(kind, name)
        return self._shown[key]

    def _decl(self, kind: str, name: str):
        return {"rule": self.pack.rules, "def": self.pack.defs,
                "param": self.pack.params}[kind][name]

    def _changed_here(self, kind: str, name: str) -> bool:
        d = self._decl(kind, name)
        if d.layer not in self.inherited:
            return True
        if any(e.layer not in self.inherited for e in _all_exceptions(
                getattr(d, "exceptions", []) or [])):
            return True
        if kind == "param":
            return False
        deps = self.res.deps.get((kind, name), ())
        return any(self.shown(k, n) for k, n in deps if k in ("def", "param"))

    def shown_rules(self) -> list:
        return [r for r in self.pack.rules.values() if self.shown("rule", r.id)]

    def _areas(self) -> list[tuple[str, str, str]]:
        used = list(dict.fromkeys(r.area for r in self.shown_rules()))
        order = [a for a in self.pack.areas if a in used] + [
            a for a in used if a not in self.pack.areas]
        out, slugs = [], set()
        for area in order:
            slug = md.anchor_slug(area)
            while slug in slugs:
                slug += "-x"
            slugs.add(slug)
            out.append((area, area_title(area, self.pack), f"{self.prefix}/regler/{slug}.md"))
        return out

    def area_page(self, area: str) -> str:
        return next(path for a, _t, path in self.areas if a == area)

    def rules_in(self, area: str) -> list:
        return [r for r in self.shown_rules() if r.area == area]

    def _register(self):
        pk = self.pack
        for kind, decls in (("rule", pk.rules), ("def", pk.defs), ("param", pk.params)):
            for name, d in decls.items():
                origin = self.origin(kind, name)
                if origin is None:
                    continue
                self.anchors[(kind, name)] = origin.anchors[(kind, name)]
                for exc in _all_exceptions(getattr(d, "exceptions", []) or []):
                    if ("exception", exc.id) in origin.anchors:
                        self.anchors[("exception", exc.id)] = origin.anchors[
                            ("exception", exc.id)]
        for rid, r in pk.rules.items():
            if ("rule", rid) in self.anchors:
                continue
            self.anchors[("rule", rid)] = (self.area_page(r.area), rid)
            for exc in _all_exceptions(r.exceptions):
                self.anchors.setdefault(("exception", exc.id), (self.area_page(r.area), rid))
        for name, d in pk.defs.items():
            if ("def", name) in self.anchors:
                continue
            self.anchors[("def", name)] = (self.page["definitioner"], name)
            for exc in _all_exceptions(d.exceptions):
                self.anchors.setdefault(("exception", exc.id), (self.page["definitioner"], name))
        for name in pk.params:
            self.anchors.setdefault(("param", name), (self.page["parametre"], name))
        for name in pk.facts:
            self.anchors[("fact", name)] = (self.page["datamodel"], name)
        for name in pk.types:
            self.anchors[("type", name)] = (self.page["datamodel"], name)
        for cid, k in pk.conflicts.items():
            origin = self.inherited.get(k.layer)
            if origin is not None and ("conflict", cid) in origin.anchors:
                self.anchors[("conflict", cid)] = origin.anchors[("conflict", cid)]
            else:
                self.anchors[("conflict", cid)] = (self.page["konflikter"], cid)

    def here(self, kind: str, name: str) -> bool:
        """Is this declaration (kind as `all_citations` names it) shown on this pack's pages?"""
        target = self.anchors.get((_OWNER_KINDS.get(kind, kind), name))
        return target is None or target[0].startswith(self.prefix + "/")

    # -- links --
    def href(self, from_page: str, kind: str, name: str) -> str | None:
        target = self.anchors.get((kind, name))
        if target is None:
            return None
        page, anchor = target
        return rel(from_page, page) + "#" + anchor

    def ref(self, from_page: str, kind: str, name: str, label: str | None = None) -> str:
        """A link to a declaration, showing `label` (escaped) or the id as code."""
        url = self.href(from_page, kind, name)
        shown = md.text(label) if label is not None else md.code(name)
        if url is None:
            return shown
        return f"[{shown}](<{url}>)"

    def label_of(self, kind: str, name: str) -> str | None:
        pk = self.pack
        if kind == "rule" and name in pk.rules:
            return pk.rules[name].title
        if kind == "def" and name in pk.defs:
            return pk.defs[name].title
        if kind == "param" and name in pk.params:
            return pk.params[name].title
        return None

    def ref_titled(self, from_page: str, kind: str, name: str) -> str:
        """'Title (`id`)' linked, for lists of rules and definitions."""
        title = self.label_of(kind, name)
        link = self.ref(from_page, kind, name, title) if title else self.ref(from_page, kind, name)
        return f"{link} ({md.code(name)})" if title else link

    # -- who uses what --
    def _reverse_deps(self) -> dict:
        rev = defaultdict(set)
        for item, deps in self.res.deps.items():
            for dep in deps:
                rev[dep].add(item)
        return rev

    def direct_users(self, kind: str, name: str) -> list[tuple[str, str]]:
        return sorted(self._reverse.get((kind, name), ()))

    def rules_using(self, kind: str, name: str) -> list[str]:
        """Every rule that depends on it, through any chain of definitions."""
        seen, stack, rules = set(), [(kind, name)], set()
        while stack:
            item = stack.pop()
            for user in self._reverse.get(item, ()):
                if user in seen:
                    continue
                seen.add(user)
                if user[0] == "rule":
                    rules.add(user[1])
                else:
                    stack.append(user)
        return sorted(rules)

    def uses(self, kind: str, name: str) -> tuple[list, list, list]:
        """(facts, definitions, parameters) it depends on, through definitions."""
        facts, defs, params = set(), set(), set()
        seen, stack = set(), [(kind, name)]
        while stack:
            item = stack.pop()
            for dep in self.res.deps.get(item, ()):
                if dep in seen:
                    continue
                seen.add(dep)
                if dep[0] == "fact":
                    facts.add(dep[1])
                elif dep[0] == "def":
                    defs.add(dep[1])
                    stack.append(dep)
                elif dep[0] == "param":
                    params.add(dep[1])
        return sorted(facts), sorted(defs), sorted(params)

    # -- review --
    def since_review(self, kind: str, name: str):
        """`review_history.ReviewDiff` for a declaration changed since its review, or None."""
        decl = self.decls.get((REVIEW_KINDS.get(kind, kind), name))
        if decl is None or decl.state != review.CHANGED:
            return None
        return review_history.since_review(decl, review.REVIEW_KEY,
                                           review.SECTIONS[decl.kind], review.fingerprint)

    def review_of(self, kind: str, name: str) -> tuple[str, dict | None]:
        decl = self.decls.get((REVIEW_KINDS.get(kind, kind), name))
        if decl is None:
            return review.NOT_REVIEWED, None
        return decl.state, decl.review


def rel(from_page: str, to_page: str) -> str:
    """A relative link between two docs pages (MkDocs resolves and checks .md links)."""
    if from_page == to_page:
        return ""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def _all_exceptions(excs):
    for e in excs:
        yield e
        yield from _all_exceptions(e.subs)
