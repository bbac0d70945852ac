"""Case schema back end: the pack's facts -> a JSON Schema for a case.

Developers validate their case data with it before calling `evaluate`
(which validates again, without needing jsonschema). Both state one contract
(compiler/DESIGN.md, "The case contract"): every limit and text form below
comes from the runtime's case module, where the module checks them, so the
two cannot drift apart; tests/reliability/test_schema_contract.py holds them
to it. What JSON Schema cannot say portably (no lone surrogates in a text)
is said in the description of every text.
"""

from __future__ import annotations

import json

from ... import runtime as rt
from ...ir import nodes as ir


def pattern(body: str) -> str:
    """A regex body anchored at both ends, in both dialects JSON Schema validators use.

    `$` alone also matches before a final newline under Python's `re.search`
    (which jsonschema uses), not under ECMA-262 (ajv): `(?!\\n)` closes that gap.
    """
    return f"^{body}$(?!\\n)"


def _heltal(graense: int) -> dict:
    return {"type": "integer", "minimum": -(graense - 1), "maximum": graense - 1}


DATO = {"type": "string", "format": "date", "pattern": pattern(rt.MOENSTER_DATO)}
TEKST_NOTE = (f"Højst {rt._tusinder(rt.MAX_TEKST)} tegn. En enlig surrogat (\\ud800-\\udfff, "
              "fx JSON's \"\\ud800\" uden sin makker) er ikke gyldig tekst og afvises af "
              "modulet, selv om JSON-skemaet ikke kan udtrykke det.")
HELTAL_NOTE = ("Et helt tal; skrevet med decimaler eller eksponent (3.0, 1E2) er det stadig "
               "et heltal.")


def _tekst(description: str | None = None) -> dict:
    text = f"{description.rstrip()} {TEKST_NOTE}" if description else TEKST_NOTE
    return {"type": "string", "maxLength": rt.MAX_TEKST, "description": text}


def _schema(desc: tuple, description: str | None = None) -> dict:
    kind = desc[0]
    if kind == "sandhedsværdi":
        s: dict = {"type": "boolean"}
    elif kind == "heltal":
        s = {**_heltal(rt.HELTAL_GRAENSE), "description": HELTAL_NOTE}
    elif kind == "decimal":
        s = {"oneOf": [{**_heltal(rt.HELTAL_GRAENSE), "description": HELTAL_NOTE},
                       {"type": "string", "pattern": pattern(rt.MOENSTER_DECIMAL),
                        "description": f"decimaltal med punktum, fx \"1.5\"; højst "
                        f"{rt.DECIMAL_CIFRE[0]} cifre før og {rt.DECIMAL_CIFRE[1]} efter"}]}
    elif kind == "beløb":
        s = {"oneOf": [{**_heltal(rt.BELOEB_GRAENSE), "description": "hele kroner"},
                       {"type": "string", "pattern": pattern(rt.MOENSTER_BELOEB),
                        "description": f"kroner med højst {rt.BELOEB_DECIMALER} decimaler, "
                                       "fx \"12326.50\""}]}
    elif kind == "dato":
        s = dict(DATO)
    elif kind == "varighed":
        part = _heltal(rt.VARIGHED_GRAENSE)
        s = {"type": "object", "additionalProperties": False,
             "properties": {"måneder": part, "dage": dict(part)}}
    elif kind == "tekst":
        return _tekst(description)
    elif kind == "enum":
        s = {"enum": list(desc[2]), "title": desc[1]}
    elif kind == "liste":
        s = {"type": "array", "maxItems": rt.MAX_LISTE, "items": _schema(desc[1])}
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
        "beregningsdato": {**DATO, "description": "Den dato sagen bedømmes på; udelades den, "
                           "bedømmes sagen på dagens dato (null afvises)."},
        "beskrivelse": _tekst("Fri tekst; bruges ikke af reglerne."),
        "$schema": _tekst("Skemaets adresse, så en editor kan tjekke sagen."),
    }
    for name, desc in program.facts.items():
        props[name] = _nullable(_schema(desc, descriptions.get(name)))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"En sag for {program.title} ({program.pack} {program.version})",
        "description": "Alle fakta kan udelades; et udeladt faktum eller null er ukendt. "
                       "Et tal uden brøkdel er et heltal, også skrevet 3.0 eller 1E2. "
                       "Valider med formatkontrol slået til: uden den tager mønsteret for "
                       "en dato også imod en dato, der ikke findes (2024-02-30).",
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
