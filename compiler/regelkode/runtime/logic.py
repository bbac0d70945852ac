"""Three-valued logic and comparison: `False` decides `og`, `True` decides
`eller`; any other `Ukendt` argument makes the result `Ukendt`.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import _flet, Ukendt

# --- PART ---
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


# --- END PART ---
