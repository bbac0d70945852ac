"""Worked examples: each rule's and definition's `eksempler`, run and compared.

An example's case is its `sag` file (inside the pack) with `givet` laid
over it; its date is `dato`, else the case's `beregningsdato`. It is judged
by the reference interpreter and, when a generated module is given, by that
too — both must give the expected result, so every example is also a
differential test of the back ends.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import files
from .. import runtime as rt
from ..diagnostics import Diagnostics, Span
from ..front.load import to_plain
from ..front.parse_errors import read_json_file
from ..ir import interpret


@dataclass
class ExampleCase:
    kind: str                 # regel | definition
    owner: str
    name: str
    span: Span
    file: str
    expected: object
    case: dict | None = None
    date: dt.date | None = None
    problem: str | None = None


@dataclass
class Outcome:
    example: ExampleCase
    ok: bool
    actual: object = None
    detail: str = ""
    report: dict | None = field(default=None, repr=False)

    @property
    def nodeid(self) -> str:
        return f"{self.example.file}::{self.example.owner}::{self.example.name}"


def _load_case(pack, ex) -> tuple[dict | None, str | None]:
    base: dict = {}
    if ex.case_ref:
        pack_dir = ex.pack_dir
        path = files.resolve(pack_dir / ex.case_ref)
        if path is None:
            return None, (f"sagen `{ex.case_ref}` kan ikke læses: en symlink, der peger på "
                          "sig selv (en løkke)")
        if not files.inside(path, pack_dir):
            return None, f"sagen `{ex.case_ref}` ligger uden for pakken"
        if not path.is_file():
            # a FIFO inside the pack would block the read forever
            return None, f"sagen `{ex.case_ref}` er ikke en fil"
        try:
            base = read_json_file(path)
        except files.FileRefused as exc:
            return None, f"sagen `{ex.case_ref}` kan ikke læses: {exc}"
        if not isinstance(base, dict):
            return None, f"sagen `{ex.case_ref}` er ikke et JSON-objekt"
    given = to_plain(ex.given)
    merged = {**base, **given}
    return merged, None


def collect(compiled) -> list[ExampleCase]:
    """The examples written in this pack's own layer.

    A pack that extends another may change its outcomes on purpose (a
    municipality's exception); the base pack's examples are tested with the
    base pack, so they are not re-run here.
    """
    pack = compiled.pack
    out = []
    for kind, table in (("regel", pack.rules), ("definition", pack.defs)):
        for owner in sorted(table):
            decl = table[owner]
            for ex in decl.examples:
                if ex.layer != pack.id:
                    continue
                case, problem = _load_case(pack, ex)
                date = ex.date
                if date is None and case and case.get("beregningsdato"):
                    try:
                        date = dt.date.fromisoformat(str(case["beregningsdato"]))
                    except ValueError:
                        problem = problem or "sagens beregningsdato er ikke en dato"
                if date is None and problem is None:
                    problem = "eksemplet har ingen `dato`, og sagen ingen `beregningsdato`"
                # The id as a plain str: the table's keys are the YAML loader's
                # position-carrying strings, which e.g. pytest-xdist cannot send
                # between processes once they name a test.
                out.append(ExampleCase(kind, str(owner), ex.name, ex.span, ex.file or decl.file,
                                       ex.expected,
                                       case, date, problem))
    return out


def _expected_value(compiled, ex: ExampleCase):
    """A definition example's `forventet`, evaluated as a constant of the definition's type."""
    from ..front.constants import constant_value
    d = compiled.pack.defs[ex.owner]
    t = compiled.typing.def_types[d.name]
    return constant_value(compiled.pack, ex.expected, ex.span, t)


def run_one(compiled, ex: ExampleCase, module=None) -> Outcome:
    if ex.problem:
        return Outcome(ex, False, detail=ex.problem)
    program = compiled.program
    backends = [("fortolker", lambda: interpret.evaluate(program, ex.case, dato=ex.date))]
    if module is not None:
        backends.append(("genereret modul", lambda: module.evaluate(ex.case, dato=ex.date)))
    results = []
    for label, run in backends:
        try:
            results.append((label, run()))
        except rt.SagFejl as exc:
            return Outcome(ex, False, detail=f"eksemplets sag er ugyldig: {exc}")
    reports = [(label, r.to_dict()) for label, r in results]
    if len({json.dumps(r, sort_keys=True, ensure_ascii=False) for _, r in reports}) > 1:
        return Outcome(ex, False, detail="fortolkeren og det genererede modul er uenige",
                       report=reports[0][1])
    rapport = results[0][1]
    if ex.kind == "regel":
        actual = rapport.regel(ex.owner).status
        expected = str(ex.expected)
        if expected not in rt.STATUSER:
            return Outcome(ex, False, actual, f"`forventet: {expected}` er ikke en status; brug "
                           f"en af {', '.join(rt.STATUSER)}")
        ok = actual == expected
        return Outcome(ex, ok, actual, "" if ok else explain(rapport, ex), reports[0][1])
    value = rapport._definitioner[ex.owner]
    desc = compiled.program.def_types[ex.owner]
    if str(ex.expected).strip() == "ukendt":
        ok = value.__class__ is rt.Ukendt
        actual = rt.til_json(value, desc)
        return Outcome(ex, ok, actual, "" if ok else explain(rapport, ex), reports[0][1])
    try:
        expected_value = _expected_value(compiled, ex)
    except ValueError as exc:
        return Outcome(ex, False, detail=str(exc))
    actual = rt.til_json(value, desc)
    ok = actual == rt.til_json(expected_value, desc)
    return Outcome(ex, ok, actual, "" if ok else explain(rapport, ex), reports[0][1])


def explain(rapport, ex: ExampleCase) -> str:
    lines = [f"givet: {json.dumps(ex.case, ensure_ascii=False, sort_keys=True)}",
             f"dato: {ex.date}", f"forventet: {ex.expected}"]
    if ex.kind == "regel":
        r = rapport.regel(ex.owner)
        lines.append(f"faktisk: {r.status}" + (f" — {r.meddelelse}" if r.meddelelse else ""))
        lines.append("fakta brugt: " + json.dumps(r.fakta, ensure_ascii=False, sort_keys=True))
        lines.append("definitioner brugt: " + json.dumps(r.definitioner, ensure_ascii=False,
                                                           sort_keys=True))
    else:
        lines.append("faktisk: " + json.dumps(rapport.definitioner[ex.owner], ensure_ascii=False))
    return "\n".join(lines)


def run_examples(compiled, module=None) -> list[Outcome]:
    return [run_one(compiled, ex, module) for ex in collect(compiled)]


def report_failures(outcomes: list[Outcome], diags: Diagnostics) -> None:
    for o in outcomes:
        if not o.ok:
            diags.error("example", f"eksemplet `{o.example.name}` for {o.example.kind}en "
                        f"`{o.example.owner}` fejler:\n" + _indent(o.detail), o.example.span)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def load_module(source: str, name: str, directory: Path):
    """Import a generated module from a file (not exec of a string)."""
    import importlib.util
    import sys

    path = Path(directory) / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"regelkode_genereret_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
