"""The parser: every construct documented in sprog.md parses; positions point into the file."""

import re
from pathlib import Path

import pytest

from regelkode.diagnostics import Diagnostics, Span
from regelkode.front import ast
from regelkode.front.load import load_yaml
from regelkode.front.parse import parse_expression

SPROG = Path(__file__).resolve().parents[2] / "site" / "docs" / "sprog.md"
FALLBACK = Span("x", 1, 1)


def documented_expressions():
    text = SPROG.read_text(encoding="utf-8")
    table = text[text.index("## Udtryk"):text.index("### Ukendt")]
    out = []
    for line in table.splitlines():
        if not line.startswith("|") or "---" in line or "konstruktion" in line:
            continue
        example = line.split("|")[2]
        out += re.findall(r"`([^`]+)`", example)
    # Bare operators from the table ("er mindst", "≠") are not expressions on their own.
    return [e for e in out if re.search(r"[\wæøå]", e) and not (
        e in {"og", "eller", "ikke"} or e.startswith("er ") or e == "er")]


EXPRS = documented_expressions()


def test_the_documentation_has_examples():
    assert len(EXPRS) >= 30


@pytest.mark.parametrize("expr", EXPRS)
def test_every_documented_construct_parses(expr):
    diags = Diagnostics()
    if expr.startswith("# "):
        expr = "sand " + expr
    node = parse_expression(expr, FALLBACK, diags)
    assert node is not None, [d.message for d in diags.items]


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("12.326 kr", "money", 1232600),
    ("12.326,50 kr", "money", 1232650),
    ("1.000", "number", 1000),
    ("1,5", "number", None),
    ("1,7 %", "percent", None),
    ("65 år 6 måneder", "duration", None),
])
def test_danish_number_notation(text, kind, value):
    node = parse_expression(text, FALLBACK, Diagnostics())
    assert isinstance(node, ast.Literal) and node.kind == kind
    if value is not None:
        assert node.value == value
    if text == "65 år 6 måneder":
        assert (node.value.maaneder, node.value.dage) == (786, 0)
    if text == "1,5":
        assert str(node.value) == "1.5"


def test_a_list_needs_a_space_after_the_comma():
    node = parse_expression("x i (1, 5)", FALLBACK, Diagnostics())
    assert isinstance(node.collection, ast.ListLit) and len(node.collection.items) == 2


def test_rounding_applies_to_the_whole_product():
    node = parse_expression("a × (1 + 2 %) afrundet til hele kroner", FALLBACK, Diagnostics())
    assert isinstance(node, ast.RoundKr) and isinstance(node.operand, ast.Binary)


def test_hvor_body_cannot_swallow_the_comparison():
    node = parse_expression("antal samtaler hvor afholdt er mindst 4", FALLBACK, Diagnostics())
    assert isinstance(node, ast.Compare) and isinstance(node.left, ast.Aggregate)


def test_positions_in_a_block_scalar_point_at_the_right_line_and_column(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("regel:\n  krav: |\n    a og\n      (b eller ukendt_navn)\n")
    tree = load_yaml(path, "r.yaml", Diagnostics())
    text = tree["regel"]["krav"]
    node = parse_expression(text, FALLBACK, Diagnostics())
    name = node.right.right
    assert name.name == "ukendt_navn"
    assert (name.span.line, name.span.column) == (4, 16)
    assert (name.span.end_line, name.span.end_column) == (4, 27)


def test_positions_in_a_quoted_scalar(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text('krav: "a og  b"\n')
    tree = load_yaml(path, "r.yaml", Diagnostics())
    node = parse_expression(tree["krav"], FALLBACK, Diagnostics())
    assert (node.right.span.line, node.right.span.column) == (1, 14)
