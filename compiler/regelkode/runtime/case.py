"""The case: validation and normalisation of the JSON a caller passes in
(`SagFejl` with the JSON path), and the calculation date.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import _CTX, _dt, _re, Decimal, MAX_LISTE, Ukendt, Varighed

# --- PART ---
# --- the case: validation and normalisation ---

# The contract a case meets, defined once. The module checks it here; the schema
# backend writes the same limits and text forms into `sag.schema.json`; every
# other backend's validator (the fast Python one, JavaScript, SQL) must refuse
# exactly what this refuses, at the same path with the same message (see
# compiler/DESIGN.md, "The case contract", and tests/reliability/test_schema_contract.py).
# JSON's number model holds everywhere: a number without a fractional part is
# that integer, however it is written (3, 3.0, 3E0; -0.0 is 0).
MAX_TEKST = 100_000          # characters (code points) in a text
HELTAL_GRAENSE = 10 ** 18    # |heltal| < this; also a decimal written as a JSON number
BELOEB_GRAENSE = 10 ** 15    # |kroner| < this
VARIGHED_GRAENSE = 10 ** 6   # |måneder| and |dage| of a varighed < this
DECIMAL_CIFRE = (30, 20)     # a decimal as text: digits before and after the point
BELOEB_DECIMALER = 2         # an amount as text: digits after the point (øre)
VIS_HOEJST = 80              # characters of a refused value or key a message repeats


def _cifre(graense):
    """The digits a number below the power of ten `graense` has at most."""
    return len(str(graense)) - 1


# The text forms as regular-expression bodies, ASCII digits only (`\d` also takes
# Arabic-Indic and full-width digits). The module fullmatches them; the schema
# anchors them so that neither Python's re.search nor ECMA takes a trailing newline.
MOENSTER_DATO = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
MOENSTER_BELOEB = (f"-?[0-9]{{1,{_cifre(BELOEB_GRAENSE)}}}"
                   f"(\\.[0-9]{{1,{BELOEB_DECIMALER}}})?")
MOENSTER_DECIMAL = f"-?[0-9]{{1,{DECIMAL_CIFRE[0]}}}(\\.[0-9]{{1,{DECIMAL_CIFRE[1]}}})?"

# What a refusal says a place expects, per type: one wording for every backend.
FORVENTET = {
    "sandhedsværdi": "true eller false",
    "heltal": f"et heltal med højst {_cifre(HELTAL_GRAENSE)} cifre",
    "beløb": (f"et beløb i kroner: et heltal med højst {_cifre(BELOEB_GRAENSE)} cifre, eller en "
              f"tekst med højst {BELOEB_DECIMALER} decimaler efter punktum, fx \"12326.50\""),
    "decimal": (f"et decimaltal: et heltal med højst {_cifre(HELTAL_GRAENSE)} cifre, eller en "
                f"tekst med højst {DECIMAL_CIFRE[0]} cifre før og {DECIMAL_CIFRE[1]} efter "
                "punktum, fx \"1.5\""),
    "dato": "en dato ÅÅÅÅ-MM-DD",
    "varighed": 'en varighed {"måneder": n, "dage": n}',
    "varighedsdel": f"et heltal med højst {_cifre(VARIGHED_GRAENSE)} cifre",
    "tekst": "en tekst",
    "liste": "en liste",
}
# A number with a fraction, where a number is refused: advice only where the
# type has a form that takes it (a yes/no, a date or an integer has none).
KOMMATAL_RAAD = {
    "beløb": "kommatal er ikke tilladt i JSON; skriv beløbet som tekst, fx \"1.50\"",
    "decimal": "kommatal er ikke tilladt i JSON; skriv tallet som tekst, fx \"1.5\"",
}


class SagFejl(ValueError):
    """A malformed case. `sti` is the JSON path of the problem."""

    def __init__(self, sti, besked):
        super().__init__(f"{sti}: {besked}")
        self.sti = sti
        self.besked = besked


_DECIMAL = _re.compile(MOENSTER_DECIMAL)
_BELOEB = _re.compile(MOENSTER_BELOEB)
_DATO = _re.compile(MOENSTER_DATO)
_SURROGAT = _re.compile("[\ud800-\udfff]")
_NAVN = _re.compile(r"[^\W\d]\w*")
# `$schema` lets an editor check a case against the generated sag.schema.json.
RESERVEREDE = ("beregningsdato", "beskrivelse", "$schema")


_KORTE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(tekst, quote):
    """`tekst` with the quote, backslashes, control characters and lone surrogates escaped
    as in JSON, so a message or path holding it is always valid text (UTF-8 can't hold
    a lone surrogate) and says where it ends."""
    if tekst.isascii() and tekst.isprintable() and quote not in tekst and "\\" not in tekst:
        return tekst
    out = []
    for ch in tekst:
        o = ord(ch)
        if ch == quote or ch == "\\":
            out.append("\\" + ch)
        elif ch in _KORTE:
            out.append(_KORTE[ch])
        elif o < 0x20 or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000 or o in (0x2028, 0x2029):
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _tusinder(n):
    """12345 as Danish text: 12.345."""
    return f"{n:,}".replace(",", ".")


def _citer(tekst, quote='"'):
    """A text as a message repeats it: quoted, escaped, cut after VIS_HOEJST characters."""
    if len(tekst) <= VIS_HOEJST:
        return quote + _escape(tekst, quote) + quote
    return (f"{quote}{_escape(tekst[:VIS_HOEJST], quote)}…{quote} "
            f"({_tusinder(len(tekst))} tegn)")


def _vis(value):
    """A refused value as a message shows it: JSON's words, short, always valid text."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    cls = value.__class__
    if cls is str:
        return _citer(value)
    if cls is int:
        # str() of an int past 4300 digits raises ValueError; and it's unreadable anyway.
        return str(value) if -10 ** 60 < value < 10 ** 60 else "et tal med over 60 cifre"
    if cls is float:
        return repr(value) if value == value and abs(value) != float("inf") else (
            "NaN" if value != value else ("-" if value < 0 else "") + "Infinity")
    if isinstance(value, dict):
        return "et objekt"
    if isinstance(value, (list, tuple)):
        return "en liste"
    if cls is Decimal:          # json.load(..., parse_float=Decimal): a number, unquoted
        text = str(value)
        return text if len(text) <= VIS_HOEJST else text[:VIS_HOEJST] + "…"
    return type(value).__name__


def _sti(dele):
    """A JSON path from its parts (names and indexes), made only when reporting."""
    out = "$"
    for d in dele:
        if d.__class__ is int:
            out += f"[{d}]"
        elif _NAVN.fullmatch(d):
            out += f".{d}"
        else:
            # escaped, so a key holding `"]` can't make the path mean another one
            out += '["' + _escape(d, '"') + '"]'
    return out


def _rel(dele):
    """The path as the report names a missing fact: `samtaler[0].dato`."""
    return _sti(dele)[2:]


def _fejl_type(dele, kind, value):
    """Refuse `value` at `dele` where a `kind` (a key of FORVENTET, or its words) was due."""
    forventet = FORVENTET.get(kind, kind)
    besked = f"forventede {forventet}, fik {_vis(value)}"
    if value.__class__ is float and kind in KOMMATAL_RAAD:
        besked += "; " + KOMMATAL_RAAD[kind]
    raise SagFejl(_sti(dele), besked)


def _dato(value, dele):
    if value.__class__ is _dt.date:
        return value
    if isinstance(value, str) and _DATO.fullmatch(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise SagFejl(_sti(dele), f"{value} er ikke en gyldig dato") from None
    _fejl_type(dele, "dato", value)


def _hel(value, graense):
    """`value` as an int if it is a whole number below `graense` in size, else None.

    JSON's number model: 3.0, 1E2 and -0.0 are the integers 3, 100 and 0 (as they
    are to JSON Schema and JavaScript), so a float or Decimal without a fraction
    counts; true and false are not numbers.
    """
    cls = value.__class__
    if cls is int:
        return value if -graense < value < graense else None
    if cls is float:
        # NaN and infinities fail the comparison
        return int(value) if -graense < value < graense and value.is_integer() else None
    if cls is Decimal and value.is_finite() and -graense < value < graense and (
            value == value.to_integral_value(context=_CTX)):
        return int(value)
    return None


def _norm(value, typ, dele):
    kind = typ[0]
    if kind == "dato":
        return _dato(value, dele)
    if kind == "sandhedsværdi":
        if value is True or value is False:
            return value
        _fejl_type(dele, kind, value)
    if kind == "enum":
        if value.__class__ is str and value in typ[2]:
            return value
        if isinstance(value, str):
            raise SagFejl(_sti(dele), f"{_citer(value)} er ikke en tilladt værdi for {typ[1]}; "
                          f"forventede en af: {', '.join(typ[2])}")
        _fejl_type(dele, f"en af: {', '.join(typ[2])}", value)
    if kind == "post":
        if not isinstance(value, dict):
            _fejl_type(dele, f"et objekt ({typ[1]})", value)
        felter = typ[2]
        for key in value:
            if not any(key == f[0] for f in felter):
                raise SagFejl(_sti((*dele, str(key))),
                              f"{typ[1]} har ikke feltet {_citer(str(key), '`')}; "
                              f"felterne er: {', '.join(f[0] for f in felter)}")
        out = {}
        for navn, ftyp in felter:
            v = value.get(navn)
            out[navn] = (Ukendt((_rel((*dele, navn)),)) if v is None
                         else _norm(v, ftyp, (*dele, navn)))
        return out
    if kind == "liste":
        if not isinstance(value, (list, tuple)):
            _fejl_type(dele, kind, value)
        if len(value) > MAX_LISTE:
            raise SagFejl(_sti(dele), f"listen har {len(value)} elementer; højst {MAX_LISTE} "
                          "er tilladt")
        inner = typ[1]
        out = []
        for i, item in enumerate(value):
            if item is None:
                raise SagFejl(_sti((*dele, i)), "et element i en liste må ikke være null")
            out.append(_norm(item, inner, (*dele, i)))
        return tuple(out)
    if kind == "heltal":
        n = _hel(value, HELTAL_GRAENSE)
        if n is not None:
            return n
        _fejl_type(dele, kind, value)
    if kind == "beløb":
        n = _hel(value, BELOEB_GRAENSE)
        if n is not None:
            return n * 100
        if isinstance(value, str) and _BELOEB.fullmatch(value):
            return int(_CTX.multiply(Decimal(value), 100))
        # A Decimal (json.load(..., parse_float=Decimal)) gets the text form's limit of
        # digits before the point; quantize would raise on one past 40 digits.
        if isinstance(value, Decimal) and value.is_finite() and (
                value.adjusted() < _cifre(BELOEB_GRAENSE)) and (
                value == value.quantize(Decimal(1).scaleb(-BELOEB_DECIMALER), context=_CTX)):
            return int(_CTX.multiply(value, 100))
        _fejl_type(dele, kind, value)
    if kind == "decimal":
        n = _hel(value, HELTAL_GRAENSE)
        if n is not None:
            return Decimal(n)
        if isinstance(value, Decimal) and value.is_finite() and (
                value.adjusted() < DECIMAL_CIFRE[0]):
            return value
        if isinstance(value, str) and _DECIMAL.fullmatch(value):
            return Decimal(value)
        _fejl_type(dele, kind, value)
    if kind == "varighed":
        if isinstance(value, Varighed):
            return value
        if not isinstance(value, dict):
            _fejl_type(dele, kind, value)
        for key in value:
            if key != "måneder" and key != "dage":
                raise SagFejl(_sti((*dele, str(key))),
                              f"en varighed har kun felterne `måneder` og `dage`, ikke "
                              f"{_citer(str(key), '`')}")
        dele_ = []
        for part in ("måneder", "dage"):
            n = _hel(value.get(part, 0), VARIGHED_GRAENSE)
            if n is None:
                _fejl_type((*dele, part), "varighedsdel", value[part])
            dele_.append(n)
        return Varighed(*dele_)
    if kind == "tekst":
        if isinstance(value, str):
            if len(value) > MAX_TEKST:
                raise SagFejl(_sti(dele), f"teksten har {_tusinder(len(value))} tegn; højst "
                              f"{_tusinder(MAX_TEKST)} er tilladt")
            if not _SURROGAT.search(value):
                return value
            # JSON's "\ud800" escape gives one; it can't be written as UTF-8, so the
            # report holding it could not be printed or saved
            raise SagFejl(_sti(dele), "teksten indeholder en enlig surrogat (\\ud800-\\udfff), "
                          "som ikke er gyldig Unicode-tekst")
        _fejl_type(dele, kind, value)
    raise SagFejl(_sti(dele), f"ukendt type {kind}")


def normaliser(sag, fakta):
    """Validate a case against the fact types; missing facts become Ukendt.

    The reserved keys are checked too, whatever `evaluate` is given as `dato`:
    `beregningsdato` is a date (null is refused: leave it out to judge on
    today's date), `beskrivelse` a text.
    """
    if not isinstance(sag, dict):
        raise SagFejl("$", f"en sag skal være et JSON-objekt, fik {_vis(sag)}")
    for key in sag:
        if key not in fakta and key not in RESERVEREDE:
            navn = str(key)
            import difflib
            close = difflib.get_close_matches(navn[:VIS_HOEJST], list(fakta), n=1)
            hint = f" (mente du `{close[0]}`?)" if close else ""
            raise SagFejl(_sti((navn,)), f"ukendt faktum {_citer(navn, '`')}{hint}")
    _reserverede(sag)
    out = {}
    for navn, parse in _parsere(fakta):
        v = sag.get(navn)
        out[navn] = Ukendt((navn,)) if v is None else parse(v, (), navn)
    return out


# Validation is the larger part of evaluating a case, so each type descriptor is
# turned once into a parser function `parse(value, dele, key)` for the value at
# the path (*dele, key). A parser only handles the common, valid shapes itself
# and hands anything else to `_norm`, which gives the result or the SagFejl:
# so the outcome is by construction the same as `_norm(value, typ, (*dele, key))`.

def _parser(typ):
    kind = typ[0]

    def fallback(value, dele, key):
        return _norm(value, typ, (*dele, key))

    if kind == "dato":
        def parse(value, dele, key):
            if value.__class__ is str and _DATO.fullmatch(value):
                try:
                    return _dt.date.fromisoformat(value)
                except ValueError:
                    pass
            return _norm(value, typ, (*dele, key))
        return parse
    if kind == "sandhedsværdi":
        def parse(value, dele, key):
            if value is True or value is False:
                return value
            return _norm(value, typ, (*dele, key))
        return parse
    if kind == "enum":
        tilladt = frozenset(typ[2])

        def parse(value, dele, key):
            if value.__class__ is str and value in tilladt:
                return value
            return _norm(value, typ, (*dele, key))
        return parse
    if kind == "heltal":
        def parse(value, dele, key):
            if value.__class__ is int and -HELTAL_GRAENSE < value < HELTAL_GRAENSE:
                return value
            return _norm(value, typ, (*dele, key))
        return parse
    if kind == "tekst":
        def parse(value, dele, key):
            if value.__class__ is str and len(value) <= MAX_TEKST and (
                    value.isascii() or not _SURROGAT.search(value)):
                return value
            return _norm(value, typ, (*dele, key))
        return parse
    if kind == "post":
        felter = tuple((navn, _parser(ftyp)) for navn, ftyp in typ[2])
        navne = frozenset(navn for navn, _ in felter)

        def parse(value, dele, key):
            if value.__class__ is not dict or not navne.issuperset(value):
                return _norm(value, typ, (*dele, key))      # not a plain record: refused
            sti = (*dele, key)
            out = {}
            for navn, p in felter:
                v = value.get(navn)
                out[navn] = Ukendt((_rel((*sti, navn)),)) if v is None else p(v, sti, navn)
            return out
        return parse
    if kind == "liste":
        inner = _parser(typ[1])

        def parse(value, dele, key):
            if (value.__class__ is not list and value.__class__ is not tuple) or \
                    len(value) > MAX_LISTE:
                return _norm(value, typ, (*dele, key))
            sti = (*dele, key)
            out = []
            for i, item in enumerate(value):
                if item is None:
                    return _norm(value, typ, sti)      # refused, with the item's path
                out.append(inner(item, sti, i))
            return tuple(out)
        return parse
    return fallback                     # beløb, decimal, varighed: few per case


_PARSERE = {}


def _parsere(fakta):
    """((name, parser), ...) for a fact table; built once per table (tables are constants)."""
    entry = _PARSERE.get(id(fakta))
    if entry is None or entry[0] is not fakta or entry[1] != len(fakta):
        if len(_PARSERE) > 100:
            _PARSERE.clear()
        entry = (fakta, len(fakta), tuple((navn, _parser(typ)) for navn, typ in fakta.items()))
        _PARSERE[id(fakta)] = entry
    return entry[2]


def _reserverede(sag):
    """Check the reserved keys of a case (a dict whose other keys are all facts).

    A specialised validator that takes the facts itself calls this first, as
    `normaliser` does, so the same case is refused at the same path.
    """
    if "beregningsdato" in sag:
        _egen_dato(sag)
    if "beskrivelse" in sag:
        _norm(sag["beskrivelse"], ("tekst",), ("beskrivelse",))
    if "$schema" in sag:
        # an editor's address for sag.schema.json: a text like any other, as the schema says
        _norm(sag["$schema"], ("tekst",), ("$schema",))


def _egen_dato(sag):
    value = sag["beregningsdato"]
    if value is None:
        raise SagFejl("$.beregningsdato", f"forventede {FORVENTET['dato']}, fik null; udelad "
                      "beregningsdato for at bedømme sagen på dagens dato")
    return _dato(value, ("beregningsdato",))


def beregningsdato(sag, dato):
    """The date a case is judged on: `dato` if given, else the case's, else today.

    The case's own `beregningsdato` is checked even when `dato` is given (and
    `normaliser` has checked it already): a malformed fact is refused whatever
    else is passed.
    """
    egen = _egen_dato(sag) if isinstance(sag, dict) and "beregningsdato" in sag else None
    if dato is not None:
        try:
            return _dato(dato, ())
        except SagFejl as exc:
            raise SagFejl("dato", exc.besked) from None
    return egen if egen is not None else _dt.date.today()


# --- END PART ---
