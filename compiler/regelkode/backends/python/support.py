"""What the fast module adds to the runtime: the per-case state, the lazy report.

Copied verbatim (the text between the markers) into every module the fast
backend writes, after the runtime. Standard library only, like the runtime.

The generated code takes, for each definition and rule, a *fast path* with
plain Python operators when every fact it reads is complete (one bit test
against the mask the validator computed). A value that turns out unknown
anyway (a definition that is `ukendt`, a division by zero, a parameter
without a value on the date, an empty `tidligste`) raises `_Ukendt`, and the
same definition or rule is then computed again on the three-valued path with
the runtime's `op_*`. The fast path never returns a value the three-valued
path would not: with every operand known, each `op_*` is the plain operator.
"""

import datetime as _dt  # the runtime's own `_dt` in the generated module
import time as _time  # likewise `_time`

from ...runtime import (
    STATUSER,
    Rapport,
    Regelresultat,
    Ukendt,
    _norm,
    op_param,
    regel_status,
    til_json,
    tilfoej,
)

# Defined by each generated module, before this part (here only so the file reads as Python).
PAKKE = VERSION = ""
FAKTA: dict = {}
DEFINITION_TYPER: dict = {}
_DEFINITIONER: dict = {}
_PARAMETRE: dict = {}
_REGEL_META: tuple = ()
_FAKTA_JSON: dict = {}
_FORKLAREDE_FAKTA: tuple = ()
_DEFINITION_JSON: dict = {}
_UFULD: tuple = ()

# --- PART ---
# --- the fast path's support: per-case state and the lazy report ---

class _Ukendt(Exception):
    """The fast path met an unknown value: compute this one on the three-valued path."""


def _k(v):
    """`v` if it is known; else leave the fast path."""
    if v.__class__ is Ukendt:
        raise _Ukendt
    return v


def _sand(_v):
    """`er kendt` on the fast path: the operand was computed, so it is known."""
    return True


def _falsk(_v):
    return False


def _oere(v):
    """Kroner text that matched _BELOEB (`-?digits(.d{1,2})?`) as whole øre, exactly, by
    integer arithmetic: what int(_CTX.multiply(Decimal(v), 100)) gives, for less."""
    if v[0] == "-":
        return -_oere(v[1:])
    kr, _, oere = v.partition(".")
    return int(kr) * 100 + (int(oere) * (10 if len(oere) == 1 else 1) if oere else 0)


_tid = _time.time      # the clock, for a case judged "today"


_IKKE = (False, None)     # a rule that doesn't apply: krav not computed


def _ingen_raekke():
    raise _Ukendt


_INGEN = object()


class _Kendte(dict):
    """Known values only: a name whose value is unknown raises `_Ukendt`."""

    __slots__ = ()

    def __missing__(self, navn):
        raise _Ukendt


def _fuld(v):
    """True if `v` holds no Ukendt anywhere (records and lists included)."""
    cls = v.__class__
    if cls is Ukendt:
        return False
    if cls is tuple:
        return all(_fuld(x) for x in v)
    if cls is dict:
        return all(_fuld(x) for x in v.values())
    return True


class _Definitioner(dict):
    """Every definition's value, computed the first time it is read, then kept."""

    __slots__ = ("s",)

    def __missing__(self, navn):
        v = self[navn] = _DEFINITIONER[navn](self.s)
        return v


class _KendteDefinitioner(dict):
    """The fast path's view of the definitions: an unknown one raises `_Ukendt`."""

    __slots__ = ("d", "s")

    def __missing__(self, navn):
        d = self.d
        v = d.get(navn, _INGEN)
        if v is _INGEN:     # not computed yet: compute it here (one call, not two)
            v = d[navn] = _DEFINITIONER[navn](self.s)
        if v.__class__ is Ukendt or (
                (v.__class__ is tuple or v.__class__ is dict) and not _fuld(v)):
            raise _Ukendt
        self[navn] = v
        return v


class _Parametre(dict):
    """Each parameter's value on one date (bisection), looked up when first read."""

    __slots__ = ("idag",)

    def __missing__(self, navn):
        datoer, vaerdier = _PARAMETRE[navn]
        v = self[navn] = op_param(navn, datoer, vaerdier, self.idag)
        return v


class _KendteParametre(dict):
    """The fast path's view: a parameter without a value on the date raises `_Ukendt`."""

    __slots__ = ("p",)

    def __missing__(self, navn):
        v = self.p[navn]
        if v.__class__ is Ukendt:
            raise _Ukendt
        self[navn] = v
        return v


_PARAMETRE_PAA = {}


def _parametre(idag):
    """The parameters on `idag`: kept per date, so cases judged on one date share them."""
    if len(_PARAMETRE_PAA) > 4096:
        _PARAMETRE_PAA.clear()
    p = _Parametre()
    p.idag = idag
    pk = _KendteParametre()
    pk.p = p
    e = _PARAMETRE_PAA[idag] = (p, pk)
    return e


class _Sag:
    """One case being judged: its facts, which are incomplete, the date, the values so far.

    The calculation date and the parameters on it are found when first read. Without
    a date from the call or the case it is today: the clock is read when the case is
    judged (time.time(), cheap) and turned into a date only if someone reads it
    (date.today() costs a microsecond, more than a small pack's rules), so the
    report's date is the day of the evaluation whenever it is read."""

    __slots__ = ("f", "maske", "_idag", "_p", "_pk", "d", "dk")

    def __init__(self, f, maske, idag):
        self.f = f
        self.maske = maske
        self._idag = idag
        self._p = self._pk = None
        self.d = d = _Definitioner()
        d.s = self
        self.dk = dk = _KendteDefinitioner()
        dk.d = d
        dk.s = self

    @property
    def idag(self):
        idag = self._idag
        if idag.__class__ is float:     # the moment of evaluation: today then
            idag = self._idag = _dt.date.fromtimestamp(idag)
        return idag

    def _paa_datoen(self):
        idag = self.idag
        self._p, self._pk = _PARAMETRE_PAA.get(idag) or _parametre(idag)

    @property
    def p(self):
        if self._p is None:
            self._paa_datoen()
        return self._p

    @property
    def pk(self):
        if self._pk is None:
            self._paa_datoen()
        return self._pk


def _maske_af(f):
    """The incomplete facts' bits, for a case the runtime's own validator normalised:
    every bit of an incomplete fact (its list and field bits too: the fast paths only
    ever lose by that)."""
    m = 0
    for i, navn in enumerate(FAKTA):
        if not _fuld(f[navn]):
            m |= _UFULD[i]
    return m


def _felt(v, typ, dele):
    """One value the inline validator didn't take: the runtime's answer, and whether it's whole."""
    x = _norm(v, typ, dele)
    return x, _fuld(x)


def _beloeb_json(v):
    """Whole øre as the exact kroner text til_json writes ("-12.05")."""
    if v < 0:
        kr, oere = divmod(-v, 100)
        return f"-{kr}.{oere:02d}"
    kr, oere = divmod(v, 100)
    return f"{kr}.{oere:02d}"


class _FaktaJson(dict):
    """Facts' JSON forms, each made the first time it is shown: a complete fact by the
    function generated for its type (`_FAKTA_JSON`), an incomplete one by til_json."""

    __slots__ = ("verdier", "maske")

    def __missing__(self, navn):
        bit, fn = _FAKTA_JSON[navn]
        v = self.verdier[navn]
        j = self[navn] = til_json(v, FAKTA[navn]) if self.maske & bit else fn(v)
        return j


class _DefinitionJson(dict):
    """Definitions' JSON forms: an unknown one by til_json, a known one by the function
    generated for its type (til_json itself for lists and records, which may hold one)."""

    __slots__ = ("verdier",)

    def __missing__(self, navn):
        v = self.verdier[navn]
        fn = _DEFINITION_JSON.get(navn)
        j = self[navn] = (til_json(v, DEFINITION_TYPER[navn]) if fn is None
                          or v.__class__ is Ukendt else fn(v))
        return j


class _Regel(Regelresultat):
    """A rule's result whose `fakta` and `definitioner` come from the report's JSON cache:
    a fact that ten rules read is turned into JSON once per report, not ten times."""

    __slots__ = ()

    @property
    def fakta(self):
        if self._brugt is None:
            return {}
        j = self._rapport._fakta_json
        return {n: j[n] for n in self._brugt[0]}

    @property
    def definitioner(self):
        if self._brugt is None:
            return {}
        j = self._rapport._definition_json
        return {n: j[n] for n in self._brugt[1]}



_BASER = []      # per rule: its to_dict() keys in order, the constant ones filled in


def _regel_baser():
    # made whole, then put in place in one step: two threads may both make it
    _BASER[:] = [{"id": meta[0], "titel": meta[1], "område": meta[5], "lag": meta[4],
                  "status": None, "alvor": meta[2], "meddelelse": None, "kilder": None,
                  "mangler": None, "grunde": None, "konflikter": None, "fakta": None,
                  "definitioner": None} for meta, _b, _u in _REGEL_META]
    return _BASER


_NUL = dict.fromkeys(STATUSER, 0)     # opsummering's counts before any rule


def _med_alvor(meta, alvor):
    """A rule's meta with the severity an exception set for this case (if it is known)."""
    if alvor.__class__ is str and alvor != meta[2]:
        return (*meta[:2], alvor, *meta[3:])
    return meta


class Rapport(Rapport):  # the runtime's report (defined before this part), built lazily
    """The outcome of one case.

    Lazy: it holds each rule's (gælder, krav) as computed; the rule results,
    messages, explanations and definitions not yet needed are made when read.
    A fact's or definition's JSON form is made once per report and shared by
    every rule's `fakta`/`definitioner` that shows it: treat it as read-only.
    """

    def __init__(self, s, udfald, forklaring):
        self.pakke = PAKKE
        self.version = VERSION
        self._sag = s
        self._udfald = udfald
        self._forklaring = forklaring
        self._regler = None
        self._fakta = s.f
        self._maske = s.maske
        self._fakta_typer = FAKTA
        self._definitioner = s.d
        self._definition_typer = DEFINITION_TYPER
        self._json_f = self._json_d = None

    def _resultat(self, meta, besked, brugt, udfald):
        if len(udfald) == 3:
            meta = _med_alvor(meta, udfald[2])
        r = tilfoej(meta, udfald[0], udfald[1], besked, self._fakta, self._definitioner,
                    brugt if self._forklaring else None, self)
        r.__class__ = _Regel    # the runtime's result, reading the JSON cache
        return r

    @property
    def beregningsdato(self):
        return self._sag.idag

    @property
    def regler(self):
        if self._regler is None:
            self._regler = [self._resultat(meta, besked, brugt, udfald) for (
                meta, besked, brugt), udfald in zip(_REGEL_META, self._udfald, strict=True)]
        return self._regler

    @property
    def _fakta_json(self):
        j = self._json_f
        if j is None:
            j = self._json_f = _FaktaJson()
            j.verdier, j.maske = self._fakta, self._maske
        return j

    @property
    def _definition_json(self):
        j = self._json_d
        if j is None:
            j = self._json_d = _DefinitionJson()
            j.verdier = self._definitioner
        return j

    def definition(self, navn):
        """A definition's value as Python data (`Ukendt` if it can't be decided);
        computed now if no rule needed it."""
        if navn not in DEFINITION_TYPER:
            raise KeyError(navn)
        return self._definitioner[navn]

    @property
    def fakta(self):
        """Every fact some rule's explanation shows, once, as JSON data (missing ones as
        `ukendt`), in the pack's order; empty when evaluated with forklaring=False."""
        if not self._forklaring:
            return {}
        if self._json_f is None:    # none shown yet: all in one pass, no lookup misses
            j = self._fakta_json
            f, maske = self._fakta, self._maske
            for n in _FORKLAREDE_FAKTA:
                bit, fn = _FAKTA_JSON[n]
                v = f[n]
                j[n] = til_json(v, FAKTA[n]) if maske & bit else fn(v)
        j = self._json_f
        return {n: j[n] for n in _FORKLAREDE_FAKTA}

    @property
    def definitioner(self):
        j = self._definition_json
        return {n: j[n] for n in DEFINITION_TYPER}

    def opsummering(self):
        counts = _NUL.copy()
        for (meta, _b, _u), udfald in zip(_REGEL_META, self._udfald, strict=True):
            g = udfald[0]
            if g is False:
                counts["ikke_relevant"] += 1
            elif udfald[1] is True and g.__class__ is not Ukendt:
                counts["opfyldt"] += 1      # the severity an exception sets plays no part
            else:
                alvor = meta[2] if len(udfald) == 2 else _med_alvor(meta, udfald[2])[2]
                counts[regel_status(g, udfald[1], alvor)] += 1
        return counts

    def _regler_json(self, counts):
        """Each rule as JSON data, counting statuses into `counts`. A rule that doesn't
        apply or is met (most of them) is written here from its constants, without a
        result object; the others go through the rule result, message and all."""
        if self._regler is not None:
            out = [r.to_dict() for r in self._regler]
            for r in out:
                counts[r["status"]] += 1
            return out
        out = []
        append = out.append
        forklaring = self._forklaring
        for (meta, besked, brugt), udfald, base in zip(_REGEL_META, self._udfald,
                                                      _BASER or _regel_baser(), strict=True):
            g = udfald[0]
            if len(udfald) == 3:        # an exception set the severity: the full way
                status = None
            elif g is False:
                status = "ikke_relevant"
            elif udfald[1] is True and g.__class__ is not Ukendt:
                status = "opfyldt"
            else:
                status = None
            if status is None:
                r = self._resultat(meta, besked, brugt, udfald).to_dict()
                counts[r["status"]] += 1
                append(r)
                continue
            counts[status] += 1
            # a copy of the rule's constant dict (its keys in order), then the rest
            d = base.copy()
            d["status"] = status
            d["kilder"] = list(meta[3])
            d["mangler"] = []
            d["grunde"] = []
            d["konflikter"] = []
            if forklaring:
                d["fakta"] = list(brugt[0])
                d["definitioner"] = list(brugt[1])
            else:
                d["fakta"] = []
                d["definitioner"] = []
            append(d)
        return out

    def to_dict(self):
        counts = _NUL.copy()
        regler = self._regler_json(counts)
        return {
            "pakke": self.pakke, "version": self.version,
            "beregningsdato": self.beregningsdato.isoformat(),
            "opsummering": counts,
            "regler": regler,
            "fakta": self.fakta,
            "definitioner": self.definitioner,
        }
# --- END PART ---
