"""Numbers read from text take ASCII digits only, in the module and the JSON Schema alike.

Python's `\\d`, `int()` and `Decimal()` also read Arabic-Indic (١٥٨) and full-width
(１５８) digits; the generated JSON Schema's patterns are ECMA-262, where `\\d` is
0-9 only. A case the schema refuses must not be judged by the module, and a rule
expression or a coverage minimum written in other digits is an error.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import jsonschema
import pytest

from regelkode import runtime as rt
from regelkode.backends.python import emit as emit_python
from regelkode.backends.schema import emit as emit_schema
from regelkode.checks.coverage import _minimum
from regelkode.checks.examples import load_module
from regelkode.diagnostics import Diagnostics, Span
from regelkode.front.parse import parse_expression
from regelkode.passes.pipeline import compile_pack

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "ressourceforloeb"

ARABIC = "\u0661\u0665\u0668\u0667\u0664"      # ١٥٨٧٤
FULL_WIDTH = "\uff11\uff15\uff18"               # １５８
OTHER = [f"{ARABIC}.00", f"{FULL_WIDTH}", f"1{ARABIC}", "\u0967\u0968"]   # ... Devanagari १२


@pytest.fixture(scope="module")
def compiled():
    c = compile_pack(PACK)
    assert c.ok
    with tempfile.TemporaryDirectory() as tmp:
        module = load_module(emit_python.emit_module(c.program), c.program.pack, Path(tmp))
        schema = json.loads(emit_schema.emit_case_schema(c.program))
        yield c.program, module, schema


def _money_fact(program) -> str:
    return next(name for name, desc in program.facts.items() if desc[0] == "beløb")


@pytest.mark.parametrize("text", OTHER)
def test_money_in_other_digits_is_refused_by_module_and_schema(compiled, text):
    program, module, schema = compiled
    case = json.loads((PACK / "sager" / "anna_alt_i_orden.json").read_text(encoding="utf-8"))
    case[_money_fact(program)] = text
    with pytest.raises(module.SagFejl):
        module.evaluate(case)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(case, schema)


@pytest.mark.parametrize("pattern", [rt._BELOEB, rt._DECIMAL, rt._DATO])
def test_the_runtime_patterns_are_ascii(pattern):
    assert not pattern.fullmatch(ARABIC) and not pattern.fullmatch(f"{ARABIC}-01-01"[:10])
    assert not re.search(r"\\d", pattern.pattern)


def test_a_date_in_other_digits_is_refused(compiled):
    _program, module, _schema = compiled
    case = json.loads((PACK / "sager" / "anna_alt_i_orden.json").read_text(encoding="utf-8"))
    case["beregningsdato"] = "\u0662\u0660\u0662\u0665-01-01"
    with pytest.raises(module.SagFejl):
        module.evaluate(case)


@pytest.mark.parametrize("text", [f"{FULL_WIDTH} kr", f"{ARABIC}", "a > \u0661"])
def test_a_rule_expression_with_other_digits_does_not_parse(text):
    diags = Diagnostics()
    assert parse_expression(text, Span("x.yaml", 1, 1), diags) is None
    assert diags.has_errors


@pytest.mark.parametrize("raw", [ARABIC, f"{FULL_WIDTH}%", "0.\u0668"])
def test_a_coverage_minimum_in_other_digits_is_an_error(raw):
    value, problem = _minimum(raw)
    assert value is None and problem
