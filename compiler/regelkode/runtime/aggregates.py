"""Records, lists and aggregates; dated parameters, decision tables,
exceptions (`op_standard`) and a rule's status.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import _bisect_left, _bisect_right, _flet, Ukendt
from .logic import _lige, op_ikke
from .money import _plus

# --- PART ---
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


def _fordel(seq, rest, kendt):
    """An index's split of a list: the elements whose other conditions (`rest`) hold
    and whose indexed fields are known (`kendt`), and the undecided ones, in list
    order, which are judged by the full condition at every question, as a scan
    would. Elements whose other conditions are false can never match: dropped."""
    elementer, uafklarede = [], []
    for e in seq:
        r = True if rest is None else rest(e)
        if r is False:
            continue
        (elementer if r is True and kendt(e) else uafklarede).append(e)
    return elementer, uafklarede


class _Perioder:
    """A list's elements as periods [start, slut], for `nogen L hvor (… og start er
    senest X og slut er tidligst X)` asked for many X (passes/periods.py finds these).

    Built once per list (per evaluation), asked in O(log n): the periods sorted by
    start with the running latest end. An element whose other conditions (`rest`)
    are false can never match and is dropped; one whose dates or other conditions
    are unknown is kept aside and judged by the full condition at every question, so
    an `Ukendt` answer is the very one a plain scan gives.
    """

    __slots__ = ("start", "slut", "rest", "seq", "starts", "seneste", "uafklarede")

    def __init__(self, start, slut, rest):
        self.start, self.slut, self.rest = start, slut, rest
        self.seq = None

    def __call__(self, seq):
        if self.seq is not seq:
            start, slut = self.start, self.slut
            elementer, uafklarede = _fordel(seq, self.rest, lambda e: (
                e[start].__class__ is not Ukendt and e[slut].__class__ is not Ukendt))
            kendte = sorted(((e[start], e[slut]) for e in elementer), key=lambda p: p[0])
            self.starts = [p[0] for p in kendte]
            seneste, m = [], None
            for _s, t in kendte:
                m = t if m is None or t > m else m
                seneste.append(m)
            self.seneste = seneste
            self.uafklarede = uafklarede
            self.seq = seq
        return self


def op_nogen_inden(seq, pred, indeks, punkt):
    """`op_nogen(seq, pred)` where pred is `rest og start ≤ punkt og slut ≥ punkt`."""
    if seq.__class__ is Ukendt or punkt.__class__ is Ukendt:
        return op_nogen(seq, pred)
    ix = indeks(seq)
    i = _bisect_right(ix.starts, punkt)
    if i and ix.seneste[i - 1] >= punkt:
        return True
    # every known period missed: only the undecided ones can still say yes or "unknown"
    return op_nogen(ix.uafklarede, pred)


def op_ingen_inden(seq, pred, indeks, punkt):
    return op_ikke(op_nogen_inden(seq, pred, indeks, punkt))


class _Vaerdier:
    """One field's known values, sorted, of the elements whose other conditions hold,
    for `antal L hvor (… felt er efter A og felt er senest B)` asked for many A, B
    (passes/periods.py). Elements with an unknown value or condition are kept
    aside and judged by the full condition at every question, as a scan would."""

    __slots__ = ("felt", "rest", "seq", "vaerdier", "uafklarede")

    def __init__(self, felt, rest):
        self.felt, self.rest = felt, rest
        self.seq = None

    def __call__(self, seq):
        if self.seq is not seq:
            felt = self.felt
            elementer, uafklarede = _fordel(seq, self.rest,
                                            lambda e: e[felt].__class__ is not Ukendt)
            self.vaerdier = sorted(e[felt] for e in elementer)
            self.uafklarede = uafklarede
            self.seq = seq
        return self


def op_antal_vindue(seq, pred, indeks, fra, fra_streng, til, til_streng):
    """`op_antal(seq, pred)` where pred is `rest og fra <(=) felt og felt <(=) til`
    (a bound that is None is absent)."""
    if seq.__class__ is Ukendt or fra.__class__ is Ukendt or til.__class__ is Ukendt:
        return op_antal(seq, pred)
    ix = indeks(seq)
    oevrige = op_antal(ix.uafklarede, pred)
    if oevrige.__class__ is Ukendt:
        return oevrige
    v = ix.vaerdier
    a = 0 if fra is None else (_bisect_right(v, fra) if fra_streng else _bisect_left(v, fra))
    b = len(v) if til is None else (_bisect_left(v, til) if til_streng else _bisect_right(v, til))
    return max(0, b - a) + oevrige


def op_nogen_vindue(seq, pred, indeks, fra, fra_streng, til, til_streng):
    """`op_nogen(seq, pred)` where pred is `rest og fra <(=) felt og felt <(=) til`."""
    if seq.__class__ is Ukendt or fra.__class__ is Ukendt or til.__class__ is Ukendt:
        return op_nogen(seq, pred)
    ix = indeks(seq)
    v = ix.vaerdier
    a = 0 if fra is None else (_bisect_right(v, fra) if fra_streng else _bisect_left(v, fra))
    b = len(v) if til is None else (_bisect_left(v, til) if til_streng else _bisect_right(v, til))
    if b > a:
        return True
    return op_nogen(ix.uafklarede, pred)


def op_ingen_vindue(seq, pred, indeks, fra, fra_streng, til, til_streng):
    return op_ikke(op_nogen_vindue(seq, pred, indeks, fra, fra_streng, til, til_streng))


class _Grupper:
    """A list's elements grouped by one field, for `nogen L hvor (… og noegle = X og
    felt er før Y)` asked for many X, Y (passes/periods.py, ir.Keyed): per key the
    least (`under`) or greatest value of `felt` among the elements whose other
    conditions hold, so each question is one lookup. Elements with an unknown key,
    value or condition are kept aside and judged by the full condition at every
    question, as a scan would."""

    __slots__ = ("noegle", "felt", "under", "rest", "seq", "bedste", "uafklarede")

    def __init__(self, noegle, felt, under, rest):
        self.noegle, self.felt, self.under, self.rest = noegle, felt, under, rest
        self.seq = None

    def __call__(self, seq):
        if self.seq is not seq:
            noegle, felt, under = self.noegle, self.felt, self.under
            elementer, uafklarede = _fordel(seq, self.rest, lambda e: (
                e[noegle].__class__ is not Ukendt and e[noegle].__hash__ is not None
                and (felt is None or e[felt].__class__ is not Ukendt)))
            bedste = {}
            for e in elementer:
                k, v = e[noegle], True if felt is None else e[felt]
                k = (k.__class__ is bool, k)   # sand is not 1: _lige tells them apart
                b = bedste.get(k)
                if b is None or (felt is not None and (v < b if under else v > b)):
                    bedste[k] = v
            self.bedste, self.uafklarede, self.seq = bedste, uafklarede, seq
        return self


def op_nogen_samme(seq, pred, indeks, noegle, graense, streng):
    """`op_nogen(seq, pred)` where pred is `rest og noegle-felt = noegle og felt <(=)
    graense` (or >(=), as the index says; no bound when the index has no field)."""
    if (seq.__class__ is Ukendt or noegle.__class__ is Ukendt
            or graense.__class__ is Ukendt or noegle.__hash__ is None):
        return op_nogen(seq, pred)
    ix = indeks(seq)
    b = ix.bedste.get((noegle.__class__ is bool, noegle))
    if b is not None:
        if ix.felt is None:
            return True
        if ix.under:
            if b < graense or (not streng and b == graense):
                return True
        elif b > graense or (not streng and b == graense):
            return True
    # no known element matches: only the undecided ones can still say yes or "unknown"
    return op_nogen(ix.uafklarede, pred)


def op_ingen_samme(seq, pred, indeks, noegle, graense, streng):
    return op_ikke(op_nogen_samme(seq, pred, indeks, noegle, graense, streng))


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


# --- END PART ---
