"""The pack's declarations as data: what `model.build_model` produces.

Facts, types, parameters with their periods, definitions (with decision
tables and exceptions), rules, citations, examples and conflicts, each with
its span; `Pack` holds them all. Expressions are `Expr` (text, span, AST).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Span
from . import ast
from .load import PackSource
from .types import Type


@dataclass
class Expr:
    """An expression as written, where it was written, and its AST (None if it didn't parse)."""

    text: object
    span: Span
    node: ast.Node | None

    def __str__(self) -> str:
        return " ".join(str(self.text).split())


@dataclass
class Citation:
    kind: str                    # lov | dokument
    span: Span
    lov: str | None = None
    paragraf: str | None = None
    stk: int | None = None
    nr: int | None = None
    pkt: int | None = None
    dokument: str | None = None
    afsnit: str | None = None
    citat: str | None = None
    note: str | None = None
    # Filled in by citations.py:
    eli: str | None = None
    act_title: str | None = None
    quote: str | None = None
    verified: bool = False
    problem: str | None = None

    def label(self) -> str:
        if self.kind == "lov":
            text = f"{self.lov} § {self.paragraf}"
            if self.stk:
                text += f", stk. {self.stk}"
            if self.nr:
                text += f", nr. {self.nr}"
            if self.pkt:
                text += f", {self.pkt}. pkt."
            return text
        text = f"Kilde {self.dokument}"
        if self.afsnit:
            text += f", »{self.afsnit}«"
        return text


@dataclass
class Example:
    name: str
    span: Span
    date: dt.date | None
    case_ref: str | None
    given: dict
    expected: object
    expected_span: Span
    layer: str = ""
    pack_dir: Path | None = None
    file: str = ""          # where it is written (an overlay's exception may hold it)


@dataclass
class Exception_:
    id: str
    span: Span
    when: Expr
    value: Expr | None
    subs: list
    title: str | None = None
    description: str | None = None
    citations: list = field(default_factory=list)
    layer: str = ""
    target: str | None = None
    examples: list = field(default_factory=list)
    severity: str | None = None   # `alvor`: the rule's severity when this exception decides it


@dataclass
class TypeDecl:
    name: str
    span: Span
    description: str
    values: tuple | None
    fields: dict          # name -> (type text, description, span)
    layer: str = ""
    file: str = ""


@dataclass
class FactDecl:
    name: str
    span: Span
    type_text: str
    type: Type | None
    description: str
    unit: str | None
    layer: str = ""
    file: str = ""


@dataclass
class Period:
    start: dt.date
    span: Span
    value: Expr | None
    computed: Expr | None
    citations: list
    note: str | None


@dataclass
class ParamDecl:
    name: str
    span: Span
    type_text: str
    type: Type | None
    unit: str | None
    title: str | None
    description: str
    citations: list
    periods: list
    review: dict | None
    layer: str = ""
    file: str = ""
    overrides: str | None = None


@dataclass
class Row:
    cells: list
    result: Expr
    span: Span
    note: str | None


@dataclass
class Table:
    hit: str
    inputs: list
    rows: list
    span: Span


@dataclass
class DefDecl:
    name: str
    span: Span
    type_text: str
    type: Type | None
    title: str | None
    description: str | None
    citations: list
    value: Expr | None
    table: Table | None
    exceptions: list
    examples: list
    review: dict | None
    layer: str = ""
    file: str = ""


@dataclass
class RuleDecl:
    id: str
    span: Span
    title: str
    area: str
    severity: str
    description: str | None
    citations: list
    applies: Expr | None
    requirement: Expr
    message: str
    message_span: Span
    exceptions: list
    examples: list
    review: dict | None
    layer: str = ""
    file: str = ""


@dataclass
class Conflict:
    id: str
    span: Span
    title: str
    status: str
    citations: list
    description: str
    choice: str
    rules: list
    rules_span: Span
    layer: str = ""


@dataclass
class Pack:
    id: str
    title: str
    version: str
    description: str
    layers: list
    source: PackSource
    enums: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    types: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    defs: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    conflicts: dict = field(default_factory=dict)
    laws: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    pack_dirs: dict = field(default_factory=dict)
    coverage_min: str | None = None
    layer_titles: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)
    top_exceptions: list = field(default_factory=list)

    def kind_of(self, name: str) -> str | None:
        for kind, table in (("fakta", self.facts), ("parameter", self.params),
                            ("definition", self.defs), ("regel", self.rules),
                            ("type", self.types)):
            if name in table:
                return kind
        return None
