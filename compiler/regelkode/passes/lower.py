"""Lowering: typed AST -> IR `Program`.

Each operator becomes the runtime operation its operand types select (the
type checker already proved the choice exists). Parameter histories are
evaluated here, once, with the reference interpreter: a `beregnet` period is
computed from `forrige` and other parameters at build time, so the
generated module only holds constants.
"""

from __future__ import annotations

from decimal import Decimal

from .. import runtime as rt
from ..diagnostics import Diagnostics
from ..front import ast
from ..front import types as T
from ..front.decls import Pack
from ..ir import interpret
from ..ir import nodes as ir
from .resolve import Resolution
from .typecheck import Typing

COMPARE_OPS = {"=": "lig", "≠": "forskellig", "<": "mindre", "<=": "mindre_lig",
               ">": "stoerre", ">=": "stoerre_lig"}
# How severe a rule's non-compliance is; an exception can make it milder or harsher.
SEVERITY_RANK = {"opmærksomhed": 0, "brud": 1}


class _Lowerer:
    def __init__(self, pack: Pack, res: Resolution, typing: Typing, diags: Diagnostics):
        self.pack = pack
        self.res = res
        self.typing = typing
        self.diags = diags
        self.depth = 0

    def type_of(self, node) -> T.Type:
        return self.typing.types[node]

    def desc(self, t: T.Type) -> tuple:
        return T.descriptor(t, self.pack.enums, self.pack.records)

    def lower(self, node):
        method = getattr(self, f"l_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"no lowering for {type(node).__name__}")
        return method(node)

    def call(self, op, *args, origin=None):
        return ir.Call(op, tuple(args), origin)

    # -- leaves --
    def l_Literal(self, node):
        return ir.Const(node.value)

    def l_Name(self, node):
        if node in self.typing.enum_values:
            return ir.Const(node.name)
        ref = self.res.refs[node]
        kind = ref[0]
        if kind == "fact":
            return ir.Fact(ref[1])
        if kind == "def":
            return ir.Def(ref[1])
        if kind == "param":
            return ir.Param(ref[1], ir.Today())
        if kind == "field":
            return ir.ElemField(ref[2], ref[1])
        if kind == "today":
            return ir.Today()
        if kind == "prev":
            return ir.Prev()
        raise TypeError(f"unresolved name {node.name}")

    # -- operators --
    def l_Unary(self, node):
        operand = self.lower(node.operand)
        if node.op == "not":
            return self.call("ikke", operand, origin=node)
        return self.call("neg", operand)

    def l_Binary(self, node):
        a, b = self.lower(node.left), self.lower(node.right)
        ta, tb = self.type_of(node.left), self.type_of(node.right)
        op = node.op
        if op == "and":
            return self.call("og", a, b, origin=node)
        if op == "or":
            return self.call("eller", a, b, origin=node)
        if op == "add":
            if ta.kind == "date":
                return self.call("dato_plus", a, b)
            if tb.kind == "date":
                return self.call("dato_plus", b, a)
            return self.call("plus", a, b)
        if op == "sub":
            if ta.kind == "date":
                return self.call("dato_minus", a, b)
            return self.call("minus", a, b)
        if op == "mul":
            if ta.kind == "money":
                return self.call("beloeb_gange", a, b)
            if tb.kind == "money":
                return self.call("beloeb_gange", b, a)
            if ta.kind == "dur" or tb.kind == "dur":
                return self.call("varighed_gange", a, b)
            return self.call("gange", a, b)
        if op == "div":
            if ta.kind == "money" and tb.kind == "money":
                return self.call("beloeb_forhold", a, b)
            if ta.kind == "money":
                return self.call("beloeb_divider", a, b)
            return self.call("divider", a, b)
        raise TypeError(op)

    def l_Compare(self, node):
        return self.call(COMPARE_OPS[node.op], self.lower(node.left), self.lower(node.right),
                         origin=node)

    def l_Member(self, node):
        return self.call("i", self.lower(node.item), self.lower(node.collection), origin=node)

    def l_IsKnown(self, node):
        return self.call("er_kendt" if node.known else "er_ukendt", self.lower(node.operand),
                         origin=node)

    def l_If(self, node):
        return self.call("hvis", self.lower(node.cond), self.lower(node.then),
                         self.lower(node.else_), origin=node)

    def l_ListLit(self, node):
        return self.call("liste", *(self.lower(i) for i in node.items))

    def l_AtDate(self, node):
        ref = self.res.refs[node.target]
        return ir.Param(ref[1], self.lower(node.date))

    def l_RoundKr(self, node):
        return self.call("afrund_kroner", self.lower(node.operand))

    def l_Field(self, node):
        return self.call("felt", self.lower(node.obj), ir.Const(node.name))

    def l_Aggregate(self, node):
        ref = self.res.lists[node]
        seq = {"fact": lambda: ir.Fact(ref[1]), "def": lambda: ir.Def(ref[1]),
               "param": lambda: ir.Param(ref[1], ir.Today()),
               "field": lambda: ir.ElemField(ref[2], ref[1])}[ref[0]]()
        depth = self.depth
        pred = None
        if node.where is not None:
            self.depth += 1
            try:
                pred = self.lower(node.where)
            finally:
                self.depth -= 1
        k = node.kind
        if k in ("antal", "nogen", "ingen", "alle"):
            return ir.Agg(k, seq, depth, pred)
        ft = self.type_of(node)
        if k == "summen":
            zero = rt.Varighed(0, 0) if ft.kind == "dur" else (Decimal(0) if ft.kind == "dec"
                                                               else 0)
            return ir.Agg("summen", seq, depth, pred, node.field, (zero,))
        label = f"{k} {node.field} i {node.list_name}"
        op = "mindste_felt" if k in ("tidligste", "mindste") else "stoerste_felt"
        return ir.Agg(op, seq, depth, pred, node.field, (label,))

    def l_Builtin(self, node):
        args = [self.lower(a) for a in node.args]
        op = {"hele_år": "hele_aar", "hele_måneder": "hele_maaneder", "dage": "dage",
              "min": "min", "max": "max"}[node.kind]
        return self.call(op, *args)

    # -- tables and exceptions --
    def table(self, name, table):
        inputs = [self.lower(e.node) for e in table.inputs]
        conds, results = [], []
        for row in table.rows:
            tests = [self.cell(cell.node, value)
                     for cell, value in zip(row.cells, inputs, strict=False)]
            tests = [t for t in tests if t is not None]
            conds.append(self.all_of(tests) if tests else ir.Const(True))
            results.append(self.lower(row.result.node))
        return ir.Table(name, table.hit, tuple(conds), tuple(results))

    def all_of(self, tests):
        """`og` of the tests as a balanced tree.

        A row of a wide table is then log2(columns) calls deep instead of one
        per column: 400 columns made the emitter recurse past Python's limit and
        the generated code past CPython's 200 nested brackets. `og` is
        associative (an Ukendt's reasons merge left to right either way), so
        the result is the same as the chain.
        """
        if len(tests) == 1:
            return tests[0]
        mid = len(tests) // 2
        return self.call("og", self.all_of(tests[:mid]), self.all_of(tests[mid:]))

    def cell(self, node, value):
        if isinstance(node, ast.CellAny):
            return None
        if isinstance(node, ast.CellCompare):
            return self.call(COMPARE_OPS[node.op], value, self.lower(node.value), origin=node)
        if isinstance(node, ast.CellRange):
            return self.call("og", self.call("stoerre_lig", value, self.lower(node.low)),
                             self.call("mindre_lig", value, self.lower(node.high)), origin=node)
        if isinstance(node, ast.CellValues):
            return self.call("i", value, self.call("liste", *(self.lower(v) for v in node.values)),
                             origin=node)
        raise TypeError(type(node).__name__)

    def default(self, base, exceptions):
        if not exceptions:
            return base
        excs = []
        for exc in exceptions:
            value = self.lower(exc.value.node)
            excs.append((exc.id, self.lower(exc.when.node), self.default(value, exc.subs)))
        return ir.Default(base, tuple(excs))

    # -- the program --
    def program(self) -> ir.Program:
        p = self.pack
        prog = ir.Program(p.id, p.title, p.version, tuple(p.layers), p.source.display)
        prog.facts = {n: self.desc(f.type) for n, f in sorted(p.facts.items())}
        prog.descriptions = {n: f.description for n, f in sorted(p.facts.items())}
        for name in self.res.param_order:
            param = self.param(p.params[name], prog)
            if param is not None:
                prog.params[name] = param
        prog.params = dict(sorted(prog.params.items()))
        for name in self.res.def_order:
            d = p.defs[name]
            base = self.table(name, d.table) if d.table is not None else self.lower(d.value.node)
            t = self.typing.def_types[name]
            prog.defs.append(ir.DefIR(name, self.desc(t), self.default(base, d.exceptions),
                                      d.title or name, tuple(c.label() for c in d.citations),
                                      f"{d.span.file}:{d.span.line}"))
        for rid in sorted(p.rules, key=lambda r: (p.rules[r].area, r)):
            r = p.rules[rid]
            meta = (rid, r.title, r.severity, tuple(c.label() for c in r.citations), r.layer,
                    r.area)
            message = []
            for part in self.res.messages.get(rid, []):
                if isinstance(part, str):
                    message.append(part)
                else:
                    message.append(self.message_part(part, prog))
            prog.rules.append(ir.RuleIR(
                rid, meta, self.lower(r.applies.node) if r.applies is not None else None,
                self.default(self.lower(r.requirement.node), r.exceptions), tuple(message),
                self.res.uses.get(("rule", rid), ((), ())), f"{r.span.file}:{r.span.line}",
                r.title, self.severity(r)))
        return prog

    def severity(self, rule):
        """The severity as a value: an exception's `alvor` when its `hvis` holds, else the
        rule's. Two applicable exceptions are already a konflikt of the krav. When it is
        unknown whether the exception holds, the milder of the two: an exception that
        makes a breach an opmærksomhed applies unless its `hvis` is known to be false, so
        a case that may be an opmærksomhed is not called a breach; one that makes an
        opmærksomhed a breach applies only when its `hvis` is known to be true."""
        own = [e for e in rule.exceptions if e.severity]
        if not own:
            return None
        sev = ir.Const(rule.severity)
        for exc in reversed(own):
            when = self.lower(exc.when.node)
            if SEVERITY_RANK[exc.severity] < SEVERITY_RANK[rule.severity]:
                known_false = self.call("og", self.call("er_kendt", when),
                                        self.call("ikke", when))
                sev = self.call("hvis", known_false, sev, ir.Const(exc.severity))
            else:
                sev = self.call("hvis", when, ir.Const(exc.severity), sev)
        return sev

    def message_part(self, part, prog) -> tuple:
        """A `{name}` in a message, as the runtime's `udfyld` reads it."""
        name, ref, _span = part
        kind = ref[0]
        if kind == "fact":
            return ("f", name, self.desc(self.pack.facts[name].type))
        if kind == "def":
            return ("d", name, self.desc(self.typing.def_types[name]))
        if kind == "today":
            return ("i", name, ("dato",))
        p = prog.params[name]
        return ("p", name, p.desc, p.dates, p.values)

    def param(self, param, prog):
        t = self.typing.param_types.get(param.name)
        if t is None:
            return None
        periods = sorted(param.periods, key=lambda per: per.start)
        dates, values, computed = [], [], []
        prev = None
        for i, per in enumerate(periods):
            if i and per.start == periods[i - 1].start:
                self.diags.error("param-overlap", f"parameteren `{param.name}` har to perioder, "
                                 f"der begge gælder fra {per.start.isoformat()}", per.span)
                continue
            expr = per.value or per.computed
            env = interpret.Env({}, {}, None, prog.params, prev=prev)
            value = interpret.ev(self.lower(expr.node), env)
            if value.__class__ is rt.Ukendt:
                self.diags.error("param-value", f"værdien fra {per.start.isoformat()} kan ikke "
                                 f"beregnes: {rt.forklar_ukendt(value)}", expr.span)
                continue
            dates.append(per.start)
            values.append(value)
            computed.append(per.computed is not None)
            prev = value
        return ir.ParamIR(param.name, tuple(dates), tuple(values), self.desc(t),
                          f"{param.span.file}:{param.span.line}", tuple(computed))


def lower_pack(pack: Pack, res: Resolution, typing: Typing, diags: Diagnostics) -> ir.Program:
    return _Lowerer(pack, res, typing, diags).program()
