"""Reference pages of the review site: definitions, parameters, the data model.

In: a `PackContext` (the compiled program supplies each parameter's dated
values, computed at build time). Out: Markdown for three pages. Every entry
sits under an anchor that is its name, says who uses it (back-links to rules
and definitions) and, for definitions and parameters, its sources and
review state.
"""

from __future__ import annotations

from .. import mdtext as md
from .. import runtime as rt
from . import danish as dk
from .context import PackContext, rel
from .lovdaekning import encoded_sentences
from .rules import (
    danish_block,
    examples_table,
    expr_source,
    formal_block,
    review_line,
    review_note,
    uses_lines,
)
from .sources import citations_section


def used_by_lines(ctx: PackContext, page: str, kind: str, name: str) -> list[str]:
    direct = ctx.direct_users(kind, name)
    rules = ctx.rules_using(kind, name)
    defs = [n for k, n in direct if k == "def"]
    params = [n for k, n in direct if k == "param"]
    out = []
    if rules:
        out.append("**Bruges af reglerne:** " + ", ".join(
            ctx.ref(page, "rule", r, ctx.pack.rules[r].title) for r in rules))
    if defs:
        out.append("**Bruges direkte af definitionerne:** " + ", ".join(
            ctx.ref(page, "def", d) for d in defs))
    if params:
        out.append("**Bruges af parametrene:** " + ", ".join(
            ctx.ref(page, "param", p) for p in params))
    if not out:
        out.append("**Bruges af:** ingen regel.")
    return out


def type_link(ctx: PackContext, page: str, type_text: str) -> str:
    """`liste af samtale` with `samtale` linked to its type."""
    words = str(type_text).split()
    if words and words[-1] in ctx.pack.types:
        head = " ".join(words[:-1])
        link = ctx.ref(page, "type", words[-1])
        return f"{md.text(head)} {link}" if head else link
    return md.code(type_text)


# -- definitions -----------------------------------------------------------------

def decision_table(table) -> str:
    headers = [md.code(expr_source(e)) for e in table.inputs] + ["Resultat", "Note"]
    rows = []
    for row in table.rows:
        cells = [md.code(expr_source(c)) for c in row.cells]
        cells += [md.code(expr_source(row.result)), md.cell(row.note or "")]
        rows.append(cells)
    return md.table(headers, rows)


def inherited_note(ctx: PackContext, page: str, key: str, word: str) -> list[str]:
    """'The rest come unchanged from …': a link to each extended pack's page instead."""
    if not ctx.inherited:
        return []
    links = [f"[{md.text(o.pack.title)}]({rel(page, o.page[key])})"
             for o in ctx.inherited.values()]
    return [f"Her står kun de {word}, som denne pakke tilføjer eller ændrer. De øvrige "
            f"gælder uændret og står under {', '.join(links)}.", ""]


def definitions_page(ctx: PackContext, coverage_: dict) -> str:
    page = ctx.page["definitioner"]
    pk = ctx.pack
    out = [f"# Definitioner — {md.text(pk.title)}", "",
           "En definition er en navngiven værdi, som reglerne bruger. Den beregnes ud fra "
           "sagens fakta, parametre og andre definitioner.", ""]
    out += inherited_note(ctx, page, "definitioner", "definitionerne")
    for name, d in pk.defs.items():
        if not ctx.shown("def", name):
            continue
        t = ctx.typing.def_types.get(name) if ctx.typing else None
        out += [f"## {md.text(d.title or name)} {{#{name}}}", ""]
        out += review_note(ctx, "def", name)
        out += [f"- **Navn:** {md.code(name)}",
                f"- **Type:** {md.code(str(t) if t is not None else d.type_text)}",
                f"- **Lag:** {md.code(d.layer)}, filen {md.code(d.file)}",
                f"- **Gennemgang:** {review_line(ctx, 'def', name)}", ""]
        if d.description:
            out += [md.text(d.description), ""]
        out += ["**På dansk**", "", danish_block(
            dk.definition_sentences(d, ctx.types, ctx.param_values)), ""]
        if d.table is not None:
            hit = ("den første række, der passer, gælder" if d.table.hit == "første"
                   else "præcis én række må passe")
            out += [f"**Beslutningstabel** (hitpolitik {md.code(d.table.hit)}: {hit})", "",
                    decision_table(d.table), ""]
            if d.exceptions:
                out += ["**Undtagelser**", "", formal_block(
                    None, None, d.exceptions, value_word="værdi", layer=d.layer), ""]
        else:
            out += ["**Formelt**", "", formal_block(
                None, d.value, d.exceptions, value_word="værdi", layer=d.layer), ""]
        out += [citations_section(ctx, d.citations, page, coverage_), ""]
        out += encoded_sentences(ctx, page, name)
        if d.examples:
            out += ["**Eksempler**", "", examples_table(d.examples), ""]
        uses = uses_lines(ctx, page, "def", name)
        out += [f"- {line}" for line in uses + used_by_lines(ctx, page, "def", name)] + [""]
    if not pk.defs:
        out += ["Pakken har ingen definitioner.", ""]
    return "\n".join(out).rstrip() + "\n"


# -- parameters --------------------------------------------------------------------

def parameters_page(ctx: PackContext, coverage_: dict) -> str:
    page = ctx.page["parametre"]
    pk = ctx.pack
    out = [f"# Parametre — {md.text(pk.title)}", "",
           "En parameter er en værdi med en dateret historik, fx en sats. Værdien på en "
           "dato er den seneste, der gælder fra en dato, som ikke ligger efter den. "
           "Beregnede værdier regnes ud, når pakken bygges; beregningen står ved siden af.",
           ""]
    out += inherited_note(ctx, page, "parametre", "parametrene")
    for name, p in pk.params.items():
        if not ctx.shown("param", name):
            continue
        compiled = ctx.program.params.get(name) if ctx.program else None
        out += [f"## {md.text(p.title or name)} {{#{name}}}", ""]
        out += review_note(ctx, "param", name)
        unit = p.unit or "–"
        out += [f"- **Navn:** {md.code(name)}",
                f"- **Type:** {md.code(p.type_text)} · **Enhed:** {md.text(unit)}",
                f"- **Lag:** {md.code(p.layer)}, filen {md.code(p.file)}"
                + (f" (erstatter historikken fra {md.code(p.overrides)})" if p.overrides else ""),
                f"- **Gennemgang:** {review_line(ctx, 'param', name)}", ""]
        out += [md.text(p.description), ""]
        by_start = {per.start: per for per in p.periods}
        rows = []
        if compiled is not None:
            for start, value, computed in zip(compiled.dates, compiled.values,
                                              compiled.computed or (False,) * len(compiled.dates),
                                              strict=False):
                per = by_start.get(start)
                how = "fast værdi"
                if computed and per is not None and per.computed is not None:
                    how = (f"beregnet: {md.code(expr_source(per.computed))}"
                           + (f" — {md.text(dk.render(per.computed.node, ctx.types))}"
                              if per.computed.node is not None else ""))
                cites = "; ".join(md.text(c.label()) for c in (per.citations if per else []))
                note = md.cell(per.note) if per is not None and per.note else ""
                rows.append([md.cell(dk.date_text(start)),
                             f"**{md.cell(rt.tekst(value, compiled.desc))}**", how,
                             cites or "–", note or "–"])
        out += ["**Historik**", "",
                md.table(["Gælder fra", "Værdi", "Sådan", "Kilder", "Note"], rows), ""]
        cites = list(p.citations) + [c for per in p.periods for c in per.citations]
        out += [citations_section(ctx, _unique(cites), page, coverage_), ""]
        out += encoded_sentences(ctx, page, name)
        out += [f"- {line}" for line in used_by_lines(ctx, page, "param", name)] + [""]
    if not pk.params:
        out += ["Pakken har ingen parametre.", ""]
    return "\n".join(out).rstrip() + "\n"


def _unique(cites: list) -> list:
    seen, out = set(), []
    for c in cites:
        key = (c.kind, c.lov, c.paragraf, c.stk, c.nr, c.pkt, c.dokument, c.afsnit, c.citat)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


# -- the data model ----------------------------------------------------------------

def datamodel_page(ctx: PackContext) -> str:
    page = ctx.page["datamodel"]
    pk = ctx.pack
    out = [f"# Datamodel — {md.text(pk.title)}", "",
           "Det er de oplysninger, en sag kan indeholde. Et faktum, sagen ikke angiver, er "
           "*ukendt*; regler, der har brug for det, får status ukendt, og rapporten siger, "
           "hvad der mangler. Sagen er et JSON-objekt med et felt pr. faktum: "
           "[JSON-skemaet for en sag](sag.schema.json) kontrollerer formen.", "",
           "## Fakta", ""]
    for name, f in pk.facts.items():
        out += [f"### {md.code(name)} {{#{name}}}", "",
                f"- **Type:** {type_link(ctx, page, f.type_text)}"
                + (f" · **Enhed:** {md.text(f.unit)}" if f.unit else ""),
                f"- **Beskrivelse:** {md.text(f.description)}",
                f"- **Lag:** {md.code(f.layer)}, filen {md.code(f.file)}"]
        out += [f"- {line}" for line in used_by_lines(ctx, page, "fact", name)] + [""]
    if not pk.facts:
        out += ["Pakken har ingen fakta.", ""]
    records = [t for t in pk.types.values() if t.values is None]
    enums = [t for t in pk.types.values() if t.values is not None]
    if records:
        out += ["## Posttyper", "", "En post er en samling af felter, fx én samtale i en liste "
                "af samtaler.", ""]
        for t in records:
            rows = [[md.code(fname), type_link(ctx, page, ftext), md.cell(fdesc or "")]
                    for fname, (ftext, fdesc, _span) in t.fields.items()]
            out += [f"### {md.code(t.name)} {{#{t.name}}}", "", md.text(t.description), "",
                    md.table(["Felt", "Type", "Beskrivelse"], rows), ""]
            out += [f"- {line}" for line in _type_users(ctx, page, t.name)] + [""]
    if enums:
        out += ["## Opregninger", "", "En opregning har et fast sæt værdier; sagen skal bruge "
                "en af dem.", ""]
        for t in enums:
            out += [f"### {md.code(t.name)} {{#{t.name}}}", "", md.text(t.description), "",
                    "**Værdier:** " + ", ".join(md.code(v) for v in t.values), ""]
            out += [f"- {line}" for line in _type_users(ctx, page, t.name)] + [""]
    return "\n".join(out).rstrip() + "\n"


def _type_users(ctx: PackContext, page: str, type_name: str) -> list[str]:
    pk = ctx.pack
    facts = [n for n, f in pk.facts.items() if str(f.type_text).split()[-1:] == [type_name]]
    types = [t.name for t in pk.types.values() if t.values is None and any(
        str(ftext).split()[-1:] == [type_name] for ftext, _d, _s in t.fields.values())]
    out = []
    if facts:
        out.append("**Fakta af denne type:** " + ", ".join(ctx.ref(page, "fact", n)
                                                          for n in facts))
    if types:
        out.append("**Felter i posterne:** " + ", ".join(ctx.ref(page, "type", n) for n in types))
    return out
