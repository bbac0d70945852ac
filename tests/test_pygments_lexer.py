"""The Pygments lexer used for ``regelkode`` code blocks on the review site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
)

from regelkode.pygments_lexer import BUILTIN_NAMES, CONSTANTS, KEYWORDS, UNITS, RegelkodeLexer

GRAMMAR = Path(__file__).resolve().parents[1] / "grammar" / "regelkode.lark"


def tokens(text: str) -> list[tuple[object, str]]:
    """(token type, text) pairs without whitespace."""
    return [(t, v) for t, v in RegelkodeLexer().get_tokens(text) if v.strip()]


def type_of(text: str, word: str) -> object:
    found = [t for t, v in tokens(text) if v == word]
    assert found, f"{word!r} is not a token of {text!r}: {tokens(text)}"
    assert len(set(found)) == 1, f"{word!r} gets several types in {text!r}: {found}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        # `i` is a keyword, a name that starts with i is not
        ("tidligste startdato i indsatser hvor påbegyndt", "i", Keyword),
        ("tidligste startdato i indsatser hvor påbegyndt", "indsatser", Name),
        ("form i (fremmøde, telefon)", "i", Keyword),
        ("form i (fremmøde, telefon)", "fremmøde", Name),
        # keywords that end in æ/ø/å: `så`, `på`, `før`
        ("hvis sådan så ydelse_med_barn ellers ydelse_uden_barn", "så", Keyword),
        ("hvis sådan så ydelse_med_barn ellers ydelse_uden_barn", "sådan", Name),
        ("ydelse_med_barn på påbegyndt", "på", Keyword),
        ("ydelse_med_barn på påbegyndt", "påbegyndt", Name),
        ("dato er før førtidspension", "før", Keyword),
        ("dato er før førtidspension", "førtidspension", Name),
        # a keyword with a name character before or after it is part of a name
        ("afholdt og ikke aflyst_i", "aflyst_i", Name),
        ("antallet er over 3", "antallet", Name),
        ("årsag er kendt", "årsag", Name),
        ("årsag er kendt", "kendt", Keyword),
        ("hele år fra fødselsdato til beregningsdato", "år", Keyword),
        ("hele år fra fødselsdato til beregningsdato", "fødselsdato", Name),
    ],
)
def test_keyword_versus_name(text: str, word: str, expected: object) -> None:
    assert type_of(text, word) in expected


def test_exact_types_of_an_aggregate() -> None:
    assert tokens("antal samtaler hvor afholdt er mindst 4") == [
        (Keyword, "antal"),
        (Name, "samtaler"),
        (Keyword, "hvor"),
        (Name, "afholdt"),
        (Keyword, "er"),
        (Keyword, "mindst"),
        (Number.Integer, "4"),
    ]


def test_literals_in_danish_notation() -> None:
    assert tokens("12.326,50 kr") == [(Number.Float, "12.326,50"), (Keyword.Type, "kr")]
    assert tokens("1.000") == [(Number.Integer, "1.000")]
    assert tokens("1,7 %") == [(Number.Float, "1,7"), (Operator, "%")]
    # a list separates with ", ": two numbers, not the decimal 1,5
    assert [t for t, _ in tokens("(1, 5)")] == [
        Punctuation,
        Number.Integer,
        Punctuation,
        Number.Integer,
        Punctuation,
    ]
    assert tokens("startdato + 26 uger") == [
        (Name, "startdato"),
        (Operator, "+"),
        (Number.Integer, "26"),
        (Keyword.Type, "uger"),
    ]
    assert tokens("2024-01-08 .. 2024-06-30") == [
        (Literal.Date, "2024-01-08"),
        (Operator, ".."),
        (Literal.Date, "2024-06-30"),
    ]
    assert tokens('form er "virksomhedspraktik"') == [
        (Name, "form"),
        (Keyword, "er"),
        (String.Double, '"virksomhedspraktik"'),
    ]
    assert tokens("sand eller falsk") == [
        (Keyword.Constant, "sand"),
        (Keyword, "eller"),
        (Keyword.Constant, "falsk"),
    ]


def test_fields_comments_and_builtin_names() -> None:
    assert tokens("første_samtale.dato ≤ beregningsdato # i tide") == [
        (Name, "første_samtale"),
        (Punctuation, "."),
        (Name.Attribute, "dato"),
        (Operator, "≤"),
        (Name.Builtin, "beregningsdato"),
        (Comment.Single, "# i tide"),
    ]


# The expression examples of site/docs/sprog.md: none of them may lex to an error.
EXAMPLES = [
    "afholdt og ikke aflyst",
    "hvis har_barn så ydelse_med_barn ellers ydelse_uden_barn",
    "form i (fremmøde, telefon)",
    "ønsker_forløb er kendt",
    "bevillingsdato er ukendt",
    "slutdato - 14 dage",
    "alle samtaler hvor (form i (fremmøde, telefon))",
    "nogen indsatser hvor påbegyndt",
    "summen af uger i ferieperioder hvor godkendt",
    "seneste af (startdato, bevillingsdato)",
    "hele måneder fra a til b",
    "dage fra a til b",
    "beløb afrundet til hele kroner",
    "65 år 6 måneder",
    "forrige × (1 + 1,7 % + tilpasningsprocent på 2025-01-01) afrundet til hele kroner",
    "antal samtaler hvor (afholdt og dato er senest seks_måneders_frist) er mindst 4",
    "beregningsdato er efter seks_måneders_frist",
    "ikke mindre_end_seks_år_til_folkepension_ved_start",
    "x ≠ 3 og y != 4 og z >= 1 og w <= 2 og v ≥ 0 og u < 1 og t > 0 og s = 1 / 2 * 3",
    "er tidligst 1954-01-01",
    "er højst 40 og er under 3 og er over 2",
]


@pytest.mark.parametrize("text", EXAMPLES)
def test_examples_lex_without_errors(text: str) -> None:
    assert all(t is not Error for t, _ in tokens(text)), tokens(text)
    # lexing loses nothing
    assert "".join(v for _, v in RegelkodeLexer().get_tokens(text)) == text + "\n"


def test_every_word_of_the_grammar_is_highlighted() -> None:
    grammar_words = set(re.findall(r'"([a-zæøå]+)"', GRAMMAR.read_text(encoding="utf-8")))
    assert "hvor" in grammar_words and "måneder" in grammar_words  # the scan works
    lexer_words = set(KEYWORDS) | set(CONSTANTS) | set(UNITS)
    assert grammar_words == lexer_words
    assert not set(BUILTIN_NAMES) & lexer_words
    for word in sorted(grammar_words):
        assert type_of(f"x {word} y", word) in Keyword


def test_registered_with_pygments() -> None:
    # through the `pygments.lexers` entry point of the installed project, which
    # is how MkDocs (pymdownx.highlight) finds it for ```regelkode blocks
    assert isinstance(get_lexer_by_name("regelkode"), RegelkodeLexer)
