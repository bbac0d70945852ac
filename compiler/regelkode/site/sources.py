"""The sources side of the review site: citations, the sources page, conflicts.

In: a `PackContext` (citations already checked by `citations.py`, which put
the provision text, ELI address and any problem on each `Citation`). Out:
Markdown — a block per citation (used on every rule, definition and
parameter), the sources page (each cited provision with its text and who
cites it; each seed document with the passages no citation covers yet) and
the conflict register.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from .. import mdtext as md
from ..passes.citations import all_citations
from . import danish as dk
from .context import PackContext, rel

_OWNER_KINDS = {"regel": "rule", "definition": "def", "parameter": "param",
                "undtagelse": "exception", "konflikt": "conflict"}
_BULLET = re.compile(r"^\s*(?:[•\-*–]|\d+[.)])\s+")


def _norm(text: str) -> str:
    return " ".join(str(text).split())


# -- seed documents: passages and what covers them ------------------------------

@dataclass
class Passage:
    text: str
    heading: bool


def passages(body: str) -> list[Passage]:
    """A seed document as passages: paragraphs, each bullet on its own, headings apart.

    Blocks are separated by blank lines; inside a block, lines run on (they
    are wrapped text) except that a bullet starts a new passage. A block's
    first line is a heading when it is short and has no closing punctuation.
    """
    out: list[Passage] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if _looks_like_heading(lines[0].strip()):
            out.append(Passage(_norm(lines[0]), True))
            lines = lines[1:]
        current: list[str] = []
        for line in lines:
            if _BULLET.match(line) and current:
                out.append(Passage(_norm(" ".join(current)), False))
                current = []
            current.append(line.strip())
        if current:
            out.append(Passage(_norm(" ".join(current)), False))
    return out


def _looks_like_heading(line: str) -> bool:
    return len(line) <= 80 and not line.endswith((".", ":", ";", "!", "?", ",")) and not (
        _BULLET.match(line))


@dataclass
class DocCoverage:
    passages: list[Passage]
    cited_by: dict            # passage index -> sorted [(owner kind, owner id)]

    def uncovered(self) -> list[int]:
        return [i for i, p in enumerate(self.passages) if not p.heading and i not in self.cited_by]


def _spans(ps: list[Passage]) -> tuple[str, list[tuple[int, int]]]:
    joined, spans, pos = [], [], 0
    for p in ps:
        spans.append((pos, pos + len(p.text)))
        joined.append(p.text)
        pos += len(p.text) + 1
    return " ".join(joined), spans


def cited_passages(ps: list[Passage], c) -> list[int]:
    """Indexes of the passages a document citation rests on."""
    doc, spans = _spans(ps)
    if c.citat:
        quote = _norm(c.citat)
        hits, start = [], doc.find(quote)
        while quote and start != -1:
            end = start + len(quote)
            hits += [i for i, (a, b) in enumerate(spans) if a < end and start < b]
            start = doc.find(quote, start + 1)
        return sorted(set(hits))
    if c.afsnit:
        # A whole section: the passages after its heading, up to the next heading.
        heading = _norm(c.afsnit)
        for i, p in enumerate(ps):
            if p.heading and p.text == heading:
                out = []
                for j in range(i + 1, len(ps)):
                    if ps[j].heading:
                        break
                    out.append(j)
                return out
    return []


def coverage(pack) -> dict[str, DocCoverage]:
    """For each seed document: its passages and which rule, definition or parameter cites each.

    Conflict entries cite sources to discuss them, not to implement them, so
    they do not count as covering a passage.
    """
    out = {stem: DocCoverage(passages(body), {}) for stem, (_d, body) in pack.documents.items()}
    found = defaultdict(set)
    for kind, owner, c in all_citations(pack):
        if c.kind != "dokument" or kind == "konflikt" or str(c.dokument) not in out:
            continue
        cov = out[str(c.dokument)]
        for i in cited_passages(cov.passages, c):
            found[(str(c.dokument), i)].add((kind, owner))
    for (stem, i), owners in found.items():
        out[stem].cited_by[i] = sorted(owners)
    return out


# -- one citation ------------------------------------------------------------------

def doc_anchor(stem: str) -> str:
    return f"dokument-{md.anchor_slug(stem)}"


def law_anchor(kort: str) -> str:
    return f"lov-{md.anchor_slug(kort)}"


def provision_key(c) -> tuple:
    return (str(c.lov), re.sub(r"\s+", "", str(c.paragraf)).lower(), c.stk or 0, c.nr or 0,
            c.pkt or 0)


def provision_anchor(c) -> str:
    lov, para, stk, nr, pkt = provision_key(c)
    parts = [lov, para] + [f"{w}-{n}" for w, n in (("stk", stk), ("nr", nr), ("pkt", pkt)) if n]
    return "lov-" + md.anchor_slug("-".join(map(str, parts)))


def citation_block(ctx: PackContext, c, page: str, coverage_: dict | None = None) -> str:
    """A citation as Markdown: label (linked), the quoted text, the seed passage, problems."""
    sources = ctx.page["kilder"]
    lines = []
    if c.kind == "lov":
        label = md.link(c.label(), c.eli) if c.eli else md.text(c.label())
        where = ""
        if c.verified:
            url = rel(page, sources) + "#" + provision_anchor(c)
            where = f" · [alle henvisninger]({url})"
        title = f" — {md.text(c.act_title)}" if c.act_title else ""
        lines.append(f"**{label}**{title}{where}")
    else:
        label = md.text(c.label())
        url = rel(page, sources) + "#" + doc_anchor(str(c.dokument))
        known = str(c.dokument) in ctx.pack.documents
        meta = ctx.document_meta.get(str(c.dokument))
        name = (f"{md.text(meta['titel'])} — {md.text(meta['udgiver'])}" if meta
                else "kildedokumentet")
        warn = " · *kommerciel kilde*" if meta and meta.get("art") == "kommerciel" else ""
        lines.append(f"**{label}**" + (f" · [{name}]({url})" if known else "") + warn)
    if c.note:
        lines += ["", f"*Note:* {md.text(c.note)}"]
    if not c.verified:
        lines += ["", '!!! warning "Ubekræftet kilde"',
                  f"    {md.text(c.label())}: {md.text(c.problem or 'kunne ikke bekræftes')}. "
                  "Teksten er ikke kontrolleret mod kilden."]
    if c.quote:
        lines += ["", md.blockquote(c.quote)]
    if c.kind == "dokument" and c.verified and c.citat and str(c.dokument) in ctx.pack.documents:
        cov = (coverage_ or coverage(ctx.pack)).get(str(c.dokument))
        idx = cited_passages(cov.passages, c) if cov else []
        if idx:
            lines += ["", '??? quote "Afsnittet i kildedokumentet, som citatet står i"']
            for n, i in enumerate(idx):
                if n:
                    lines.append("")
                lines.append(f"    {md.text(cov.passages[i].text)}")
    return "\n".join(lines)


def citations_section(ctx: PackContext, cits: list, page: str, coverage_=None,
                      heading: str = "Kilder") -> str:
    if not cits:
        return f"**{md.text(heading)}:** ingen kilde angivet."
    blocks = [f"**{md.text(heading)}**"]
    for c in cits:
        blocks.append(citation_block(ctx, c, page, coverage_))
    return "\n\n".join(blocks)


def owner_link(ctx: PackContext, page: str, kind: str, owner: str) -> str:
    k = _OWNER_KINDS.get(kind, kind)
    if k == "exception":
        return f"undtagelsen {ctx.ref(page, 'exception', owner)}"
    if k == "conflict" and owner in ctx.pack.conflicts:
        return f"konflikten {ctx.ref(page, 'conflict', owner, ctx.pack.conflicts[owner].title)}"
    return ctx.ref_titled(page, k, owner)


# -- where a document comes from ----------------------------------------------------

KINDS = {"lov": "lovtekst", "myndighedspraksis": "myndighedspraksis (Ankestyrelsen, ministeriet)",
         "national_vejledning": "national vejledning",
         "kommunal_vejledning": "kommunal vejledning",
         "interesseorganisation": "interesseorganisation", "kommerciel": "kommerciel side"}


def document_title(meta: dict | None, stem: str) -> str:
    """'Kildedokument 004: Ressourceforløb — Stadsrevisionen' (the document's own title)."""
    if meta is None:
        return f"Kildedokument {stem} (herkomst ikke oplyst)"
    return f"Kildedokument {stem}: {meta['titel']} — {meta['udgiver']}"


def provenance_lines(meta: dict | None) -> list[str]:
    """Publisher, kind, address and dates as a list; a warning for a commercial page."""
    if meta is None:
        return ['!!! warning "Herkomst ikke oplyst"',
                "    Dokumentet har ingen oplysninger om titel, udgiver, adresse og "
                "hentedato (kilder/dokumenter/<navn>.yaml). Vurdér det med forsigtighed.", ""]
    out = []
    if meta.get("art") == "kommerciel" or meta.get("udaterede_tal"):
        what = []
        if meta.get("art") == "kommerciel":
            what.append("en kommerciel side, ikke en myndigheds vejledning")
        if meta.get("udaterede_tal"):
            what.append("tallene på siden (satser og beløb) står uden dato")
        out += ['!!! warning "Kommerciel kilde med udaterede tal"'
                if len(what) == 2 else '!!! warning "Vær opmærksom på kilden"',
                f"    Dokumentet er {', og '.join(what)}. Brug det ikke alene som grundlag "
                "for en regel; loven går forud.", ""]
    address = (md.link(meta["adresse"], meta["adresse"]) if meta.get("adresse")
               else "ikke gemt sammen med teksten")
    out += [f"- **Titel:** {md.text(meta['titel'])}",
            f"- **Udgiver:** {md.text(meta['udgiver'])}",
            f"- **Art:** {md.text(KINDS.get(meta['art'], meta['art']))}",
            f"- **Adresse:** {address}",
            f"- **Hentet senest:** {_date(meta['hentet'])}"]
    if meta.get("redigeret"):
        out.append(f"- **Sidst redigeret (ifølge dokumentet):** {_date(meta['redigeret'])}")
    if meta.get("bemærkning"):
        out.append(f"- **Bemærkning:** {md.text(meta['bemærkning'])}")
    return [*out, ""]


def _date(value) -> str:
    try:
        return md.text(dk.date_text(dt.date.fromisoformat(str(value))))
    except ValueError:
        return md.text(value)


# -- the sources page -------------------------------------------------------------

def _para_sort(p: str) -> tuple:
    m = re.match(r"(\d+)(.*)", p)
    return (int(m.group(1)), m.group(2)) if m else (10**9, p)


def sources_page(ctx: PackContext, coverage_: dict) -> str:
    page = ctx.page["kilder"]
    pk = ctx.pack
    out = [f"# Kilder — {md.text(pk.title)}", "",
           "Her står hver lovbestemmelse og hvert kildedokument, reglerne bygger på, med "
           "de regler, definitioner og parametre, der henviser til dem. Under hvert "
           "kildedokument står de afsnit, som ingen regel dækker endnu.", ""]
    by_provision: dict[tuple, list] = defaultdict(list)
    unverified = []
    docs: dict[str, list] = defaultdict(list)
    for kind, owner, c in all_citations(pk):
        if not ctx.here(kind, owner):
            continue              # shown, with its sources, on the pack it comes from
        if c.kind == "lov":
            if c.verified:
                by_provision[provision_key(c)].append((kind, owner, c))
            else:
                unverified.append((kind, owner, c))
        else:
            docs[str(c.dokument)].append((kind, owner, c))

    if ctx.inherited:
        out += ["Her står kun de kilder, som denne pakkes egne regler, definitioner, "
                "parametre og konflikter bruger, og dens egne kildefiler. De øvrige står under "
                + ", ".join(f"[{md.text(o.pack.title)}]({rel(page, o.page['kilder'])})"
                            for o in ctx.inherited.values()) + ".", ""]
    own_laws = set(pk.source.laws) if ctx.inherited else set(pk.laws)
    own_docs = set(pk.source.documents) if ctx.inherited else set(pk.documents)
    for kort, (_display, tree) in sorted(pk.laws.items()):
        cited = sorted((k for k in by_provision if k[0] == kort),
                       key=lambda k: (_para_sort(k[1]), k[2:]))
        if not cited and kort not in own_laws:
            continue
        out += [f"## {md.text(_norm(tree.get('titel', kort)))} ({md.text(kort)}) "
                f"{{#{law_anchor(kort)}}}", ""]
        meta = []
        if tree.get("eli"):
            meta.append(md.link("Loven på retsinformation.dk", str(tree["eli"])))
        if tree.get("dato"):
            meta.append(f"dateret {md.text(tree['dato'])}")
        if meta:
            out += [" · ".join(meta), ""]
        if not cited:
            out += ["Ingen regel henviser til denne lov.", ""]
        for key in cited:
            entries = by_provision[key]
            c = entries[0][2]
            out += [f"### {md.text(c.label())} {{#{provision_anchor(c)}}}", ""]
            if c.quote:
                out += [md.blockquote(c.quote), ""]
            users = list(dict.fromkeys(owner_link(ctx, page, k, o) for k, o, _c in entries))
            out += ["Henvist til af: " + ", ".join(users), ""]
        all_paras = [str(b.get("paragraf")) for b in tree.get("bestemmelser") or []]
        cited_paras = {k[1] for k in cited}
        rest = [p for p in all_paras if re.sub(r"\s+", "", p).lower() not in cited_paras]
        if rest:
            out += ["Bestemmelser i den gemte lovtekst, som ingen henviser til: "
                    + ", ".join(md.text(f"§ {p}") for p in rest) + ".", ""]

    if unverified:
        out += ["## Ubekræftede lovhenvisninger {#ubekraeftede}", "",
                "Disse henvisninger kunne ikke findes i de gemte lovtekster. De skal "
                "kontrolleres, før reglerne godkendes.", ""]
        rows = [[md.cell(c.label()), md.cell(c.problem or ""), owner_link(ctx, page, k, o)]
                for k, o, c in unverified]
        out += [md.table(["Henvisning", "Problem", "Henvist til af"], rows), ""]

    for stem, (_display, _body) in sorted(pk.documents.items()):
        if stem not in docs and stem not in own_docs:
            continue
        cov = coverage_[stem]
        meta = ctx.document_meta.get(stem)
        out += [f"## {md.text(document_title(meta, stem))} {{#{doc_anchor(stem)}}}", ""]
        out += provenance_lines(meta)
        cites = docs.get(stem, [])
        if cites:
            users = list(dict.fromkeys(owner_link(ctx, page, k, o) for k, o, _c in cites))
            out += ["Henvist til af: " + ", ".join(users), ""]
        else:
            out += ["Ingen regel henviser til dette dokument endnu.", ""]
        body = [i for i, p in enumerate(cov.passages) if not p.heading]
        missing = cov.uncovered()
        out += [f"{len(body) - len(missing)} af {len(body)} afsnit er dækket af en regel, "
                "definition eller parameter.", ""]
        if missing:
            out += ["**Ikke dækket endnu:**", ""]
            for i in missing:
                out += [md.blockquote(cov.passages[i].text), ""]
    bad_docs = sorted(s for s in docs if s not in pk.documents)
    for stem in bad_docs:
        out += [f"## Kildedokument {md.text(stem)} (findes ikke)", "",
                "Der henvises til dokumentet, men det ligger ikke i kilder/dokumenter/.", ""]
    return "\n".join(out).rstrip() + "\n"


# -- the conflict register --------------------------------------------------------

STATUS = {"åben": "åben — ikke afgjort endnu", "afgjort": "afgjort"}


def conflicts_page(ctx: PackContext, coverage_: dict) -> str:
    page = ctx.page["konflikter"]
    pk = ctx.pack
    out = [f"# Konflikter — {md.text(pk.title)}", "",
           "Hvor kilderne siger noget forskelligt, står uenigheden her: begge kilder, "
           "hvad der er valgt, og hvilke regler valget påvirker. Loven går forud for "
           "vejledninger og kommunale dokumenter.", ""]
    if not pk.conflicts:
        out += ["Der er ingen registrerede konflikter i denne pakke.", ""]
    if ctx.inherited:
        out += ["Her står kun denne pakkes egne konflikter. De øvrige står under "
                + ", ".join(f"[{md.text(o.pack.title)}]({rel(page, o.page['konflikter'])})"
                            for o in ctx.inherited.values()) + ".", ""]
    for cid, k in pk.conflicts.items():
        if not ctx.here("konflikt", cid):
            continue
        out += [f"## {md.text(k.title)} {{#{cid}}}", "",
                f"**Status:** {md.text(STATUS.get(k.status, k.status))} · **Id:** {md.code(cid)}",
                "", md.text(k.description), "",
                citations_section(ctx, k.citations, page, coverage_, "Kilderne"), "",
                f"**Valg:** {md.text(k.choice)}", ""]
        if k.rules:
            links = []
            for name in k.rules:
                kind = next((kd for kd in ("rule", "def", "param", "fact", "exception")
                             if (kd, name) in ctx.anchors), None)
                links.append(ctx.ref_titled(page, kind, name) if kind else md.code(name))
            out += ["**Berører:** " + ", ".join(links), ""]
    return "\n".join(out).rstrip() + "\n"
