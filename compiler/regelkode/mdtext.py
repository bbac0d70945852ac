"""Markdown text for the review site: pack text in, inert Markdown out.

Everything a pack author writes — titles, messages, citations, quotes, even
names — is text, never markup: `text()` is the one escaping function, and
every page writer uses it (or `code()`, `cell()`, `link()`, which build on
it). A title like `Farlig <script>alert(1)</script> | *fed* [x](y)` must show
literally on the page and in the search index.
"""

from __future__ import annotations

import html
import re

# The characters Python-Markdown unescapes after a backslash (with the tables
# extension, `|` too). A backslash before anything else would stay visible,
# so only these are escaped; `<`, `>` and `&` become HTML entities instead.
_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_SPACE = re.compile(r"\s+")


def text(value: object, *, table: bool = False) -> str:
    """Plain text as one line of inert Markdown.

    Whitespace (newlines included) collapses to single spaces, so the text
    can never start a block (a heading, a list, a table row or a fence).
    `table` is accepted for clarity at call sites inside tables: `|` is
    always escaped, which is harmless outside a table.
    """
    del table  # '|' is escaped everywhere; the flag documents intent at call sites
    s = _SPACE.sub(" ", str(value)).strip()
    s = _MD_SPECIALS.sub(r"\\\1", s)
    # Quotes need no escaping: pack text never lands inside an attribute.
    return html.escape(s, quote=False)


def cell(value: object) -> str:
    """Text for a table cell (empty cells get a dash so the row keeps its shape)."""
    out = text(value, table=True)
    return out or "–"


def code(value: object) -> str:
    """Inline code: the text shown verbatim (backticks inside are handled)."""
    s = _SPACE.sub(" ", str(value)).strip()
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s else ""
    # Python-Markdown's tables keep a '|' inside a code span in its cell.
    return f"{fence}{pad}{s}{pad}{fence}"


def fenced(body: str, lang: str = "", css_class: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in the body.

    `css_class` is added to the block's <div> (superfences' `{.lang .class}` form).
    """
    longest = max((len(m) for m in re.findall(r"`{3,}", body)), default=0)
    fence = "`" * max(3, longest + 1)
    info = f"{{.{lang} .{css_class}}}" if css_class and lang else lang
    return f"{fence}{info}\n{body.rstrip()}\n{fence}"


def link(label: object, url: str) -> str:
    """[label](url) with an escaped label; the url must come from us or be http(s)."""
    return f"[{text(label)}](<{url_ok(url)}>)"


def url_ok(url: str) -> str:
    """Only web addresses and relative links; anything else (javascript:) is refused."""
    url = str(url).strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) and not re.match(r"^https?://", url):
        return "#"
    # '<' '>' end the bracketed destination; spaces are allowed inside <…>.
    return url.replace("<", "%3C").replace(">", "%3E").replace("\n", "")


def html_text(value: object) -> str:
    """Text for places that take HTML rather than Markdown (the mkdocs nav)."""
    return html.escape(_SPACE.sub(" ", str(value)).strip(), quote=True)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table from already escaped cells."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(c or "–" for c in row) + " |")
    return "\n".join(out)


def blockquote(value: object) -> str:
    return "> " + text(value)


def anchor_slug(value: str) -> str:
    """A file or anchor name from any text: ascii letters, digits, '-' (æøå spelled out)."""
    s = str(value).lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"
