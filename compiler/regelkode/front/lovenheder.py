"""Split a provision's text into its units: stk., nr. and pkt.

A provision is stored as one line of text ("§ 112. … Stk. 2. …"). Law
coverage needs each sentence of it, addressed the way a jurist cites it:
stk. (paragraph), pkt. (sentence within the stk.) and nr. (item of a
numbered list). The rules of Danish legislative drafting that matter here:

- A new stk. starts a sentence with a capital "Stk. N."; references inside a
  sentence are lower case ("jf. stk. 2"), so only the capital form splits.
- A sentence ends with a full stop followed by a capital letter (or "»", or
  a sentence that opens with a cross-reference such as "1. pkt. finder …").
  A full stop after "jf.", "nr.", "stk.", "bl.a." and the like never ends a
  sentence: a reference follows. "pkt.", "kr." and "m.v." can end one ("…,
  jf. 1. pkt. Det …"), and do when a capital follows. Dates ("1. januar") and
  ordinals ("3. pkt.") are followed by lower case and never split.
- A numbered list "1) … 2) …" belongs to the sentence that introduces it
  (its lead-in counts as the pkt.); full stops inside an item do not start a
  new pkt. ("1) Personens job- og uddannelsesmål. 2) …"). A capitalised
  sentence after the last item starts the next pkt.

Offsets refer to the stored text, so a unit can be shown at its place in
the law file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A new stk.: "Stk. N." at the start of the text or after a sentence's end.
_STK = re.compile(r"(?:(?<=[.:;)”»])|(?<=^))\s*Stk\. (\d+)\.\s")
# The provision's own head: "§ 112." / "§ 113 a."
_HEAD = re.compile(r"\A\s*§\s*\d+\s*[a-z]?\.\s*")
# Abbreviations after which a full stop never ends a sentence.
_NEVER_END = ("jf.", "jfr.", "nr.", "stk.", "bl.a.", "f.eks.", "fx.", "dvs.", "ca.",
              "el.", "evt.", "ang.", "vedr.", "iht.", "pga.", "mht.", "Stk.", "§.")
_SENTENCE_START = r"[A-ZÆØÅ»”\"§]|\d+\. pkt\."
_NEXT_STARTS_SENTENCE = re.compile(rf"\s+(?:{_SENTENCE_START})")
_LONGEST_ABBREVIATION = max(len(a) for a in _NEVER_END)
_ITEM = re.compile(r"(?:(?<=\s)|(?<=^))(\d+)\) ")


@dataclass(frozen=True)
class Enhed:
    """One unit of a provision: a sentence, a list's lead-in or a list item."""

    stk: int
    pkt: int
    nr: int | None
    tekst: str
    start: int
    end: int

    def adresse(self, *, stk_har_flere: bool = True, vis_stk: bool = True) -> str:
        """The unit as cited, relative to its paragraph: "stk. 2, 1. pkt."."""
        parts = []
        if vis_stk:
            parts.append(f"stk. {self.stk}")
        if self.nr is not None:
            parts.append(f"nr. {self.nr}")
        elif stk_har_flere:
            parts.append(f"{self.pkt}. pkt.")
        return ", ".join(parts)


def split_stk(text: str) -> list[tuple[int, int, int]]:
    """(stk, start, end) for each stk. of a provision; stk. 1 is the text before `Stk. 2.`."""
    head = _HEAD.match(text)
    pos = head.end() if head else 0
    starts = [(1, pos)]
    expected = 2
    for m in _STK.finditer(text, pos):
        n = int(m.group(1))
        if n != expected:  # "Stk. 5." quoted inside a sentence is not the next stk.
            continue
        starts.append((n, m.end()))
        expected += 1
    out = []
    for i, (n, start) in enumerate(starts):
        end = (_stk_begin(text, starts[i + 1][1]) if i + 1 < len(starts) else len(text))
        out.append((n, start, _rstrip(text, start, end)))
    return out


def _stk_begin(text: str, body_start: int) -> int:
    """The offset of "Stk." whose body starts at body_start."""
    return text.rfind("Stk.", 0, body_start)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` ends a sentence.

    Looks only a bounded distance around the stop, so a long or hostile text
    stays linear.
    """
    if not _NEXT_STARTS_SENTENCE.match(text, dot + 1):
        return False
    before = text[max(0, dot - _LONGEST_ABBREVIATION):dot + 1].split()
    word = before[-1].lstrip("(") if before else ""
    return word not in _NEVER_END


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, begin = [], start
    i = start
    while i < end:
        if text[i] == "." and _ends_sentence(text, i) and i + 1 < end:
            out.append((begin, i + 1))
            begin = i + 1
            while begin < end and text[begin].isspace():
                begin += 1
            i = begin
            continue
        i += 1
    if begin < end and not text[begin:end].isspace():   # blank before a list is no pkt.
        out.append((begin, end))
    return out


def _items(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(nr, start, end) of a numbered list "1) … 2) …" in text[start:end], numbered from 1."""
    found, expected = [], 1
    for m in _ITEM.finditer(text, start, end):
        if int(m.group(1)) == expected:
            found.append((expected, m.start()))
            expected += 1
    if len(found) < 2:
        return []
    ends = [s for _, s in found[1:]] + [end]
    return [(n, s, e) for (n, s), e in zip(found, ends, strict=True)]


def split_units(text: str) -> list[Enhed]:
    """Every unit of a provision, in order."""
    units: list[Enhed] = []
    for stk, s_start, s_end in split_stk(text):
        items = _items(text, s_start, s_end)
        pkt = 0
        if not items:
            for a, b in _sentences(text, s_start, s_end):
                pkt += 1
                units.append(_unit(text, stk, pkt, None, a, b))
            continue
        first, last_nr_start = items[0][1], items[-1][1]
        # Sentences before the list; the last of them is the list's lead-in.
        before = _sentences(text, s_start, first)
        for a, b in before:
            pkt += 1
            units.append(_unit(text, stk, pkt, None, a, b))
        if not before:
            pkt += 1
        lead_pkt = pkt
        # The last item ends at the first sentence end after its marker; sentences
        # after it are new pkt. Earlier items keep their inner full stops.
        tail = _sentences(text, last_nr_start, s_end)
        last_end = tail[0][1] if tail else s_end
        for nr, a, b in items:
            b = last_end if nr == items[-1][0] else b
            units.append(_unit(text, stk, lead_pkt, nr, a, _rstrip(text, a, b)))
        for a, b in tail[1:]:
            pkt += 1
            units.append(_unit(text, stk, pkt, None, a, b))
    return units


def _unit(text: str, stk: int, pkt: int, nr: int | None, a: int, b: int) -> Enhed:
    b = _rstrip(text, a, b)
    return Enhed(stk, pkt, nr, " ".join(text[a:b].split()), a, b)
