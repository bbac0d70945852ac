"""IR expressions -> sqlglot expressions: a value and its missing facts.

Every IR expression becomes a pair `V(val, m)`:

- `val` is the value, NULL when the Python runtime's value is an `Ukendt`.
  NULL and the runtime agree on logic: SQL's AND/OR/NOT are Kleene, as
  `op_og`/`op_eller`/`op_ikke` are, and every other op is strict.
- `m` is the runtime's `Ukendt.mangler` as an array of fact paths, and it is
  empty whenever `val` is known (the invariant every rule below keeps). A
  conflict (`Ukendt.konflikter`) travels in the same array as the marker
  `KONFLIKT`, which no fact path can equal; it merges exactly as `_flet`
  merges konflikter. `m` is `None` where it is empty by construction, so
  constants and `er_kendt` cost nothing.

Only values are compared; the reasons (`grunde`) are not carried, they
never change a status. Element fields in `hvor` are lambda parameters, and
their missing-fact paths (`samtaler[2].dato`) are built from the element's
index, so the paths equal the Python module's.
"""

import datetime as dt
from decimal import Decimal

from sqlglot import exp

from ...ir import nodes as ir
from .dialects import SqlDialect, Unsupported
from .lists import ListOps
from .names import col, def_col, def_m_col, fact_col, fact_m_col
from .ranges import Ranges
from .tables import TableOps
from .terms import (
    KONFLIKT,
    ElemFieldRef,
    V,
    and_,
    case,
    cast,
    compare,
    is_null,
    lit,
    not_,
    not_null,
    or_,
    paren,
)


class Compiler(ListOps, TableOps):
    """Compiles one pack's IR expressions for one dialect."""

    def __init__(self, program, dialect: SqlDialect, binder=None):
        self.program = program
        self.d = dialect
        self.binder = binder        # bind.Binder: each value outside a lambda as a column
        self.def_types = {d.name: d.desc for d in program.defs}
        self.ranges = Ranges(program)
        # (element variable, index variable, path, element type) per open `hvor`; None
        # for one left open outside while a row-invariant value is compiled (expr)
        self.scopes: list[tuple | None] = []
        self._invariant: dict[int, tuple] = {}     # id -> (node, its open depths)

    # -- the missing-facts arrays --
    def empty(self):
        return self.d.empty_paths()

    def cat(self, *ms):
        ms = [m for m in ms if m is not None]
        if not ms:
            return None
        if len(ms) == 1:
            return ms[0]
        return self.d.concat(ms)

    def m_or_empty(self, m):
        return self.empty() if m is None else m

    def share(self, e):
        """`e` as a column when outside a lambda (bind.py), so that reading it again is free."""
        if self.binder is None or self.in_lambda:
            return e
        return self.binder.bind(e)

    def kleene(self, op: str, val, a: V, b: V) -> V:
        """`a` `op` `b` (AND or OR, either can decide alone): the operands' missing facts
        where `val` is unknown, else none. An operand that is a chain of the same
        operator gives its merged facts (V.raw) untested: where the whole is unknown,
        that operand is unknown too or empty, and testing it again would compute it
        again (in a lambda, nothing is a column)."""
        merged = self.cat(*(x.raw if x.chain == op else x.m for x in (a, b)))
        if merged is None:
            return V(val, chain=op)
        return V(val, case([(is_null(self.share(val)), merged)], self.empty()), chain=op,
                 raw=merged)

    def strict(self, val, *parts: V) -> V:
        return V(val, self.cat(*(p.m for p in parts)))

    def duration(self, val, *parts: V) -> V:
        """A duration computed from `parts`: NULL where one of them is. A struct whose
        fields are NULL is not NULL itself (in DuckDB and Spark, and in PostgreSQL as
        program._null_as_a_value asks), so `er ukendt`, `mindste af` and `i`
        took a sum or product of an unknown for a known duration. A duration is NULL
        or has both fields."""
        unknown = [is_null(p.val) for p in parts if not self._never_null(p.val)]
        if unknown:
            val = case([(or_(*unknown), exp.Null())], val)
        return V(val, self.cat(*(p.m for p in parts)), dur=True)

    def _never_null(self, e) -> bool:
        """A literal number (typed or not), or a duration of two literal numbers."""
        if isinstance(e, exp.Cast) and isinstance(e.this, (exp.Literal, exp.Neg)):
            e = e.this
        if isinstance(e, exp.Neg):
            e = e.this
        if isinstance(e, exp.Literal):
            return True
        if isinstance(e, exp.Struct) or (isinstance(e, exp.Cast) and isinstance(
                e.this, exp.Anonymous) and e.this.name == "ROW"):
            return all(self._never_null(part) for part in self.d.varighed_parts(e))
        return False

    # -- entry --
    def expr(self, node) -> V:
        if self.binder is not None and self.in_lambda and self._row_invariant(node):
            # a value no element of an open `hvor` reads is the same for every element:
            # computed once per case, as a column the lambda reads, not once per element.
            # The open scopes are left as gaps: a search inside keeps its own depth
            saved, self.scopes = self.scopes, [None] * len(self.scopes)
            try:
                return self.expr(node)
            finally:
                self.scopes = saved
        method = getattr(self, f"c_{type(node).__name__}", None)
        if method is None:
            raise Unsupported(f"IR-knuden {type(node).__name__}")
        v = method(node)
        if self.binder is None or self.in_lambda:   # a lambda's body cannot read a column
            return v
        return V(self.binder.bind(v.val), self.binder.bind(v.m), v.dur, v.chain, v.raw)

    @property
    def in_lambda(self) -> bool:
        """Whether the expression being compiled is inside a `hvor`'s lambda."""
        return any(s is not None for s in self.scopes)

    def _row_invariant(self, node) -> bool:
        """Whether `node` reads no element of an open `hvor` (a search inside it may
        read its own elements)."""
        return not _open_depths(node, self._invariant)[1]

    def c_Const(self, node):
        return V(self.const(node.value), dur=node.value.__class__.__name__ == "Varighed")

    def const(self, value):
        cls = value.__class__
        if cls is bool:
            return exp.true() if value else exp.false()
        if cls is int:
            # typed: a bare literal is a 32-bit INTEGER in every dialect, and a product of
            # two (a parameter's rate times an amount in øre) overflowed it, stopping the
            # batch, where heltal and beløb are BIGINT
            return cast(exp.Literal.number(value), self.d.type("BIGINT"))
        if cls is Decimal:
            return self.d.decimal_literal(value)
        if cls is str:
            return lit(value)
        if cls is dt.date:
            return self.d.date_literal(value)
        if cls.__name__ == "Varighed":
            return self.d.varighed(exp.Literal.number(value.maaneder),
                                   exp.Literal.number(value.dage))
        if cls is tuple:
            return exp.Array(expressions=[self.const(v) for v in value])
        raise Unsupported(f"konstanten {value!r}")

    def c_Fact(self, node):
        return V(fact_col(node.name), fact_m_col(node.name),
                 dur=self.program.facts[node.name][0] == "varighed")

    def c_Def(self, node):
        return V(def_col(node.name), def_m_col(node.name),
                 dur=self.def_types[node.name][0] == "varighed")

    def desc_of(self, node) -> tuple:
        """The runtime type descriptor of a fact, element field or record field."""
        cls = node.__class__.__name__
        if cls == "Fact":
            return self.program.facts[node.name]
        if cls == "Def":
            return self.def_types[node.name]
        if cls in ("ElemField", "ElemFieldRef"):
            return dict(self.scopes[node.depth][3][2])[node.name]
        if cls == "Call" and node.op == "felt":
            return dict(self.desc_of(node.args[0])[2])[node.args[1].value]
        raise Unsupported(f"typen af {cls}")

    def c_Today(self, node):
        return V(col(":idag"))

    def c_Prev(self, node):
        raise Unsupported("`forrige` findes kun mens parametre beregnes")

    def c_ElemFieldRef(self, node):
        return self.c_ElemField(node)

    def c_ElemField(self, node):
        var, _idx, path, _desc = self.scopes[node.depth]
        val = self.d.field(exp.column(var), node.name)
        return V(val, case([(is_null(val), exp.Array(expressions=[
            self.d.concat_text([path, lit("." + node.name)])]))], self.empty()),
            dur=self.desc_of(node)[0] == "varighed")

    def c_Param(self, node):
        p = self.program.params[node.name]
        date = self.expr(node.date)
        whens = []
        for start, value in reversed(list(zip(p.dates, p.values, strict=True))):
            whens.append((exp.GTE(this=date.val, expression=self.d.date_literal(start)),
                          self.const(value)))
        return V(case(whens), date.m,
                 dur=bool(p.values) and p.values[0].__class__.__name__ == "Varighed")

    # -- calls --
    def c_Call(self, node):
        if node.op == "i":
            return self.member(node)
        method = getattr(self, f"op_{node.op}", None)
        if method is None:
            raise Unsupported(f"operationen {node.op}")
        if node.op == "liste":
            return method(node)
        return method(*(self.expr(a) for a in node.args), node=node)

    def op_og(self, a, b, node=None):
        return self.kleene("og", and_(a.val, b.val), a, b)

    def op_eller(self, a, b, node=None):
        return self.kleene("eller", or_(a.val, b.val), a, b)

    def op_ikke(self, a, node=None):
        # not (a and b) is unknown where (a and b) is, and false where it is true: a
        # chain of "eller" with the same merged facts (and the converse)
        swapped = {"og": "eller", "eller": "og"}.get(a.chain)
        return V(not_(a.val), a.m, chain=swapped, raw=a.raw if swapped else None)

    def op_hvis(self, c, a, b, node=None):
        same = compare(exp.EQ, a.val, b.val)
        val = case([(c.val, a.val), (not_(c.val), b.val), (same, a.val)])
        m = case([(c.val, self.m_or_empty(a.m)),
                  (not_(c.val), self.m_or_empty(b.m)),
                  (same, self.empty())], self.m_or_empty(c.m))
        if a.m is None and b.m is None and c.m is None:
            m = None
        return V(val, m, dur=a.dur or b.dur)

    def op_er_kendt(self, a, node=None):
        return V(not_null(a.val))

    def op_er_ukendt(self, a, node=None):
        return V(is_null(a.val))

    def _compare(self, cls, a, b):
        if a.dur or b.dur:
            return self.strict(self.d.compare_varighed(cls, a.val, b.val), a, b)
        return self.strict(compare(cls, a.val, b.val), a, b)

    def op_lig(self, a, b, node=None):
        return self._compare(exp.EQ, a, b)

    def op_forskellig(self, a, b, node=None):
        return self._compare(exp.NEQ, a, b)

    def op_mindre(self, a, b, node=None):
        return self._compare(exp.LT, a, b)

    def op_mindre_lig(self, a, b, node=None):
        return self._compare(exp.LTE, a, b)

    def op_stoerre(self, a, b, node=None):
        return self._compare(exp.GT, a, b)

    def op_stoerre_lig(self, a, b, node=None):
        return self._compare(exp.GTE, a, b)

    def op_liste(self, node):
        raise Unsupported("en liste uden for `i`")

    def member(self, node):
        """`x i liste`: compiled from the list's items, so an unknown item keeps its facts."""
        x = self.expr(node.args[0])
        items = self.list_items(node.args[1])
        if items is None:
            seq = self.expr(node.args[1])
            val = case([(or_(is_null(x.val), is_null(seq.val)), exp.Null())],
                       self.d.contains(seq.val, x.val))
            return self.strict(val, x, seq)
        if not items:
            return V(case([(is_null(x.val), exp.Null())], exp.false()), x.m)
        val = case([(is_null(x.val), exp.Null())],
                   or_(*(compare(exp.EQ, x.val, i.val)
                         for i in items)))
        item_m = self.cat(*(i.m for i in items))
        m = case([(is_null(x.val), self.m_or_empty(x.m)),
                  (is_null(val), self.m_or_empty(item_m))], self.empty())
        if x.m is None and item_m is None:
            m = None
        return V(val, m)

    def list_items(self, node):
        """The items of a literal list (a `liste` call or a constant tuple), else None."""
        if node.__class__.__name__ == "Call" and node.op == "liste":
            return [self.expr(a) for a in node.args]
        if node.__class__.__name__ == "Const" and node.value.__class__ is tuple:
            return [V(self.const(v)) for v in node.value]
        return None

    # -- arithmetic --
    def op_plus(self, a, b, node=None):
        if a.dur:
            return self.duration(self.d.varighed_plus(a.val, b.val, 1), a, b)
        return self.strict(exp.Add(this=paren(a.val), expression=paren(b.val)), a, b)

    def op_minus(self, a, b, node=None):
        if a.dur:
            return self.duration(self.d.varighed_plus(a.val, b.val, -1), a, b)
        return self.strict(exp.Sub(this=paren(a.val), expression=paren(b.val)), a, b)

    def op_neg(self, a, node=None):
        if a.dur:
            return self.duration(self.d.varighed_neg(a.val), a)
        return V(exp.Neg(this=exp.Paren(this=a.val)), a.m)

    def op_gange(self, a, b, node=None):
        return self.strict(exp.Mul(this=paren(a.val), expression=paren(b.val)), a, b)

    def op_divider(self, a, b, node=None):
        zero = compare(exp.EQ, b.val, exp.Literal.number(0))
        return self.strict(case([(zero, exp.Null())], self.d.divide(a.val, b.val)), a, b)

    def op_beloeb_forhold(self, a, b, node=None):
        return self.op_divider(a, b)

    def op_beloeb_gange(self, oere, tal, node=None):
        return self.strict(self.d.round_half_away(
            exp.Mul(this=paren(oere.val), expression=paren(tal.val))), oere, tal)

    def op_beloeb_divider(self, oere, tal, node=None):
        zero = compare(exp.EQ, tal.val, exp.Literal.number(0))
        return self.strict(case([(zero, exp.Null())], self.d.divide_rounded(oere.val, tal.val)),
                           oere, tal)

    def op_afrund_kroner(self, oere, node=None):
        kroner = self.d.divide_rounded(oere.val, exp.Literal.number(100))
        return V(exp.Mul(this=paren(kroner), expression=exp.Literal.number(100)), oere.m)

    def op_varighed_gange(self, v, n, node=None):
        if not v.dur:
            v, n = n, v
        return self.duration(self.d.varighed_scale(v.val, n.val), v, n)

    # -- dates --
    def op_dato_plus(self, d, v, node=None):
        return self.strict(self.d.date_plus(d.val, v.val, 1, self.ranges.steps_inside(node)),
                           d, v)

    def op_dato_minus(self, d, v, node=None):
        return self.strict(self.d.date_plus(d.val, v.val, -1, self.ranges.steps_inside(node)),
                           d, v)

    def op_hele_maaneder(self, a, b, node=None):
        return self.strict(self.d.whole_months(a.val, b.val), a, b)

    def op_hele_aar(self, a, b, node=None):
        months = self.d.whole_months(a.val, b.val)
        return self.strict(self.d.floor_div(months, 12), a, b)

    def op_dage(self, a, b, node=None):
        return self.strict(self.d.days_between(a.val, b.val), a, b)

    def _extreme(self, cls, args):
        unknown = or_(*(is_null(a.val) for a in args))
        val = case([(unknown, exp.Null())],
                   cls(this=args[0].val, expressions=[a.val for a in args[1:]]))
        out = self.strict(val, *args)
        out.dur = args[0].dur
        return out

    def op_min(self, *args, node=None):
        return self._extreme(exp.Least, args)

    def op_max(self, *args, node=None):
        return self._extreme(exp.Greatest, args)

    # -- records --
    def op_felt(self, post, name, node=None):
        fname = name.val.this      # a Const string
        val = self.d.field(post.val, fname)
        path = self.path_of(node.args[0])
        missing = case([(is_null(post.val), self.m_or_empty(post.m)),
                        (is_null(val), exp.Array(expressions=[
                            self.d.concat_text([path, lit("." + fname)])]))], self.empty())
        return V(val, missing, dur=self.desc_of(node)[0] == "varighed")

    def path_of(self, node) -> exp.Expression:
        """The JSON path of a record value, as the runtime names its missing fields."""
        cls = node.__class__.__name__
        if cls == "Fact":
            return lit(node.name)
        if cls == "ElemField":
            _var, _idx, path, _desc = self.scopes[node.depth]
            return self.d.concat_text([path, lit("." + node.name)])
        if cls == "Call" and node.op == "felt":
            return self.d.concat_text([self.path_of(node.args[0]),
                                       lit("." + node.args[1].value)])
        raise Unsupported("et felt af en beregnet post")


def _open_depths(node, memo: dict) -> tuple[object, frozenset]:
    """(node, the depths of the `hvor` scopes whose elements it reads but does not open
    itself), memoised by identity (the node is kept with its answer, so its id is not
    reused while the memo lives)."""
    found = memo.get(id(node))
    if found is not None:
        return found
    if isinstance(node, (ir.ElemField, ElemFieldRef)):
        depths = frozenset({node.depth})
    elif isinstance(node, ir.Prev):
        depths = frozenset({-1})        # never moved: it exists only among parameters
    else:
        depths = frozenset().union(*(_open_depths(c, memo)[1] for c in ir.children(node)))
        if isinstance(node, ir.Agg):    # its predicate reads its own elements
            depths = _open_depths(node.seq, memo)[1] | (depths - {node.depth})
    found = (node, depths)
    memo[id(node)] = found
    return found


__all__ = ["KONFLIKT", "Compiler", "ElemFieldRef", "Unsupported", "V", "case", "is_null", "lit"]
