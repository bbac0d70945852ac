"""Shared subexpressions: every computed value once, as a column of a layer of CTEs.

A value and its missing facts are each read several times by the expressions
above them (a CASE tests `val IS NULL` and returns `val`; `mangler` repeats the
test). Written inline, the SQL grows with every level of nesting (the whole
pack was ~0.6 MB, and nested exceptions grew it exponentially), and the
engine computes each repetition again. Instead the compiler binds each value
outside a lambda to a column (`x:17`) and refers to it by name: the SQL is
linear in the rules, and a value is computed once per case. So is a value
inside a lambda that no element of it reads (expr.Compiler.expr); the lambda
reads its column.

A column is computed in the first layer after all the columns it reads
(level = 1 + the highest level it reads; the input columns are level 0), so
the layers are `SELECT *, <this level's columns> FROM <previous layer>`.
Identical expressions share one column.

A rule's requirement is read only where the rule applies, but a column is
computed for every case. While `guard` names a boolean column (the rule's
condition), a new column is computed only where it is true, `CASE WHEN guard
THEN … END`, and NULL elsewhere, where nothing reads it. Such a column is
shared only under the same guard; an unguarded column is shared by all.
"""

from __future__ import annotations

from sqlglot import exp

from .names import col


def _trivial(e: exp.Expression) -> bool:
    """Cheaper to repeat than to read from a column."""
    if isinstance(e, (exp.Column, exp.Literal, exp.Boolean, exp.Null)):
        return True
    # the empty list of missing facts: CAST([] AS VARCHAR[])
    return isinstance(e, exp.Cast) and isinstance(e.this, exp.Array) and not e.this.expressions


def _key(node):
    """A structural key of an expression: equal exactly for equal trees, and cheaper
    than writing the SQL (which copies the tree first). Not sqlglot's own equality:
    that compares 64-bit hashes only, and a collision would merge two values."""
    if isinstance(node, exp.Expression):
        return (node.key, *((k, _key(v)) for k, v in sorted(node.args.items())
                            if v is not None and v is not False and v != []))
    if isinstance(node, list):
        return tuple(_key(x) for x in node)
    return node


class Binder:
    def __init__(self, base: list[str]):
        self.level = dict.fromkeys(base, 0)
        self.layers: list[list[tuple[str, exp.Expression]]] = []
        self.by_key: dict[tuple, str] = {}
        self.guard: str | None = None

    def bind(self, e: exp.Expression | None, name: str | None = None):
        """A column holding `e` (or `e` itself when trivial and no name is asked for)."""
        if e is None or (name is None and (_trivial(e) or e.find(exp.Column) is None)):
            return e        # constants too: the engine folds them, and date_plus reads them
        key = _key(e)
        if name is None:
            found = self.by_key.get((None, key)) or self.by_key.get((self.guard, key))
            if found is not None:
                return col(found)
            name = f"x:{len(self.by_key) + 1}"
        elif name in self.level:
            raise ValueError(f"column {name!r} bound twice")
        if self.guard is not None:
            e = exp.Case(ifs=[exp.If(this=exp.Is(this=col(self.guard), expression=exp.true()),
                                     true=e)])
        lvl = 1 + max((self.level.get(c.name, 0) for c in e.find_all(exp.Column)), default=0)
        while len(self.layers) < lvl:
            self.layers.append([])
        self.layers[lvl - 1].append((name, e))
        self.level[name] = lvl
        self.by_key.setdefault((self.guard, key), name)
        return col(name)

    def ctes(self, first: str) -> list[tuple[str, exp.Select]]:
        """The layers as (name, SELECT), each over the one before, `first` the input."""
        out, source = [], first
        for i, layer in enumerate(self.layers, start=1):
            name = f"l{i}"
            sel = exp.select(exp.Star(), *(exp.alias_(e, exp.to_identifier(n, quoted=True),
                                                      copy=False) for n, e in layer),
                             copy=False).from_(source, copy=False)
            out.append((name, sel))
            source = name
        return out
