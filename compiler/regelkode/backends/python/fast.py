"""The fast Python backend: IR `Program` -> a standalone module with two paths per rule.

What it writes, in order: the runtime (verbatim, as the plain backend does),
the fast path's support (`support.py`, verbatim), the constants, the
validator generated for the pack's facts (`validator.py`), then one function
per definition and per rule, named after its id, with its title, citations
and `# rules/…:line`. Each function holds

- a fast path (`fastexpr.py`): plain Python operators, taken when every fact
  the expression reads is complete (one bit test against the validator's
  mask) and left through `_Ukendt` the moment a value turns out unknown;
- the three-valued path: the same `op_*` calls as the plain backend
  (`emit._Expr`), so what it computes is the reference semantics.

Definitions are computed when first read and then kept (`_Definitioner`),
so one that no rule reads is only computed if the report is asked for it;
parameters on the calculation date are looked up once per date. The report
holds each rule's (gælder, krav); rule results, messages and explanations
are made when read. Names from rule files reach the code only as `repr()`
strings or behind `regel_`/`definition_`; output is deterministic.
"""

from __future__ import annotations

import re
from importlib import resources

from ...ir import nodes as ir
from .. import generated_header
from .cse import Shared
from .emit import (
    _Expr,
    comment,
    docstring,
    ident,
    literal,
    module_constants,
    param_var,
    runtime_source,
)
from .fastexpr import FastExpr, NoFastPath
from .tojson import JsonGen
from .validator import Bits, ValidatorGen


def support_source() -> str:
    text = resources.files("regelkode").joinpath("backends/python/support.py").read_text(
        encoding="utf-8")
    start = text.index("# --- PART ---\n") + len("# --- PART ---\n")
    return text[start:text.index("# --- END PART ---\n")].removesuffix("\n")


class _SlowExpr(_Expr):
    """The three-valued path: the plain backend's `op_*` calls; definitions and shared
    values read from the case's lazy `d`, parameters on the calculation date from `p`."""

    def __init__(self, shared: Shared):
        super().__init__()
        self.shared = shared
        self.root = None

    def emit(self, node) -> str:
        if node is not self.root:
            key = self.shared.key_of(node)
            if key is not None:
                return f"d[{key!r}]"
        return super().emit(node)

    def e_Param(self, node):
        if isinstance(node.date, ir.Today):
            return f"p[{node.name!r}]"
        return super().e_Param(node)


def _fast_block(exprs: list, bits: Bits, shared: Shared,
                root=None) -> tuple[str, list[str], str, set]:
    """The fast path's opening for `exprs` (the mask test, `try:`, the local bindings it
    needs), the expressions' text, the indentation of the statements inside `try`, and
    the locals the texts read."""
    fx = FastExpr(shared, root, frozenset(bits.fields))
    texts = [fx.emit(e) for e in exprs]
    mask = 0
    for name in fx.facts:
        mask |= bits.whole[name]
    for name in fx.lists_read:
        mask |= bits.lists[name]
    for name, field in fx.fields:
        mask |= bits.fields[name][field]
    head = []
    ind = "    "
    if mask:        # reads facts: only when they are complete
        head.append(f"{ind}if not s.maske & {mask:#x}:")
        ind += "    "
    head.append(f"{ind}try:")
    binds = [f"{v} = s.{v}" for v in ("f", "dk", "pk", "idag") if v in fx.uses]
    if binds:
        head.append(f"{ind}    " + "; ".join(binds))
    head += [f"{ind}    {line}" for line in fx.prelude]
    return "\n".join(head) + "\n", texts, ind + "    ", (fx.uses, fx.prelude)


def _fast_or_none(exprs: list, bits: Bits, shared: Shared, root=None):
    """`_fast_block`, or None where the fast path has no form (a period index, ir.Within:
    its plain scan would be quadratic; the three-valued path answers from the index)."""
    try:
        return _fast_block(exprs, bits, shared, root)
    except NoFastPath:
        return None


def _slow_body(slow: _SlowExpr, body: str) -> str:
    """The three-valued path's local bindings and the period indexes its `body` needs."""
    pre = slow.take_prelude()
    return _slow_binds(body + "\n" + pre) + pre


def _catch(body: str) -> str:
    ind = body[:-4]
    return f"{ind}except _Ukendt:\n{ind}    pass  # unknown after all: three-valued\n"


def _slow_binds(text: str) -> str:
    names = [("f", "s.f"), ("d", "s.d"), ("idag", "s.idag"), ("p", "s.p")]
    used = [(n, v) for n, v in names if _mentions(text, n)]
    if not used:
        return ""
    return f"    {', '.join(n for n, _ in used)} = {', '.join(v for _, v in used)}\n"


def _mentions(text: str, name: str) -> bool:
    """Whether generated text reads the local `name` (`f[`, `d[`, `p[` or `idag`)."""
    if name == "idag":
        return "idag" in text
    return re.search(rf"(?<![\w.]){name}\[", text) is not None


# Definitions are computed when first read, each read of an uncomputed one a few
# stack frames deep; past this many links in one chain they are computed in order.
MAX_LAZY_DEPTH = 50


def _definition_depth(program: ir.Program) -> int:
    """The longest chain of definitions reading definitions (defs are in evaluation order)."""
    depth: dict[str, int] = {}
    for d in program.defs:
        deepest, stack = 0, [d.expr]
        while stack:
            node = stack.pop()
            if isinstance(node, ir.Def):
                deepest = max(deepest, depth.get(node.name, 0))
            else:
                stack.extend(ir.children(node))
        depth[d.name] = deepest + 1
    return max(depth.values(), default=0)


def _call(r) -> str:
    """A rule's outcome through its own function (both paths)."""
    if r.severity is None:
        return f"regel_{ident(r.id)}(s)"
    return f"(*regel_{ident(r.id)}(s), alvor_{ident(r.id)}(s))"


def _straight_line(rules: list) -> str:
    """`_alle_kendte(s)`: every rule's outcome for a case whose facts are all complete, in
    one function: the fast paths one after another, the case's values bound once. A rule
    whose value turns out unknown anyway (or that has no fast path) runs its own function."""
    uses = set()
    for _r, texts in rules:
        if texts is not None:
            uses |= texts[1][0]
    binds = "; ".join(f"{v} = s.{v}" for v in ("f", "dk", "pk", "idag") if v in uses)
    out = ["\n\ndef _alle_kendte(s):\n",
           '    """Every rule\'s (gælder, krav) when every fact is complete."""\n',
           f"    {binds}\n" if binds else "",
           "    u = []\n    a = u.append\n"]
    for r, texts in rules:
        prelude = () if texts is None else texts[1][1]
        texts = None if texts is None else texts[0]
        out.append(f"    # {comment(r.id)}\n")
        if texts is None:
            out.append(f"    a({_call(r)})\n")
            continue
        value = f"(True, {texts[-1]})"
        if r.applies is not None:
            value = f"{value} if {texts[0]} else _IKKE"
        made = "".join(f"        {line}\n" for line in prelude)
        out.append(f"    try:\n{made}        a({value})\n    except _Ukendt:\n"
                   f"        a({_call(r)})\n")
    out.append("    return u\n")
    return "".join(out)


def emit_fast_module(program: ir.Program) -> str:
    shared = Shared(program)
    slow = _SlowExpr(shared)
    bits = Bits(program.facts)
    out: list[str] = []
    w = out.append
    w(generated_header("#", comment(program.source)))
    w(docstring(f"{program.title} ({program.pack} {program.version}): generated checks.\n\n"
                "Use: evaluate(sag, dato=None, forklaring=True) -> Rapport.\n"
                "Standard library only; see the Regelkode README. Each rule and\n"
                "definition has a fast path (plain operators, every fact it reads\n"
                "known) and the three-valued path; both give the same report.", ""))
    w("\n\nfrom __future__ import annotations\n\n")
    w(runtime_source())
    w("\n\n\n")
    w(support_source())
    w("\n\n\n")
    w(module_constants(program, "The case's facts and their types; a fact's bit in the mask "
                                "is its place here."))
    w("_PARAMETRE = {" + "".join(f"{p!r}: {param_var(p)}, " for p in program.params) + "}\n")
    w("\n\n# --- validation of a case ---\n\n")
    w(ValidatorGen().module_text(program.facts))
    w("\n\n# --- definitions (computed when first read) ---\n")
    for d in program.defs:
        w(f"\n\n# {comment(d.origin)}\n")
        w(f"def definition_{ident(d.name)}(s):\n")
        doc = d.title + (("\n\nKilder: " + "; ".join(d.citations)) if d.citations else "")
        w(docstring(doc, "    ") + "\n")
        block = _fast_or_none([d.expr], bits, shared)
        if block is not None:
            head, (fast,), bi, _uses = block
            w(head)
            w(f"{bi}return {fast}\n")
            w(_catch(bi))
        body = slow.emit(d.expr)
        w(_slow_body(slow, body))
        w(f"    return {body}\n")
    if shared.nodes:
        w("\n\n# --- shared values: expressions the pack repeats, computed once per case ---\n")
    for i, (key, node) in enumerate(shared.nodes):
        w(f"\n\ndef delt_{i}(s):\n")
        w(f"    \"\"\"Shared value {key}.\"\"\"\n")
        block = _fast_or_none([node], bits, shared, root=node)
        if block is not None:
            head, (fast,), bi, _uses = block
            w(head)
            w(f"{bi}return {fast}\n")
            w(_catch(bi))
        slow.root = node
        body = slow.emit(node)
        slow.root = None
        w(_slow_body(slow, body))
        w(f"    return {body}\n")
    w("\n\n_DEFINITIONER = {\n")
    for d in program.defs:
        w(f"    {d.name!r}: definition_{ident(d.name)},\n")
    for i, (key, _node) in enumerate(shared.nodes):
        w(f"    {key!r}: delt_{i},\n")
    w("}\n")
    straight: list = []        # (rule, its fast path's texts or None), for _alle_kendte
    w("\n\n# --- rules: (gælder, krav) each ---\n")
    for r in program.rules:
        i = ident(r.id)
        w(f"\n\n# {comment(r.origin)}\n")
        w(f"_R_{i} = {literal(r.meta)}\n")
        w(f"_M_{i} = {literal(r.message)}\n")
        w(f"_B_{i} = {literal(r.uses)}\n\n\n")
        w(f"def regel_{i}(s):\n")
        doc = r.title + (("\n\nKilder: " + "; ".join(r.meta[3])) if r.meta[3] else "")
        w(docstring(doc, "    ") + "\n")
        exprs = ([r.applies] if r.applies is not None else []) + [r.requirement]
        block = _fast_or_none(exprs, bits, shared)
        straight.append((r, None if block is None or r.severity is not None
                         else (block[1], block[3])))
        if block is not None:
            head, texts, bi, _uses = block
            w(head)
            if r.applies is not None:
                w(f"{bi}if not {texts[0]}:\n")
                w(f"{bi}    return False, None\n")
            w(f"{bi}return True, {texts[-1]}\n")
            w(_catch(bi))
        applies = "True" if r.applies is None else slow.emit(r.applies)
        krav = slow.emit(r.requirement)
        w(_slow_body(slow, applies + "\n" + krav))
        w(f"    gaelder = {applies}\n")
        if r.applies is not None:
            w("    if gaelder is False:\n"
              "        return False, None  # doesn't apply: krav unused\n")
        w(f"    return gaelder, {krav}\n")
        if r.severity is not None:
            # Rare (an overlay exception that sets `alvor`): the three-valued path only.
            alvor = slow.emit(r.severity)
            w(f"\n\ndef alvor_{i}(s):\n")
            w("    \"\"\"The severity set by the exception that decides the rule, if any.\"\"\"\n")
            w(_slow_body(slow, alvor))
            w(f"    return {alvor}\n")
    w("\n\n_REGEL_META = (\n")
    for r in program.rules:
        i = ident(r.id)
        w(f"    (_R_{i}, _M_{i}, _B_{i}),\n")
    w(")\n")
    w("\n\n# --- JSON of complete facts and known definitions, one function per type ---\n\n")
    used = {n for r in program.rules for n in r.uses[0]}
    w(JsonGen().module_text(program.facts, tuple(n for n in program.facts if n in used),
                            program.defs))
    w(_straight_line(straight))
    w("\n\ndef evaluate(sag, *, dato=None, forklaring=True):\n")
    w(docstring("Judge a case (JSON-shaped data) by every rule of the pack.\n\n"
                "`dato` is the date the case is judged on (default: the case's\n"
                "`beregningsdato`, else today). A malformed case raises SagFejl\n"
                "naming the JSON path; nothing is evaluated then. The report is\n"
                "lazy: messages and explanations are made when read; with\n"
                "`forklaring=False` the rules carry no facts or definitions.", "    ") + "\n")
    w("    f, maske = _valider(sag)\n")
    # today: the moment now, a date only if read (_Sag.idag)
    w("    s = _Sag(f, maske, beregningsdato(sag, dato)\n")
    w("             if dato is not None or 'beregningsdato' in sag else _tid())\n")
    if _definition_depth(program) > MAX_LAZY_DEPTH:
        # Computed on demand, a chain of definitions recurses once per link and a long
        # one (the limits allow thousands) overflows the stack; in order, none recurses.
        w("    d = s.d\n")
        w("    for navn in _DEFINITIONER:\n")
        w("        d[navn]\n")
    w("    if not maske:\n")
    w("        return Rapport(s, _alle_kendte(s), forklaring)\n")
    w("    return Rapport(s, (\n")
    for r in program.rules:
        w(f"        {_call(r)},\n")
    w("    ), forklaring)\n\n\n")
    w("REGLER = (" + "".join(f"{r.id!r}, " for r in program.rules) + ")\n")
    w("\n__all__ = ['evaluate', 'Rapport', 'Regelresultat', 'SagFejl', 'Ukendt', 'Varighed', "
      "'FAKTA', 'REGLER', 'PAKKE', 'VERSION']\n")
    return "".join(out)
