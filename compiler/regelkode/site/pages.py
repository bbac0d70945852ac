"""Review-site back end: compiled packs -> the site's Markdown pages and navigation.

In: every `Compiled` pack (`pipeline.compile_pack`). Out: `SiteDocs` — page
path (relative to the docs folder) -> Markdown text, extra files (each pack's
case schema), and the navigation in reading order. Pure and deterministic:
the same packs give byte-identical pages. `site.py` writes them next to the
hand-written pages and runs MkDocs.

Layout: `index.md` (the start page) and, per pack, `genereret/<pack>/`:
`regler/<område>.md`, `definitioner.md`, `parametre.md`, `datamodel.md`,
`kilder.md`, `konflikter.md`, `forloeb.md`, `aendringer.md` (the semantic diff
since the last release, from `diff.changes_markdown`) and `sag.schema.json`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import mdtext as md
from ..backends.schema import emit as emit_schema
from ..checks import review
from ..checks.diff_render import changes_markdown
from . import playground
from . import sql as site_sql
from .context import PackContext, rel
from .lovdaekning import law_coverage_page
from .lovdaekning import page_of as law_coverage_path
from .reference import datamodel_page, definitions_page, parameters_page
from .rules import area_page
from .sources import conflicts_page, coverage, sources_page
from .timeline import SVG_NAME, timeline_page

GENERATED = "genereret"


@dataclass
class SiteDocs:
    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    nav: list = field(default_factory=list)        # [(title, path | [(title, path), ...])]


def emit_site(results) -> SiteDocs:
    site = SiteDocs()
    contexts: list[PackContext] = []
    by_id: dict[str, PackContext] = {}
    for c in base_first([c for c in results if c.pack is not None and c.program is not None]):
        inherited = {lid: by_id[lid] for lid in c.pack.layers if lid in by_id}
        ctx = PackContext(c, f"{GENERATED}/{c.pack.id}", inherited)
        by_id[c.pack.id] = ctx
        contexts.append(ctx)
        section = _emit_pack(ctx, site)
        site.nav.append((ctx.pack.title, section))
    site.files.update(playground.assets())
    site.pages["index.md"] = start_page(contexts)
    site.nav.insert(0, ("Start", "index.md"))
    return site


def base_first(results: list) -> list:
    """Packs in an order where each comes after the packs it extends (else by id)."""
    ids = {c.pack.id for c in results}
    done: list = []
    pending = sorted(results, key=lambda c: c.pack.id)
    while pending:
        placed = {c.pack.id for c in done}
        ready = next((c for c in pending if all(
            lid in placed or lid not in ids or lid == c.pack.id for lid in c.pack.layers)),
            pending[0])
        done.append(ready)
        pending.remove(ready)
    return done


def _emit_pack(ctx: PackContext, site: SiteDocs) -> list:
    cov = coverage(ctx.pack)
    nav = []
    for area, title, page in ctx.areas:
        site.pages[page] = area_page(ctx, area, title, page, cov)
        nav.append((title, page))
    timeline, drawing = timeline_page(ctx)
    if drawing is not None:
        site.files[f"{ctx.prefix}/{SVG_NAME}"] = drawing
    pages = [
        ("Definitioner", "definitioner", definitions_page(ctx, cov)),
        ("Parametre", "parametre", parameters_page(ctx, cov)),
        ("Datamodel", "datamodel", datamodel_page(ctx)),
        ("Kilder", "kilder", sources_page(ctx, cov)),
        ("Konflikter", "konflikter", conflicts_page(ctx, cov)),
        ("Forløbet i tid", "forløb", timeline),
        ("Ændringer", "ændringer", changes_markdown(ctx.c.path)),
    ]
    for title, key, text in pages:
        site.pages[ctx.page[key]] = text
        nav.append((title, ctx.page[key]))
    coverage_page = law_coverage_page(ctx)   # only for a pack that declares its scope
    if coverage_page is not None:
        site.pages[law_coverage_path(ctx)] = coverage_page
        nav.insert(len(ctx.areas) + 4, ("Lovdækning", law_coverage_path(ctx)))
    site.pages[playground.page_path(ctx)] = playground.page(ctx)
    site.files.update(playground.pack_files(ctx))
    nav.append((playground.PAGE_TITLE, playground.page_path(ctx)))
    # the SQL backend's views, for running the pack where the data lives
    sql_files = site_sql.sql_files(ctx)
    site.files.update(sql_files)
    site.pages[f"{ctx.prefix}/sql.md"] = site_sql.sql_page(ctx, sql_files)
    nav.append(("SQL", f"{ctx.prefix}/sql.md"))
    schema = emit_schema.emit_case_schema(ctx.program)
    site.files[f"{ctx.prefix}/sag.schema.json"] = schema.encode("utf-8")
    return nav


# -- the start page -------------------------------------------------------------

HOW_TO_READ = """\
## Sådan læser du en regel

Hver regel har sit eget afsnit på siden for sit område. Afsnittet viser:

- **Titel og alvor.** *Brud* betyder, at sagen er i strid med reglen, når kravet ikke er
  opfyldt; *opmærksomhed* betyder, at sagsbehandleren skal se på sagen.
- **Gennemgang.** *Ikke gennemgået*, *gennemgået* (af hvem og hvornår) eller *ændret siden
  gennemgang*: reglen er rettet, efter at en jurist godkendte den, og skal ses igen.
- **Kilder.** Lovbestemmelser med link til retsinformation.dk og den citerede lovtekst, og
  kildedokumenter med citatet og det afsnit, det står i. En kilde, der ikke kunne findes i
  den gemte tekst, er markeret *ubekræftet*.
- **Reglen på dansk.** Den formelle regel læst op på dansk. Teksten er dannet automatisk af
  den samme regel, som sagerne kontrolleres med, så de to kan ikke komme ud af trit.
- **Den formelle regel.** Præcis som den står i regelfilen: hvornår reglen gælder, kravet og
  eventuelle undtagelser.
- **Eksempler.** Små sager med det forventede resultat. De køres ved hver ændring, og
  bygningen fejler, hvis et resultat ændrer sig.
- **Bygger på.** De fakta, definitioner og parametre, reglen bruger, med link.

### Godkend en regel

Når en regel er gennemgået og i orden, registreres godkendelsen med én kommando:

```sh
regelkode godkend rules/<pakke> <regel-id> --af "Fornavn Efternavn" [--dato ÅÅÅÅ-MM-DD]
```

Kommandoen skriver `gennemgået: {af, dato, fingeraftryk, commit}` i reglens YAML-fil
(`commit` kun i en git-arbejdskopi). Fingeraftrykket er reglens indhold på
godkendelsestidspunktet; ændres reglen senere, står den her som *ændret siden
gennemgang* med forskellen fra commit'en til nu, og `regelkode check` advarer. Commit
reglen, før den godkendes: så er commit'en præcis den version, der blev godkendt.
"""


def start_page(contexts: list[PackContext]) -> str:
    out = ["# Regelkode — reglerne til gennemgang", "",
           "Dette er reglerne, som de er skrevet i regelkode, stillet op til juridisk "
           "gennemgang. Alt på siden er dannet af de samme regelfiler, som sagerne "
           "kontrolleres med: teksten kan ikke afvige fra det, der faktisk kontrolleres.", ""]
    if not contexts:
        out += ["Der er ingen regelpakker.", ""]
    for ctx in contexts:
        out += _pack_summary(ctx)
    out += [HOW_TO_READ]
    return "\n".join(out).rstrip() + "\n"


def _pack_summary(ctx: PackContext) -> list[str]:
    pk = ctx.pack
    page = "index.md"
    layers = [f"{md.text(pk.layer_titles.get(lid, lid))} ({md.code(lid)})" for lid in pk.layers]
    out = [f"## {md.text(pk.title)}", "",
           f"Pakke {md.code(pk.id)}, version {md.text(pk.version)}"
           + (f"; lag: {', '.join(layers)}" if len(layers) > 1 else "") + ".", ""]
    if pk.description:
        out += [md.text(pk.description), ""]
    shown = ctx.shown_rules()
    if ctx.inherited:
        bases = ", ".join(md.text(o.pack.title) for o in ctx.inherited.values())
        out += [f"Pakken bygger på {bases}. Her står de {len(shown)} regler, som den tilføjer "
                "eller ændrer (også gennem en ændret definition eller parameter); de øvrige "
                f"{len(pk.rules) - len(shown)} gælder uændret og står én gang, under den "
                "pakke, de kommer fra.", ""]
    out += [f"{len(pk.rules)} regler, {len(pk.defs)} definitioner, {len(pk.params)} parametre "
            f"og {len(pk.facts)} fakta. Se også "
            + ", ".join(f"[{t}]({rel(page, ctx.page[k])})" for t, k in (
                ("definitionerne", "definitioner"), ("parametrene", "parametre"),
                ("datamodellen", "datamodel"), ("kilderne", "kilder"),
                ("konflikterne", "konflikter"), ("forløbet i tid", "forløb"))) + ".", ""]
    states = {r.id: ctx.review_of("rule", r.id)[0] for r in shown}
    rows = []
    for area, title, area_page_ in ctx.areas:
        rules = ctx.rules_in(area)
        counts = Counter(states[r.id] for r in rules)
        rows.append([f"[{md.text(title)}]({rel(page, area_page_)})", str(len(rules)),
                     str(counts[review.REVIEWED]), str(counts[review.CHANGED]),
                     str(counts[review.NOT_REVIEWED])])
    total = Counter(states.values())
    rows.append(["**I alt**", f"**{len(shown)}**", f"**{total[review.REVIEWED]}**",
                 f"**{total[review.CHANGED]}**", f"**{total[review.NOT_REVIEWED]}**"])
    out += ["### Regler efter område og gennemgang", "",
            md.table(["Område", "Regler", "Gennemgået", "Ændret siden gennemgang",
                      "Ikke gennemgået"], rows), ""]
    changed = [rid for rid, s in states.items() if s == review.CHANGED]
    if changed:
        out += ["**Ændret siden gennemgang:** " + ", ".join(
            ctx.ref(page, "rule", rid, pk.rules[rid].title) for rid in changed), ""]
    open_ = [(cid, k) for cid, k in pk.conflicts.items() if k.status != "afgjort"]
    out += ["### Åbne konflikter", ""]
    if open_:
        out += [f"- {ctx.ref(page, 'conflict', cid, k.title)}" for cid, k in open_] + [""]
    else:
        settled = len(pk.conflicts)
        out += [f"Ingen åbne konflikter ({settled} afgjort{'e' if settled != 1 else ''})." if
                settled else "Ingen registrerede konflikter.", ""]
    return out
