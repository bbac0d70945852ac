"""Legal review: fingerprints, review states, and `regelkode godkend`.

In: a pack's YAML trees (a rule's, definition's or parameter's mapping, as
`load.py` read it). Out: a fingerprint — sha256 of a canonical JSON of the
declaration without its `gennemgået` block, first 16 hex digits — and one of
three states: "ikke gennemgået", "gennemgået" (the recorded fingerprint is
the current one) or "ændret siden gennemgang". `regelkode check` warns about
the last; the site shows all three; `regelkode godkend PACK ID --af NAVN`
records a review by writing the block into the YAML file, as a text edit at
the declaration, so the rest of the file (comments, layout) stays byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics
from ..front.load import YMap, load_yaml, to_plain, value_span
from ..front.model import layers_base_first
from .review_history import head_commit

REVIEW_KEY = "gennemgået"
NOT_REVIEWED, REVIEWED, CHANGED = "ikke gennemgået", "gennemgået", "ændret siden gennemgang"
STATES = (NOT_REVIEWED, REVIEWED, CHANGED)
# The YAML section each reviewable kind lives in.
SECTIONS = {"regel": "regler", "definition": "definitioner", "parameter": "parametre"}



def canonical(decl_tree) -> str:
    """The declaration as canonical JSON, without its review block."""
    data = {k: v for k, v in to_plain(decl_tree).items() if k != REVIEW_KEY}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(decl_tree) -> str:
    return hashlib.sha256(canonical(decl_tree).encode("utf-8")).hexdigest()[:16]


def state(review, current: str) -> str:
    if not review:
        return NOT_REVIEWED
    recorded = str(review.get("fingeraftryk") or "")
    # The schema allows 16-64 hex digits; compare on the length we write.
    return REVIEWED if recorded[:16] == current else CHANGED


@dataclass
class Declaration:
    kind: str             # regel | definition | parameter
    id: str
    path: Path            # the YAML file
    display: str
    section: YMap         # the `regler`/`definitioner`/`parametre` mapping
    tree: YMap            # the declaration's own mapping

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.tree)

    @property
    def review(self) -> dict | None:
        r = self.tree.get(REVIEW_KEY)
        return r if isinstance(r, dict) else None

    @property
    def state(self) -> str:
        return state(self.review, self.fingerprint)


def declarations(pack) -> dict[tuple[str, str], Declaration]:
    """(kind, id) -> where its YAML is, for every rule, definition and parameter."""
    out = {}
    for layer in layers_base_first(pack.source):
        for f in layer.files:
            for kind, section_name in SECTIONS.items():
                section = f.tree.get(section_name)
                if not isinstance(section, YMap):
                    continue
                for name, tree in section.items():
                    if isinstance(tree, YMap):
                        out[(kind, str(name))] = Declaration(kind, str(name), f.path, f.display,
                                                             section, tree)
    return out


def states(compiled) -> dict[tuple[str, str], Declaration]:
    return declarations(compiled.pack) if compiled.pack is not None else {}


WHAT = {"regel": "reglen", "definition": "definitionen", "parameter": "parameteren"}


def review_warnings(compiled, diags: Diagnostics) -> None:
    """A warning for each declaration changed since it was reviewed (called by analysis)."""
    for (kind, name), decl in sorted(states(compiled).items()):
        if decl.state != CHANGED:
            continue
        r = decl.review
        diags.warning(
            "changed-since-review",
            f"{WHAT[kind]} `{name}` er ændret siden gennemgangen "
            f"(gennemgået af {r.get('af')} {r.get('dato')})",
            value_span(decl.tree, REVIEW_KEY),
            f"en jurist skal gennemgå den igen og godkende med "
            f"`regelkode godkend <pakke> {name} --af \"Navn\"`")


# --- writing the review block ---------------------------------------------------

class ApproveError(Exception):
    """Approval refused; the message is for the user (Danish)."""


def review_block(af: str, dato: dt.date, fp: str, commit: str | None = None) -> str:
    # JSON strings are valid YAML double-quoted scalars; the fingerprint is quoted
    # because 16 decimal digits would otherwise read as an integer.
    return (f"{REVIEW_KEY}: {{af: {json.dumps(af, ensure_ascii=False)}, "
            f"dato: {dato.isoformat()}, fingeraftryk: \"{fp}\""
            + (f", commit: \"{commit}\"" if commit else "") + "}")


def _index(text: str, line: int, col: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = max(1, min(line, len(starts)))
    return min(starts[line - 1] + col - 1, len(text))


def _content_end(text: str, start: int, end: int) -> int:
    """The end of the last line in text[start:end] holding more than blanks or a comment.

    PyYAML ends a block mapping where the next key begins, after any blank
    lines and comments in between; those belong to what follows.
    """
    best = start
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        segment = text[pos:line_end]
        stripped = segment.strip()
        if stripped and not stripped.startswith("#"):
            best = pos + len(segment.rstrip())
        pos = line_end + 1
    return best


def _key_of(mapping: YMap, key: str):
    for k in mapping:
        if k == key:
            return k
    return None


def edit_text(text: str, section: YMap, name: str, block: str) -> str:
    """`text` with `block` set as the review of `section[name]` (positions from load.py)."""
    tree = section[name]
    newline = "\r\n" if "\r\n" in text else "\n"
    existing = _key_of(tree, REVIEW_KEY)
    if existing is not None and hasattr(existing, "start"):
        vspan = value_span(tree, REVIEW_KEY)
        end = _content_end(text, existing.start, _index(text, vspan.end_line, vspan.end_column))
        return text[:existing.start] + block + text[end:]
    start = _index(text, tree.span.line, tree.span.column)
    end = _index(text, tree.span.end_line, tree.span.end_column)
    if text[start:start + 1] == "{":
        close = text.rfind("}", start, end)
        if close == -1:
            raise ApproveError("kunne ikke finde slutningen af deklarationen i filen")
        inner = text[start + 1:close].strip()
        sep = ", " if inner else ""
        return text[:close].rstrip() + sep + block + text[close:]
    first = next(iter(tree), None)
    if first is None or not hasattr(first, "start"):
        raise ApproveError("deklarationen er tom")
    line_start = text.rfind("\n", 0, first.start) + 1
    indent = text[line_start:first.start]
    if indent.strip():
        # `navn: {…}` on one line was handled above; anything else is unusual layout.
        raise ApproveError("deklarationens nøgler står ikke på hver sin linje; "
                           "tilføj gennemgået-blokken i hånden")
    at = _content_end(text, start, end)
    return text[:at] + newline + indent + block + text[at:]


def approve(decl: Declaration, af: str, dato: dt.date) -> tuple[str, str]:
    """Write the review block; returns (fingerprint, file display name). Atomic."""
    from ..output import write_file

    raw = decl.path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ApproveError(f"{decl.display} er ikke gyldig UTF-8") from None
    # Positions must describe this very text, so read it again rather than trust the model.
    diags = Diagnostics()
    tree = load_yaml(decl.path, decl.display, diags)
    section = tree.get(SECTIONS[decl.kind]) if isinstance(tree, YMap) else None
    if not isinstance(section, YMap) or not isinstance(section.get(decl.id), YMap):
        raise ApproveError(f"{decl.display} er ændret, mens den blev læst; prøv igen")
    fp = fingerprint(section[decl.id])
    # The commit lets a reviewer later see what changed since this review
    # (review_history.py); outside a git checkout there is none to record.
    commit = head_commit(decl.path)
    block = review_block(af, dato, fp, commit)
    new_text = edit_text(text, section, decl.id, block)
    _verify(tree, new_text, decl, af, dato, fp, commit)
    data = new_text.encode("utf-8")
    write_file(decl.path, (b"\xef\xbb\xbf" if bom else b"") + data)
    return fp, decl.display


def _verify(old_tree, new_text: str, decl: Declaration, af, dato, fp, commit=None) -> None:
    """The edited file must read as the old one plus exactly this review block."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / decl.path.name
        probe.write_text(new_text, encoding="utf-8")
        new_tree = load_yaml(probe, decl.display, Diagnostics())
    expected = to_plain(old_tree)
    expected[SECTIONS[decl.kind]][decl.id][REVIEW_KEY] = {
        "af": af, "dato": dato.isoformat(), "fingeraftryk": fp,
        **({"commit": commit} if commit else {})}
    if new_tree is None or to_plain(new_tree) != expected:
        raise ApproveError(f"gennemgået-blokken kunne ikke skrives sikkert i {decl.display} "
                           "(filens layout er usædvanligt); tilføj den i hånden:\n  "
                           + review_block(af, dato, fp, commit))
