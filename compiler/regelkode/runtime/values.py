"""Values of the language: the `Ukendt` (unknown) value and `Varighed` (durations),
and the module-wide constants every other part uses.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

# --- PART ---
# --- BEGIN RUNTIME ---
import calendar as _calendar
import datetime as _dt
import re as _re
import time as _time
from bisect import bisect_left as _bisect_left
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


# --- END PART ---
