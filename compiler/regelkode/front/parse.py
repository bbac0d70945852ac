"""Parsing: expression text (a YAML scalar) -> AST with file positions.

One Lark LALR parser built from `grammar/regelkode.lark`. Syntax errors
become diagnostics naming what was expected in Danish; literals are checked
here (a date that does not exist, a number too large, money with more than
two decimals). Positions inside the expression are mapped back into the YAML
file through `YStr.offset_span`, so block scalars point at the right line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..diagnostics import Diagnostics, Span
from ..runtime import Varighed
from . import ast

MAX_LENGTH = 20_000
MAX_DEPTH = 80
MAX_DIGITS = 30

COMPARE_WORDS = {
    "=": "=", "er": "=", "≠": "≠", "!=": "≠", "er ikke": "≠",
    "<": "<", "er under": "<", "er før": "<",
    "<=": "<=", "≤": "<=", "er højst": "<=", "er senest": "<=",
    ">": ">", "er over": ">", "er efter": ">",
    ">=": ">=", "≥": ">=", "er mindst": ">=", "er tidligst": ">=",
}

_FRIENDLY = {
    "NAME": "et navn", "NUMBER": "et tal", "DATE": "en dato", "STRING": "en tekst i anførselstegn",
    "UNIT": "en enhed (dage, uger, måneder, år)", "$END": "slutningen af udtrykket",
}


def grammar_text() -> str:
    """The grammar ships inside the package; in a checkout it is read from grammar/."""
    packaged = resources.files("regelkode").joinpath("grammar", "regelkode.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    repo = Path(__file__).resolve().parents[3] / "grammar" / "regelkode.lark"
    return repo.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def parser() -> Lark:
    return Lark(grammar_text(), parser="lalr", start=["start", "celle"],
                propagate_positions=True, maybe_placeholders=True)


class Text:
    """Expression text with a way to turn offsets into spans."""

    def __init__(self, value, fallback: Span):
        self.text = str(value) if not isinstance(value, bool) else ("sand" if value else "falsk")
        self.value = value
        self.fallback = fallback

    def span(self, start: int, end: int | None = None) -> Span:
        if hasattr(self.value, "offset_span") and not isinstance(self.value, bool):
            return self.value.offset_span(start, end)
        return self.fallback


def _describe(parser_: Lark, name: str) -> str:
    if name in _FRIENDLY:
        return _FRIENDLY[name]
    try:
        term = parser_.get_terminal(name)
        return f"`{term.pattern.value}`"
    except KeyError:
        return name


def _expected(parser_: Lark, names) -> str:
    words = sorted({_describe(parser_, n) for n in names if not n.startswith("_")})
    if len(words) > 8:
        words = [*words[:8], "…"]
    return ", ".join(words)


def parse_expression(value, fallback: Span, diags: Diagnostics, *, start: str = "start"):
    """Parse an expression (start='start') or a table cell (start='celle')."""
    text = Text(value, fallback)
    src = text.text
    if not src.strip():
        diags.error("syntax", "udtrykket er tomt", text.span(0))
        return None
    if len(src) > MAX_LENGTH:
        diags.error("too-long", f"udtrykket er over {MAX_LENGTH} tegn", text.span(0))
        return None
    p = parser()
    try:
        tree = p.parse(src, start=start)
    except UnexpectedInput as exc:
        _syntax_error(p, exc, text, diags)
        return None
    except RecursionError:
        diags.error("too-deep", f"udtrykket er indlejret mere end {MAX_DEPTH} niveauer",
                    text.span(0))
        return None
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        diags.error("too-deep", f"udtrykket er indlejret {depth} niveauer; grænsen er {MAX_DEPTH}",
                    text.span(0), "del det op i flere definitioner")
        return None
    builder = _Builder(text, diags)
    node = builder.build(tree.children[0] if start == "start" else tree)
    return None if builder.failed else node


def _depth(tree) -> int:
    best = 0
    stack = [(tree, 1)]
    while stack:
        t, d = stack.pop()
        best = max(best, d)
        if isinstance(t, Tree):
            stack.extend((c, d + 1) for c in t.children)
    return best


def _syntax_error(p: Lark, exc: UnexpectedInput, text: Text, diags: Diagnostics) -> None:
    src = text.text
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        ch = src[pos] if pos < len(src) else ""
        hint = None
        if ch == "'":
            hint = "tekst skrives i dobbelte anførselstegn: \"…\""
        elif ch == ",":
            hint = "lister står i parentes: (a, b)"
        elif ch.isupper():
            hint = "navne og nøgleord skrives med små bogstaver"
        diags.error("syntax", f"uventet tegn `{ch}`", text.span(pos, pos + 1), hint)
        return
    if isinstance(exc, UnexpectedEOF):
        pos = len(src.rstrip())
        expected = set(exc.expected)
        token_text = None
    else:
        assert isinstance(exc, UnexpectedToken)
        tok = exc.token
        expected = set(exc.expected)
        if tok.type == "$END":
            pos, token_text = len(src.rstrip()), None
        else:
            pos, token_text = tok.start_pos, str(tok)
    hint = _hint(p, src[:pos], token_text, expected)
    if token_text is None:
        msg = f"udtrykket slutter for tidligt; forventede {_expected(p, expected)}"
        span = text.span(max(pos - 1, 0), max(pos, 1))
    else:
        msg = f"uventet `{token_text}`; forventede {_expected(p, expected)}"
        span = text.span(pos, pos + len(token_text))
    diags.error("syntax", msg, span, hint)


_WORD = re.compile(r"[a-zæøå_][a-zæøå0-9_]*")


def _keywords(p: Lark) -> list[str]:
    from lark.lexer import PatternStr
    return sorted({t.pattern.value for t in p.terminals
                   if isinstance(t.pattern, PatternStr) and t.pattern.value.isalpha()})


def _hint(p: Lark, before: str, token_text: str | None, expected: set) -> str | None:
    """A hint only where it fits what was written before the error.

    LALR's `expected` lists every token the state allows, so `ellers` was
    "expected" after any name and every typo got the hint about `hvis … så`.
    """
    words = _WORD.findall(re.sub(r'"[^"]*"', " ", before))
    keywords = _keywords(p)
    # a misspelt keyword (`er mindts 4`): the word before the error, or the token itself
    for word in (words[-1] if words else None, token_text):
        if word and _WORD.fullmatch(word) and word not in keywords:
            close = difflib.get_close_matches(word, keywords, n=1, cutoff=0.75)
            if close:
                return f"mente du `{close[0]}`? (`{word}` er ikke et nøgleord)"
    if "hvis" in words:
        last_if = len(words) - 1 - words[::-1].index("hvis")
        after_if = words[last_if:]
        if "så" not in after_if and "SÅ" in expected:
            return "`hvis` skal følges af `så`"
        if "så" in after_if and "ellers" not in after_if and "ELLERS" in expected:
            return "`hvis … så …` skal have en `ellers`-del"
    if before.count("(") > before.count(")") and "RPAR" in expected:
        return "der mangler en `)`"
    if "alle" in words[-2:] and ("HVOR" in expected or "_HVOR" in expected):
        return "efter `alle` og listens navn skal der stå `hvor`"
    return None


class _Builder:
    """Lark tree -> AST. One method per tree label; an unknown label fails loudly."""

    def __init__(self, text: Text, diags: Diagnostics):
        self.text = text
        self.diags = diags
        self.failed = False

    def span(self, item) -> Span:
        if isinstance(item, Token):
            return self.text.span(item.start_pos, item.end_pos)
        meta = item.meta
        if getattr(meta, "empty", True):
            return self.text.span(0)
        return self.text.span(meta.start_pos, meta.end_pos)

    def error(self, item, message: str, hint: str | None = None):
        self.failed = True
        self.diags.error("literal", message, self.span(item), hint)

    def build(self, item):
        if isinstance(item, Token):
            raise TypeError(f"unexpected token {item.type}")
        label = item.data if isinstance(item.data, str) else item.data.value
        method = getattr(self, f"t_{label}", None)
        if method is None:
            raise TypeError(f"no AST builder for grammar rule {label!r}")
        return method(item)

    # -- logic and comparison --
    def t_if_(self, t):
        c, a, b = (self.build(x) for x in t.children)
        return ast.If(self.span(t), c, a, b)

    def _binary(self, t, op):
        left, right = (self.build(x) for x in t.children)
        return ast.Binary(self.span(t), op, left, right)

    def t_or_(self, t):
        return self._binary(t, "or")

    def t_and_(self, t):
        return self._binary(t, "and")

    def t_add(self, t):
        return self._binary(t, "add")

    def t_sub(self, t):
        return self._binary(t, "sub")

    def t_mul(self, t):
        return self._binary(t, "mul")

    def t_div(self, t):
        return self._binary(t, "div")

    def t_not_(self, t):
        return ast.Unary(self.span(t), "not", self.build(t.children[0]))

    def t_neg(self, t):
        return ast.Unary(self.span(t), "neg", self.build(t.children[0]))

    def t_compare(self, t):
        left, op, right = t.children
        word = " ".join(str(tok) for tok in op.children)
        return ast.Compare(self.span(t), COMPARE_WORDS[word], self.build(left), self.build(right),
                           word)

    def t_member(self, t):
        item, coll = (self.build(x) for x in t.children)
        return ast.Member(self.span(t), item, coll)

    def t_is_unknown(self, t):
        return ast.IsKnown(self.span(t), self.build(t.children[0]), False)

    def t_is_known(self, t):
        return ast.IsKnown(self.span(t), self.build(t.children[0]), True)

    # -- postfix --
    def t_at_date(self, t):
        target, date = (self.build(x) for x in t.children)
        return ast.AtDate(self.span(t), target, date)

    def t_round_kr(self, t):
        return ast.RoundKr(self.span(t), self.build(t.children[0]))

    def t_field(self, t):
        obj, name = t.children
        return ast.Field(self.span(t), self.build(obj), str(name))

    # -- atoms --
    def t_name(self, t):
        return ast.Name(self.span(t), str(t.children[0]))

    def t_outer_name(self, t):
        return ast.Name(self.span(t), str(t.children[0]), outer=True)

    def t_not_name(self, t):
        tok = t.children[0]
        return ast.Unary(self.span(t), "not", ast.Name(self.span(tok), str(tok)))

    def t_list_(self, t):
        return ast.ListLit(self.span(t), tuple(self.build(x) for x in t.children))

    def _aggregate(self, t, kind, with_field):
        kids = list(t.children)
        fld = kids.pop(0) if with_field else None
        lst, where = kids
        return ast.Aggregate(
            self.span(t), kind, str(lst), self.span(lst),
            str(fld) if fld is not None else None, self.span(fld) if fld is not None else None,
            self.build(where) if where is not None else None)

    def t_count(self, t):
        return self._aggregate(t, "antal", False)

    def t_forall(self, t):
        return self._aggregate(t, "alle", False)

    def t_exists(self, t):
        return self._aggregate(t, "nogen", False)

    def t_none(self, t):
        return self._aggregate(t, "ingen", False)

    def t_sum_of(self, t):
        return self._aggregate(t, "summen", True)

    def t_earliest_of(self, t):
        return self._aggregate(t, "tidligste", True)

    def t_latest_of(self, t):
        return self._aggregate(t, "seneste", True)

    def t_smallest_of(self, t):
        return self._aggregate(t, "mindste", True)

    def t_largest_of(self, t):
        return self._aggregate(t, "største", True)

    def _builtin(self, t, kind, word):
        return ast.Builtin(self.span(t), kind, tuple(self.build(x) for x in t.children), word)

    def t_whole_years(self, t):
        return self._builtin(t, "hele_år", "hele år fra")

    def t_whole_months(self, t):
        return self._builtin(t, "hele_måneder", "hele måneder fra")

    def t_days_between(self, t):
        return self._builtin(t, "dage", "dage fra")

    def t_min_of(self, t):
        word = self.text.text[t.meta.start_pos:t.meta.end_pos].split()[0]
        return self._builtin(t, "min", f"{word} af")

    def t_max_of(self, t):
        word = self.text.text[t.meta.start_pos:t.meta.end_pos].split()[0]
        return self._builtin(t, "max", f"{word} af")

    # -- literals --
    def _number(self, tok) -> Decimal | None:
        raw = str(tok)
        digits = raw.replace(".", "").replace(",", "")
        if len(digits) > MAX_DIGITS:
            self.error(tok, f"tallet `{raw}` har over {MAX_DIGITS} cifre")
            return None
        return Decimal(raw.replace(".", "").replace(",", "."))

    def t_number(self, t):
        tok = t.children[0]
        value = self._number(tok)
        if value is None:
            return ast.Literal(self.span(t), "number", 0, str(tok))
        if "," not in str(tok):
            value = int(value)
        return ast.Literal(self.span(t), "number", value, str(tok))

    def t_money(self, t):
        tok = t.children[0]
        value = self._number(tok)
        if value is None:
            return ast.Literal(self.span(t), "money", 0, f"{tok} kr")
        ore = value * 100
        if ore != ore.to_integral_value():
            self.error(tok, f"beløbet `{tok} kr` har mere end to decimaler")
            ore = Decimal(0)
        return ast.Literal(self.span(t), "money", int(ore), f"{tok} kr")

    def t_percent(self, t):
        tok = t.children[0]
        value = self._number(tok)
        return ast.Literal(self.span(t), "percent", (value or Decimal(0)) / 100, f"{tok} %")

    def t_date(self, t):
        tok = t.children[0]
        try:
            value = dt.date.fromisoformat(str(tok))
        except ValueError:
            self.error(tok, f"`{tok}` er ikke en gyldig dato", "datoer skrives ÅÅÅÅ-MM-DD, "
                       "og dagen skal findes i måneden")
            value = dt.date(1, 1, 1)
        return ast.Literal(self.span(t), "date", value, str(tok))

    def t_duration(self, t):
        months = days = 0
        kids = t.children
        for num, unit in zip(kids[::2], kids[1::2], strict=False):
            if "," in str(num) or "." in str(num):
                self.error(num, f"en varighed skal være et helt antal, ikke `{num}`",
                           "skriv fx `65 år 6 måneder`")
                continue
            if len(str(num)) > MAX_DIGITS:
                # used to become 0 without a word: `d + 10…0 dage` was just `d`
                self.error(num, f"tallet `{num}` har over {MAX_DIGITS} cifre")
                continue
            n = int(str(num))
            u = str(unit)
            if u in ("dag", "dage"):
                days += n
            elif u in ("uge", "uger"):
                days += 7 * n
            elif u in ("måned", "måneder"):
                months += n
            else:
                months += 12 * n
        # Rebuilt from the tokens, so a comment between them can't leak into the
        # text the type checker reads the units from.
        text = " ".join(f"{num} {unit}" for num, unit in zip(kids[::2], kids[1::2], strict=False))
        return ast.Literal(self.span(t), "duration", Varighed(months, days), text)

    def t_true(self, t):
        return ast.Literal(self.span(t), "bool", True, "sand")

    def t_false(self, t):
        return ast.Literal(self.span(t), "bool", False, "falsk")

    def t_text(self, t):
        tok = t.children[0]
        return ast.Literal(self.span(t), "text", str(tok)[1:-1], str(tok))

    # -- table cells --
    def t_cell_any(self, t):
        return ast.CellAny(self.span(t))

    def t_cell_compare(self, t):
        op, value = t.children
        word = " ".join(str(tok) for tok in op.children)
        return ast.CellCompare(self.span(t), COMPARE_WORDS[word], self.build(value), word)

    def t_cell_range(self, t):
        low, high = (self.build(x) for x in t.children)
        return ast.CellRange(self.span(t), low, high)

    def t_cell_values(self, t):
        return ast.CellValues(self.span(t), tuple(self.build(x) for x in t.children))
