"""Hypothesis strategies that break good input in the ways people (and attackers) do.

Text mutations work on a whole file (YAML or JSON): cut, duplicate, swap and
re-indent lines, splice in stray syntax, huge numbers, impossible dates,
YAML tags and anchors, control characters and bytes that are not UTF-8.
Expression mutations work on tokens of one rule-language expression:
unbalanced parentheses, stray keywords, deep nesting.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

# Fragments that are each a known way for a front end to fall over.
SNIPPETS = [
    "hvis", "så", "ellers", "og", "eller", "ikke", "hvor", "alle", "antal", "summen af", "på",
    "afrundet til hele kroner", "hele år fra", "er", "er ikke", "er mindst", "i", "kendt",
    "(", ")", "((((((((", "))))))))", '"', "'", ":", ": ", "- ", "-", "{", "}", "[", "]", ",", ", ",
    "..", ".", "×", "≠", "≤", "%", "kr", "#", "# kommentar", "|", ">", "? ", "&a ", "*a", "*b ",
    "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!custom ",
    "!!binary aGVq", "!!set {a}", "<<: *a", "---", "...", "%YAML 1.1", "@", "`", "\t", "\n",
    "\n  ", "\r\n", "  ", "\x00", "\x07", "\x1b[31m", "\ufeff", "\u2028", "\u0085", "…", "æøå",
    "ÆØÅ", "𝔘", "ﬁ", "9" * 40, "9" * 400, "-" * 90, "1.000.000,5", "1,5", "12.326,50 kr",
    "99999999999999999999 kr", "0,001 kr", "2023-02-29", "2024-02-29", "0000-01-01",
    "9999-12-31", "2024-13-01", "2024-04-31", "1 dag", "6 måneder", "26 uger", "65 år 6 måneder",
    "99999999999 år", "sand", "falsk", "null", "~", "yes", "no", "on", "0x1F", "0o17", "1e309",
    ".inf", ".nan", "-0", "{{navn}}", "{", "{ukendt}", "</script>", "<b>", "**", "\\", "\\n",
    '"""', "'''", "${x}", "%s", "{0}", "__import__('os')", "beregningsdato", "forrige",
    "undtagelser:", "eksempler:", "regler:", "fakta:", "type: dato", "liste af " * 50,
    "sag: ../../../etc/passwd", "sag: /etc/passwd", '"\\ud800"', '"x\\udfff y"',
]

BAD_BYTES = [b"\xff", b"\xfe\xff", b"\xc3", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80",
             b"\xf4\x90\x80\x80", b"\x80", b"\x00", b"\xef\xbb\xbf"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def mutated_text(draw, seed: str, max_steps: int = 4) -> str:
    """`seed` after 1..max_steps random edits."""
    text = seed
    for _ in range(draw(st.integers(1, max_steps))):
        text = draw(_one_edit(text))
    return text


def _one_edit(text: str):
    n = len(text)

    def pos():
        return st.integers(0, n)

    lines = _lines(text)
    nl = len(lines)
    line_no = st.integers(0, max(nl - 1, 0))
    edits = [
        # delete a slice
        st.tuples(pos(), st.integers(1, 40)).map(lambda t: text[:t[0]] + text[t[0] + t[1]:]),
        # splice in a known-bad fragment
        st.tuples(pos(), st.sampled_from(SNIPPETS)).map(
            lambda t: text[:t[0]] + t[1] + text[t[0]:]),
        # splice in arbitrary text
        st.tuples(pos(), st.text(max_size=12)).map(lambda t: text[:t[0]] + t[1] + text[t[0]:]),
        # replace a token-ish run with a fragment
        st.tuples(pos(), st.integers(1, 12), st.sampled_from(SNIPPETS)).map(
            lambda t: text[:t[0]] + t[2] + text[t[0] + t[1]:]),
        # duplicate, delete or swap lines
        line_no.map(lambda i: "\n".join(lines[:i + 1] + lines[i:])),
        line_no.map(lambda i: "\n".join(lines[:i] + lines[i + 1:])),
        st.tuples(line_no, line_no).map(lambda t: "\n".join(_swap(lines, *t))),
        # re-indent a line
        st.tuples(line_no, st.integers(-4, 6)).map(lambda t: "\n".join(_indent(lines, *t))),
        # truncate
        pos().map(lambda i: text[:i]),
        # a number or a date replaced by something out of range
        st.sampled_from(["9" * 35, "99999999999999999999999999999999999999999", "2023-02-29",
                         "0,0000000000000000000000000000001", "-" + "9" * 31]).map(
            lambda bad: _replace_first(text, r"\d+(?:[.,]\d+)*", bad)),
        # an expression wrapped very deep
        st.integers(50, 3000).map(lambda k: _replace_first(
            text, r"(?<=værdi: )[^\n]+", "(" * k + "1" + ")" * k)),
        st.integers(50, 3000).map(lambda k: _replace_first(
            text, r"(?<=krav: )[^\n]+", "ikke " * k + "sand")),
    ]
    return st.one_of(edits)


def _swap(lines, i, j):
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _indent(lines, i, delta):
    lines = list(lines)
    line = lines[i]
    if delta >= 0:
        lines[i] = " " * delta + line
    else:
        lines[i] = line[min(-delta, len(line) - len(line.lstrip(" "))):]
    return lines


def _replace_first(text: str, pattern: str, new: str) -> str:
    m = re.search(pattern, text)
    return text if m is None else text[:m.start()] + new + text[m.end():]


@st.composite
def mutated_bytes(draw, seed: str) -> bytes:
    """A mutated text, encoded, sometimes with bytes that are not UTF-8 spliced in."""
    data = draw(mutated_text(seed)).encode("utf-8")
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]
    return data


def degenerate_files():
    """Files with nothing, or nothing useful, in them."""
    return st.sampled_from([
        b"", b" ", b"\n\n\n", b"# bare en kommentar\n", b"\xef\xbb\xbf", b"---\n", b"---\n...\n",
        b"~\n", b"null\n", b"[]\n", b"{}\n", b"42\n", b'"tekst"\n', b"- a\n- b\n", b"\x00",
        b"regler:\n", b"regler: []\n", b"regler: 5\n", b"fakta: {a: }\n", b"\t\n",
        b"fakta:\n\ta: {type: dato}\n", b"a: &a [*a]\n", b"a: &a\n  b: *a\n",
    ])


# --- expressions -------------------------------------------------------------------

_TOKEN = re.compile(r'"[^"\n]*"|\d{4}-\d{2}-\d{2}|\d+(?:[.,]\d+)*|[a-zæøå_][a-zæøå0-9_]*|\S')

KEYWORDS = ["og", "eller", "ikke", "hvis", "så", "ellers", "i", "er", "mindst", "højst", "under",
            "over", "før", "efter", "senest", "tidligst", "kendt", "ukendt", "antal", "alle",
            "nogen", "ingen", "summen", "af", "tidligste", "seneste", "mindste", "største", "hvor",
            "hele", "fra", "til", "dage", "dag", "uge", "uger", "måned", "måneder", "år", "på",
            "afrundet", "kroner", "kr", "sand", "falsk"]
ODD_TOKENS = [*KEYWORDS, "(", ")", ",", ", ", "..", ".", "+", "-", "*", "×", "/", "=", "≠", "<",
                         ">=", "%", '"', '"x"', "'x'", "1", "0", "1,5", "9" * 31, "2023-02-29",
                         "2024-02-29", "1.000", "1.00", "12.326,50", "-", "#", "\\", "{", "}",
                         "Æ", "ß", "\x00", "\n", "beregningsdato", "forrige", "ukendt_navn"]


@st.composite
def mutated_expression(draw, seed: str) -> str:
    tokens = _TOKEN.findall(seed) or ["sand"]
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(tokens)))
        op = draw(st.integers(0, 7))
        if op == 0 and tokens:
            del tokens[min(i, len(tokens) - 1)]
        elif op == 1:
            tokens.insert(i, draw(st.sampled_from(ODD_TOKENS)))
        elif op == 2 and tokens:
            j = min(i, len(tokens) - 1)
            tokens[j] = draw(st.sampled_from(ODD_TOKENS))
        elif op == 3 and len(tokens) > 1:
            j = min(i, len(tokens) - 2)
            tokens[j], tokens[j + 1] = tokens[j + 1], tokens[j]
        elif op == 4:
            k = draw(st.integers(1, 400))
            tokens = ["("] * k + tokens + [")"] * draw(st.sampled_from([k, k - 1, k + 1, 0]))
        elif op == 5:
            tokens = ["ikke"] * draw(st.integers(1, 300)) + tokens
        elif op == 6:
            k = draw(st.integers(1, 120))
            tokens = tokens + [draw(st.sampled_from(["+ 1", "og sand", "* 2", "- 1 dag"]))] * k
        else:
            tokens.insert(i, draw(st.text(max_size=4)))
    return " ".join(tokens)
