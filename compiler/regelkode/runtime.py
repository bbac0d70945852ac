"""Regelkode runtime: values, primitive operations, case validation, reports.

Standard library only. This file is copied verbatim into every generated
module (between the BEGIN/END markers) and imported by the reference
interpreter, so both back ends share one definition of dates, money and
`Ukendt`. Every `op_*` is total: for any arguments of its types it returns a
value and never raises; what cannot be computed is an `Ukendt` saying why.
"""

# --- BEGIN RUNTIME ---
import calendar as _calendar
import datetime as _dt
import re as _re
from bisect import bisect_right as _bisect_right
from decimal import ROUND_HALF_UP as _HALF_UP
from decimal import Context as _Context
from decimal import Decimal

# A private context: a caller's decimal settings never change our results.
_CTX = _Context(prec=40, rounding=_HALF_UP)

STATUSER = ("opfyldt", "brud", "opmærksomhed", "ikke_relevant", "ukendt", "konflikt")
MAX_LISTE = 10_000


class Ukendt:
    """An undetermined value: which facts are missing, and why else.

    It has no truth value on purpose: using it as a bool is a bug, and
    raises instead of silently counting as false.
    """

    __slots__ = ("mangler", "grunde", "konflikter")

    def __init__(self, mangler=frozenset(), grunde=(), konflikter=()):
        self.mangler = frozenset(mangler)
        self.grunde = tuple(grunde)
        self.konflikter = tuple(konflikter)

    def __bool__(self):
        raise TypeError("Ukendt har ingen sandhedsværdi")

    def __repr__(self):
        return f"Ukendt(mangler={sorted(self.mangler)!r}, grunde={list(self.grunde)!r})"


def _flet(*values):
    """Merge the Ukendt among `values` into one.

    When only one of them is an Ukendt, that one is the result as it is: no
    Ukendt repeats a reason or a conflict (each is made with at most one, or
    here, where repeats are dropped), so merging it alone would only copy it.
    Most merges are of that kind (`sand og ukendt`, `x < ukendt`).
    """
    n = len(values)
    if n == 2:
        a, b = values
        if a.__class__ is Ukendt:
            if b.__class__ is not Ukendt or b is a:
                return a
        elif b.__class__ is Ukendt:
            return b
    elif n == 1 and values[0].__class__ is Ukendt:
        return values[0]
    mangler, grunde, konflikter = set(), [], []
    for v in values:
        if v.__class__ is Ukendt:
            mangler |= v.mangler
            grunde.extend(g for g in v.grunde if g not in grunde)
            konflikter.extend(k for k in v.konflikter if k not in konflikter)
    return Ukendt(mangler, grunde, konflikter)


class Varighed:
    """A duration: whole months (år = 12) and whole days (uge = 7)."""

    __slots__ = ("maaneder", "dage")

    def __init__(self, maaneder=0, dage=0):
        self.maaneder = maaneder
        self.dage = dage

    def _key(self):
        return (self.maaneder, self.dage)

    def __eq__(self, other):
        return isinstance(other, Varighed) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()

    def __add__(self, other):
        return Varighed(self.maaneder + other.maaneder, self.dage + other.dage)

    def __repr__(self):
        return f"Varighed({self.maaneder}, {self.dage})"


# --- logic (three-valued: False decides `og`, True decides `eller`) ---

def op_og(a, b):
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return _flet(a, b)


def op_eller(a, b):
    if a is True or b is True:
        return True
    if a is False and b is False:
        return False
    return _flet(a, b)


def op_ikke(a):
    if a.__class__ is Ukendt:
        return a
    return not a


def op_hvis(c, a, b):
    if c is True:
        return a
    if c is False:
        return b
    if a.__class__ is not Ukendt and b.__class__ is not Ukendt and _lige(a, b):
        return a
    return c


def op_er_kendt(a):
    return a.__class__ is not Ukendt


def op_er_ukendt(a):
    return a.__class__ is Ukendt


# --- comparison ---

def _lige(a, b):
    return a == b and (a.__class__ is not bool) == (b.__class__ is not bool)


def op_lig(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return _lige(a, b)


def op_forskellig(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return not _lige(a, b)


def op_mindre(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return a < b


def op_mindre_lig(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return a <= b


def op_stoerre(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return a > b


def op_stoerre_lig(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return a >= b


def op_i(x, seq):
    if x.__class__ is Ukendt or seq.__class__ is Ukendt:
        return _flet(x, seq)
    unknown = [e for e in seq if e.__class__ is Ukendt]
    if any(_lige(x, e) for e in seq if e.__class__ is not Ukendt):
        return True
    return _flet(*unknown) if unknown else False


# --- arithmetic (int stays int; Decimal through our own context; money is int øre) ---

# A result of 40 digits or more is not computed but unknown: the decimal
# context holds 40 digits (more would be rounded silently, or raise when
# rounded to øre), and a chain of products would otherwise grow without end.
MAX_CIFRE = 40
_GRAENSE = 10 ** MAX_CIFRE
_FOR_STORT = f"tallet har {MAX_CIFRE} cifre eller flere og kan ikke regnes eksakt"


def _tal(x):
    """`x`, or Ukendt if it is too large to compute with exactly."""
    cls = x.__class__
    if cls is int:
        if -_GRAENSE < x < _GRAENSE:
            return x
    elif cls is Decimal:
        if x.is_finite() and (not x or x.adjusted() < MAX_CIFRE):
            return x
    elif cls is Varighed:
        if -_GRAENSE < x.maaneder < _GRAENSE and -_GRAENSE < x.dage < _GRAENSE:
            return x
    else:
        return x
    return Ukendt(grunde=(_FOR_STORT,))


def _plus(a, b):
    if a.__class__ is int and b.__class__ is int:
        return _tal(a + b)
    if a.__class__ is Varighed:
        return _tal(a + b)
    return _tal(_CTX.add(Decimal(a), Decimal(b)))


def op_plus(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return _plus(a, b)


def op_minus(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    if a.__class__ is int and b.__class__ is int:
        return _tal(a - b)
    if a.__class__ is Varighed:
        return _tal(Varighed(a.maaneder - b.maaneder, a.dage - b.dage))
    return _tal(_CTX.subtract(Decimal(a), Decimal(b)))


def op_neg(a):
    if a.__class__ is Ukendt:
        return a
    if a.__class__ is Varighed:
        return Varighed(-a.maaneder, -a.dage)
    return -a if a.__class__ is int else _CTX.minus(a)


def op_gange(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    a, b = _tal(a), _tal(b)
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    if a.__class__ is int and b.__class__ is int:
        return _tal(a * b)
    return _tal(_CTX.multiply(Decimal(a), Decimal(b)))


def _divider(a, b):
    """a / b in our context; Ukendt when the quotient is too large (a tiny divisor)."""
    a, b = _tal(a), _tal(b)
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    try:
        return _tal(_CTX.divide(Decimal(a), Decimal(b)))
    except ArithmeticError:     # decimal.Overflow: beyond the context's exponent range
        return Ukendt(grunde=(_FOR_STORT,))


def op_divider(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    if b == 0:
        return Ukendt(grunde=("division med nul",))
    return _divider(a, b)


def _til_oere(x):
    """A Decimal amount of øre (or Ukendt) rounded to whole øre, half away from zero."""
    if x.__class__ is Ukendt:
        return x
    return _tal(int(x.quantize(Decimal(1), rounding=_HALF_UP, context=_CTX)))


def op_beloeb_gange(oere, tal):
    """Money times a number, rounded to the nearest øre, half away from zero."""
    if oere.__class__ is Ukendt or tal.__class__ is Ukendt:
        return _flet(oere, tal)
    if tal.__class__ is int:
        return _tal(oere * tal)
    return _til_oere(op_gange(oere, tal))


def op_beloeb_divider(oere, tal):
    if oere.__class__ is Ukendt or tal.__class__ is Ukendt:
        return _flet(oere, tal)
    if tal == 0:
        return Ukendt(grunde=("division med nul",))
    return _til_oere(_divider(oere, tal))


def op_beloeb_forhold(a, b):
    """Money divided by money: a plain decimal."""
    return op_divider(a, b)


def op_afrund_kroner(oere):
    if oere.__class__ is Ukendt:
        return oere
    kroner = _til_oere(_divider(oere, 100))
    return kroner if kroner.__class__ is Ukendt else _tal(kroner * 100)


def op_varighed_gange(v, n):
    if v.__class__ is Ukendt or n.__class__ is Ukendt:
        return _flet(v, n)
    if v.__class__ is not Varighed:
        v, n = n, v
    return _tal(Varighed(v.maaneder * n, v.dage * n))


# --- dates: the one definition of month arithmetic ---

def _plus_maaneder(d, n):
    """Same day number n months later, clamped to the month's last day.

    2024-01-31 + 1 måned = 2024-02-29; 2024-02-29 + 12 måneder = 2025-02-28.
    """
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    if not 1 <= y <= 9999:
        return None
    last = _calendar.monthrange(y, m + 1)[1]
    return _dt.date(y, m + 1, min(d.day, last))


_UDENFOR = "datoen ligger uden for kalenderen (år 1-9999)"


def _dato_plus(d, maaneder, dage):
    if maaneder:
        d = _plus_maaneder(d, maaneder)
        if d is None:
            return Ukendt(grunde=(_UDENFOR,))
    if dage:
        try:
            d = d + _dt.timedelta(days=dage)
        except OverflowError:
            return Ukendt(grunde=(_UDENFOR,))
    return d


def op_dato_plus(d, v):
    """A date plus a duration: months first (clamped at month ends), then days."""
    if d.__class__ is Ukendt or v.__class__ is Ukendt:
        return _flet(d, v)
    return _dato_plus(d, v.maaneder, v.dage)


def op_dato_minus(d, v):
    if d.__class__ is Ukendt or v.__class__ is Ukendt:
        return _flet(d, v)
    return _dato_plus(d, -v.maaneder, -v.dage)


def _hele(a, b, skridt):
    n = ((b.year - a.year) * 12 + b.month - a.month) // skridt
    while True:
        d = _plus_maaneder(a, n * skridt)
        if d is None or d <= b:
            break
        n -= 1
    while True:
        d = _plus_maaneder(a, (n + 1) * skridt)
        if d is None or d > b:
            break
        n += 1
    return n


def op_hele_aar(a, b):
    """The largest n with a + n år <= b (so 2000-02-29 is 1 year old on 2001-02-28)."""
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return _hele(a, b, 12)


def op_hele_maaneder(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return _hele(a, b, 1)


def op_dage(a, b):
    if a.__class__ is Ukendt or b.__class__ is Ukendt:
        return _flet(a, b)
    return (b - a).days


def op_min(*args):
    unknown = [a for a in args if a.__class__ is Ukendt]
    return _flet(*unknown) if unknown else min(args)


def op_max(*args):
    unknown = [a for a in args if a.__class__ is Ukendt]
    return _flet(*unknown) if unknown else max(args)


# --- records, lists and aggregates ---

def op_felt(post, navn):
    if post.__class__ is Ukendt:
        return post
    return post[navn]


def op_liste(*items):
    return items


def _filtrer(seq, pred):
    """The elements where pred is true, and the Ukendt of undecided ones."""
    if pred is None:
        return seq, None
    valgt, unknown = [], []
    for e in seq:
        r = pred(e)
        if r is True:
            valgt.append(e)
        elif r.__class__ is Ukendt:
            unknown.append(r)
    return valgt, (_flet(*unknown) if unknown else None)


def op_antal(seq, pred):
    if seq.__class__ is Ukendt:
        return seq
    valgt, unknown = _filtrer(seq, pred)
    return unknown if unknown is not None else len(valgt)


def op_nogen(seq, pred):
    if seq.__class__ is Ukendt:
        return seq
    valgt, unknown = _filtrer(seq, pred)
    if valgt:
        return True
    return unknown if unknown is not None else False


def op_ingen(seq, pred):
    return op_ikke(op_nogen(seq, pred))


def op_alle(seq, pred):
    if seq.__class__ is Ukendt:
        return seq
    unknown = []
    for e in seq:
        r = pred(e)
        if r is False:
            return False
        if r.__class__ is Ukendt:
            unknown.append(r)
    return _flet(*unknown) if unknown else True


def op_summen(seq, felt, pred, nul):
    if seq.__class__ is Ukendt:
        return seq
    valgt, unknown = _filtrer(seq, pred)
    values = [e[felt] for e in valgt]
    bad = [v for v in values if v.__class__ is Ukendt]
    if unknown is not None or bad:
        return _flet(unknown, *bad)  # unknown may be None: _flet skips non-Ukendt
    total = nul
    for v in values:
        total = _plus(total, v)
        if total.__class__ is Ukendt:       # too large: no sense adding on
            return total
    return total


def _yderst(seq, felt, pred, fn, navn):
    if seq.__class__ is Ukendt:
        return seq
    valgt, unknown = _filtrer(seq, pred)
    values = [e[felt] for e in valgt]
    bad = [v for v in values if v.__class__ is Ukendt]
    if unknown is not None or bad:
        return _flet(unknown, *bad)  # unknown may be None: _flet skips non-Ukendt
    if not values:
        return Ukendt(grunde=(f"{navn}: ingen elementer at vælge imellem",))
    return fn(values)


def op_mindste_felt(seq, felt, pred, navn):
    return _yderst(seq, felt, pred, min, navn)


def op_stoerste_felt(seq, felt, pred, navn):
    return _yderst(seq, felt, pred, max, navn)


# --- parameters, tables and exceptions ---

def op_param(navn, datoer, vaerdier, dato):
    """The value in force on `dato`: the latest `gyldig_fra` not after it."""
    if dato.__class__ is Ukendt:
        return dato
    i = _bisect_right(datoer, dato) - 1
    if i < 0:
        return Ukendt(grunde=(f"parameteren {navn} har ingen værdi på {dato.isoformat()}",))
    return vaerdier[i]


def op_tabel(navn, hitpolitik, betingelser, resultater):
    """A decision table: hit policy `unik` (exactly one row) or `første`."""
    hits, unknown = [], []
    for i, c in enumerate(betingelser):
        if c is True:
            if hitpolitik == "første" and not unknown:
                return resultater[i]
            hits.append(i)
        elif c.__class__ is Ukendt:
            unknown.append(c)
    if hitpolitik == "unik" and len(hits) > 1:
        rows = ", ".join(str(i + 1) for i in hits)
        return Ukendt(grunde=(f"tabellen {navn}: række {rows} passer alle (hitpolitik unik)",),
                      konflikter=tuple(f"{navn}[{i + 1}]" for i in hits))
    if unknown:
        return _flet(*unknown)
    if hits:
        return resultater[hits[0]]
    return Ukendt(grunde=(f"tabellen {navn}: ingen række passer",))


def _kolonner(raekker):
    """((condition, result), ...) -> ((conditions), (results)): tables are written row by row."""
    return tuple(r[0] for r in raekker), tuple(r[1] for r in raekker)


def op_standard(basis, undtagelser):
    """Default logic: the base value unless exactly one exception applies.

    `undtagelser` is ((id, applies, value), ...), each value already
    resolved against that exception's own exceptions. Two that apply at
    once are a conflict, never a silent pick.
    """
    hits, unknown = [], []
    for uid, gaelder, vaerdi in undtagelser:
        if gaelder is True:
            hits.append((uid, vaerdi))
        elif gaelder.__class__ is Ukendt:
            unknown.append((gaelder, vaerdi))
    if len(hits) > 1:
        ids = tuple(h[0] for h in hits)
        return Ukendt(grunde=("undtagelserne " + " og ".join(ids) + " gælder samtidig",),
                      konflikter=ids)
    if not unknown:
        return hits[0][1] if hits else basis
    if not hits:
        # Undecided exceptions don't matter if every outcome is the same known value.
        outcomes = [basis] + [v for _, v in unknown]
        if all(o.__class__ is not Ukendt for o in outcomes) and all(
                _lige(o, basis) for o in outcomes):
            return basis
    # The base value's own missing facts count too: it may be what the answer is.
    return _flet(*(g for g, _ in unknown), *([basis] if basis.__class__ is Ukendt else []))


def regel_status(gaelder, krav, alvor):
    if gaelder is False:
        return "ikke_relevant"
    if gaelder.__class__ is Ukendt:
        return "konflikt" if gaelder.konflikter else "ukendt"
    if krav is True:
        return "opfyldt"
    if krav is False:
        return alvor
    return "konflikt" if krav.konflikter else "ukendt"


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


# --- presenting values ---

MAANEDER = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
            "september", "oktober", "november", "december")


def til_json(value, typ):
    """A value as plain JSON data (money and decimals as exact strings)."""
    if value.__class__ is Ukendt:
        out = {"ukendt": True, "mangler": sorted(value.mangler)}
        if value.grunde:
            out["grunde"] = list(value.grunde)
        if value.konflikter:
            out["konflikter"] = list(value.konflikter)
        return out
    kind = typ[0]
    if kind == "beløb":
        sign = "-" if value < 0 else ""
        kr, oere = divmod(abs(value), 100)
        return f"{sign}{kr}.{oere:02d}"
    if kind == "decimal":
        return _decimal_tekst(value, ".")
    if kind == "dato":
        return value.isoformat()
    if kind == "varighed":
        return {"måneder": value.maaneder, "dage": value.dage}
    if kind == "liste":
        return [til_json(v, typ[1]) for v in value]
    if kind == "post":
        return {navn: til_json(value[navn], ftyp) for navn, ftyp in typ[2]}
    return value


def _decimal_tekst(value, komma):
    if value.__class__ is int:
        return str(value)
    text = format(value.normalize(context=_CTX), "f")
    return text.replace(".", komma)


def _tusinder(n):
    return f"{n:,}".replace(",", ".")


def tekst(value, typ):
    """A value as Danish text for messages and tables."""
    if value.__class__ is Ukendt:
        return "ukendt"
    kind = typ[0]
    if kind == "beløb":
        sign = "-" if value < 0 else ""
        kr, oere = divmod(abs(value), 100)
        return f"{sign}{_tusinder(kr)}{',' + format(oere, '02d') if oere else ''} kr."
    if kind == "sandhedsværdi":
        return "ja" if value else "nej"
    if kind == "decimal":
        return _decimal_tekst(value, ",")
    if kind == "heltal":
        return _tusinder(value) if abs(value) >= 10000 else str(value)
    if kind == "dato":
        return f"{value.day}. {MAANEDER[value.month - 1]} {value.year}"
    if kind == "varighed":
        return varighed_tekst(value)
    if kind == "liste":
        return ", ".join(tekst(v, typ[1]) for v in value) if value else "ingen"
    if kind == "post":
        return "; ".join(f"{n}: {tekst(value[n], t)}" for n, t in typ[2])
    return str(value)


def varighed_tekst(v):
    parts = []
    years, months = divmod(v.maaneder, 12)
    if years:
        parts.append(f"{years} år")
    if months:
        parts.append(f"{months} {'måned' if months == 1 else 'måneder'}")
    if v.dage:
        if v.dage % 7 == 0 and not v.maaneder:
            w = v.dage // 7
            parts.append(f"{w} {'uge' if w == 1 else 'uger'}")
        else:
            parts.append(f"{v.dage} {'dag' if v.dage == 1 else 'dage'}")
    return " og ".join(parts) if parts else "0 dage"


def udfyld(skabelon, f, d, idag=None):
    """Fill a message template: parts are text or (kind, name, type[, dates, values]).

    kind: "f" a fact, "d" a definition, "i" beregningsdato, "p" a parameter's
    value on beregningsdato (its dates and values ride along in the part).
    """
    out = []
    for p in skabelon:
        if p.__class__ is str:
            out.append(p)
            continue
        kind = p[0]
        if kind == "f":
            v = f[p[1]]
        elif kind == "d":
            v = d[p[1]]
        elif kind == "i":
            v = idag
        else:
            v = op_param(p[1], p[3], p[4], idag)
        out.append(tekst(v, p[2]))
    return "".join(out)


def forklar_ukendt(u):
    if u.konflikter:
        return "Konflikt: " + "; ".join(u.grunde)
    parts = []
    if u.mangler:
        parts.append("mangler " + ", ".join(sorted(u.mangler)))
    parts.extend(u.grunde)
    return "Kan ikke afgøres: " + "; ".join(parts)


def tilfoej(regel, gaelder, krav, skabelon, f, d, brugt, rapport):
    """One rule's result; the message is only formatted when someone must act.

    The status is regel_status's, decided inline: this runs for every rule of
    every case, and most rules don't apply or are met.
    """
    if gaelder is False:
        return Regelresultat(regel, "ikke_relevant", None, None, brugt, rapport)
    if gaelder.__class__ is Ukendt:
        ukendt = gaelder
    elif krav is True:
        return Regelresultat(regel, "opfyldt", None, None, brugt, rapport)
    elif krav is False:
        alvor = regel[2]
        meddelelse = (udfyld(skabelon, f, d, rapport.beregningsdato)
                      if alvor in ("brud", "opmærksomhed") else None)
        return Regelresultat(regel, alvor, meddelelse, None, brugt, rapport)
    else:
        ukendt = krav
    status = "konflikt" if ukendt.konflikter else "ukendt"
    return Regelresultat(regel, status, forklar_ukendt(ukendt), ukendt, brugt, rapport)


# --- the report ---

class Regelresultat:
    """One rule's outcome, with the facts and definitions behind it."""

    __slots__ = ("id", "titel", "status", "alvor", "meddelelse", "kilder", "lag", "omraade",
                 "mangler", "grunde", "konflikter", "_brugt", "_rapport")

    def __init__(self, regel, status, meddelelse, ukendt, brugt, rapport):
        self.id, self.titel, self.alvor, self.kilder, self.lag, self.omraade = regel
        self.status = status
        self.meddelelse = meddelelse
        self.mangler = tuple(sorted(ukendt.mangler)) if ukendt is not None else ()
        self.grunde = ukendt.grunde if ukendt is not None else ()
        self.konflikter = ukendt.konflikter if ukendt is not None else ()
        self._brugt = brugt
        self._rapport = rapport

    @property
    def fakta(self):
        """The facts this rule reads, as JSON data (missing ones as `ukendt`)."""
        if self._brugt is None:
            return {}
        f, typer = self._rapport._fakta, self._rapport._fakta_typer
        return {n: til_json(f[n], typer[n]) for n in self._brugt[0]}

    @property
    def definitioner(self):
        if self._brugt is None:
            return {}
        d, typer = self._rapport._definitioner, self._rapport._definition_typer
        return {n: til_json(d[n], typer[n]) for n in self._brugt[1]}

    def to_dict(self):
        return {
            "id": self.id, "titel": self.titel, "område": self.omraade, "lag": self.lag,
            "status": self.status, "alvor": self.alvor, "meddelelse": self.meddelelse,
            "kilder": list(self.kilder), "mangler": list(self.mangler),
            "grunde": list(self.grunde), "konflikter": list(self.konflikter),
            "fakta": self.fakta, "definitioner": self.definitioner,
        }

    def __repr__(self):
        return f"<Regelresultat {self.id}: {self.status}>"


class Rapport:
    """The outcome of one case: every rule, and every computed definition."""

    def __init__(self, pakke, version, dato, fakta, fakta_typer, definitioner,
                 definition_typer):
        self.pakke = pakke
        self.version = version
        self.beregningsdato = dato
        self.regler = []
        self._fakta = fakta
        self._fakta_typer = fakta_typer
        self._definitioner = definitioner
        self._definition_typer = definition_typer

    def regel(self, regel_id):
        for r in self.regler:
            if r.id == regel_id:
                return r
        raise KeyError(regel_id)

    @property
    def brud(self):
        return [r for r in self.regler if r.status == "brud"]

    @property
    def definitioner(self):
        return {n: til_json(v, self._definition_typer[n]) for n, v in self._definitioner.items()}

    def opsummering(self):
        counts = dict.fromkeys(STATUSER, 0)
        for r in self.regler:
            counts[r.status] += 1
        return counts

    def to_dict(self):
        return {
            "pakke": self.pakke, "version": self.version,
            "beregningsdato": self.beregningsdato.isoformat(),
            "opsummering": self.opsummering(),
            "regler": [r.to_dict() for r in self.regler],
            "definitioner": self.definitioner,
        }
# --- END RUNTIME ---
