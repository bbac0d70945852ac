"""Citations: check each cited provision and passage against the shipped texts.

A law citation is verified when its act (by `kort`) is in `kilder/love/`
and the paragraph (and stk., nr.) is found in the text; the quoted text is
then attached for the site. A document citation is verified when its
heading is a line of the document and its quote a passage of it. Anything
else is marked unverified with the reason — never filled in.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics
from ..front.decls import Citation, Pack


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def _para_key(p) -> str:
    return re.sub(r"\s+", "", str(p)).lower()


def _split_stk(text: str) -> dict[int, str]:
    """Provision text -> {stk number: text}; stk. 1 is the text before `Stk. 2.`."""
    parts = re.split(r"(?=\bStk\. \d+\. )", text)
    out = {1: parts[0].strip()}
    for part in parts[1:]:
        m = re.match(r"Stk\. (\d+)\. ", part)
        out[int(m.group(1))] = part.strip()
    return out


def _nr(text: str, nr: int) -> str | None:
    m = re.search(rf"(?:^|\s){nr}\) (.*?)(?=\s{nr + 1}\) |$)", text, re.DOTALL)
    return f"{nr}) {m.group(1).strip()}" if m else None


def verify_citation(c: Citation, pack: Pack) -> None:
    if c.kind == "lov":
        law = pack.laws.get(c.lov)
        if law is None:
            c.problem = f"loven `{c.lov}` er ikke blandt lovteksterne i kilder/love/"
            return
        _display, tree = law
        c.eli = str(tree["eli"])
        c.act_title = _norm(tree["titel"])
        text = None
        for b in tree["bestemmelser"]:
            if _para_key(b["paragraf"]) == _para_key(c.paragraf):
                text = _norm(b["tekst"])
        if text is None:
            c.problem = f"§ {c.paragraf} findes ikke i teksten til {c.lov}"
            return
        if c.stk:
            stks = _split_stk(text)
            if c.stk not in stks:
                c.problem = f"{c.lov} § {c.paragraf} har ikke stk. {c.stk} i den gemte tekst"
                return
            text = stks[c.stk]
        if c.nr:
            part = _nr(text, c.nr)
            if part is None:
                c.problem = f"{c.label()}: nr. {c.nr} findes ikke i teksten"
                return
            text = part
        c.quote = text
        c.verified = True
        return
    doc = pack.documents.get(str(c.dokument))
    if doc is None:
        c.problem = f"dokumentet `{c.dokument}` er ikke i kilder/dokumenter/"
        return
    _display, body = doc
    if c.afsnit is not None:
        headings = {_norm(line) for line in body.splitlines() if line.strip()}
        if _norm(c.afsnit) not in headings:
            c.problem = f"afsnittet »{c.afsnit}« er ikke en overskrift i dokument {c.dokument}"
            return
    if c.citat is not None:
        if _norm(c.citat) not in _norm(body):
            c.problem = f"citatet står ikke ordret i dokument {c.dokument}"
            return
        c.quote = _norm(c.citat)
    c.verified = True


def all_citations(pack: Pack):
    """(owner kind, owner id, citation) for every citation in the pack."""
    for p in pack.params.values():
        for c in p.citations:
            yield "parameter", p.name, c
        for per in p.periods:
            for c in per.citations:
                yield "parameter", p.name, c
    for d in pack.defs.values():
        for c in d.citations:
            yield "definition", d.name, c
        yield from _exc_citations(d.exceptions)
    for r in pack.rules.values():
        for c in r.citations:
            yield "regel", r.id, c
        yield from _exc_citations(r.exceptions)
    for k in pack.conflicts.values():
        for c in k.citations:
            yield "konflikt", k.id, c


def _exc_citations(excs):
    for e in excs:
        for c in e.citations:
            yield "undtagelse", e.id, c
        yield from _exc_citations(e.subs)


def verify_citations(pack: Pack, diags: Diagnostics) -> None:
    for _kind, _owner, c in all_citations(pack):
        verify_citation(c, pack)
        if not c.verified:
            diags.warning("unverified-citation", f"kilden {c.label()} er ubekræftet: {c.problem}",
                          c.span)
