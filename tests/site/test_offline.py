"""The built site loads nothing from another host: no CDN script, no font host, no remote image.

A reviewer may open the site on a machine without internet access (or behind
a firewall that blocks CDNs): every script, style sheet, font and image the
pages use must come from the site itself. The timeline is drawn at build time
(`site/svg.py`), so no diagram script is needed at all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.site import build as site_mod
from regelkode.site import svg

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "tests" / "packs"

# A tag that makes the browser fetch something: its src/href/srcset/data.
_FETCHING = re.compile(
    r"<(script|link|img|iframe|source|audio|video|embed|object|image|use)\b[^>]*?>",
    re.IGNORECASE | re.DOTALL)
_URL_ATTR = re.compile(r"""\b(src|href|srcset|data|poster|xlink:href)\s*=\s*["']([^"']*)""",
                       re.IGNORECASE)
_PAGE_LINK = re.compile(r"""\brel\s*=\s*["'](canonical|alternate)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:@import\s+|url\()\s*["']?([^"')\s]+)""", re.IGNORECASE)
_REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


def remote_assets(site: Path) -> list[tuple[str, str]]:
    """(file, url) for everything a page or style sheet would fetch from another host."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".svg"):
            text = path.read_text(encoding="utf-8")
            for tag in _FETCHING.finditer(text):
                if _PAGE_LINK.search(tag.group(0)):
                    continue          # links to pages, not assets
                for _attr, url in _URL_ATTR.findall(tag.group(0)):
                    if _REMOTE.match(url.strip()) and "www.w3.org/2000/svg" not in url:
                        found.append((str(path.relative_to(site)), url))
        if path.suffix in (".css", ".html", ".svg"):
            for url in _CSS_URL.findall(path.read_text(encoding="utf-8")):
                if _REMOTE.match(url):
                    found.append((str(path.relative_to(site)), url))
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    results = [compile_checked(PACKS / "eksempel"), compile_checked(PACKS / "fjendtlig")]
    assert all(c.ok for c in results)
    return site_mod.build_site(results, tmp_path_factory.mktemp("offline"), quiet=True)


def test_the_scanner_finds_what_the_theme_used_to_load(tmp_path):
    # What main used to ship: Google Fonts in <link>, and unpkg's Mermaid.
    (tmp_path / "a.html").write_text(
        '<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//unpkg.com/mermaid@11/dist/mermaid.min.js"></script>'
        '<link rel="canonical" href="https://example.org/">'
        '<a href="https://www.retsinformation.dk/eli/lta/2024/280">LAB</a>', encoding="utf-8")
    (tmp_path / "b.css").write_text("@font-face{src:url(https://x.example/f.woff2)}",
                                    encoding="utf-8")
    assert sorted(url for _f, url in remote_assets(tmp_path)) == [
        "//unpkg.com/mermaid@11/dist/mermaid.min.js",
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://fonts.gstatic.com",
        "https://x.example/f.woff2",
    ]


def test_built_site_fetches_nothing_from_another_host(site):
    assert remote_assets(site) == []


def test_no_mermaid_and_the_timeline_is_a_local_drawing(site):
    pages = list(site.rglob("*.html"))
    assert not [p for p in pages if 'class="mermaid"' in p.read_text(encoding="utf-8")]
    page = (site / "genereret/fjendtlig/forloeb/index.html").read_text(encoding="utf-8")
    src = re.search(r'<img [^>]*src="([^"]+\.svg)"', page).group(1)
    drawing = (site / "genereret/fjendtlig/forloeb" / src).resolve()
    assert drawing.is_file()
    ET.fromstring(drawing.read_text(encoding="utf-8"))       # well-formed XML


def test_svg_is_deterministic_escaped_and_self_contained():
    hostile = "Frist <script>alert(1)</script> & \"x\" ]]> <!-- c -->"
    nodes = {"a": "start", "b": hostile, "c": "slut", "d": "løkke"}
    edges = [svg.Edge("a", "b", "1"), svg.Edge("b", "c", "2", dashed=True),
             svg.Edge("a", "c", "3"), svg.Edge("c", "d", "4"), svg.Edge("d", "c", "5")]
    first = svg.render(nodes, edges, f"titel {hostile}")
    assert first == svg.render(dict(reversed(nodes.items())), edges, f"titel {hostile}")
    text, width, height = first
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and (root.get("width"), root.get("height")) == (
        str(width), str(height))
    assert not list(root.iter(f"{ns}script"))
    titles = [t.text for t in root.iter(f"{ns}title")]
    assert f"titel {hostile}" in titles and hostile in titles
    assert "<script>" not in text
    assert not re.search(r"(href|src)=", text)          # links and references: none
    # a long edge (a -> c spans a column) runs through a free slot, not through b's box
    columns, paths = svg.layers(nodes, edges)
    assert columns[0] == ["a"] and "b" in columns[1] and "c" in columns[2]
    assert len(paths[2]) == 3 and paths[2][1] not in nodes
