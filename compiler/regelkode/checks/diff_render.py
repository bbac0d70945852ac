"""Rendering a semantic diff (`diff.py`) as text, Markdown (a pull-request
comment), JSON or GitHub annotations; `regelkode diff` (`register`), and the
site's "Ændringer" page (`changes_markdown`).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from .. import mdtext as md
from ..diagnostics import _gh_escape
from .diff import OutcomeChange, PackDiff, diff_sides
from .revisions import DiffError, Side, _extract, _git, _packs_in, _toplevel, open_side

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

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


ACTION_WORDS = {"tilføjet": "Tilføjet", "fjernet": "Fjernet", "ændret": "Ændret"}


def site_markdown(diffs: list[PackDiff], old: str, new: str) -> str:
    """The changes for the review site: an overview table, then a real nested list.

    Python-Markdown (MkDocs) nests a list only under a 4-space indent, and an
    emoji without an emoji font is a box: so words, not symbols, and 4 spaces.
    """
    out = [f"## Regelændringer: {_code(old)} → {_code(new)}", ""]
    if not any(pd.changes or pd.outcomes or pd.notes or pd.errors for pd in diffs):
        out.append("Ingen ændringer i reglernes indhold eller adfærd.")
    for pd in diffs:
        if pd.status == "uændret" and not pd.notes and not pd.errors:
            continue
        out += [f"### Pakken {_code(pd.id)} — {_md(pd.status)}", ""]
        if pd.status not in ("tilføjet", "fjernet"):
            summary = _md(_summary(pd))
            out += [summary[:1].upper() + summary[1:] + ".", ""]
        if pd.changes:
            rows = [[_md(ACTION_WORDS[ch.action]), _md(ch.kind), _code(ch.id),
                     _code(_where(ch.span)) if ch.span else "–", str(len(ch.details))]
                    for ch in pd.changes]
            out += ["#### Ændrede erklæringer", "",
                    md.table(["Ændring", "Art", "Id", "Hvor", "Detaljer"], rows), ""]
            out += ["#### Detaljer", ""]
            for ch in pd.changes:
                where = f" ({_code(_where(ch.span))})" if ch.span else ""
                out.append(f"- **{_md(ACTION_WORDS[ch.action])}:** {_md(ch.kind)} "
                           f"{_code(ch.id)}{where}")
                out += [f"    - {_md_detail(what, o, n)}" for what, o, n in ch.details]
            out.append("")
        if pd.outcomes:
            out += ["#### Ændret udfald", "",
                    "| Eksempel eller sag | Hvad | Før | Efter | Forventet | Vurdering |",
                    "|---|---|---|---|---|---|"]
            for o in pd.outcomes[:MAX_MD_ROWS]:
                verdict = ("–" if o.new_ok is None
                           else "som forventet" if o.new_ok else "**ikke som forventet**")
                out.append(f"| {_md(o.source)} {_code(o.id)} | {_md(o.item)} | {_md(o.old)} | "
                           f"{_md(o.new)} | {_md(o.expected or '') or '–'} | {verdict} |")
            if len(pd.outcomes) > MAX_MD_ROWS:
                out += ["", f"… og {len(pd.outcomes) - MAX_MD_ROWS} flere; hele listen: "
                        "`regelkode diff` med `--format text` eller `json`."]
            out.append("")
        for n in pd.notes:
            out += [f"> {_md(n)}", ""]
        if pd.errors:
            out += [md.fenced("\n".join(_error_lines(pd))), ""]
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
    body = site_markdown(diffs, old.label, "nu")
    return title + intro + body
