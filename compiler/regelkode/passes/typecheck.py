"""Type checking: every expression node -> `Type`, before any code is made.

In: the model and its `Resolution`. Out: `Typing` — a type per node, the
enum value each bare enum name stands for, and the final types of
definitions and parameters (a `varighed` learns its unit from its value).
Operators are overloaded by type (`dato + varighed`, `beløb × decimal`);
`lower.py` reads the choice from here. Mismatches are diagnostics with both
types named in Danish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostics
from ..front import ast
from ..front import types as T
from ..front.decls import Expr, Pack
from .resolve import Resolution

ORDERED = {"int", "dec", "money", "date", "dur"}


@dataclass
class Typing:
    types: dict = field(default_factory=dict)        # node -> Type
    enum_values: dict = field(default_factory=dict)  # Name node -> enum type name
    def_types: dict = field(default_factory=dict)    # def name -> Type
    param_types: dict = field(default_factory=dict)  # param name -> Type
    elem_types: dict = field(default_factory=dict)   # Aggregate node -> element Type


class _Error(Exception):
    """Stops checking one expression after its first type error (no cascades)."""


class _Checker:
    def __init__(self, pack: Pack, res: Resolution, diags: Diagnostics):
        self.pack = pack
        self.res = res
        self.diags = diags
        self.t = Typing()
        self.scopes: list = []
        self.prev_type = None

    def error(self, node, message, hint=None):
        self.diags.error("type", message, node.span, hint)
        raise _Error

    # -- entry points --
    def check_expr(self, e: Expr | None, expected: T.Type | None = None, what: str = "udtrykket"):
        if e is None or e.node is None:
            return None
        try:
            t = self.check(e.node, expected)
        except _Error:
            return None
        if expected is not None and not T.compatible(expected, t):
            self.diags.error("type", f"{what} skal være {expected}, men er {t}", e.node.span)
            return None
        return t

    def check(self, node, expected=None) -> T.Type:
        method = getattr(self, f"c_{type(node).__name__}", None)
        if method is None:
            raise TypeError(f"no type rule for {type(node).__name__}")
        t = method(node, expected)
        self.t.types[node] = t
        return t

    # -- leaves --
    def c_Literal(self, node, expected):
        if node.kind == "date":
            return T.DATE
        if node.kind == "money":
            return T.MONEY
        if node.kind == "percent":
            return T.DEC
        if node.kind == "number":
            return T.INT if isinstance(node.value, int) else T.DEC
        if node.kind == "duration":
            # The unit is the one written, not read off the value: `0 måneder` is
            # a duration in months although its value holds no months.
            words = set(node.text.split()[1::2])
            months = bool(words & {"måned", "måneder", "år"})
            days = bool(words & {"dag", "dage", "uge", "uger"})
            return T.dur(T.MIXED if months and days else T.MONTHS if months else T.DAYS)
        if node.kind == "bool":
            return T.BOOL
        return T.TEXT

    def c_Name(self, node, expected):
        ref = self.res.refs.get(node)
        if ref is None:
            raise _Error  # already reported by resolve
        kind = ref[0]
        if kind == "field":
            return self.scopes[ref[2]][ref[1]]
        if kind == "today":
            return T.DATE
        if kind == "prev":
            if self.prev_type is None:
                self.error(node, "`forrige` findes ikke i den første periode af en parameter")
            return self.prev_type
        if kind == "fact":
            t = self.pack.facts[ref[1]].type
        elif kind == "param":
            t = self.t.param_types.get(ref[1]) or self.pack.params[ref[1]].type
        elif kind == "def":
            t = self.t.def_types.get(ref[1]) or self.pack.defs[ref[1]].type
        else:  # enum?
            return self.enum_value(node, expected)
        if t is None:
            raise _Error
        return t

    def enum_value(self, node, expected):
        owners = sorted(e for e, values in self.pack.enums.items() if node.name in values)
        if expected is not None and expected.kind == "list":
            expected = expected.elem
        if expected is not None and expected.kind == "enum":
            if node.name in self.pack.enums[expected.name]:
                self.t.enum_values[node] = expected.name
                return expected
            self.error(node, f"`{node.name}` er ikke en værdi i opregningen {expected.name}",
                       "værdierne er: " + ", ".join(self.pack.enums[expected.name]))
        if len(owners) == 1:
            self.t.enum_values[node] = owners[0]
            return T.Type("enum", name=owners[0])
        self.error(node, f"`{node.name}` er en opregningsværdi i flere typer "
                   f"({', '.join(owners)}); her kan det ikke afgøres hvilken",
                   "sammenlign den med et faktum af den ønskede type")

    # -- operators --
    def c_Unary(self, node, expected):
        t = self.check(node.operand)
        if node.op == "not":
            self.want(node.operand, t, T.BOOL, "`ikke`")
            return T.BOOL
        if t.kind in ("int", "dec", "money", "dur"):
            return t
        self.error(node, f"kan ikke skifte fortegn på {t}")

    def want(self, node, actual, expected, where):
        if not T.compatible(expected, actual):
            self.error(node, f"{where} kræver {expected}, men fik {actual}")

    def c_Binary(self, node, expected):
        if node.op in ("and", "or"):
            word = "`og`" if node.op == "and" else "`eller`"
            self.want(node.left, self.check(node.left), T.BOOL, word)
            self.want(node.right, self.check(node.right), T.BOOL, word)
            return T.BOOL
        a = self.check(node.left)
        b = self.check(node.right)
        op = node.op
        if op in ("add", "sub"):
            if a.numeric and b.numeric:
                return T.INT if a.kind == b.kind == "int" else T.DEC
            if a.kind == b.kind == "money":
                return T.MONEY
            if a.kind == "date" and b.kind == "dur":
                return T.DATE
            if a.kind == b.kind == "dur":
                return T.dur(_merge_units(a.unit, b.unit))
            if op == "add" and a.kind == "dur" and b.kind == "date":
                return T.DATE
            if a.kind == b.kind == "date" and op == "sub":
                self.error(node, "to datoer kan ikke trækkes fra hinanden",
                           "brug `dage fra a til b`, `hele måneder fra a til b` eller "
                           "`hele år fra a til b`")
            word = "lægges til" if op == "add" else "trækkes fra"
            self.error(node, f"{b} kan ikke {word} {a}")
        if op == "mul":
            if a.numeric and b.numeric:
                return T.INT if a.kind == b.kind == "int" else T.DEC
            if (a.kind == "money" and b.numeric) or (b.kind == "money" and a.numeric):
                return T.MONEY
            if (a.kind == "dur" and b.kind == "int") or (b.kind == "dur" and a.kind == "int"):
                return a if a.kind == "dur" else b
            self.error(node, f"{a} kan ikke ganges med {b}")
        if op == "div":
            if a.numeric and b.numeric:
                return T.DEC
            if a.kind == "money" and b.numeric:
                return T.MONEY
            if a.kind == b.kind == "money":
                return T.DEC
            self.error(node, f"{a} kan ikke divideres med {b}")
        raise TypeError(op)

    def comparable(self, node, a, b, op):
        if a.numeric and b.numeric:
            return
        if a.kind == "dur" and b.kind == "dur":
            if a.unit and b.unit and (a.unit != b.unit or a.unit == T.MIXED):
                self.error(node, f"en varighed i {a.unit} kan ikke sammenlignes med en i {b.unit}",
                           "26 uger og 6 måneder er ikke det samme; sammenlign datoerne i stedet, "
                           "fx `startdato + 6 måneder`")
            return
        if a != b:
            self.error(node, f"{a} kan ikke sammenlignes med {b}")
        if op not in ("=", "≠") and a.kind not in ORDERED:
            self.error(node, f"{a} har ingen rækkefølge; kun `er` og `er ikke` kan bruges")

    def c_Compare(self, node, expected):
        a, b = self.pair(node.left, node.right)
        self.comparable(node, a, b, node.op)
        return T.BOOL

    def pair(self, left, right):
        """Check two operands where either may be a bare enum value typed by the other."""
        if self._is_enum_candidate(left) and not self._is_enum_candidate(right):
            b = self.check(right)
            return self.check(left, b), b
        a = self.check(left)
        return a, self.check(right, a)

    def _is_enum_candidate(self, node):
        return isinstance(node, ast.Name) and self.res.refs.get(node, ("",))[0] == "enum?"

    def c_Member(self, node, expected):
        if isinstance(node.collection, ast.ListLit) and self._is_enum_candidate(node.item):
            coll = self.check(node.collection)
            item = self.check(node.item, coll.elem)
        else:
            item = self.check(node.item)
            coll = self.check(node.collection, T.Type("list", elem=item))
        if coll.kind != "list":
            self.error(node.collection, f"efter `i` skal der stå en liste, men her er {coll}")
        self.comparable(node, item, coll.elem, "=")
        return T.BOOL

    def c_IsKnown(self, node, expected):
        self.check(node.operand)
        return T.BOOL

    def c_If(self, node, expected):
        self.want(node.cond, self.check(node.cond), T.BOOL, "`hvis`")
        a, b = self.pair(node.then, node.else_)
        return self.unify(node, a, b, "de to grene af `hvis … så … ellers`")

    def unify(self, node, a, b, what):
        if a == b:
            return a
        if a.numeric and b.numeric:
            return T.DEC
        if a.kind == b.kind == "dur":
            if a.unit and b.unit and a.unit != b.unit:
                return T.dur(T.MIXED)
            return T.dur(a.unit or b.unit)
        self.error(node, f"{what} har forskellige typer: {a} og {b}")

    def c_ListLit(self, node, expected):
        elem_expected = expected.elem if expected is not None and expected.kind == "list" else None
        types = [self.check(item, elem_expected) for item in node.items]
        if elem_expected is None:
            first = next((t for t, i in zip(types, node.items, strict=False)
                          if not self._is_enum_candidate(i)), None)
            if first is not None:
                types = [self.check(i, first) for i in node.items]
        t = types[0]
        for item, other in zip(node.items[1:], types[1:], strict=False):
            t = self.unify(item, t, other, "elementerne i listen")
        return T.Type("list", elem=t)

    def c_AtDate(self, node, expected):
        target = node.target
        ref = self.res.refs.get(target) if isinstance(target, ast.Name) else None
        if ref is None or ref[0] != "param":
            self.error(node, "`på` kan kun bruges efter navnet på en parameter",
                       "fx `ydelse_med_barn på startdato`")
        self.want(node.date, self.check(node.date), T.DATE, "`på`")
        return self.check(target)

    def c_RoundKr(self, node, expected):
        t = self.check(node.operand)
        self.want(node.operand, t, T.MONEY, "`afrundet til hele kroner`")
        return T.MONEY

    def c_Field(self, node, expected):
        t = self.check(node.obj)
        if t.kind != "record":
            self.error(node, f"{t} har ingen felter", "kun en post har felter")
        fields = self.pack.records.get(t.name, {})
        if node.name not in fields:
            from ..diagnostics import did_you_mean
            self.error(node, f"{t.name} har ikke feltet `{node.name}`",
                       did_you_mean(node.name, fields))
        return fields[node.name]

    def c_Aggregate(self, node, expected):
        ref = self.res.lists.get(node)
        if ref is None:
            raise _Error
        fake = ast.Name(node.list_span, node.list_name)
        self.res.refs[fake] = ref
        lt = self.check(fake)
        if lt.kind != "list":
            self.error(node, f"`{node.list_name}` er {lt}, ikke en liste")
        elem = lt.elem
        self.t.elem_types[node] = elem
        fields = self.pack.records.get(elem.name, {}) if elem.kind == "record" else {}
        if node.where is not None:
            if elem.kind != "record":
                self.error(node, f"`hvor` kræver en liste af poster, men "
                           f"`{node.list_name}` er {lt}")
            self.scopes.append(fields)
            try:
                self.want(node.where, self.check(node.where), T.BOOL, "`hvor`")
            finally:
                self.scopes.pop()
        k = node.kind
        if k == "antal":
            return T.INT
        if k in ("alle", "nogen", "ingen"):
            return T.BOOL
        if elem.kind != "record" or node.field not in fields:
            self.error(node, f"`{k} {node.field} i {node.list_name}` kræver en liste af poster med "
                       f"feltet `{node.field}`")
        ft = fields[node.field]
        if k == "summen":
            if ft.kind not in ("int", "dec", "money", "dur"):
                self.error(node, f"`summen af` kræver tal, beløb eller varigheder; "
                           f"`{node.field}` er {ft}")
            return ft
        if ft.kind not in ORDERED:
            self.error(node, f"`{k}` kræver værdier med en rækkefølge; `{node.field}` er {ft}")
        return ft

    def c_Builtin(self, node, expected):
        if node.kind in ("hele_år", "hele_måneder", "dage"):
            for arg in node.args:
                self.want(arg, self.check(arg), T.DATE, f"`{node.word}`")
            return T.INT
        types = [self.check(a) for a in node.args]
        t = types[0]
        for arg, other in zip(node.args[1:], types[1:], strict=False):
            t = self.unify(arg, t, other, f"værdierne i `{node.word}`")
        if t.kind not in ORDERED:
            self.error(node, f"`{node.word}` kræver værdier med en rækkefølge, ikke {t}")
        return t

    # -- table cells: checked against the column's input type --
    def check_cell(self, e: Expr, input_type: T.Type):
        if e.node is None or input_type is None:
            return
        node = e.node
        try:
            if isinstance(node, ast.CellAny):
                return
            if isinstance(node, ast.CellCompare):
                t = self.check(node.value, input_type)
                self.comparable(node, input_type, t, node.op)
            elif isinstance(node, ast.CellRange):
                for v in (node.low, node.high):
                    self.comparable(node, input_type, self.check(v, input_type), "<=")
            elif isinstance(node, ast.CellValues):
                for v in node.values:
                    self.comparable(v, input_type, self.check(v, input_type), "=")
        except _Error:
            pass

    # -- declarations --
    def run(self) -> Typing:
        p = self.pack
        for name in self.res.param_order:
            self.param(p.params[name])
        for name in self.res.def_order:
            self.definition(p.defs[name])
        for rule in p.rules.values():
            self.check_expr(rule.applies, T.BOOL, "`gælder_når`")
            self.check_expr(rule.requirement, T.BOOL, "`krav`")
            self.exceptions(rule.exceptions, T.BOOL)
        return self.t

    def param(self, param):
        t = param.type
        if t is None:
            return
        if t.kind in ("record", "list"):
            self.diags.error("type", f"en parameter kan ikke have typen {t}", param.span)
            return
        units = set()
        self.prev_type = None
        for period in param.periods:
            e = period.value or period.computed
            got = self.check_expr(e, t, f"værdien fra {period.start.isoformat()}")
            if got is not None and got.kind == "dur" and got.unit:
                units.add(got.unit)
            self.prev_type = t
        if t.kind == "dur" and t.unit is None and len(units) == 1:
            t = T.dur(units.pop())
        elif t.kind == "dur" and len(units) > 1:
            self.diags.error("type", f"parameteren `{param.name}` blander varigheder i dage og "
                             "måneder", param.span)
        self.t.param_types[param.name] = t
        self.prev_type = None

    def definition(self, d):
        t = d.type
        if t is None:
            return
        got = None
        if d.value is not None:
            got = self.check_expr(d.value, t, f"værdien af `{d.name}`")
        if d.table is not None:
            input_types = [self.check_expr(e) for e in d.table.inputs]
            for row in d.table.rows:
                for cell, it in zip(row.cells, input_types, strict=False):
                    self.check_cell(cell, it)
                r = self.check_expr(row.result, t, "resultatet i tabellen")
                got = got or r
        self.exceptions(d.exceptions, t)
        if t.kind == "dur" and t.unit is None and got is not None and got.kind == "dur":
            t = got
        self.t.def_types[d.name] = t

    def exceptions(self, excs, value_type):
        for exc in excs:
            self.check_expr(exc.when, T.BOOL, "`hvis` i en undtagelse")
            self.check_expr(exc.value, value_type, f"værdien af undtagelsen `{exc.id}`")
            self.exceptions(exc.subs, value_type)


def _merge_units(a, b):
    if a is None or b is None:
        return a or b
    return a if a == b else T.MIXED


def check_types(pack: Pack, res: Resolution, diags: Diagnostics) -> Typing:
    return _Checker(pack, res, diags).run()
