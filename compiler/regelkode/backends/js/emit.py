"""JavaScript back end: IR `Program` -> one dependency-free ES module.

The module carries the JS runtime (runtime/*.mjs, the twin of runtime.py),
then constants, then one function per definition and rule named after its
id, with a `// rules/…:line` comment, like the Python module. Literals are
written by `literal()` only: strings with `json.dumps` (ASCII, so no
U+2028 or `</script>` can end a literal or a script), numbers as BigInt
literals from `int`, so no rule text can become code. Output is
deterministic: the same pack gives the same bytes.

`emit_module(program)` is the ES module (`<pack>.mjs`); `emit_script(program)`
is the same code as a classic script that sets `globalThis.Regelkode[<pack>]`
(for pages opened from file://, where browsers refuse module imports).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from importlib import resources

from ... import runtime as rt
from ...ir import nodes as ir
from .. import generated_header

EXPORTS = ("evaluate", "Rapport", "Regelresultat", "SagFejl", "Ukendt", "Varighed", "Dato",
           "Dec", "Kommatal", "lesJson", "jsonTekst", "FAKTA", "DEFINITION_TYPER", "REGLER",
           "PAKKE", "VERSION", "LAG")
_IDENT = re.compile(r"[A-Za-z_æøåÆØÅ][A-Za-z0-9_æøåÆØÅ]*\Z")


# The case contract's constants (runtime/case.py), written into the module from the
# Python values so that limits, patterns and wording have one source.
CONTRACT = ("MAX_TEKST", "HELTAL_GRAENSE", "BELOEB_GRAENSE", "VARIGHED_GRAENSE",
            "BELOEB_DECIMALER", "DECIMAL_CIFRE", "VIS_HOEJST", "MOENSTER_DATO",
            "MOENSTER_BELOEB", "MOENSTER_DECIMAL", "FORVENTET", "KOMMATAL_RAAD")
# Written as JS numbers (compared with lengths and exponents); the others are BigInt.
_NUMBERS = ("MAX_TEKST", "BELOEB_DECIMALER", "DECIMAL_CIFRE", "VIS_HOEJST")


RUNTIME_FILES = ("values.mjs", "ops.mjs", "indexes.mjs", "json.mjs", "case.mjs", "naermeste.mjs",
                 "report.mjs")


def _contract_constants() -> str:
    out = ["// The case contract, from the Python runtime's constants (runtime/case.py).\n"]
    for name in CONTRACT:
        value = getattr(rt, name)
        if name in _NUMBERS:
            text = json.dumps(list(value) if isinstance(value, tuple) else value)
        else:
            text = literal(value)
        out.append(f"const {name} = {text};\n")
    return "".join(out)


def runtime_source() -> str:
    folder = resources.files(__package__).joinpath("runtime")
    parts = [folder.joinpath(name).read_text(encoding="utf-8") for name in RUNTIME_FILES]
    parts.insert(RUNTIME_FILES.index("case.mjs"), _contract_constants())
    return "\n".join(parts)


def comment(text: str) -> str:
    """Text safe in a `//` comment: one line, printable (no line terminator of JS either)."""
    return "".join(ch if ch.isprintable() and ch not in "\u2028\u2029" else "?"
                   for ch in str(text))


def string(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=True)


def literal(value) -> str:
    cls = value.__class__
    if value is None:
        return "null"
    if cls is bool:
        return "true" if value else "false"
    if cls is int:
        return f"{value}n"
    if isinstance(value, str):
        return string(value)
    if cls is Decimal:
        sign, digits, exp = value.as_tuple()
        if not isinstance(exp, int):
            raise TypeError("only finite decimals can be written")
        coef = "".join(map(str, digits)) or "0"
        return f'D({sign}, "{coef}", {exp})'
    if cls is dt.date:
        return f"dato({value.year}, {value.month}, {value.day})"
    if cls is rt.Varighed:
        return f"new Varighed({int(value.maaneder)}n, {int(value.dage)}n)"
    if cls is tuple or cls is list:
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if cls is dict:
        return "{" + ", ".join(f"{string(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write a JS literal of {cls.__name__}")


class _Expr:
    """IR expression -> JS expression text; tables and exceptions get one line a row."""

    def __init__(self):
        self.indent = "  "
        # Lines a function needs before its body: one index per hinted aggregate
        # (ir.Within, Window, Keyed), made per call so nothing outlives an evaluation.
        self.prelude: list[str] = []

    def take_prelude(self) -> str:
        lines, self.prelude = self.prelude, []
        return "".join(f"  {line}\n" for line in lines)

    def emit(self, node) -> str:
        method = getattr(self, f"e_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"no JavaScript for IR node {type(node).__name__}")
        return method(node)

    def nested(self, open_: str, items: list, close: str) -> str:
        outer = self.indent
        self.indent = outer + "  "
        try:
            body = "".join(f"\n{self.indent}{item(self)}," for item in items)
        finally:
            self.indent = outer
        return f"{open_}{body}\n{outer}{close}"

    def e_Const(self, node):
        return literal(node.value)

    def e_Fact(self, node):
        return f"f[{string(node.name)}]"

    def e_Def(self, node):
        return f"d[{string(node.name)}]"

    def e_ElemField(self, node):
        return f"e{int(node.depth)}[{string(node.name)}]"

    def e_Today(self, node):
        return "idag"

    def e_Prev(self, node):
        raise TypeError("`forrige` only exists while parameters are computed")

    def e_Param(self, node):
        var = param_var(node.name)
        return f"op_param({string(node.name)}, {var}[0], {var}[1], {self.emit(node.date)})"

    def e_Call(self, node):
        if not _IDENT.match(node.op):
            raise TypeError(f"bad op name {node.op!r}")
        return f"op_{node.op}({', '.join(self.emit(a) for a in node.args)})"

    def e_Agg(self, node):
        seq = self.emit(node.seq)
        depth = int(node.depth)
        pred = "null" if node.pred is None else f"(e{depth}) => {self.emit(node.pred)}"
        if node.within is not None:
            return self._indexed(node, seq, pred)
        if node.op in ("antal", "nogen", "ingen", "alle"):
            return f"op_{node.op}({seq}, {pred})"
        if node.op not in ("summen", "mindste_felt", "stoerste_felt"):
            raise TypeError(f"unknown aggregate {node.op}")
        return f"op_{node.op}({seq}, {string(node.field)}, {pred}, {literal(node.extra[0])})"

    def _indexed(self, node, seq: str, pred: str) -> str:
        """A hinted aggregate (passes/periods.py) answered from an index, as in Python."""
        w, depth = node.within, int(node.depth)
        name = f"_ix{len(self.prelude) + 1}"
        rest = "null" if w.rest is None else f"(e{depth}) => {self.emit(w.rest)}"
        if node.op not in ("antal", "nogen", "ingen") or (
                node.op == "antal" and not isinstance(w, ir.Window)):
            raise TypeError(f"no index for {node.op} with {type(w).__name__}")
        if isinstance(w, ir.Window):
            self.prelude.append(f"const {name} = new _Vaerdier({string(w.field)}, {rest});")
            lo = "null" if w.lo is None else self.emit(w.lo)
            hi = "null" if w.hi is None else self.emit(w.hi)
            return (f"op_{node.op}_vindue({seq}, {pred}, {name}, {lo}, {_bool(w.lo_strict)}, "
                    f"{hi}, {_bool(w.hi_strict)})")
        if isinstance(w, ir.Keyed):
            field = "null" if w.field is None else string(w.field)
            self.prelude.append(f"const {name} = new _Grupper({string(w.key)}, {field}, "
                                f"{_bool(w.below)}, {rest});")
            bound = "null" if w.bound is None else self.emit(w.bound)
            return (f"op_{node.op}_samme({seq}, {pred}, {name}, {self.emit(w.match)}, {bound}, "
                    f"{_bool(w.strict)})")
        self.prelude.append(f"const {name} = new _Perioder({string(w.start)}, {string(w.end)}, "
                            f"{rest});")
        return f"op_{node.op}_inden({seq}, {pred}, {name}, {self.emit(w.point)})"

    def e_Table(self, node):
        conds = [lambda s, c=c: s.emit(c) for c in node.conds]
        results = [lambda s, r=r: s.emit(r) for r in node.results]
        return (f"op_tabel({string(node.name)}, {string(node.hit)}, "
                f"{self.nested('[', conds, ']')}, {self.nested('[', results, ']')})")

    def e_Default(self, node):
        excs = [lambda s, uid=uid, w=w, v=v: f"[{string(uid)}, {s.emit(w)}, {s.emit(v)}]"
                for uid, w, v in node.exceptions]
        return self.nested("op_standard(", [lambda s: s.emit(node.base),
                                            lambda s: s.nested("[", excs, "]")], ")")


def _bool(flag: bool) -> str:
    return "true" if flag else "false"


def ident(name: str, fallback: str) -> str:
    """A JS identifier for a validated rule-language name, else `fallback` (with a `$`,
    which no rule-language name has, so the two can never collide)."""
    return name if _IDENT.match(name) else fallback


def param_var(name: str) -> str:
    return "_P_" + ident(name, "$" + name.encode("utf-8").hex())


def _body(program: ir.Program) -> str:
    e = _Expr()
    out: list[str] = []
    w = out.append
    w(runtime_source())
    w("\n// --- the pack ---\n\n")
    w(f"const PAKKE = {string(program.pack)};\n")
    w(f"const VERSION = {string(program.version)};\n")
    w(f"const LAG = {literal(program.layers)};\n\n")
    w("// The case's facts and their types (used to validate a case).\n")
    w("const FAKTA = {\n")
    for name, desc in program.facts.items():
        w(f"  {string(name)}: {literal(desc)},\n")
    w("};\n\n")
    w("const DEFINITION_TYPER = {\n")
    for d in program.defs:
        w(f"  {string(d.name)}: {literal(d.desc)},\n")
    w("};\n\n")
    if program.params:
        w("// Parameters: [dates a value applies from, the values], as of the build.\n")
    for p in program.params.values():
        w(f"// {comment(p.origin)}\n")
        w(f"const {param_var(p.name)} = [\n  {literal(p.dates)},\n  {literal(p.values)},\n];\n")
    w("\n")
    def_fns = []
    for i, d in enumerate(program.defs):
        fn = "definition_" + ident(d.name, f"${i}")
        def_fns.append(fn)
        w(f"// {comment(d.origin)}\n")
        w(f"// {comment(d.title)}" + (f" — Kilder: {comment('; '.join(d.citations))}"
                                      if d.citations else "") + "\n")
        w(f"function {fn}(f, d, idag) {{\n")
        body = e.emit(d.expr)
        w(e.take_prelude())
        w(f"  return {body};\n}}\n\n")
    rule_names = []
    severities = set()
    for i, r in enumerate(program.rules):
        n = ident(r.id, f"${i}")
        rule_names.append(n)
        if r.severity is not None:
            severities.add(n)
        w(f"// {comment(r.origin)}\n")
        w(f"// {comment(r.title)}" + (f" — Kilder: {comment('; '.join(r.meta[3]))}"
                                      if r.meta[3] else "") + "\n")
        w(f"const _R_{n} = {literal(r.meta)};\n")
        w(f"const _M_{n} = {literal(r.message)};\n")
        w(f"const _B_{n} = {literal(r.uses)};\n\n")
        w(f"function regel_{n}(f, d, idag) {{\n")
        applies = "true" if r.applies is None else e.emit(r.applies)
        requirement = e.emit(r.requirement)
        w(e.take_prelude())
        w(f"  const gaelder = {applies};\n")
        if r.applies is not None:
            # like the Python module: a rule that doesn't apply is ikke_relevant whatever
            # its krav, so krav is not computed
            w("  if (gaelder === false) return [false, null];\n")
        w(f"  const krav = {requirement};\n")
        w("  return [gaelder, krav];\n}\n\n")
        if r.severity is not None:
            w("// The severity set by the exception that decides the rule, if any.\n")
            severity = e.emit(r.severity)
            w(f"function alvor_{n}(f, d, idag) {{\n{e.take_prelude()}"
              f"  return {severity};\n}}\n\n")
    w("/**\n * Judge a case (JSON data) by every rule of the pack.\n *\n"
      " * `dato` is the date the case is judged on (\"ÅÅÅÅ-MM-DD\"; default: the case's\n"
      " * `beregningsdato`, else today). A malformed case throws SagFejl naming the\n"
      " * JSON path; nothing is evaluated then.\n */\n")
    w("function evaluate(sag, { dato = null, forklaring = true } = {}) {\n")
    w("  const f = normaliser(sag, FAKTA);\n")
    w("  const idag = beregningsdato(sag, dato);\n")
    w("  const d = {};\n")
    for dd, fn in zip(program.defs, def_fns, strict=True):
        w(f"  d[{string(dd.name)}] = {fn}(f, d, idag);\n")
    w("  const rapport = new Rapport(PAKKE, VERSION, idag, f, FAKTA, d, DEFINITION_TYPER);\n")
    w("  const regler = rapport.regler;\n")
    w("  let gaelder, krav;\n")
    if severities:
        w("  let alvor, meta;\n")
    for n in rule_names:
        w(f"  [gaelder, krav] = regel_{n}(f, d, idag);\n")
        meta = f"_R_{n}"
        if n in severities:
            # as the Python module: an exception's known severity replaces the rule's
            w(f"  alvor = alvor_{n}(f, d, idag);\n")
            w(f"  meta = typeof alvor !== \"string\" || alvor === _R_{n}[2] ? _R_{n} "
              f": [..._R_{n}.slice(0, 2), alvor, ..._R_{n}.slice(3)];\n")
            meta = "meta"
        w(f"  regler.push(tilfoej({meta}, gaelder, krav, _M_{n}, f, d, "
          f"forklaring ? _B_{n} : null, rapport));\n")
    w("  return rapport;\n}\n\n")
    w("const REGLER = [" + ", ".join(string(r.id) for r in program.rules) + "];\n")
    return "".join(out)


def _header(program: ir.Program) -> str:
    return (generated_header("//", comment(program.source))
            + f"// {comment(program.title)} ({comment(program.pack)} {comment(program.version)}):"
            " generated checks.\n"
            "// Use: evaluate(sag, {dato, forklaring}) -> Rapport; rapport.toDict() is the\n"
            "// Python module's to_dict(). No dependencies; Node >= 18 or a current browser.\n\n")


def emit_module(program: ir.Program) -> str:
    return (_header(program) + _body(program)
            + "\nexport { " + ", ".join(EXPORTS) + " };\n")


def emit_script(program: ir.Program) -> str:
    exports = ", ".join(EXPORTS)
    return (_header(program) + "(function () {\n\"use strict\";\n" + _body(program)
            + "\nconst g = globalThis.Regelkode || (globalThis.Regelkode = {});\n"
            + f"g[PAKKE] = Object.freeze({{ {exports} }});\n}})();\n")
