"""The case: validation and normalisation of the JSON a caller passes in
(`SagFejl` with the JSON path), and the calculation date.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import _CTX, _dt, _re, Decimal, MAX_LISTE, Ukendt, Varighed

# --- PART ---
# --- the case: validation and normalisation ---

class SagFejl(ValueError):
    """A malformed case. `sti` is the JSON path of the problem."""

    def __init__(self, sti, besked):
        super().__init__(f"{sti}: {besked}")
        self.sti = sti
        self.besked = besked


_DECIMAL = _re.compile(r"-?\d{1,30}(\.\d{1,20})?")
_BELOEB = _re.compile(r"-?\d{1,15}(\.\d{1,2})?")
_DATO = _re.compile(r"\d{4}-\d{2}-\d{2}")
_SURROGAT = _re.compile("[\ud800-\udfff]")
RESERVEREDE = ("beregningsdato", "beskrivelse")


def _sti(dele):
    """A JSON path from its parts (names and indexes), made only when reporting."""
    out = "$"
    for d in dele:
        if d.__class__ is int:
            out += f"[{d}]"
        elif _re.fullmatch(r"[^\W\d]\w*", d):
            out += f".{d}"
        else:
            # escaped, so a key holding `"]` can't make the path mean another one
            out += '["' + d.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return out


def _rel(dele):
    """The path as the report names a missing fact: `samtaler[0].dato`."""
    return _sti(dele)[2:]


def _fejl_type(dele, forventet, value):
    if isinstance(value, float):
        raise SagFejl(_sti(dele), f"forventede {forventet}; kommatal er ikke tilladt, "
                      "skriv fx \"1.50\"")
    if isinstance(value, int) and not -10 ** 60 < value < 10 ** 60:
        # repr() of an int past 4300 digits raises ValueError; and it's unreadable anyway.
        shown = "et tal med over 60 cifre"
    else:
        shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    raise SagFejl(_sti(dele), f"forventede {forventet}, fik {shown[:60]}")


def _dato(value, dele):
    if value.__class__ is _dt.date:
        return value
    if isinstance(value, str) and _DATO.fullmatch(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise SagFejl(_sti(dele), f"{value} er ikke en gyldig dato") from None
    _fejl_type(dele, "en dato ÅÅÅÅ-MM-DD", value)


def _er_heltal(value, graense):
    return value.__class__ is int and -graense < value < graense


def _norm(value, typ, dele):
    kind = typ[0]
    if kind == "dato":
        return _dato(value, dele)
    if kind == "sandhedsværdi":
        if value is True or value is False:
            return value
        _fejl_type(dele, "true eller false", value)
    if kind == "enum":
        if value.__class__ is str and value in typ[2]:
            return value
        if isinstance(value, str):
            raise SagFejl(_sti(dele), f"`{value[:60]}` er ikke en tilladt værdi for {typ[1]}; "
                          f"forventede en af: {', '.join(typ[2])}")
        _fejl_type(dele, f"en af: {', '.join(typ[2])}", value)
    if kind == "post":
        if not isinstance(value, dict):
            _fejl_type(dele, f"et objekt ({typ[1]})", value)
        felter = typ[2]
        for key in value:
            if not any(key == f[0] for f in felter):
                raise SagFejl(_sti((*dele, str(key))), f"{typ[1]} har ikke feltet `{key}`; "
                              f"felterne er: {', '.join(f[0] for f in felter)}")
        out = {}
        for navn, ftyp in felter:
            v = value.get(navn)
            out[navn] = (Ukendt((_rel((*dele, navn)),)) if v is None
                         else _norm(v, ftyp, (*dele, navn)))
        return out
    if kind == "liste":
        if not isinstance(value, (list, tuple)):
            _fejl_type(dele, "en liste", value)
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
        if _er_heltal(value, 10 ** 18):
            return value
        _fejl_type(dele, "et heltal", value)
    if kind == "beløb":
        if _er_heltal(value, 10 ** 15):
            return value * 100
        if isinstance(value, str) and _BELOEB.fullmatch(value):
            return int(_CTX.multiply(Decimal(value), 100))
        # A Decimal (json.load(..., parse_float=Decimal)) gets the text form's limit of
        # 15 digits before the point; quantize would raise on one past 40 digits.
        if isinstance(value, Decimal) and value.is_finite() and value.adjusted() < 15 and (
                value == value.quantize(Decimal("0.01"), context=_CTX)):
            return int(_CTX.multiply(value, 100))
        _fejl_type(dele, 'et beløb i kroner som tekst med højst 2 decimaler, fx "12326.50"',
                   value)
    if kind == "decimal":
        if _er_heltal(value, 10 ** 18):
            return Decimal(value)
        if isinstance(value, Decimal) and value.is_finite() and value.adjusted() < 30:
            return value
        if isinstance(value, str) and _DECIMAL.fullmatch(value):
            return Decimal(value)
        _fejl_type(dele, 'et decimaltal som tekst, fx "1.5"', value)
    if kind == "varighed":
        if isinstance(value, Varighed):
            return value
        if isinstance(value, dict) and set(value) <= {"måneder", "dage"}:
            m, d = value.get("måneder", 0), value.get("dage", 0)
            for part, n in (("måneder", m), ("dage", d)):
                if not _er_heltal(n, 10 ** 6):
                    _fejl_type((*dele, part), "et heltal", n)
            return Varighed(m, d)
        _fejl_type(dele, 'en varighed {"måneder": n, "dage": n}', value)
    if kind == "tekst":
        if isinstance(value, str) and len(value) <= 100_000:
            if not _SURROGAT.search(value):
                return value
            # JSON's "\ud800" escape gives one; it can't be written as UTF-8, so the
            # report holding it could not be printed or saved
            raise SagFejl(_sti(dele), "teksten indeholder en enlig surrogat (\\ud800-\\udfff), "
                          "som ikke er gyldig Unicode-tekst")
        _fejl_type(dele, "en tekst", value)
    raise SagFejl(_sti(dele), f"ukendt type {kind}")


def normaliser(sag, fakta):
    """Validate a case against the fact types; missing facts become Ukendt."""
    if not isinstance(sag, dict):
        raise SagFejl("$", "en sag skal være et JSON-objekt")
    for key in sag:
        if key not in fakta and key not in RESERVEREDE:
            import difflib
            close = difflib.get_close_matches(str(key), list(fakta), n=1)
            hint = f" (mente du `{close[0]}`?)" if close else ""
            raise SagFejl(_sti((str(key),)), f"ukendt faktum `{key}`{hint}")
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
            if value.__class__ is int and -10 ** 18 < value < 10 ** 18:
                return value
            return _norm(value, typ, (*dele, key))
        return parse
    if kind == "tekst":
        def parse(value, dele, key):
            if value.__class__ is str and len(value) <= 100_000 and (
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


def beregningsdato(sag, dato):
    if dato is not None:
        try:
            return _dato(dato, ())
        except SagFejl as exc:
            raise SagFejl("dato", exc.besked) from None
    if isinstance(sag, dict) and sag.get("beregningsdato") is not None:
        return _dato(sag["beregningsdato"], ("beregningsdato",))
    return _dt.date.today()


# --- END PART ---
