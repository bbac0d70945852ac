"""The one escaping function: pack text shows literally, whatever Markdown it contains."""

from __future__ import annotations

import markdown
import pytest

from regelkode import mdtext as md

EXTENSIONS = ["tables", "attr_list", "toc", "admonition", "pymdownx.superfences"]
HOSTILE = [
    "Farlig <script>alert(1)</script> | *fed* [x](y)",
    "# overskrift",
    "- punkt",
    "1. punkt",
    "> citat",
    "`kode` og ```tre```",
    "_kursiv_ og __fed__ og **fed**",
    "tekst {#anker} {: .klasse}",
    "![billede](x.png)",
    "<http://eksempel.dk> og &amp; og &lt;",
    "back\\slash \\*",
    "linje1\nlinje2\n\n# ny blok",
    "---",
    "=====",
    "a | b | c",
]


def render(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


def visible(html: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    import html as h
    import re
    return h.unescape(re.sub(r"<[^>]+>", "", html)).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_text_renders_literally_in_a_paragraph(text):
    html = render(md.text(text))
    assert html.startswith("<p>") and html.count("<p>") == 1
    assert visible(html) == " ".join(text.split())
    assert "<script" not in html and "<img" not in html and "<a " not in html


@pytest.mark.parametrize("text", HOSTILE)
def test_text_renders_literally_in_a_heading(text):
    html = render(f"## {md.text(text)} {{#regel_id}}")
    assert html.startswith('<h2 id="regel_id">')
    assert visible(html) == " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_cell_keeps_the_table_shape(text):
    html = render(md.table(["A", "B"], [[md.cell(text), md.cell("x")]]))
    assert html.count("<td>") == 2
    assert visible(html.split("<td>")[1]) == " ".join(text.split())


def test_empty_cell_gets_a_dash():
    assert md.cell("") == "–"


@pytest.mark.parametrize("text", ["a`b", "`start", "x | y", "``dobbelt``", ""])
def test_code(text):
    html = render(md.code(text) if text else "x" + md.code(text))
    if text:
        assert visible(html) == text
        assert "<code>" in html


def test_fenced_block_survives_backticks_inside():
    body = 'tekst "```" her\nog ````fire````'
    html = render(md.fenced(body, "regelkode", "rk-formel"))
    assert "rk-formel" in html
    assert "````fire````" in visible(html)


def test_links_refuse_scripts():
    assert md.link("x", "javascript:alert(1)") == "[x](<#>)"
    assert md.link("x", "https://www.retsinformation.dk/eli/lta/2024/280") == (
        "[x](<https://www.retsinformation.dk/eli/lta/2024/280>)")
    assert "%3E" in md.url_ok("https://x/<y>")
    html = render(md.link("<b>label</b>", "../kilder.md#lov"))
    assert visible(html) == "<b>label</b>" and 'href="../kilder.md#lov"' in html


def test_html_text_and_slug():
    assert md.html_text("a <b> & c") == "a &lt;b&gt; &amp; c"
    assert md.anchor_slug("Ferie og barsel") == "ferie-og-barsel"
    assert md.anchor_slug("Møde på års") == "moede-paa-aars"
    assert md.anchor_slug("<>") == "x"
