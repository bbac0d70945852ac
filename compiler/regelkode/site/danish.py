"""Danish prose from the expression tree: what a rule says, for readers of the law.

In: AST nodes (`ast.py`), optionally the checker's node types (`Typing.types`),
which choose date words (`er før`) over number words (`er mindre end`) and
read `dato + varighed` as "6 måneder efter …". Out: plain text — the review
site escapes it like any other text. Nothing here is hand-written per rule:
every sentence on the site comes from the same tree the checks are compiled
from, so the prose cannot drift from the code.

    antal samtaler hvor afholdt er mindst 4
    -> antallet af samtaler, der er afholdt, er mindst 4
"""

from __future__ import annotations

import datetime as dt
import re

from .. import runtime as rt
from ..front import ast

MONTHS = rt.MAANEDER
# A parameter with a long history (yearly rates) shows its latest values in the text.
MAX_VALUES = 3

# Comparison words by the kind of the compared values; symbols are read aloud.
# Every expression lands in a subordinate clause ("når …", "at …", "hvis …"), where
# Danish puts "ikke" before the verb: "når a ikke er 4", not "når a er ikke 4".
_DATE_WORDS = {"=": "er", "≠": "ikke er", "<": "er før", "<=": "er senest", ">": "er efter",
               ">=": "er tidligst"}
_DUR_WORDS = {"=": "er", "≠": "ikke er", "<": "er kortere end", "<=": "er højst",
              ">": "er længere end", ">=": "er mindst"}
_NUM_WORDS = {"=": "er", "≠": "ikke er", "<": "er mindre end", "<=": "er højst",
              ">": "er større end", ">=": "er mindst"}
# Inside `hvor`, a comparison on a field becomes "har dato senest …".
_HAS_WORDS = {"=": "", "<": "før", "<=": "senest", ">": "efter", ">=": "tidligst"}
_HAS_NUM_WORDS = {"=": "", "<": "under", "<=": "højst", ">": "over", ">=": "mindst"}

_ARITH = {"add": ("plus", 1), "sub": ("minus", 1), "mul": ("gange", 2),
          "div": ("divideret med", 2)}
_EXTREMES = {"tidligste": "tidligste", "seneste": "seneste", "mindste": "mindste",
             "største": "største"}
_BUILTIN_NAMES = {"beregningsdato": "beregningsdatoen", "forrige": "den forrige værdi"}


def date_text(d: dt.date) -> str:
    """2024-01-08 -> '8. januar 2024'."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def name_text(name: str) -> str:
    return _BUILTIN_NAMES.get(name, name.replace("_", " "))


def duration_text(text: str) -> str:
    """As written, with 'og' between the parts: '65 år 6 måneder' -> '65 år og 6 måneder'."""
    parts = re.findall(r"\S+\s+\S+", " ".join(str(text).split()))
    if len(parts) <= 1:
        return " ".join(str(text).split())
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def join_words(items: list[str], word: str = "og") -> str:
    """['a', 'b', 'c'] -> 'a, b og c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def sentence(text: str) -> str:
    """Capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


class Renderer:
    """One expression -> Danish. `types` maps nodes to `types.Type` (may be empty).

    `params` maps a parameter's name to its dated values as text, [(date, text)]:
    a reader then sees the value (and from when it applies) in the sentence
    instead of only the parameter's name.
    """

    def __init__(self, types: dict | None = None, params: dict | None = None):
        self.types = types or {}
        self.params = params or {}

    # -- helpers --
    def kind(self, node) -> str | None:
        t = self.types.get(node)
        if t is not None:
            return t.kind
        if isinstance(node, ast.Literal):
            return {"date": "date", "duration": "dur", "money": "money",
                    "number": "int", "percent": "dec"}.get(node.kind)
        if isinstance(node, ast.Name) and node.name == "beregningsdato":
            return "date"
        if isinstance(node, ast.Binary) and node.op in ("add", "sub"):
            left = self.kind(node.left)
            if left == "date" and self.kind(node.right) == "dur":
                return "date"
        if isinstance(node, ast.Builtin) and node.kind in ("min", "max"):
            for a in node.args:
                if self.kind(a) == "date":
                    return "date"
        return None

    def compare_word(self, op: str, word: str, left, right) -> str:
        if word[:1].isalpha():
            return word               # already words, as the author chose them
        kinds = {self.kind(left), self.kind(right)}
        if "date" in kinds:
            return _DATE_WORDS[op]
        if "dur" in kinds:
            return _DUR_WORDS[op]
        return _NUM_WORDS[op]

    # -- the tree --
    def render(self, node) -> str:
        method = getattr(self, f"r_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"no Danish rendering for {type(node).__name__}")
        return method(node)

    def r_Literal(self, node: ast.Literal) -> str:
        if node.kind == "date" and isinstance(node.value, dt.date):
            return date_text(node.value)
        if node.kind == "money":
            return rt.tekst(node.value, ("beløb",))
        if node.kind == "percent":
            return f"{str(node.text).removesuffix('%').strip()} %"
        if node.kind == "duration":
            return duration_text(node.text)
        if node.kind == "bool":
            return "sand" if node.value else "falsk"
        if node.kind == "text":
            return f"»{node.value}«" if node.value else "en tom tekst"
        return str(node.text)

    def r_Name(self, node: ast.Name) -> str:
        if node.outer:
            return f"{name_text(node.name)} for det ydre element"
        if node.name in self.params:
            return self.param_text(node.name)
        return name_text(node.name)

    def param_text(self, name: str, on: str | None = None, verb: str = "") -> str:
        """'3 år (afklaringsfrist over 50, fra 1. januar 2022)', or with several values
        'aldersgrænse (40 fra 1. januar 2020, 50 fra 1. januar 2022)'. A yes/no
        parameter read as a condition keeps its verb before the values (`verb`)."""
        values = self.params[name]
        label = name_text(name) + (f" på {on}" if on else "")
        if verb:
            label += f" {verb}"
        elif len(values) == 1:
            start, value = values[0]
            return f"{value} ({label}, fra {date_text(start)})"
        if len(values) == 1:
            start, value = values[0]
            return f"{label} ({value} fra {date_text(start)})"
        shown = [f"{value} fra {date_text(start)}" for start, value in values[-MAX_VALUES:]]
        earlier = "tidligere værdier på parametersiden; " if len(values) > MAX_VALUES else ""
        return f"{label} ({earlier}{', '.join(shown)})"

    def is_param(self, node) -> bool:
        if isinstance(node, ast.AtDate):
            node = node.target
        return isinstance(node, ast.Name) and node.name in self.params

    def r_Field(self, node: ast.Field) -> str:
        return f"{name_text(node.name)} for {self.operand(node.obj)}"

    def cond(self, node) -> str:
        """A condition: a yes/no name reads '… er opfyldt', which a bare name would not."""
        if isinstance(node, ast.Name) and node.name in self.params:
            return self.param_text(node.name, verb="er opfyldt")
        if (isinstance(node, ast.Unary) and node.op == "not"
                and isinstance(node.operand, ast.Name) and node.operand.name in self.params):
            return self.param_text(node.operand.name, verb="ikke er opfyldt")
        if isinstance(node, (ast.Name, ast.Field)) and self.kind(node) in ("bool", None):
            return f"{self.render(node)} er opfyldt"
        if (isinstance(node, ast.Unary) and node.op == "not"
                and isinstance(node.operand, (ast.Name, ast.Field))):
            return f"{self.render(node.operand)} ikke er opfyldt"
        return self.render(node)

    def r_Unary(self, node: ast.Unary) -> str:
        if node.op == "neg":
            return f"minus {self.operand(node.operand)}"
        inner = node.operand
        if isinstance(inner, (ast.Name, ast.Field)):
            return f"ikke {self.render(inner)}"
        if isinstance(inner, ast.Binary) and inner.op == "or":
            return "hverken " + " eller ".join(self.cond(x) for x in _flatten(inner, "or"))
        if isinstance(inner, ast.IsKnown):
            return self.render(ast.IsKnown(inner.span, inner.operand, not inner.known))
        if isinstance(inner, ast.Compare) and inner.op in ("=", "≠"):
            flipped = "≠" if inner.op == "=" else "="
            word = {"=": "er", "≠": "ikke er"}[flipped]
            return self.render(ast.Compare(inner.span, flipped, inner.left, inner.right, word))
        return f"det ikke gælder, at {self.cond(inner)}"

    def r_Binary(self, node: ast.Binary) -> str:
        if node.op in ("and", "or"):
            word = "og" if node.op == "and" else "eller"
            other = "or" if node.op == "and" else "and"
            parts = []
            for item in _flatten(node, node.op):
                text = self.cond(item)
                if isinstance(item, ast.Binary) and item.op == other:
                    # 'a og (b eller c)' -> 'a og enten b eller c'
                    text = ("enten " if other == "or" else "både ") + text
                elif isinstance(item, ast.If):
                    text = f"({text})"
                parts.append(text)
            if len(parts) > 1 and any(f" {w} " in p for p in parts for w in ("og", "eller")):
                # Items that have their own 'og'/'eller' are kept apart by semicolons.
                return "; ".join(parts[:-1]) + f"; {word} " + parts[-1]
            return join_words(parts, word)
        if node.op in ("add", "sub") and self.kind(node.right) == "dur" and (
                self.kind(node.left) in ("date", None)) and not _is_number(node.left):
            # 'startdato + 6 måneder' -> '6 måneder efter startdato'
            where = "efter" if node.op == "add" else "før"
            if _is_one_day(node.right):
                # 'dagen før' is a prefix, so only a looser operand (og, hvis) needs brackets
                return f"dagen {where} {self.operand(node.left, 1)}"
            return f"{self.operand(node.right, 3)} {where} {self.operand(node.left, 3)}"
        word, level = _ARITH[node.op]
        left = self.operand(node.left, level)
        # The right side of - and / needs brackets at the same level: a - (b - c).
        right = self.operand(node.right, level + (1 if node.op in ("sub", "div") else 0))
        return f"{left} {word} {right}"

    def operand(self, node, level: int = 3) -> str:
        """An arithmetic operand, bracketed when it binds looser than `level`."""
        text = self.render(node)
        if _level(node) < level and not self.is_param(node):
            return f"({text})"
        return text

    def r_Compare(self, node: ast.Compare) -> str:
        left = self.render(node.left)
        if _ends_in_clause(node.left):
            left += ","
        word = self.compare_word(node.op, node.word, node.left, node.right)
        return f"{left} {word} {self.render(node.right)}"

    def r_Member(self, node: ast.Member) -> str:
        item = self.render(node.item)
        if _ends_in_clause(node.item):
            item += ","
        if isinstance(node.collection, ast.ListLit):
            values = list(dict.fromkeys(self.render(x) for x in node.collection.items))
            return f"{item} er {join_words(values, 'eller')}"
        return f"{item} er blandt {self.render(node.collection)}"

    def r_IsKnown(self, node: ast.IsKnown) -> str:
        subject = self.render(node.operand)
        if _ends_in_clause(node.operand):
            subject += ","
        return f"{subject} er oplyst" if node.known else f"{subject} ikke er oplyst"

    def r_If(self, node: ast.If) -> str:
        then, else_ = node.then, node.else_
        if self.kind(node) == "bool":
            return (f"hvis {self.cond(node.cond)}, så {self.cond(then)}; "
                    f"ellers {self.cond(else_)}")
        return (f"hvis {self.cond(node.cond)}, så {self.render(then)}; "
                f"ellers {self.render(else_)}")

    def r_ListLit(self, node: ast.ListLit) -> str:
        return join_words([self.render(x) for x in node.items])

    def r_AtDate(self, node: ast.AtDate) -> str:
        if isinstance(node.target, ast.Name) and node.target.name in self.params:
            return self.param_text(node.target.name, self.operand(node.date))
        return f"{self.operand(node.target)} på {self.operand(node.date)}"

    def r_RoundKr(self, node: ast.RoundKr) -> str:
        return f"{self.render(node.operand)} afrundet til hele kroner"

    def r_Aggregate(self, node: ast.Aggregate) -> str:
        items = name_text(node.list_name)
        clause = self.where(node.where)
        if node.kind == "antal":
            return f"antallet af {items}{clause}"
        if node.kind == "nogen":
            return f"der findes {items}{clause}"
        if node.kind == "ingen":
            return f"der findes ingen {items}{clause}"
        if node.kind == "alle":
            pred = self.predicate(node.where) if node.where is not None else None
            if pred is not None:
                return f"det gælder for alle {items}, at de {pred}"
            return f"det gælder for alle {items}, at {self.render(node.where)}"
        field = name_text(node.field or "")
        if node.kind == "summen":
            return f"summen af {field} i {items}{clause}"
        return f"{_EXTREMES[node.kind]} {field} blandt {items}{clause}"

    def where(self, node) -> str:
        """The `hvor` part as a relative clause: ', der er afholdt'."""
        if node is None:
            return ""
        pred = self.predicate(node)
        if pred is not None:
            return f", der {pred}"
        return f", hvor {self.render(node)}"

    def predicate(self, node) -> str | None:
        """A verb phrase about one list element, in subordinate word order, or None.

        `afholdt` -> 'er afholdt'; `ikke afholdt` -> 'ikke er afholdt';
        `dato er senest x` -> 'har dato senest x'; `form i (a, b)` -> 'har form a eller b'.
        """
        if isinstance(node, ast.Name):
            return f"er {name_text(node.name)}"
        if isinstance(node, ast.Unary) and node.op == "not":
            inner = node.operand
            if isinstance(inner, ast.Binary) and inner.op == "or":
                parts = [self.predicate(x) for x in _flatten(inner, "or")]
                if all(p is not None and not p.startswith("ikke ") for p in parts):
                    return "hverken " + " eller ".join(parts)
                return None
            if isinstance(inner, ast.Binary) and inner.op == "and":
                parts = [self.predicate(x) for x in _flatten(inner, "and")]
                if all(p is not None and " og " not in p and " eller " not in p
                       for p in parts):
                    return "ikke både " + join_words(parts, "og")
                return None
            pred = self.predicate(inner)
            if pred is None or pred.startswith(("ikke ", "hverken ")):
                return None
            return f"ikke {pred}"
        if isinstance(node, ast.Binary) and node.op in ("and", "or"):
            parts = [self.predicate(x) for x in _flatten(node, node.op)]
            if any(p is None for p in parts):
                return None
            return join_words(parts, "og" if node.op == "and" else "eller")
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name):
            field = name_text(node.left.name)
            right = self.render(node.right)
            if node.op == "≠":
                return f"ikke har {field} {right}"
            if node.word.startswith("er "):
                word = node.word[3:]      # the author's own word: 'er senest' -> 'senest'
            else:
                words = _HAS_WORDS if self.kind(node.left) == "date" or self.kind(
                    node.right) == "date" else _HAS_NUM_WORDS
                word = words[node.op]
            return f"har {field} {word} {right}" if word else f"har {field} {right}"
        if isinstance(node, ast.Member) and isinstance(node.item, ast.Name) and isinstance(
                node.collection, ast.ListLit):
            values = list(dict.fromkeys(self.render(x) for x in node.collection.items))
            return f"har {name_text(node.item.name)} {join_words(values, 'eller')}"
        if isinstance(node, ast.IsKnown) and isinstance(node.operand, ast.Name):
            field = name_text(node.operand.name)
            return f"har {field} oplyst" if node.known else f"ikke har {field} oplyst"
        return None

    def r_Builtin(self, node: ast.Builtin) -> str:
        if node.kind in ("hele_år", "hele_måneder", "dage"):
            unit = {"hele_år": "hele år", "hele_måneder": "hele måneder", "dage": "dage"}[node.kind]
            a, b = (self.render(x) for x in node.args)
            return f"antallet af {unit} fra {a} til {b}"
        word = str(node.word).split()[0]
        return f"den {word} af {join_words([self.render(x) for x in node.args])}"

    # -- decision-table cells: read against the column's input --
    def r_CellAny(self, node: ast.CellAny) -> str:
        return "hvad som helst"

    def r_CellCompare(self, node: ast.CellCompare) -> str:
        word = self.compare_word(node.op, node.word, node.value, node.value)
        return f"{word} {self.render(node.value)}"

    def r_CellRange(self, node: ast.CellRange) -> str:
        return f"fra og med {self.render(node.low)} til og med {self.render(node.high)}"

    def r_CellValues(self, node: ast.CellValues) -> str:
        return join_words([self.render(x) for x in node.values], "eller")

    def cell(self, cell, column: str) -> str | None:
        """'fødselsdato er før 1. januar 1955', or None for `-` (any value)."""
        if isinstance(cell, ast.CellAny):
            return None
        if isinstance(cell, ast.CellValues):
            return f"{column} er {self.render(cell)}"
        if isinstance(cell, ast.CellRange):
            return f"{column} er {self.render(cell)}"
        return f"{column} {self.render(cell)}"


def _flatten(node, op: str) -> list:
    """a og (b og c) -> [a, b, c]: a chain of one operator, without recursion."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Binary) and n.op == op:
            stack.extend([n.right, n.left])
        else:
            out.append(n)
    return out


def _level(node) -> int:
    if isinstance(node, ast.Binary) and node.op in _ARITH:
        return _ARITH[node.op][1]
    if isinstance(node, (ast.Binary, ast.If, ast.Compare, ast.Member, ast.IsKnown,
                         ast.RoundKr)):
        return 0
    if isinstance(node, ast.Unary):
        return 0 if node.op == "not" else 3
    if isinstance(node, ast.AtDate):
        return 2
    if isinstance(node, ast.Builtin) and node.kind in ("hele_år", "hele_måneder", "dage"):
        return 0                  # 'fra … til …' runs on: bracket it inside arithmetic
    if isinstance(node, ast.Aggregate) and node.where is not None:
        return 0
    return 4


def _is_one_day(node) -> bool:
    return (isinstance(node, ast.Literal) and node.kind == "duration"
            and getattr(node.value, "maaneder", None) == 0
            and getattr(node.value, "dage", None) == 1)


def _is_number(node) -> bool:
    return isinstance(node, ast.Literal) and node.kind in ("number", "percent")


def _ends_in_clause(node) -> bool:
    """Does the Danish text of `node` end in a relative clause (so a comma must close it)?"""
    return isinstance(node, ast.Aggregate) and node.where is not None and node.kind != "alle"


# -- whole declarations -------------------------------------------------------

def render(node, types: dict | None = None, params: dict | None = None) -> str:
    return Renderer(types, params).render(node)


def _requirement(r: Renderer, node) -> str:
    if isinstance(node, ast.Literal) and node.kind == "bool":
        return "kravet altid opfyldt" if node.value else "kravet ikke opfyldt"
    return f"kravet, at {r.cond(node)}"


def _value(r: Renderer, node) -> str:
    if isinstance(node, ast.Literal) and node.kind == "bool":
        return "værdien sand" if node.value else "værdien falsk"
    return f"værdien {r.render(node)}"


def exception_sentences(excs, types: dict | None = None, *, kind: str = "regel",
                        depth: int = 0, params: dict | None = None) -> list[str]:
    """'Dog gælder: hvis …, er kravet i stedet, at ….' for each exception, nested ones after."""
    r = Renderer(types, params)
    out = []
    lead = "Dog gælder" if depth == 0 else "Dog gælder igen"
    for e in excs:
        if e.when.node is None or e.value is None or e.value.node is None:
            continue
        what = _requirement(r, e.value.node) if kind == "regel" else _value(r, e.value.node)
        what = what.replace("kravet", "kravet i stedet", 1).replace(
            "værdien", "værdien i stedet", 1)
        title = f" ({e.title})" if e.title else ""
        out.append(f"{lead}{title}: hvis {r.cond(e.when.node)}, er {what}.")
        out.extend(exception_sentences(e.subs, types, kind=kind, depth=depth + 1,
                                       params=params))
    return out


def rule_sentences(rule, types: dict | None = None, params: dict | None = None) -> list[str]:
    """A rule (`model.RuleDecl`) as Danish sentences."""
    r = Renderer(types, params)
    out = []
    if rule.applies is not None and rule.applies.node is not None:
        out.append(sentence(f"reglen gælder, når {r.cond(rule.applies.node)}"))
    else:
        out.append("Reglen gælder altid.")
    if rule.requirement.node is not None:
        node = rule.requirement.node
        if isinstance(node, ast.Literal) and node.kind == "bool":
            out.append("Kravet er altid opfyldt." if node.value else "Kravet er aldrig opfyldt.")
        else:
            out.append(sentence(f"kravet er, at {r.cond(node)}"))
    out.extend(exception_sentences(rule.exceptions, types, kind="regel", params=params))
    return out


def definition_sentences(d, types: dict | None = None, params: dict | None = None) -> list[str]:
    """A definition (`model.DefDecl`) as Danish sentences; tables row by row."""
    r = Renderer(types, params)
    subject = name_text(d.name)
    out = []
    if d.value is not None and d.value.node is not None:
        if d.type is not None and d.type.kind == "bool":
            out.append(sentence(f"{subject} er sand, når {r.cond(d.value.node)}"))
        elif isinstance(d.value.node, ast.If):
            out.append(sentence(f"{subject} er: {r.render(d.value.node)}"))
        else:
            out.append(sentence(f"{subject} er {r.render(d.value.node)}"))
    elif d.table is not None:
        out.extend(table_sentences(d.table, subject, types, params))
    out.extend(exception_sentences(d.exceptions, types, kind="definition", params=params))
    return out


def table_sentences(table, subject: str, types: dict | None = None,
                    params: dict | None = None) -> list[str]:
    r = Renderer(types, params)
    columns = [r.render(e.node) if e.node is not None else str(e) for e in table.inputs]
    out = []
    for row in table.rows:
        conds = []
        for cell, column in zip(row.cells, columns, strict=False):
            if cell.node is None:
                continue
            text = r.cell(cell.node, column)
            if text is not None:
                conds.append(text)
        result = r.render(row.result.node) if row.result.node is not None else str(row.result)
        if conds:
            out.append(sentence(f"hvis {join_words(conds)}, er {subject} {result}"))
        else:
            out.append(sentence(f"ellers er {subject} {result}"))
    if table.hit == "første":
        out.append("Den første række, der passer, gælder.")
    else:
        out.append("Præcis én række må passe; passer flere, er det en konflikt.")
    return out
