"""The intermediate form shared by every back end.

Expressions are trees of explicit operations: `Call("dato_plus", …)` names
the runtime function `op_dato_plus`, so the emitter writes a call and the
interpreter makes the same call. `Program` is one compiled pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Const:
    value: object


@dataclass(frozen=True)
class Fact:
    name: str


@dataclass(frozen=True)
class ElemField:
    depth: int
    name: str


@dataclass(frozen=True)
class Def:
    name: str


@dataclass(frozen=True)
class Param:
    name: str
    date: object            # IR, usually Today()


@dataclass(frozen=True)
class Today:
    pass


@dataclass(frozen=True)
class Prev:
    pass


@dataclass(frozen=True)
class Call:
    op: str
    args: tuple
    origin: object = None   # the AST node it came from (coverage, explanations)


@dataclass(frozen=True)
class Within:
    """A hint on `nogen`/`ingen` (passes/periods.py): `pred` is `rest og
    ElemField(start) ≤ point og ElemField(end) ≥ point`, joined by `og` in some
    order, `point` never reads this aggregate's element and `rest` reads no outer
    one. A back end may index the list's periods once and answer each point by
    search (runtime `op_nogen_inden`); one that ignores the hint scans with `pred`,
    which is the meaning either way."""

    start: str
    end: str
    point: object
    rest: object | None


@dataclass(frozen=True)
class Window:
    """A hint on `antal`, `nogen` or `ingen` (passes/periods.py): `pred` is `rest og`
    bounds on one field of the element, `lo <(=) field` and/or `field <(=) hi`, with
    lo and hi never reading this aggregate's element and rest no outer one. A back
    end may sort the field's known values once and count or find by bisection
    (runtime `op_antal_vindue`, `op_nogen_vindue`)."""

    field: str
    lo: object | None
    lo_strict: bool
    hi: object | None
    hi_strict: bool
    rest: object | None


@dataclass(frozen=True)
class Keyed:
    """A hint on `nogen`/`ingen` (passes/periods.py): `pred` is `rest og
    ElemField(key) = match` and, if `field` is set, `og ElemField(field) <(=) bound`
    (`below`; else >(=)), joined by `og` in some order; match and bound never read
    this aggregate's element, rest reads no outer one. A back end may group the
    list by key once and answer each question by one lookup (runtime
    `op_nogen_samme`); one that ignores the hint scans with `pred`."""

    key: str
    match: object
    field: str | None
    bound: object | None
    below: bool
    strict: bool
    rest: object | None


@dataclass(frozen=True)
class Agg:
    op: str                 # antal nogen ingen alle summen mindste_felt stoerste_felt
    seq: object
    depth: int
    pred: object | None
    field: str | None = None
    extra: tuple = ()       # summen: (zero,); mindste/største: (label,)
    within: Within | Window | Keyed | None = None    # a search an index can answer


@dataclass(frozen=True)
class Table:
    name: str
    hit: str
    conds: tuple
    results: tuple


@dataclass(frozen=True)
class Default:
    base: object
    exceptions: tuple       # ((id, when, value), ...)


@dataclass
class DefIR:
    name: str
    desc: tuple
    expr: object
    title: str
    citations: tuple
    origin: str


@dataclass
class RuleIR:
    id: str
    meta: tuple             # (id, titel, alvor, kilder, lag, område)
    applies: object | None
    requirement: object
    message: tuple          # str | (kind, name, desc[, dates, values]); see runtime.udfyld
    uses: tuple             # (facts, defs)
    origin: str
    title: str
    # Per case: the exception that decides the rule may set its severity (`alvor`);
    # IR giving "brud"/"opmærksomhed", or None when no exception does.
    severity: object = None


@dataclass
class ParamIR:
    name: str
    dates: tuple
    values: tuple
    desc: tuple
    origin: str
    computed: tuple = ()    # per period: True if `beregnet`


@dataclass
class Program:
    pack: str
    title: str
    version: str
    layers: tuple
    source: str
    facts: dict = field(default_factory=dict)         # name -> descriptor
    params: dict = field(default_factory=dict)        # name -> ParamIR
    defs: list = field(default_factory=list)          # DefIR in evaluation order
    rules: list = field(default_factory=list)         # RuleIR, sorted by (område, id)
    descriptions: dict = field(default_factory=dict)  # fact name -> its description (or None)

    @property
    def def_types(self) -> dict:
        return {d.name: d.desc for d in self.defs}


def children(node) -> tuple:
    if isinstance(node, (Const, Fact, ElemField, Def, Today, Prev)):
        return ()
    if isinstance(node, Param):
        return (node.date,)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Agg):
        return (node.seq,) + ((node.pred,) if node.pred is not None else ())
    if isinstance(node, Table):
        return node.conds + node.results
    if isinstance(node, Default):
        out = [node.base]
        for _id, when, value in node.exceptions:
            out += [when, value]
        return tuple(out)
    raise TypeError(f"unknown IR node {type(node).__name__}")
