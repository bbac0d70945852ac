"""Presenting values in Danish: JSON values, text with Danish number and
date formats, message templates, explanations of unknowns.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import _CTX, _re, Ukendt
from .aggregates import op_param
from .case import _tusinder

# --- PART ---
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


def _mangler_tekst(mangler):
    """The missing facts as a reader wants them: one field missing in many elements
    of a list once, `samtaler[0, 3, 7].afholdt`, the numbers in order and at most
    five shown (`… 2999` and the count beyond). The report's `mangler` keeps every
    path; this is only the message."""
    grupper, tekster = {}, []
    for sti in mangler:
        m = _ELEMENT.fullmatch(sti)
        if m is None:
            tekster.append(sti)
        else:
            grupper.setdefault((m[1], m[3]), []).append(int(m[2]))
    for (navn, rest), numre in grupper.items():
        numre.sort()
        if len(numre) <= 5:
            tekster.append(f"{navn}[{', '.join(map(str, numre))}]{rest}")
        else:
            tekster.append(f"{navn}[{numre[0]}, {numre[1]}, {numre[2]}, … {numre[-1]}]{rest} "
                           f"({_tusinder(len(numre))} elementer)")
    return ", ".join(sorted(tekster))


_ELEMENT = _re.compile(r"([^\[]*)\[([0-9]+)\](.*)")


def forklar_ukendt(u):
    if u.konflikter:
        return "Konflikt: " + "; ".join(u.grunde)
    parts = []
    if u.mangler:
        parts.append("mangler " + _mangler_tekst(u.mangler))
    parts.extend(u.grunde)
    return "Kan ikke afgøres: " + "; ".join(parts)


# --- END PART ---
