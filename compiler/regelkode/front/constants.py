"""Constant expressions: literals and enum values, for expected values in examples."""

from __future__ import annotations

from ..diagnostics import Diagnostics, format_text
from . import ast
from . import types as T
from .parse import parse_expression


def constant_value(pack, text, span, expected: T.Type):
    """Evaluate `text` as a constant of type `expected`, or raise ValueError saying why."""
    diags = Diagnostics()
    node = parse_expression(text, span, diags)
    if node is None:
        raise ValueError(format_text(diags.sorted()))
    return _value(pack, node, expected)


def _value(pack, node, expected: T.Type):
    if isinstance(node, ast.Literal):
        return node.value
    if isinstance(node, ast.Unary) and node.op == "neg":
        v = _value(pack, node.operand, expected)
        return -v
    if isinstance(node, ast.Name):
        if expected.kind == "enum" and node.name in pack.enums[expected.name]:
            return node.name
        raise ValueError(f"`{node.name}` er ikke en værdi af typen {expected}")
    if isinstance(node, ast.ListLit) and expected.kind == "list":
        return tuple(_value(pack, item, expected.elem) for item in node.items)
    raise ValueError("en forventet værdi skal være en konstant (tal, beløb, dato, varighed, "
                     "tekst, sand/falsk eller en opregningsværdi)")
