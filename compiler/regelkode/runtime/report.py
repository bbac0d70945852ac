"""The report: `tilfoej` judges one rule into it, `Regelresultat` per rule and
`Rapport` with `to_dict()`.

Part of the runtime (see `__init__`): the text between the markers is copied
verbatim into every generated module.
"""

from .values import STATUSER, Ukendt
from .present import forklar_ukendt, til_json, udfyld

# --- PART ---
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
        # Names only: the values are in the report's `fakta` and `definitioner`, once
        # per report. A list of 3,000 events read by 40 rules is written once, not 40
        # times (a 190 MB report for a 2 MB case before).
        brugt = self._brugt or ((), ())
        return {
            "id": self.id, "titel": self.titel, "område": self.omraade, "lag": self.lag,
            "status": self.status, "alvor": self.alvor, "meddelelse": self.meddelelse,
            "kilder": list(self.kilder), "mangler": list(self.mangler),
            "grunde": list(self.grunde), "konflikter": list(self.konflikter),
            "fakta": list(brugt[0]), "definitioner": list(brugt[1]),
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
    def fakta(self):
        """Every fact some rule's explanation shows, once, as JSON data (missing ones as
        `ukendt`), in the pack's order; empty when evaluated with forklaring=False."""
        brugt = set()
        for r in self.regler:
            if r._brugt is not None:
                brugt.update(r._brugt[0])
        f = self._fakta
        return {n: til_json(f[n], t) for n, t in self._fakta_typer.items() if n in brugt}

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
            "fakta": self.fakta,
            "definitioner": self.definitioner,
        }
# --- END RUNTIME ---
# --- END PART ---
