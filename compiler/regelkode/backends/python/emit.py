"""Python back end: IR `Program` -> one standalone, stdlib-only module.

The module carries the runtime verbatim, then constants, then one function
per definition and rule named after its id, each with a docstring (title,
citations) and a `# rules/…:line` comment. Literals are written with
`repr()`, never quoted by hand; every name from a rule file reaches the code
only as a `repr()` string or behind a validated prefix (`regel_`,
`definition_`), so no rule text can become code. Output is sorted and has no
timestamps or absolute paths: the same pack gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources

from ... import runtime as rt
from ...ir import nodes as ir
from .. import generated_header


def module_constants(program: ir.Program, facts_note: str) -> str:
    """The pack's name, version and layers, its facts', definitions' and parameters'
    tables: the same in every Python module (`facts_note`: FAKTA's comment line)."""
    out = [f"PAKKE = {program.pack!r}\n", f"VERSION = {program.version!r}\n",
           f"LAG = {literal(program.layers)}\n\n",
           f"# {facts_note}\n", "FAKTA = {\n"]
    out += [f"    {name!r}: {literal(desc)},\n" for name, desc in program.facts.items()]
    out += ["}\n\n", "DEFINITION_TYPER = {\n"]
    out += [f"    {d.name!r}: {literal(d.desc)},\n" for d in program.defs]
    out.append("}\n\n")
    if program.params:
        out.append("# Parameters: (dates a value applies from, the values), as of the build.\n")
    for p in program.params.values():
        out.append(f"# {comment(p.origin)}\n")
        out.append(f"{param_var(p.name)} = (\n    {literal(p.dates)},\n    "
                   f"{literal(p.values)},\n)\n")
    return "".join(out)


def runtime_source() -> str:
    """The runtime's parts, each the text between its PART markers, in order."""
    folder = resources.files("regelkode").joinpath("runtime")
    out = []
    for part in rt.PARTS:
        text = folder.joinpath(f"{part}.py").read_text(encoding="utf-8")
        start = text.index("# --- PART ---\n") + len("# --- PART ---\n")
        out.append(text[start:text.index("# --- END PART ---\n")])
    return "".join(out).removesuffix("\n")


def comment(text: str) -> str:
    """Text safe inside a `#` comment: one line, printable."""
    return "".join(ch if ch.isprintable() else "?" for ch in str(text))


def docstring(text: str, indent: str) -> str:
    text = str(text)
    plain = ('"""' not in text and "\\" not in text and not text.endswith('"')
             and all(ch.isprintable() or ch == "\n" for ch in text))
    if not plain:
        return indent + repr(text)
    lines = text.split("\n")
    # the first line follows the quotes; only the others are indented (slicing
    # the indent off the joined text ate the newline of an empty first line)
    body = "\n".join([lines[0], *((indent + line) if line else "" for line in lines[1:])])
    return f'{indent}"""{body}\n{indent}"""' if len(lines) > 1 else f'{indent}"""{body}"""'


def literal(value) -> str:
    cls = value.__class__
    if value is None or cls in (bool, int, str):
        return repr(value)
    if isinstance(value, str):
        return repr(str(value))
    if cls is Decimal:
        return f"Decimal({str(value)!r})"
    if cls is dt.date:
        return f"_dt.date({value.year}, {value.month}, {value.day})"
    if cls is rt.Varighed:
        return f"Varighed({value.maaneder}, {value.dage})"
    if cls is tuple:
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if cls is dict:
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write a literal of {cls.__name__}")


class _Expr:
    """IR expression -> Python expression text; tables and exceptions get one line each."""

    def __init__(self):
        self.indent = "    "
        # Lines a function needs before its body: one period index per hinted
        # aggregate (ir.Within, Window, Keyed), made per call so nothing outlives an
        # evaluation.
        self.prelude: list[str] = []

    def take_prelude(self) -> str:
        lines, self.prelude = self.prelude, []
        return "".join(f"    {line}\n" for line in lines)

    def emit(self, node) -> str:
        method = getattr(self, f"e_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"no Python for IR node {type(node).__name__}")
        return method(node)

    def nested(self, open_: str, items: list, close: str) -> str:
        outer = self.indent
        self.indent = outer + "    "
        try:
            body = "".join(f"\n{self.indent}{item(self)}," for item in items)
        finally:
            self.indent = outer
        return f"{open_}{body}\n{outer}{close}"

    def e_Const(self, node):
        return literal(node.value)

    def e_Fact(self, node):
        return f"f[{node.name!r}]"

    def e_Def(self, node):
        return f"d[{node.name!r}]"

    def e_ElemField(self, node):
        return f"e{node.depth}[{node.name!r}]"

    def e_Today(self, node):
        return "idag"

    def e_Prev(self, node):
        raise TypeError("`forrige` only exists while parameters are computed")

    def e_Param(self, node):
        var = param_var(node.name)
        return f"op_param({node.name!r}, {var}[0], {var}[1], {self.emit(node.date)})"

    def e_Call(self, node):
        return f"op_{node.op}({', '.join(self.emit(a) for a in node.args)})"

    def e_Agg(self, node):
        seq = self.emit(node.seq)
        pred = "None" if node.pred is None else f"lambda e{node.depth}: {self.emit(node.pred)}"
        if node.within is not None:
            return self._indexed(node, seq, pred)
        if node.op in ("antal", "nogen", "ingen", "alle"):
            return f"op_{node.op}({seq}, {pred})"
        extra = literal(node.extra[0])
        return f"op_{node.op}({seq}, {node.field!r}, {pred}, {extra})"

    def _indexed(self, node, seq: str, pred: str) -> str:
        """A hinted aggregate (passes/periods.py): its index made in the prelude, asked
        here."""
        w = node.within
        name = f"_ix{len(self.prelude) + 1}"
        rest = "None" if w.rest is None else f"lambda e{node.depth}: {self.emit(w.rest)}"
        if isinstance(w, ir.Window):
            self.prelude.append(f"{name} = _Vaerdier({w.field!r}, {rest})")
            lo = "None" if w.lo is None else self.emit(w.lo)
            hi = "None" if w.hi is None else self.emit(w.hi)
            return (f"op_{node.op}_vindue({seq}, {pred}, {name}, {lo}, {w.lo_strict!r}, {hi}, "
                    f"{w.hi_strict!r})")
        if isinstance(w, ir.Keyed):
            self.prelude.append(f"{name} = _Grupper({w.key!r}, {w.field!r}, {w.below!r}, {rest})")
            bound = "None" if w.bound is None else self.emit(w.bound)
            return (f"op_{node.op}_samme({seq}, {pred}, {name}, {self.emit(w.match)}, {bound}, "
                    f"{w.strict!r})")
        self.prelude.append(f"{name} = _Perioder({w.start!r}, {w.end!r}, {rest})")
        return f"op_{node.op}_inden({seq}, {pred}, {name}, {self.emit(w.point)})"

    def e_Table(self, node):
        rows = [lambda s, c=c, r=r: f"({s.emit(c)}, {s.emit(r)})"
                for c, r in zip(node.conds, node.results, strict=False)]
        table = self.nested("(", rows, ")")
        return (f"op_tabel({node.name!r}, {node.hit!r}, *_kolonner({table}))")

    def e_Default(self, node):
        excs = [lambda s, uid=uid, w=w, v=v: f"({uid!r}, {s.emit(w)}, {s.emit(v)})"
                for uid, w, v in node.exceptions]
        return self.nested("op_standard(", [lambda s: s.emit(node.base),
                                            lambda s: s.nested("(", excs, ")")], ")")


def ident(name: str) -> str:
    """A Python identifier for a validated rule-language name."""
    assert name.isidentifier(), name
    return name


def param_var(name: str) -> str:
    return "_P_" + ident(name)


def emit_module(program: ir.Program) -> str:
    e = _Expr()
    out: list[str] = []
    w = out.append
    w(generated_header("#", comment(program.source)))
    w(docstring(f"{program.title} ({program.pack} {program.version}): generated checks.\n\n"
                "Use: evaluate(sag, dato=None, forklaring=True) -> Rapport.\n"
                "Standard library only; see the Regelkode README.", ""))
    w("\n\nfrom __future__ import annotations\n\n")
    w(runtime_source())
    w("\n\n")
    w(module_constants(program, "The case's facts and their types (used to validate a case)."))
    w("\n")
    for d in program.defs:
        w(f"\n# {comment(d.origin)}\n")
        w(f"def definition_{ident(d.name)}(f, d, idag):\n")
        doc = d.title + (("\n\nKilder: " + "; ".join(d.citations)) if d.citations else "")
        w(docstring(doc, "    ") + "\n")
        body = e.emit(d.expr)
        w(e.take_prelude())
        w(f"    return {body}\n\n")
    for r in program.rules:
        w(f"\n# {comment(r.origin)}\n")
        w(f"_R_{ident(r.id)} = {literal(r.meta)}\n")
        w(f"_M_{ident(r.id)} = {literal(r.message)}\n")
        w(f"_B_{ident(r.id)} = {literal(r.uses)}\n\n\n")
        w(f"def regel_{ident(r.id)}(f, d, idag):\n")
        doc = r.title + (("\n\nKilder: " + "; ".join(r.meta[3])) if r.meta[3] else "")
        w(docstring(doc, "    ") + "\n")
        applies = "True" if r.applies is None else e.emit(r.applies)
        requirement = e.emit(r.requirement)
        w(e.take_prelude())
        w(f"    gaelder = {applies}\n")
        if r.applies is not None:
            # A rule that doesn't apply is ikke_relevant whatever its krav: don't compute it
            # (about half the rules of a case; ops are pure, so nothing else changes).
            w("    if gaelder is False:\n"
              "        return False, None  # doesn't apply: krav unused\n")
        w(f"    krav = {requirement}\n")
        w("    return gaelder, krav\n\n")
        if r.severity is not None:
            w(f"\ndef alvor_{ident(r.id)}(f, d, idag):\n")
            w("    \"\"\"The severity set by the exception that decides the rule, if any.\"\"\"\n")
            w(f"    return {e.emit(r.severity)}\n\n")
    w("\ndef evaluate(sag, *, dato=None, forklaring=True):\n")
    w(docstring("Judge a case (JSON-shaped data) by every rule of the pack.\n\n"
                "`dato` is the date the case is judged on (default: the case's\n"
                "`beregningsdato`, else today). A malformed case raises SagFejl\n"
                "naming the JSON path; nothing is evaluated then.", "    ") + "\n")
    w("    f = normaliser(sag, FAKTA)\n")
    w("    idag = beregningsdato(sag, dato)\n")
    w("    d = {}\n")
    for dd in program.defs:
        w(f"    d[{dd.name!r}] = definition_{ident(dd.name)}(f, d, idag)\n")
    w("    rapport = Rapport(PAKKE, VERSION, idag, f, FAKTA, d, DEFINITION_TYPER)\n")
    w("    regler = rapport.regler\n")
    for r in program.rules:
        i = ident(r.id)
        w(f"    gaelder, krav = regel_{i}(f, d, idag)\n")
        meta = f"_R_{i}"
        if r.severity is not None:
            w(f"    alvor = alvor_{i}(f, d, idag)\n")
            w(f"    meta = _R_{i} if alvor.__class__ is not str or alvor == _R_{i}[2] "
              f"else (*_R_{i}[:2], alvor, *_R_{i}[3:])\n")
            meta = "meta"
        w(f"    regler.append(tilfoej({meta}, gaelder, krav, _M_{i}, f, d, "
          f"_B_{i} if forklaring else None, rapport))\n")
    w("    return rapport\n\n\n")
    w("REGLER = (" + "".join(f"{r.id!r}, " for r in program.rules) + ")\n")
    w("\n__all__ = ['evaluate', 'Rapport', 'Regelresultat', 'SagFejl', 'Ukendt', 'Varighed', "
      "'FAKTA', 'REGLER', 'PAKKE', 'VERSION']\n")
    return "".join(out)
