"""Dates: the one definition of month arithmetic (month-end clamping, leap
days), whole years and months between dates, day counts.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import _calendar, _dt, _flet, Ukendt

# --- PART ---
# --- dates: the one definition of month arithmetic ---

_MAANEDSDAGE = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plus_maaneder(d, n):
    """Same day number n months later, clamped to the month's last day.

    2024-01-31 + 1 måned = 2024-02-29; 2024-02-29 + 12 måneder = 2025-02-28.
    """
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    if not 1 <= y <= 9999:
        return None
    # the month's length without calendar.monthrange, which also works out a weekday:
    # this runs for every `+ n måneder` of every case
    last = 29 if m == 1 and _calendar.isleap(y) else _MAANEDSDAGE[m]
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


# --- END PART ---
