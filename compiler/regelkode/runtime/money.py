"""Arithmetic and money: `int` stays `int`, `Decimal` goes through the private
40-digit context, money is integer øre rounded half away from zero.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import _CTX, _flet, _HALF_UP, Decimal, Ukendt, Varighed

# --- PART ---
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


# --- END PART ---
