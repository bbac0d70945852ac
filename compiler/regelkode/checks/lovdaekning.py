"""Law coverage: every sentence of the provisions in scope is encoded or left out on purpose.

The pack declares its scope in `pakke.yaml` (`lovdækning.omfang`: acts and
paragraphs, optionally some stk. only). Each provision in scope is split
into units — stk., pkt., nr. — by `front.lovenheder`, and
`lovdaekning.yaml` maps each unit to the rules, definitions or parameters
that encode it, or marks it `udenfor` with a reason, or `mangler` (a known
gap, said aloud). A unit with no entry at all is an error: a reviewer must
be able to tell a gap from a choice.

Mapping keys are written as a jurist cites the unit, relative to its
paragraph: "stk. 2", "stk. 1, 2. pkt.", "stk. 1, nr. 3" ("stk. 1" may be
left out when the paragraph has a single stk.). A key naming a whole stk. —
or `udenfor` on a whole paragraph — may mark all its units `udenfor`; an
encoding must name the unit itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostics, Span, did_you_mean
from ..front.load import key_span, value_span
from ..front.lovenheder import Enhed, split_units

STATUSES = ("regel", "definition", "parameter", "udenfor", "mangler")
_KEY = re.compile(r"^(?:stk\. (\d+))?(?:,? ?(\d+)\. pkt\.)?(?:,? ?nr\. (\d+))?$")


@dataclass
class Daekning:
    """One unit in scope and what covers it."""

    lov: str
    paragraf: str            # as the act writes it: "113 a"
    enhed: Enhed
    flere_i_stk: bool        # the stk. has more than one unit (then pkt./nr. is shown)
    status: str = "mangler"
    ids: list[str] = field(default_factory=list)
    grund: str = ""
    note: str = ""
    span: Span | None = None  # where the unit sits in the law file

    @property
    def adresse(self) -> str:
        rel = self.enhed.adresse(stk_har_flere=self.flere_i_stk)
        return f"{self.lov} § {self.paragraf}, {rel}"

    def to_json(self) -> dict:
        e = self.enhed
        return {"lov": self.lov, "paragraf": self.paragraf, "stk": e.stk, "nr": e.nr,
                "pkt": e.pkt, "tekst": e.tekst, "status": self.status, "regler": list(self.ids),
                "grund": self.grund or self.note}


def paragraph_label(raw) -> str:
    """"113a" -> "113 a" (the way the act prints it)."""
    m = re.fullmatch(r"\s*(\d+)\s*([a-z]?)\s*", str(raw))
    return f"{m.group(1)} {m.group(2)}".strip() if m else str(raw).strip()


def _pkey(raw) -> str:
    return re.sub(r"\s+", "", str(raw)).lower()


def law_coverage(pack, diags: Diagnostics | None = None) -> list[Daekning]:
    """The units in scope with their status; problems go to `diags` (or are dropped)."""
    diags = diags if diags is not None else Diagnostics()
    src = pack.source
    scope = (src.manifest.get("lovdækning") or {}).get("omfang") or []
    if not scope:
        if src.law_coverage is not None:
            diags.warning("law-coverage-scope", "lovdaekning.yaml bruges ikke: pakke.yaml angiver "
                          "intet omfang (lovdækning.omfang)", Span(src.law_coverage[0], 1, 1))
        return []
    mdisplay = f"{src.display}/pakke.yaml"
    mapping = src.law_coverage[1] if src.law_coverage else {}
    if src.law_coverage is None:
        if (src.path / "lovdaekning.yaml").exists():
            return []  # it did not load; its own errors say why
        diags.error("law-coverage-file", "pakke.yaml angiver en lovdækning, men "
                    "lovdaekning.yaml findes ikke", Span(mdisplay, 1, 1),
                    "opret lovdaekning.yaml med en linje for hver enhed i omfanget")
    kinds = {**{n: "parameter" for n in pack.params}, **{n: "definition" for n in pack.defs},
             **{n: "regel" for n in pack.rules}}
    out: list[Daekning] = []
    seen_paragraphs: set[tuple[str, str]] = set()
    for entry in scope:
        where = value_span(entry, "lov")
        lov = str(entry["lov"])
        law = pack.laws.get(lov)
        if law is None:
            diags.error("law-coverage-scope", f"loven `{lov}` er ikke blandt lovteksterne i "
                        "kilder/love/", where, did_you_mean(lov, pack.laws))
            continue
        provisions = {_pkey(b["paragraf"]): b for b in law[1]["bestemmelser"]}
        wanted = entry["paragraffer"]
        keys = list(provisions) if wanted == "alle" else [_pkey(p) for p in wanted]
        only_stk = set(entry.get("stk") or [])
        if only_stk and len(keys) != 1:
            diags.error("law-coverage-scope", "`stk` kan kun bruges med én paragraf",
                        value_span(entry, "stk"))
            only_stk = set()
        for key in keys:
            b = provisions.get(key)
            if b is None:
                diags.error("law-coverage-scope", f"§ {paragraph_label(key)} findes ikke i "
                            f"teksten til {lov}", value_span(entry, "paragraffer"))
                continue
            if (lov, key) in seen_paragraphs:
                continue
            seen_paragraphs.add((lov, key))
            out += _cover_paragraph(lov, b, only_stk, mapping, kinds, where, diags)
    _unused_keys(mapping, pack, seen_paragraphs, diags)
    return out


def _cover_paragraph(lov, b, only_stk, mapping, kinds, scope_span, diags) -> list[Daekning]:
    label = paragraph_label(b["paragraf"])
    text = b["tekst"]
    units = [u for u in split_units(str(text)) if not only_stk or u.stk in only_stk]
    per_stk: dict[int, int] = {}
    for u in split_units(str(text)):
        per_stk[u.stk] = per_stk.get(u.stk, 0) + 1
    single_stk = len(per_stk) == 1
    rows = []
    for u in units:
        span = text.offset_span(u.start, u.end) if hasattr(text, "offset_span") else None
        rows.append(Daekning(lov, label, u, per_stk[u.stk] > 1, span=span))
    law_map = mapping.get(lov) if isinstance(mapping, dict) else None
    pmap, pspan = None, scope_span
    if isinstance(law_map, dict):
        for k in law_map:
            if _pkey(str(k).lstrip("§ ")) == _pkey(b["paragraf"]):
                pmap, pspan = law_map[k], key_span(law_map, k)
    if isinstance(pmap, dict) and "udenfor" in pmap:
        for r in rows:
            r.status, r.grund, r.note = "udenfor", str(pmap["udenfor"]), str(pmap.get("note") or "")
        return rows
    claimed: dict[int, str] = {}
    index: dict[tuple, list[int]] = {}   # (stk,), (stk, "pkt", pkt), (stk, "nr", nr) -> rows
    for i, r in enumerate(rows):
        e = r.enhed
        index.setdefault((e.stk,), []).append(i)
        index.setdefault((e.stk, "nr", e.nr) if e.nr is not None else (e.stk, "pkt", e.pkt),
                         []).append(i)
    for key, value in (pmap or {}).items():
        kspan = key_span(pmap, key)
        m = _KEY.match(str(key).strip())
        if not m or not str(key).strip():
            diags.error("law-coverage-key", f"`{key}` er ikke en enhed (skriv fx \"stk. 2\", "
                        "\"stk. 1, 2. pkt.\" eller \"stk. 1, nr. 3\")", kspan)
            continue
        stk = int(m.group(1)) if m.group(1) else (1 if single_stk else None)
        pkt = int(m.group(2)) if m.group(2) else None
        nr = int(m.group(3)) if m.group(3) else None
        if stk is None:
            diags.error("law-coverage-key", f"§ {label} har flere stk.; angiv stk. i `{key}`",
                        kspan)
            continue
        hits = _lookup(index, rows, stk, pkt, nr)
        if not hits:
            diags.error("law-coverage-key", f"{lov} § {label} har ingen enhed `{key}` i omfanget",
                        kspan)
            continue
        status, ids, grund, note = _entry(value, kinds, pmap, key, diags)
        if status is None:
            continue
        if len(hits) > 1 and status not in ("udenfor", "mangler"):
            diags.error("law-coverage-key", f"`{key}` dækker {len(hits)} enheder; en kodning skal "
                        "nævne den enkelte sætning (angiv pkt. eller nr.)", kspan)
            continue
        for i in hits:
            if i in claimed:
                diags.error("law-coverage-key", f"{rows[i].adresse} er også dækket af "
                            f"`{claimed[i]}`", kspan)
                continue
            claimed[i] = str(key)
            r = rows[i]
            r.status, r.ids, r.grund, r.note = status, ids, grund, note
    for i, r in enumerate(rows):
        if i in claimed:
            if r.status == "mangler":
                diags.warning("law-coverage-gap", f"{r.adresse} er ikke kodet: {r.grund}", pspan)
            continue
        r.grund = "ikke kortlagt i lovdaekning.yaml"
        where = f" (lovteksten: {r.span.file}:{r.span.line}:{r.span.column})" if r.span else ""
        diags.error("law-coverage-missing", f"{r.adresse} er hverken kodet eller markeret "
                    f"udenfor: »{_short(r.enhed.tekst)}«", pspan,
                    "tilføj enheden i lovdaekning.yaml med de regler, der koder den, eller "
                    f"`udenfor` med en grund{where}")
    return rows


def _lookup(index, rows, stk: int, pkt: int | None, nr: int | None) -> list[int]:
    """The rows a key names: a list item, a sentence (or a list's lead-in), or a whole stk."""
    if nr is not None:
        items = index.get((stk, "nr", nr), [])
        return [i for i in items if pkt is None or rows[i].enhed.pkt == pkt]
    if pkt is not None:
        return index.get((stk, "pkt", pkt), [])
    return index.get((stk,), [])


def _entry(value, kinds, pmap, key, diags):
    span = value_span(pmap, key)
    if isinstance(value, dict) and "udenfor" in value:
        return "udenfor", [], str(value["udenfor"]), str(value.get("note") or "")
    if isinstance(value, dict) and "mangler" in value:
        return "mangler", [], str(value["mangler"]), ""
    ids = value.get("regler") if isinstance(value, dict) else value
    note = str(value.get("note") or "") if isinstance(value, dict) else ""
    found = []
    for name in ids:
        if str(name) not in kinds:
            diags.error("law-coverage-id", f"`{name}` er hverken en regel, en definition eller "
                        "en parameter i pakken", span, did_you_mean(str(name), kinds))
            continue
        found.append(str(name))
    if not found:
        return None, [], "", ""
    present = {kinds[n] for n in found}
    status = next(s for s in ("regel", "definition", "parameter") if s in present)
    return status, found, "", note


def _unused_keys(mapping, pack, seen, diags):
    for lov, paragraphs in (mapping or {}).items():
        if str(lov) not in pack.laws:
            diags.error("law-coverage-key", f"loven `{lov}` er ikke blandt lovteksterne",
                        key_span(mapping, lov), did_you_mean(str(lov), pack.laws))
            continue
        for p in paragraphs or {}:
            if (str(lov), _pkey(str(p).lstrip("§ "))) not in seen:
                diags.warning("law-coverage-scope", f"{lov} § {p} er ikke i pakkens omfang "
                              "(pakke.yaml, lovdækning.omfang)", key_span(paragraphs, p))


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def by_id(rows: list[Daekning]) -> dict[str, list[Daekning]]:
    """For each rule, definition or parameter: the units it encodes."""
    out: dict[str, list[Daekning]] = {}
    for r in rows:
        for i in r.ids:
            out.setdefault(i, []).append(r)
    return out


def counts(rows: list[Daekning]) -> dict[str, int]:
    return {s: sum(1 for r in rows if r.status == s) for s in STATUSES}


def render_text(rows: list[Daekning]) -> str:
    """One block per unit: address, status and what covers it, then the sentence."""
    lines = []
    for r in rows:
        what = ", ".join(r.ids) if r.ids else r.grund
        lines.append(f"{r.adresse} — {r.status}" + (f": {what}" if what else ""))
        lines.append(f"    {r.enhed.tekst}")
    c = counts(rows)
    lines.append("")
    lines.append(f"{len(rows)} enheder: " + ", ".join(f"{n} {s}" for s, n in c.items()))
    return "\n".join(lines) + "\n"
