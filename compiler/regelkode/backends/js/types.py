"""TypeScript declarations (`<pack>.d.ts`) for a pack's JS module.

The case type is translated from the JSON Schema the schema backend
publishes (`backends.schema.emit.case_schema`), so the two cannot drift: a
property, an enum value or a nullable field is the same in both. The
report's types are fixed by the runtime; only the definitions' value types
come from the pack.
"""

from __future__ import annotations

import json

from ...ir import nodes as ir
from ..schema.emit import case_schema


def _ts_name(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def _doc(text: str | None, indent: str) -> str:
    if not text:
        return ""
    body = str(text).replace("*/", "*\\/").replace("\r", "")
    lines = body.split("\n")
    return indent + "/** " + ("\n" + indent + " * ").join(lines) + " */\n"


def ts_type(schema: dict, indent: str = "") -> str:
    """A JSON Schema (the subset case_schema writes) as a TypeScript type."""
    if "anyOf" in schema or "oneOf" in schema:
        parts = [ts_type(s, indent) for s in schema.get("anyOf", schema.get("oneOf"))]
        return " | ".join(dict.fromkeys(parts))
    if "enum" in schema:
        return " | ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
    t = schema.get("type")
    if t == "boolean":
        return "boolean"
    if t == "integer":
        return "number | bigint"
    if t == "string":
        return "string"
    if t == "null":
        return "null"
    if t == "array":
        return f"Array<{ts_type(schema['items'], indent)}>"
    if t == "object":
        inner = indent + "  "
        rows = []
        for name, sub in schema.get("properties", {}).items():
            rows.append(_doc(sub.get("description"), inner)
                        + f"{inner}{_ts_name(name)}?: {ts_type(sub, inner)};\n")
        return "{\n" + "".join(rows) + indent + "}"
    raise TypeError(f"no TypeScript for schema {schema!r}")


def _value_type(desc: tuple) -> str:
    """The JSON data of a value in the report (til_json)."""
    kind = desc[0]
    if kind in ("beløb", "decimal", "dato", "tekst"):
        return "string"
    if kind == "heltal":
        return "number | bigint"
    if kind == "sandhedsværdi":
        return "boolean"
    if kind == "varighed":
        return '{ "måneder": number; "dage": number }'
    if kind == "enum":
        return " | ".join(json.dumps(v, ensure_ascii=False) for v in desc[2])
    if kind == "liste":
        return f"Array<{_value_type(desc[1])} | Ukendt>"
    if kind == "post":
        return "{ " + " ".join(f"{_ts_name(n)}: {_value_type(d)} | Ukendt;"
                               for n, d in desc[2]) + " }"
    raise TypeError(kind)


REPORT = '''
/** An undetermined value: the facts (JSON paths) it needs, and why else. */
export interface Ukendt {
  ukendt: true;
  mangler: string[];
  grunde?: string[];
  konflikter?: string[];
}

export type Status = "opfyldt" | "brud" | "opmærksomhed" | "ikke_relevant" | "ukendt" | "konflikt";

export interface RegelDict {
  id: Regel;
  titel: string;
  "område": string;
  lag: string;
  status: Status;
  alvor: string;
  meddelelse: string | null;
  kilder: string[];
  mangler: string[];
  grunde: string[];
  konflikter: string[];
  /** The names of the facts the rule reads; their values are in RapportDict.fakta. */
  fakta: (keyof Sag)[];
  /** The names of the definitions the rule reads; values in RapportDict.definitioner. */
  definitioner: (keyof Definitioner)[];
}

/** The report as JSON data: the Python module's to_dict(), key for key. */
export interface RapportDict {
  pakke: string;
  version: string;
  beregningsdato: string;
  opsummering: Record<Status, number>;
  regler: RegelDict[];
  /** Every fact a rule reads, once, as JSON data (a missing one as "ukendt"). */
  fakta: Partial<Record<keyof Sag, unknown>>;
  definitioner: Definitioner;
}

export declare class Regelresultat {
  readonly id: Regel;
  readonly titel: string;
  readonly status: Status;
  readonly alvor: string;
  readonly meddelelse: string | null;
  readonly kilder: string[];
  readonly mangler: string[];
  readonly grunde: string[];
  readonly konflikter: string[];
  readonly fakta: Partial<Record<keyof Sag, unknown>>;
  readonly definitioner: Partial<Definitioner>;
  toDict(): RegelDict;
}

export declare class Rapport {
  readonly pakke: string;
  readonly version: string;
  readonly regler: Regelresultat[];
  readonly brud: Regelresultat[];
  readonly fakta: Partial<Record<keyof Sag, unknown>>;
  readonly definitioner: Definitioner;
  regel(id: Regel): Regelresultat;
  opsummering(): Record<Status, number>;
  toDict(): RapportDict;
}

/** A malformed case: `sti` is the JSON path of the problem, `besked` says what is wrong. */
export declare class SagFejl extends Error {
  readonly sti: string;
  readonly besked: string;
}

export interface Valg {
  /** The date the case is judged on, "ÅÅÅÅ-MM-DD"
   *  (default: the case's beregningsdato, else today). */
  dato?: string | null;
  /** false: leave out the facts and definitions behind each rule (faster). */
  forklaring?: boolean;
}

/** Judge a case; throws SagFejl if it is malformed. */
export declare function evaluate(sag: Sag, valg?: Valg): Rapport;

/** A JSON number written with a fraction or an exponent (what Python's json calls a float). */
export declare class Kommatal {
  readonly value: number;
}

/**
 * Read a case from JSON text exactly as Python's json does: integers exact (BigInt past
 * 2^53), 3.0 or 1E2 as a Kommatal. JSON.parse cannot tell 3.0 from 3.
 */
export declare function lesJson(text: string): unknown;

/** JSON text of report data as Python's json.dumps writes it (BigInt as digits). */
export declare function jsonTekst(data: unknown, indent?: number | null): string;

export declare const PAKKE: string;
export declare const VERSION: string;
export declare const REGLER: readonly Regel[];
'''


def emit_dts(program: ir.Program) -> str:
    schema = case_schema(program)
    out = [f"// Generated by regelkode from {program.source} — do not edit.\n".replace("\n", " ")
           .rstrip() + "\n",
           f"// Types for {program.pack}.mjs ({program.pack} {program.version}).\n\n",
           _doc(schema.get("description"), ""),
           f"export type Sag = {ts_type(schema)};\n\n",
           "export type Regel = "
           + (" | ".join(json.dumps(r.id, ensure_ascii=False) for r in program.rules) or "never")
           + ";\n\n",
           "export interface Definitioner {\n"]
    for d in program.defs:
        out.append(f"  {_ts_name(d.name)}: {_value_type(d.desc)} | Ukendt;\n")
    out.append("}\n")
    out.append(REPORT)
    return "".join(out)
