"""Expression AST: frozen dataclass nodes, each with the span it came from.

Produced by `parse.py`, read by `resolve.py`, `typecheck.py`, `lower.py`
and the Danish renderer. Lark trees never leave `parse.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Span


@dataclass(frozen=True)
class Node:
    span: Span


@dataclass(frozen=True)
class Literal(Node):
    kind: str          # date | money | percent | number | duration | bool | text
    value: object      # date, int øre, Decimal, int, Varighed, bool, str
    text: str          # as written


@dataclass(frozen=True)
class Name(Node):
    name: str
    # `ydre dato`: the field of the element one `hvor` further out, for when
    # the inner list's element has a field of the same name.
    outer: bool = False


@dataclass(frozen=True)
class Field(Node):
    obj: Node
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str            # not | neg
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str            # and | or | add | sub | mul | div
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare(Node):
    op: str            # = ≠ < <= > >=
    left: Node
    right: Node
    word: str          # as written: "er mindst", "<=", ...


@dataclass(frozen=True)
class Member(Node):
    item: Node
    collection: Node


@dataclass(frozen=True)
class IsKnown(Node):
    operand: Node
    known: bool


@dataclass(frozen=True)
class If(Node):
    cond: Node
    then: Node
    else_: Node


@dataclass(frozen=True)
class ListLit(Node):
    items: tuple


@dataclass(frozen=True)
class AtDate(Node):
    target: Node
    date: Node


@dataclass(frozen=True)
class RoundKr(Node):
    operand: Node


@dataclass(frozen=True)
class Aggregate(Node):
    kind: str          # antal alle nogen ingen summen tidligste seneste mindste største
    list_name: str
    list_span: Span
    field: str | None
    field_span: Span | None
    where: Node | None


@dataclass(frozen=True)
class Builtin(Node):
    kind: str          # hele_år hele_måneder dage min max
    args: tuple
    word: str          # as written: "tidligste af", ...


# Decision-table cells (DMN unary tests against the column's input).

@dataclass(frozen=True)
class CellAny(Node):
    pass


@dataclass(frozen=True)
class CellCompare(Node):
    op: str
    value: Node
    word: str


@dataclass(frozen=True)
class CellRange(Node):
    low: Node
    high: Node


@dataclass(frozen=True)
class CellValues(Node):
    values: tuple


def children(node: Node) -> tuple:
    """The direct sub-expressions, for passes that only need to walk."""
    if isinstance(node, (Literal, Name, CellAny)):
        return ()
    if isinstance(node, Field):
        return (node.obj,)
    if isinstance(node, (Unary,)):
        return (node.operand,)
    if isinstance(node, (Binary, Compare)):
        return (node.left, node.right)
    if isinstance(node, Member):
        return (node.item, node.collection)
    if isinstance(node, (IsKnown, RoundKr)):
        return (node.operand,)
    if isinstance(node, If):
        return (node.cond, node.then, node.else_)
    if isinstance(node, ListLit):
        return node.items
    if isinstance(node, AtDate):
        return (node.target, node.date)
    if isinstance(node, Aggregate):
        return (node.where,) if node.where is not None else ()
    if isinstance(node, Builtin):
        return node.args
    if isinstance(node, CellCompare):
        return (node.value,)
    if isinstance(node, CellRange):
        return (node.low, node.high)
    if isinstance(node, CellValues):
        return node.values
    raise TypeError(f"unknown node {type(node).__name__}")


def walk(node: Node):
    """Every node below and including `node`, iteratively (no recursion limit)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))
