"""The fast module's JSON for facts and definitions, generated per type.

`til_json` (runtime/present.py) walks a value and its type descriptor at
every level: for a list of 18 conversations with 5 fields that is ~110
calls per report. Here each type becomes one expression (a list
comprehension of dict displays, `isoformat()` for dates, `_beloeb_json`
for money) that writes the same JSON. It is only used on a value known to
hold no `ukendt` anywhere: a complete fact (its bit clear in the
validator's mask) or a known scalar definition; everything else still goes
through `til_json`, so the unknown's JSON has one definition.
"""

from __future__ import annotations

_SCALAR = ("sandhedsværdi", "heltal", "tekst", "enum", "dato", "beløb", "decimal", "varighed")


def json_expr(typ, v: str, depth: int = 0) -> str:
    """Python text computing til_json(<v>, typ) for a value with no unknown in it."""
    kind = typ[0]
    if kind == "beløb":
        return f"_beloeb_json({v})"
    if kind == "decimal":
        return f"_decimal_tekst({v}, '.')"
    if kind == "dato":
        return f"{v}.isoformat()"
    if kind == "varighed":
        return f"{{'måneder': {v}.maaneder, 'dage': {v}.dage}}"
    if kind == "liste":
        x = f"x{depth}"
        inner = json_expr(typ[1], x, depth + 1)
        return f"list({v})" if inner == x else f"[{inner} for {x} in {v}]"
    if kind == "post":
        return "{" + ", ".join(f"{navn!r}: {json_expr(ftyp, f'{v}[{navn!r}]', depth)}"
                               for navn, ftyp in typ[2]) + "}"
    return v            # sandhedsværdi, heltal, tekst, enum: the value itself


class JsonGen:
    """One function per distinct JSON form (dates share one, booleans, numbers and enums
    another); `fn(typ)` is its name."""

    def __init__(self):
        self.funcs: dict = {}
        self.out: list[str] = []

    def fn(self, typ) -> str:
        body = json_expr(typ, "v")
        name = self.funcs.get(body)
        if name is None:
            name = self.funcs[body] = f"_j{len(self.funcs)}"
            self.out.append(f"def {name}(v):\n    return {body}\n")
        return name

    def module_text(self, facts: dict, explained: tuple, defs: list) -> str:
        """`_FAKTA_JSON` (the facts some rule explains: bit, function), `_FORKLAREDE_FAKTA`
        (those facts in the pack's order) and `_DEFINITION_JSON` (name -> function,
        for the scalar ones)."""
        bits = {name: i for i, name in enumerate(facts)}
        fakta = [f"    {n!r}: ({1 << bits[n]:#x}, {self.fn(facts[n])}),\n" for n in explained]
        # lists and records of a definition may hold an unknown inside: til_json's
        defs_text = [f"    {d.name!r}: {self.fn(d.desc)},\n" for d in defs
                     if d.desc[0] in _SCALAR]
        return ("\n\n".join(self.out) + "\n\n_FAKTA_JSON = {\n" + "".join(fakta) + "}\n"
                + "_FORKLAREDE_FAKTA = (" + "".join(f"{n!r}, " for n in explained) + ")\n"
                + "_DEFINITION_JSON = {\n" + "".join(defs_text) + "}\n")
