"""A pack with a script-injecting payload in every free-text field, and a checker for
the built site. Shared by tests/site/test_hostile_site.py (the HTML and the search
index, no browser) and tests/browser/test_hostile_pack.py (the same site in Chromium).

Every field gets its own marker (`XSS17`), so a failure names the field that
leaked. The payload closes the <title> first, as mkdocs-material's
`{{ page.title | striptags }}` unescaped entities there, then tries a script and
an event handler; run, either sets `window.rkXss` to the marker.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BASE_PACK = ROOT / "tests" / "packs" / "fjendtlig"

PAYLOAD = ("</title><script>window.rkXss='{m}'</script>"
           "<img src=x onerror=\"window.rkXss='{m}'\"><title>")
# Every key whose string value is prose written by the pack's author.
FREE_TEXT_KEYS = {"titel", "beskrivelse", "meddelelse", "note", "navn", "valg", "af", "enhed"}

HOSTILE_AREA_RULE = """regler:
  fjendtligt_område:
    titel: Regel i et område uden titel
    område: {area}
    alvor: opmærksomhed
    kilder: [{{lov: FARLOV, paragraf: "1", stk: 1}}]
    krav: henvendelsesdato er kendt
    meddelelse: Henvendelsesdatoen mangler.
"""


class Poisoner:
    def __init__(self):
        self.where: dict[str, str] = {}      # marker -> the field it was put in

    def payload(self, where: str) -> str:
        marker = f"XSS{len(self.where) + 1}"
        self.where[marker] = where
        return PAYLOAD.format(m=marker)

    def tree(self, value, where: str):
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                here = f"{where}.{k}"
                if k in FREE_TEXT_KEYS and isinstance(v, str):
                    out[k] = f"{v} {self.payload(here)}"
                elif k == "områder" and isinstance(v, dict):
                    out[k] = {a: f"{t} {self.payload(f'{here}.{a}')}" for a, t in v.items()}
                elif k == "tekst" and isinstance(v, str):
                    # appended, so every quotation the pack cites is still found
                    out[k] = f"{v}\n{self.payload(here)}"
                else:
                    out[k] = self.tree(v, here)
            return out
        if isinstance(value, list):
            return [self.tree(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return value


def write_hostile_pack(root: Path) -> tuple[Path, dict[str, str]]:
    """`root/fjendtlig`: tests/packs/fjendtlig poisoned; returns (pack, marker -> field)."""
    pack = Path(root) / BASE_PACK.name
    shutil.copytree(BASE_PACK, pack)
    poison = Poisoner()
    for path in sorted(pack.rglob("*.yaml")):
        rel = path.relative_to(pack).as_posix()
        tree = poison.tree(yaml.safe_load(path.read_text(encoding="utf-8")), rel)
        path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    for path in sorted((pack / "kilder" / "dokumenter").glob("*.txt")):
        rel = path.relative_to(pack).as_posix()
        path.write_text(path.read_text(encoding="utf-8") + "\n" + poison.payload(rel) + "\n",
                        encoding="utf-8")
    # An area no manifest names: its title is the rule's `område` itself.
    area = f"område {poison.payload('område (en regels område)')}"
    (pack / "omraade.yaml").write_text(HOSTILE_AREA_RULE.format(area=json.dumps(area)),
                                       encoding="utf-8")
    return pack, poison.where


# --- the check -------------------------------------------------------------------------

class _Live(HTMLParser):
    """Finds markers that are markup: in a <script>, an event handler or a javascript: link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.titles = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
        if tag == "title":
            self.titles += 1
        for name, value in attrs:
            # lower(): an area named by its `område` alone is capitalised, marker included
            if value and name.startswith("on") and "xss" in value.lower():
                self.found.append(f"<{tag} {name}=…{value[:60]}>")
            scheme = re.match(r"\s*javascript:", value or "", re.IGNORECASE)
            if scheme and name in ("href", "src") and value != "javascript:void(0)":
                # (javascript:void(0) is the theme's own buttons)
                self.found.append(f"<{tag} {name}=…{value[:60]}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "rkxss" in data.lower():
            self.found.append(f"<script>{data.strip()[:60]}")


def live_markup(html_text: str) -> tuple[list[str], int]:
    """(markers that are live markup, number of <title> elements) in an HTML text."""
    parser = _Live()
    parser.feed(html_text)
    parser.close()
    return parser.found, parser.titles


def problems(site: Path) -> list[str]:
    """Every place in the built site where the payload is markup rather than text."""
    out = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(site).as_posix()
        if "<script>window.rkxss" in text.lower():
            out.append(f"{rel}: the payload's <script> is in the HTML as it is")
        found, titles = live_markup(text)
        out += [f"{rel}: {f}" for f in found]
        if titles > 1:
            out.append(f"{rel}: {titles} <title> elements (the title was closed early)")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            # The theme puts both into the page as HTML: they must be inert HTML.
            found, _ = live_markup(doc.get(key) or "")
            out += [f"search_index.json {doc['location']} {key}: {f}" for f in found]
    return out


def markers_shown(site: Path) -> set[str]:
    """Markers that reach the built site at all (as text), to prove the fields are used."""
    seen: set[str] = set()
    for path in [*site.rglob("*.html"), site / "search" / "search_index.json"]:
        seen.update(re.findall(r"XSS\d+", path.read_text(encoding="utf-8")))
    return seen
