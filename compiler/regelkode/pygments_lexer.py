"""Pygments lexer for Regelkode expressions.

Registered under the ``pygments.lexers`` entry point (see pyproject.toml), so
code blocks fenced with ``regelkode`` in the MkDocs review site are highlighted
once the project is installed. The keyword list follows
``grammar/regelkode.lark``; keep the two in step.

Keywords are matched as whole words only, ``æ``, ``ø`` and ``å`` included:
``så`` is a keyword, ``sådan`` is a name; ``i`` is a keyword, ``indsatser`` is a
name. The word boundary is written as lookarounds on ``[\\wæøå]`` rather than
``\\b`` so that it never depends on how a regex engine classifies non-ASCII
letters.
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

__all__ = ["BUILTIN_NAMES", "CONSTANTS", "KEYWORDS", "UNITS", "RegelkodeLexer"]

# Words of the grammar (grammar/regelkode.lark), by the token type they get.
KEYWORDS = (
    "og", "eller", "ikke",
    "hvis", "så", "ellers",
    "i", "er", "mindst", "højst", "under", "over", "før", "efter", "senest", "tidligst",
    "kendt", "ukendt",
    "antal", "alle", "nogen", "ingen", "summen", "af", "hvor",
    "tidligste", "seneste", "mindste", "største",
    "hele", "fra", "til", "på", "afrundet", "ydre",
)  # fmt: skip
CONSTANTS = ("sand", "falsk")
# Units of durations and money. `år`, `måneder` and `dage` are also the
# keywords of `hele år fra …`, `hele måneder fra …` and `dage fra …`.
UNITS = (
    "dag", "dage", "uge", "uger", "måned", "måneder", "år",
    "kr", "kroner",
)  # fmt: skip
# Names with a fixed meaning in every pack (not keywords: they are NAMEs in
# the grammar).
BUILTIN_NAMES = ("beregningsdato", "forrige")

_WORD_CHAR = r"[\wæøåÆØÅ]"
_BEFORE = rf"(?<!{_WORD_CHAR})"
_AFTER = rf"(?!{_WORD_CHAR})"


def _whole_words(items: tuple[str, ...]) -> str:
    # words() sorts longest first and escapes; the lookarounds make it whole-word.
    return words(items, prefix=_BEFORE, suffix=_AFTER).get()


class RegelkodeLexer(RegexLexer):
    """Lexer for Regelkode expressions (Danish rules-as-code)."""

    name = "Regelkode"
    aliases: ClassVar[list[str]] = ["regelkode"]
    filenames: ClassVar[list[str]] = []
    mimetypes: ClassVar[list[str]] = ["text/x-regelkode"]

    tokens: ClassVar[dict[str, list]] = {
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"[^"\n]*"', String.Double),
            # 2024-01-08 (before numbers, so the year is not read as a number)
            (r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])", Literal.Date),
            # Danish notation: 12.326,50 and 1.000 and 1,5 (decimal comma)
            (r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+(?![0-9])", Number.Float),
            (r"[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9,])", Number.Integer),
            (r"[0-9]+,[0-9]+(?![0-9])", Number.Float),
            (r"[0-9]+", Number.Integer),
            (_whole_words(CONSTANTS), Keyword.Constant),
            (_whole_words(UNITS), Keyword.Type),
            (_whole_words(KEYWORDS), Keyword),
            (_whole_words(BUILTIN_NAMES), Name.Builtin),
            # field of a record: første_samtale.dato
            (r"(\.)([^\W\d][\wæøåÆØÅ]*)", bygroups(Punctuation, Name.Attribute)),
            (r"[^\W\d][\wæøåÆØÅ]*", Name),
            # `..` is the range of a decision-table cell
            (r"\.\.|<=|>=|!=|[≠≤≥=<>+\-*×/%]", Operator),
            (r"[(),.]", Punctuation),
            # anything else is not Regelkode: Pygments marks it as Error
        ],
    }
