"""The fast module's case validator, generated for the pack's own facts.

`_valider(sag) -> (facts, mask)`: one pass over the case, each fact parsed
once by straight-line code for its type (no walk over type descriptors), and
a bit mask of the facts that are missing or hold a missing field anywhere
(the fast paths test it).

Refusals stay the runtime's, by construction: the generated code only
accepts, inline, the plain valid shapes (a `true`, an ISO date, an amount
text, a record with known keys, …) and hands anything else to the runtime's
validator (`_norm` at that value's JSON path, `normaliser` for the whole
case when it has a key that is not a fact, `_reserverede` for `beskrivelse`
and `beregningsdato`, in the order `normaliser` checks them). The limits are
the runtime's constants (`HELTAL_GRAENSE`, `MAX_TEKST`, …), by name. This is
the case contract of compiler/DESIGN.md; tests/reliability/test_schema_contract.py
holds every backend to it. Those give the same value or
raise the same `SagFejl` (path and message) as for the reference
interpreter, and in the same order: facts in the order of `FAKTA`, list
items in order, record fields in declared order.
"""

from __future__ import annotations

from .emit import literal

# The case contract's limits, by the runtime's own names (runtime/case.py): the generated
# code reads them from the runtime it embeds, so a changed limit changes both alike.
_HELTAL = "HELTAL_GRAENSE"
_BELOEB = "BELOEB_GRAENSE"


def _leaf(typ, v: str) -> list[tuple[str, str]]:
    """(condition, value) pairs that accept the common valid shapes of a leaf inline."""
    kind = typ[0]
    if kind == "sandhedsværdi":
        return [(f"{v} is True or {v} is False", v)]
    if kind == "dato":
        return [(f"{v}.__class__ is str and _DATO.fullmatch({v})", f"_fra_iso({v})")]
    if kind == "heltal":
        return [(f"{v}.__class__ is int and -{_HELTAL} < {v} < {_HELTAL}", v)]
    if kind == "tekst":
        return [(f"{v}.__class__ is str and len({v}) <= MAX_TEKST and "
                 f"({v}.isascii() or not _SURROGAT.search({v}))", v)]
    if kind == "beløb":
        return [(f"{v}.__class__ is int and -{_BELOEB} < {v} < {_BELOEB}", f"{v} * 100"),
                (f"{v}.__class__ is str and _BELOEB.fullmatch({v})", f"_oere({v})")]
    if kind == "decimal":
        return [(f"{v}.__class__ is str and _DECIMAL.fullmatch({v})", f"Decimal({v})"),
                (f"{v}.__class__ is int and -{_HELTAL} < {v} < {_HELTAL}", f"Decimal({v})")]
    return []                   # varighed: rare, the runtime's validator


def _records_list(typ) -> bool:
    return typ[0] == "liste" and typ[1][0] == "post"


class Bits:
    """The mask's layout. Bit i is fact i (in `FAKTA` order): set when the fact, or
    anything in it, is missing. A list of records has more: a bit set when the list
    itself is missing (`lists[name]`), and one per field, set when some item lacks
    that field (`fields[name][field]`), so a rule that reads only an item's `dato`
    takes its fast path though another field is missing in some item."""

    def __init__(self, facts: dict):
        self.whole = {name: 1 << i for i, name in enumerate(facts)}
        self.lists: dict[str, int] = {}
        self.fields: dict[str, dict[str, int]] = {}
        nxt = len(facts)
        for name, typ in facts.items():
            if _records_list(typ):
                self.lists[name] = 1 << nxt
                self.fields[name] = {f: 1 << (nxt + 1 + j) for j, (f, _t) in
                                     enumerate(typ[1][2])}
                nxt += 1 + len(typ[1][2])

    def incomplete(self, name: str) -> int:
        """Every bit of fact `name`: what an incomplete fact of unknown detail sets."""
        m = self.whole[name] | self.lists.get(name, 0)
        for b in self.fields.get(name, {}).values():
            m |= b
        return m


class ValidatorGen:
    def __init__(self):
        self.consts: dict[str, str] = {}      # literal text -> constant name
        self.funcs: dict[tuple, str] = {}     # type descriptor -> function name
        self.out: list[str] = []              # the functions, in the order made

    def const(self, text: str) -> str:
        name = self.consts.get(text)
        if name is None:
            name = self.consts[text] = f"_T{len(self.consts)}"
        return name

    def slot(self, typ, v: str, target: str, path: str, missing: str, incomplete: str,
             typ_expr: str, ind: str) -> list[str]:
        """Statements that parse `v` (the value at JSON path `path`) into `target`."""
        lines = [f"{ind}if {v} is None:", f"{ind}    {target} = {missing}",
                 f"{ind}    {incomplete}"]
        if typ[0] == "dato":
            # Ten characters with the dashes in place: date.fromisoformat then accepts
            # exactly ASCII `ÅÅÅÅ-MM-DD` (no week date has a dash at 7; it checks each
            # digit), i.e. what _DATO matches, less a day the month lacks; anything it
            # refuses (`2024-02-30`, `２０２４-…`) gets the runtime's own message
            lines += [f"{ind}elif {v}.__class__ is str and len({v}) == 10 and "
                      f"{v}[4] == '-' == {v}[7]:",
                      f"{ind}    try:", f"{ind}        {target} = _fra_iso({v})",
                      f"{ind}    except ValueError:",
                      f"{ind}        {target}, ok = _felt({v}, {typ_expr}, {path})",
                      f"{ind}        if not ok:", f"{ind}            {incomplete}"]
        elif typ[0] in ("post", "liste"):
            fn = self.func(typ)
            if typ[0] == "post":
                names = self.const("frozenset(" + literal(tuple(n for n, _ in typ[2])) + ")")
                cond = f"{v}.__class__ is dict and {names}.issuperset({v})"
            else:
                cond = f"{v}.__class__ is list and len({v}) <= MAX_LISTE"
            lines += [f"{ind}elif {cond}:", f"{ind}    {target}, ok = {fn}({v}, {path})",
                      f"{ind}    if not ok:", f"{ind}        {incomplete}"]
        elif typ[0] == "enum":
            allowed = self.const("frozenset(" + literal(tuple(typ[2])) + ")")
            lines += [f"{ind}elif {v}.__class__ is str and {v} in {allowed}:",
                      f"{ind}    {target} = {v}"]
        else:
            for cond, value in _leaf(typ, v):
                lines += [f"{ind}elif {cond}:", f"{ind}    {target} = {value}"]
        lines += [f"{ind}else:", f"{ind}    {target}, ok = _felt({v}, {typ_expr}, {path})",
                  f"{ind}    if not ok:", f"{ind}        {incomplete}"]
        return lines

    def func(self, typ) -> str:
        """A function `(value, path) -> (parsed, complete)` for a record or list type."""
        key = typ
        if key in self.funcs:
            return self.funcs[key]
        name = self.funcs[key] = f"_v{len(self.funcs)}"
        typ_expr = self.const(literal(typ))
        body = [f"def {name}(v, dele):"]
        if typ[0] == "post":
            body.append(f'    """A {typ[1]} record: (the record, whether every field is given)."""')
            body.append("    ok = fuld = True")
            fields = []
            for i, (navn, ftyp) in enumerate(typ[2]):
                var = f"x{i}"
                fields.append(f"{navn!r}: {var}")
                body.append(f"    x = v.get({navn!r})")
                body += self.slot(ftyp, "x", var, f"(*dele, {navn!r})",
                                  f"Ukendt((_rel((*dele, {navn!r})),))", "fuld = False",
                                  self.const(literal(ftyp)), "    ")
            body.append("    return {" + ", ".join(fields) + "}, fuld")
        else:
            body += ['    """A list: (the items as a tuple, whether every item is whole)."""',
                     "    ok = fuld = True", "    out = []", "    for i, x in enumerate(v):",
                     "        if x is None:    # refused with the item's path",
                     f"            return _felt(v, {typ_expr}, dele)"]
            item = self.slot(typ[1], "x", "y", "(*dele, i)", "None", "fuld = False",
                             self.const(literal(typ[1])), "        ")[3:]
            item[0] = item[0].replace("elif", "if", 1)      # items are never None here
            body += item
            body += ["        out.append(y)", "    return tuple(out), fuld"]
        self.out.append("\n".join(body) + "\n")
        return name

    def records_list(self, typ) -> str:
        """A function `(value, path) -> (items, field bits)` for a list of records: each
        item's fields parsed inline, bit j set when some item lacks field j."""
        key = ("bits", typ)
        if key in self.funcs:
            return self.funcs[key]
        name = self.funcs[key] = f"_v{len(self.funcs)}"
        rec = typ[1]
        every = (1 << len(rec[2])) - 1
        names = self.const("frozenset(" + literal(tuple(n for n, _ in rec[2])) + ")")
        body = [f"def {name}(v, dele):",
                f'    """A list of {rec[1]} records: (the items as a tuple, the bits of the '
                'fields some item lacks)."""',
                "    fm = 0", "    out = []", "    for i, x in enumerate(v):",
                "        if x is None:    # refused with the item's path",
                f"            y, ok = _felt(v, {self.const(literal(typ))}, dele)",
                f"            return y, 0 if ok else {every:#x}",
                f"        if x.__class__ is dict and {names}.issuperset(x):"]
        fields = []
        for j, (navn, ftyp) in enumerate(rec[2]):
            var = f"x{j}"
            fields.append(f"{navn!r}: {var}")
            body.append(f"            z = x.get({navn!r})")
            body += self.slot(ftyp, "z", var, f"(*dele, i, {navn!r})",
                              f"Ukendt((_rel((*dele, i, {navn!r})),))", f"fm |= {1 << j:#x}",
                              self.const(literal(ftyp)), "            ")
        body += ["            y = {" + ", ".join(fields) + "}",
                 "        else:",
                 f"            y, ok = _felt(x, {self.const(literal(rec))}, (*dele, i))",
                 "            if not ok:", f"                fm |= {every:#x}",
                 "        out.append(y)", "    return tuple(out), fm"]
        self.out.append("\n".join(body) + "\n")
        return name

    def records_slot(self, navn: str, typ, bits: Bits) -> list[str]:
        """`_valider`'s statements for a list-of-records fact: its bits as `Bits` lays out."""
        whole, lst = bits.whole[navn], bits.lists[navn]
        base = (min(bits.fields[navn].values()).bit_length() - 1)
        every = bits.incomplete(navn)
        fn = self.records_list(typ)
        return ["    if v is None:", f"        f[{navn!r}] = Ukendt(({navn!r},))",
                f"        m |= {whole | lst:#x}",
                "    elif v.__class__ is list and len(v) <= MAX_LISTE:",
                f"        f[{navn!r}], fm = {fn}(v, ({navn!r},))",
                "        if fm:", f"            m |= {whole:#x} | fm << {base}",
                "    else:", f"        f[{navn!r}], ok = _felt(v, FAKTA[{navn!r}], ({navn!r},))",
                "        if not ok:", f"            m |= {every:#x}"]

    def module_text(self, facts: dict) -> str:
        """The validator: constants, record and list functions, then `_valider`."""
        body = ["def _valider(sag):",
                '    """The case\'s facts, parsed, and the bits of the incomplete ones."""',
                "    if sag.__class__ is not dict or not _NOEGLER.issuperset(sag):",
                "        f = normaliser(sag, FAKTA)     # refuses with the runtime's message",
                "        return f, _maske_af(f)",
                "    if 'beregningsdato' in sag or 'beskrivelse' in sag:",
                "        _reserverede(sag)   # the runtime's own check, as normaliser makes it",
                "    f = {}", "    m = 0"]
        bits = Bits(facts)
        for navn, typ in facts.items():
            body.append(f"    v = sag.get({navn!r})")
            if navn in bits.lists and bits.fields[navn]:
                body += self.records_slot(navn, typ, bits)
                continue
            body += self.slot(typ, "v", f"f[{navn!r}]", f"({navn!r},)",
                              f"Ukendt(({navn!r},))", f"m |= {bits.incomplete(navn):#x}",
                              f"FAKTA[{navn!r}]", "    ")
        body.append("    return f, m")
        body.append("")
        body.append("")
        # for a case the runtime's own validator normalised (see _maske_af)
        body.append("_UFULD = (" + "".join(f"{bits.incomplete(n):#x}, " for n in facts) + ")")
        consts = "".join(f"{name} = {text}\n" for text, name in self.consts.items())
        return (consts + "_NOEGLER = frozenset(FAKTA) | frozenset(RESERVEREDE)\n"

                "_fra_iso = _dt.date.fromisoformat\n\n\n"
                + "\n\n".join(self.out) + ("\n\n" if self.out else "") + "\n".join(body) + "\n")
