"""Review-site page for law coverage, and the sentences each rule encodes.

In: a `PackContext`. Out: `lovdaekning.md` — every provision in the pack's
scope (`pakke.yaml`, `lovdækning.omfang`) sentence by sentence, each
sentence marked and coloured by its status (regel, definition, parameter,
udenfor, mangler) and linked to what encodes it, or showing why it is left
out — and, for a rule's section, the exact sentences it encodes, linked back.
The status is also written as a word, so the page does not depend on colour.
"""

from __future__ import annotations

import re

from .. import mdtext as md
from ..checks.lovdaekning import Daekning, by_id, counts, law_coverage
from .context import PackContext, rel

PAGE = "lovdaekning.md"
STATUS_TEXT = {
    "regel": "kodet i en regel", "definition": "kodet i en definition",
    "parameter": "kodet i en parameter", "udenfor": "udenfor", "mangler": "mangler",
}
_KIND = {"regel": "rule", "definition": "def", "parameter": "param"}

# Appended to the site's stylesheet (site/build.py): one colour per status.
CSS = """\
.md-typeset p.rk-lov { border-left: .35em solid; padding-left: .7em; }
.md-typeset p.rk-lov-regel { border-color: #2e7d32; }
.md-typeset p.rk-lov-definition, .md-typeset p.rk-lov-parameter { border-color: #1565c0; }
.md-typeset p.rk-lov-udenfor { border-color: #9e9e9e; color: var(--md-default-fg-color--light); }
.md-typeset p.rk-lov-mangler { border-color: #c62828; background: #c628281a; }
"""


def rows_of(ctx: PackContext) -> list[Daekning]:
    """The pack's coverage, computed once per site build."""
    rows = ctx.__dict__.get("_law_coverage")
    if rows is None:
        rows = law_coverage(ctx.pack)
        ctx.__dict__["_law_coverage"] = rows
    return rows


def page_of(ctx: PackContext) -> str:
    return f"{ctx.prefix}/{PAGE}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("§", "")).strip("-")


def paragraph_anchor(r: Daekning) -> str:
    return f"{_slug(r.lov)}-{_slug(r.paragraf)}"


def unit_anchor(r: Daekning) -> str:
    e = r.enhed
    return f"{paragraph_anchor(r)}-{e.stk}-{e.pkt}" + (f"-{e.nr}" if e.nr is not None else "")


def law_coverage_page(ctx: PackContext) -> str | None:
    rows = rows_of(ctx)
    if not rows:
        return None
    page = page_of(ctx)
    c = counts(rows)
    out = ["# Lovdækning", "",
           "Hver sætning (stk., pkt. og nr.) i de bestemmelser, pakken dækker, står her med "
           "det, der koder den, eller grunden til, at den er udenfor. Farven og ordet foran "
           "sætningen viser status: grøn er kodet i en regel, blå i en definition eller "
           "parameter, grå er udenfor med en grund, rød mangler. Samme liste giver "
           "`regelkode lovdækning`.", "",
           md.table(["Status", "Enheder"],
                    [[md.cell(STATUS_TEXT[s]), str(n)] for s, n in c.items()]), ""]
    current = None
    for r in rows:
        if (r.lov, r.paragraf) != current:
            current = (r.lov, r.paragraf)
            out += [f"## {md.text(r.lov)} § {md.text(r.paragraf)} {{#{paragraph_anchor(r)}}}", ""]
            eli = _eli(ctx, r.lov)
            if eli:
                out += [f"[{md.text(r.lov)} på retsinformation.dk]({eli})", ""]
        out += [_unit_paragraph(ctx, page, r), ""]
    return "\n".join(out).rstrip() + "\n"


def _eli(ctx: PackContext, lov: str) -> str | None:
    law = ctx.pack.laws.get(lov)
    eli = str(law[1].get("eli") or "") if law else ""
    return eli if eli.startswith("https://") and re.fullmatch(r"[\w:/.\-]+", eli) else None


def _unit_paragraph(ctx: PackContext, page: str, r: Daekning) -> str:
    rel_addr = r.enhed.adresse(stk_har_flere=r.flere_i_stk)
    head = f"**{md.text(rel_addr)}** {md.text(r.enhed.tekst)}"
    status = f"*{md.text(STATUS_TEXT[r.status])}*"
    if r.ids:
        links = ", ".join(ctx.ref(page, _kind_of(ctx, i), i) for i in r.ids)
        status += f": {links}"
    elif r.grund:
        status += f": {md.text(r.grund)}"
    if r.note and r.ids:
        status += f" ({md.text(r.note)})"
    return (f"{head}<br>\n→ {status}\n"
            f"{{: #{unit_anchor(r)} .rk-lov .rk-lov-{r.status} }}")


def _kind_of(ctx: PackContext, name: str) -> str:
    if name in ctx.pack.rules:
        return "rule"
    if name in ctx.pack.defs:
        return "def"
    return "param"


def encoded_sentences(ctx: PackContext, page: str, name: str) -> list[str]:
    """For a rule's (definition's, parameter's) section: the sentences it encodes."""
    mine = by_id(rows_of(ctx)).get(name) or []
    if not mine:
        return []
    target = rel(page, page_of(ctx))
    out = ["**Lovtekst, den koder**", ""]
    for r in mine:
        out.append(f"- [{md.text(r.adresse)}]({target}#{unit_anchor(r)}): "
                   f"»{md.text(r.enhed.tekst)}«")
    return [*out, ""]
