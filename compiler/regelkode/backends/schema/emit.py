"""Case schema back end: the pack's facts -> a JSON Schema for a case.

Developers validate their case data with it before calling `evaluate`
(which validates again, with the same rules, without needing jsonschema).
"""

from __future__ import annotations

import json

from ...ir import nodes as ir

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _schema(desc: tuple, description: str | None = None) -> dict:
    kind = desc[0]
    if kind == "sandhedsværdi":
        s: dict = {"type": "boolean"}
    elif kind == "heltal":
        s = {"type": "integer"}
    elif kind == "decimal":
        s = {"oneOf": [{"type": "integer"},
                       {"type": "string", "pattern": r"^-?\d{1,30}(\.\d{1,20})?$"}]}
    elif kind == "beløb":
        s = {"oneOf": [{"type": "integer", "description": "hele kroner"},
                       {"type": "string", "pattern": r"^-?\d{1,15}(\.\d{1,2})?$",
                        "description": "kroner med højst 2 decimaler, fx \"12326.50\""}]}
    elif kind == "dato":
        s = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    elif kind == "varighed":
        s = {"type": "object", "additionalProperties": False,
             "properties": {"måneder": {"type": "integer"}, "dage": {"type": "integer"}}}
    elif kind == "tekst":
        s = {"type": "string"}
    elif kind == "enum":
        s = {"enum": list(desc[2]), "title": desc[1]}
    elif kind == "liste":
        s = {"type": "array", "maxItems": 10_000, "items": _schema(desc[1])}
    elif kind == "post":
        s = {"type": "object", "title": desc[1], "additionalProperties": False,
             "properties": {name: _nullable(_schema(fdesc)) for name, fdesc in desc[2]}}
    else:
        raise TypeError(kind)
    if description:
        s["description"] = description
    return s


def _nullable(s: dict) -> dict:
    return {"anyOf": [s, {"type": "null"}]}


def case_schema(program: ir.Program, descriptions: dict | None = None) -> dict:
    if descriptions is None:
        descriptions = program.descriptions
    props = {
        "beregningsdato": {"type": "string", "format": "date", "pattern": DATE_PATTERN,
                           "description": "Den dato sagen bedømmes på."},
        "beskrivelse": {"type": "string", "description": "Fri tekst; bruges ikke af reglerne."},
    }
    for name, desc in program.facts.items():
        props[name] = _nullable(_schema(desc, descriptions.get(name)))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"En sag for {program.title} ({program.pack} {program.version})",
        "description": "Alle fakta kan udelades; et udeladt faktum eller null er ukendt.",
        "type": "object",
        "additionalProperties": False,
        "properties": props,
    }


def emit_case_schema(program: ir.Program, descriptions: dict | None = None) -> str:
    return json.dumps(case_schema(program, descriptions), ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


class SchemaBackend:
    """`sag.schema.json` beside each pack's module; it judges no case."""

    name = "schema"
    judges = False

    def emit(self, program: ir.Program) -> dict[str, str]:
        return {"sag.schema.json": emit_case_schema(program)}


BACKEND = SchemaBackend()
