"""Seeded synthetic cases for the ressourceforløb pack: complete, realistic timelines.

Case `i` of seed `s` is always the same dict (its own `random.Random`), so a
worker process can make its share of a batch without the others, and a
failing case can be reproduced from its number alone.

Values are made by domain logic where the fact is known here (a birth date
that makes sense for the start date, conversations every few weeks from the
benefit start, a monthly amount that is usually the right rate for the
year), and by the fact's declared type otherwise. Every value is then made
to conform to the pack's fact descriptors (`Program.facts`), so a case is
always valid against the pack even while its data model changes: a fact or
field the pack no longer has is dropped, a new one gets a value of its type.
Some facts and record fields are left out (or `null`), as in real data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

SEED = 20250601
DAG = dt.timedelta(days=1)


def _plus_maaneder(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _dag(rng: random.Random, fra: dt.date, til: dt.date) -> dt.date:
    if til <= fra:
        return fra
    return fra + dt.timedelta(days=rng.randint(0, (til - fra).days))


def _kr(rng: random.Random, oere: int) -> object:
    """An amount as a case writes it: mostly "12326.00", sometimes whole kroner."""
    if oere % 100 == 0 and rng.random() < 0.3:
        return oere // 100
    return f"{oere // 100}.{oere % 100:02d}"


def rates(program) -> dict:
    """The pack's parameter histories as plain data: name -> (dates, values)."""
    return {name: (tuple(p.dates), tuple(p.values)) for name, p in program.params.items()}


def _sats(params: dict, navn: str, dato: dt.date) -> int | None:
    """A rate from the pack's parameter history (None if it has none on `dato`)."""
    p = params.get(navn)
    if p is None:
        return None
    value = None
    for start, v in zip(*p, strict=True):
        if start <= dato:
            value = v
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _domain(rng: random.Random, params: dict) -> dict:
    """One person's course as the caseworker registered it."""
    b = _dag(rng, dt.date(2022, 3, 1), dt.date(2026, 6, 30))           # beregningsdato
    start = max(dt.date(2020, 1, 1), b - dt.timedelta(days=rng.randint(20, 5 * 365)))
    bevilling = start - dt.timedelta(days=rng.randint(0, 30))
    moede = bevilling - dt.timedelta(days=rng.randint(7, 60))
    alder = rng.randint(25, 55) if rng.random() < 0.7 else rng.randint(55, 66)
    if rng.random() < 0.1:
        alder = rng.randint(18, 24)
    foedt = _plus_maaneder(start, -12 * alder) - dt.timedelta(days=rng.randint(0, 364))
    aar = rng.choice([1, 2, 3, 3, 3] + ([5, 5] if start < dt.date(2022, 1, 1) else []))
    slut = _plus_maaneder(start, 12 * aar) - DAG
    if rng.random() < 0.08:                                            # a wrong end date
        slut += dt.timedelta(days=rng.choice([-1, 1]) * rng.randint(1, 40))
    ydelse_start = start + dt.timedelta(days=rng.choice([0, 0, 0, rng.randint(1, 14)]))
    # None: not registered, because it doesn't apply to this person (left out of the case).
    s: dict = {"beregningsdato": b.isoformat(), "barns_fødselsdato": None,
               "antal_børn_med_bidragspligt": None, "afslutningsårsag": None,
               "beslutning_om_fremadrettet_indsats_dato": None,
               "hidtidig_ydelse_pr_måned": None, "sygedagpengeniveau_ophører": None}

    # --- person and family
    s["fødselsdato"] = foedt.isoformat()
    s["har_forsørgelsespligt_over_for_barn"] = rng.random() < 0.35
    # now and then the child from the start turns 18 or moves out during the course
    ophoert = (_dag(rng, start, b + 100 * DAG)
               if s["har_forsørgelsespligt_over_for_barn"] and rng.random() < 0.1 else None)
    s["forsørgelsespligt_ophørt_dato"] = ophoert.isoformat() if ophoert else None
    barn = rng.random() < 0.08
    s["barn_født_under_forløbet"] = barn
    if barn:
        s["barns_fødselsdato"] = _dag(rng, start, b + 100 * DAG).isoformat()
    ung = alder < 25 and rng.random() < 0.6
    s["under_25_og_hjemmeboende"] = ung
    if ung:
        s["antal_børn_med_bidragspligt"] = rng.choice([0, 0, 0, 1, 2, 3])
    s["erhvervskompetencegivende_uddannelse"] = rng.random() < 0.4

    # --- visitation and the team
    for navn in ("komplekse_problemer_ud_over_ledighed", "længerevarende_offentlig_forsørgelse",
                 "tilbud_uden_øget_tilknytning", "behov_for_længerevarende_indsats",
                 "udviklingsperspektiv", "borger_deltog_i_mødet",
                 "sagsbehandler_deltog_i_mødet", "lægeattest_indhentet",
                 "koordinerende_sagsbehandler_udpeget", "jobformidler_i_min_plan",
                 "skriftligt_vejledt_om_rådighed_og_sanktioner", "tidligere_ydelse_ophørt"):
        s[navn] = rng.random() < 0.9
    for navn in ("arbejdsevne_kan_ikke_forbedres_dokumenteret",
                 "behandlet_uden_borger_fordi_formålsløst", "bisidder_afvist",
                 "forelagt_igen_før_afgørelse", "afsluttet_før_tid",
                 "lægeattest_betalt_af_personen"):
        s[navn] = rng.random() < 0.08
    s["rehabiliteringsteam_mødedato"] = moede.isoformat()
    udfald = "ressourceforløb" if rng.random() < 0.93 else rng.choice(
        ["fleksjob", "førtidspension", "nuværende_indsats"])
    s["rehabiliteringsteamets_indstilling"] = udfald
    s["kommunens_afgørelse"] = "ressourceforløb"
    s["teammedlemmer"] = [
        {"navn": f"medlem {k + 1}", "fagområde": område}
        for k, område in enumerate(rng.sample(
            ["jobcenter", "sundhedsområdet", "socialområdet", "sundhedskoordinator",
             "undervisningsområdet", "andet_område"], rng.randint(3, 6)))]
    s["forberedende_del"] = {"udarbejdet_dato": (moede - 14 * DAG).isoformat(),
                             **{f: rng.random() < 0.93 for f in (
                                 "udarbejdet_sammen_med_personen", "job_og_uddannelsesmål",
                                 "erfaringer_og_cv", "personlige_ressourcer", "udfordringer",
                                 "helbredssituation", "helbredets_betydning",
                                 "forsørgelseshistorik", "hidtidig_indsats")}}
    s["indstillingens_indhold"] = {f: rng.random() < 0.95 for f in (
        "vægtede_forhold", "begrundelse", "job_eller_uddannelsesmål", "indsatser",
        "opfølgning_og_mentorbehov", "se_sagen_igen", "sundhedskoordinatorens_vurdering")}
    s["ønskede_bisidder"] = rng.random() < 0.2
    s["helbredsoplysninger_tilstrækkelige"] = rng.random() < 0.5

    # --- the course
    s["bevillingsdato"] = bevilling.isoformat()
    s["forløb_startdato"] = start.isoformat()
    s["bevilget_slutdato"] = slut.isoformat()
    s["ydelse_startdato"] = ydelse_start.isoformat()
    s["koordinerende_sagsbehandler_udpeget_dato"] = (start + rng.randint(0, 20) * DAG).isoformat()
    if s["afsluttet_før_tid"]:
        s["afslutningsårsag"] = rng.choice(["job_eller_uddannelse", "overgang_til_anden_ordning",
                                            "personens_alder", "lovændring", "personens_ønske",
                                            "anden_årsag"])
    if b > slut - 60 * DAG and rng.random() < 0.8:
        s["beslutning_om_fremadrettet_indsats_dato"] = (
            slut - rng.randint(-10, 60) * DAG).isoformat()
    tidligere = []
    if rng.random() < 0.25:
        t_slut = start - rng.randint(1, 400) * DAG
        for _ in range(rng.randint(1, 2)):
            m = rng.choice([12, 24, 36])
            t_start = _plus_maaneder(t_slut + DAG, -m)
            tidligere.insert(0, {"startdato": t_start.isoformat(), "slutdato": t_slut.isoformat(),
                                 "længde": {"måneder": m, "dage": 0}})
            t_slut = t_start - rng.randint(1, 300) * DAG
    s["tidligere_forløb"] = tidligere
    for navn, p in (("ønsker_forløb_trods_alder", 0.5), ("ønsker_samlet_tid_over_fem_år", 0.3),
                    ("ønsker_flere_forløb", 0.6), ("ønsker_personlig_jobformidler", 0.5),
                    ("personlig_jobformidler_tildelt", 0.5),
                    ("afklaret_om_fleksjob_eller_førtidspension", 0.5)):
        s[navn] = rng.random() < p

    # --- leave: moves the end date and the deadline for the first indsats
    orlov = []
    forlaengelse = 0
    if rng.random() < 0.15:
        o_start = _dag(rng, start, min(b, slut))
        dage = rng.choice([14, 28, 42, 98, 140])
        o_slut = o_start + (dage - 1) * DAG
        if rng.random() < 0.1:
            dage += 1                                                  # miscounted
        art = "barsel" if rng.random() < 0.8 else "sorgorlov"
        ret = rng.random() < 0.9
        orlov.append({"art": art, "startdato": o_start.isoformat(), "slutdato": o_slut.isoformat(),
                      "kalenderdage": dage, "ret_efter_barselsloven": ret,
                      "ydelse_udbetalt": rng.random() < 0.95})
        forlaengelse = dage if ret else 0
    s["orlovsperioder"] = orlov
    s["registreret_slutdato"] = (slut + (forlaengelse if rng.random() < 0.85 else 0) * DAG
                                 ).isoformat()

    # --- indsatsplan and indsatser
    plan = start + rng.randint(0, 60) * DAG
    s["indsatsplan_udarbejdet_dato"] = plan.isoformat()
    s["indsatsplan_jobmål"] = rng.choice(["Lagerarbejde på nedsat tid", "Pædagogmedhjælper",
                                          "Uddannelse som smed", ""] if rng.random() < 0.1 else
                                         ["Lagerarbejde på nedsat tid", "Pædagogmedhjælper",
                                          "Uddannelse som smed", "Kontorarbejde 10 timer"])
    s["indsatsplan_delmål"] = [
        {"formulering": f"delmål {k + 1}", "område": rng.choice(
            ["beskæftigelsesmæssigt", "sundhedsmæssigt", "uddannelsesmæssigt", "socialt"])}
        for k in range(rng.choice([0, 1, 2, 2, 3, 4]))]
    s["indsatsplan_fastlagt_til"] = (_plus_maaneder(plan, rng.choice([3, 6, 6, 6, 12])) - DAG
                                     ).isoformat()
    arter = {"beskæftigelsesindsats": ["beskæftigelsesloven"],
             "sundhedsindsats": ["sundhedsloven", "serviceloven"],
             "socialindsats": ["serviceloven", "sundhedsloven"]}
    indsatser = []
    first = start + rng.randint(5, 260) * DAG
    for k in range(rng.randint(0, 5)):
        i_start = first + k * rng.randint(20, 120) * DAG
        art = rng.choice(list(arter))
        lov = rng.choice(arter[art]) if rng.random() < 0.93 else rng.choice(
            ["beskæftigelsesloven", "serviceloven", "sundhedsloven"])
        tilbud = art == "beskæftigelsesindsats"
        anmodet = tilbud and rng.random() < 0.2
        indsatser.append({
            "navn": rng.choice(["virksomhedspraktik", "mentor", "psykolog", "misbrugsbehandling",
                                "kursus i at håndtere stress", "fysioterapi"]),
            "art": art, "lovgrundlag": lov, "startdato": i_start.isoformat(),
            "slutdato": (i_start + rng.randint(30, 365) * DAG).isoformat(),
            "påbegyndt": i_start <= b and rng.random() < 0.92,
            "i_indsatsplan": rng.random() < 0.95,
            "beskæftigelsesrettet_tilbud": tilbud,
            "anmodet_om_sundhedskoordinator": anmodet,
            "anmodet_før_start": anmodet and rng.random() < 0.8,
            "samtale_med_sundhedskoordinator_holdt": anmodet and rng.random() < 0.8,
            "sundhedskoordinatorens_vurdering": rng.choice(["tager_hensyn", "tager_ikke_hensyn"]),
            "jobcenteret_har_taget_stilling": rng.random() < 0.8,
            "påbegyndt_før_stillingtagen": rng.random() < 0.1,
        })
    s["indsatser"] = indsatser
    for navn in ("genforelagt_rehabiliteringsteamet", "særlige_grunde_mod_genforelæggelse",
                 "ordinære_løntimer_første_seks_måneder", "løntilskud_første_seks_måneder",
                 "stu_første_seks_måneder"):
        s[navn] = rng.random() < 0.15
    if s["genforelagt_rehabiliteringsteamet"]:
        s["genforelæggelsens_indstilling"] = {f: rng.random() < 0.95 for f in (
            "grundlag", "årsagen_drøftet", "indsatser", "opfølgning",
            "sundhedskoordinatorens_vurdering")}

    # --- conversations: every few weeks from the benefit start, planned ones not yet held
    samtaler = []
    d = ydelse_start + rng.randint(0, 20) * DAG
    tempo = rng.choice([(14, 40), (20, 50), (30, 80)])
    while d <= min(b + 60 * DAG, slut) and len(samtaler) < 40:
        past = d <= b
        samtaler.append({
            "dato": d.isoformat(),
            "form": "fremmøde" if not samtaler or rng.random() < 0.5 else rng.choice(
                ["telefon", "digital", "fremmøde"]),
            "afholdt": past and rng.random() < 0.9,
            "form_valgt_af_personen": rng.random() < 0.85,
            "selvbooket": rng.random() < 0.3,
        })
        d += rng.randint(*tempo) * DAG
    s["samtaler"] = samtaler

    # --- benefit
    forud = rng.choices(["kontanthjælp", "uddannelseshjælp", "sygedagpenge", "ledighedsydelse",
                         "førtidspensionist", "jobafklaringsydelse", "selvforsørgelse",
                         "anden_forsørgelse"], weights=[40, 10, 20, 8, 4, 10, 3, 5])[0]
    s["forudgående_forsørgelse"] = forud
    if forud == "førtidspensionist":
        s["tidligere_ydelse_ophørt"] = rng.random() < 0.1
    hidtidig = None
    if forud in ("sygedagpenge", "ledighedsydelse"):
        hidtidig = rng.randint(9000, 22000) * 100
        s["hidtidig_ydelse_pr_måned"] = _kr(rng, hidtidig)
        s["sygedagpengeniveau_ophører"] = (start + rng.randint(30, 400) * DAG).isoformat()
    barn_nu = barn and dt.date.fromisoformat(s["barns_fødselsdato"]) <= b
    pligt_fra_start = s["har_forsørgelsespligt_over_for_barn"] and not (ophoert and ophoert <= b)
    if pligt_fra_start or barn_nu:
        sats = _sats(params, "ydelse_med_barn", b)
    elif ung:
        ung_sats = _sats(params, "ydelse_ung_hjemmeboende", b)
        tillaeg = _sats(params, "tillæg_pr_barn_ung_hjemmeboende", b)
        med_barn = _sats(params, "ydelse_med_barn", b)
        sats = (min(ung_sats + tillaeg * s.get("antal_børn_med_bidragspligt", 0), med_barn)
                if None not in (ung_sats, tillaeg, med_barn) else None)
    else:
        sats = _sats(params, "ydelse_uden_barn", b)
    if sats is None or rng.random() < 0.12:                             # wrong or no rate known
        sats = rng.choice([1232600, 1277000, 1638200, 1697200, rng.randint(300000, 2000000)])
    if hidtidig is not None and (forud == "ledighedsydelse" or rng.random() < 0.5):
        sats = max(sats, hidtidig)
    s["månedlig_ydelse_før_fradrag"] = _kr(rng, sats)

    # --- holidays and sanctions
    optjening = _plus_maaneder(ydelse_start.replace(day=1), 1)
    s["ferieoptjening_fra"] = optjening.isoformat()
    ferie = []
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        f_start = _dag(rng, optjening + rng.randint(-60, 400) * DAG, b + 60 * DAG)
        uger = rng.choice(["1", "2", "2.5", "3", 1, 2])
        ferie.append({"startdato": f_start.isoformat(),
                      "slutdato": (f_start + 6 * DAG).isoformat(), "ferieuger": uger,
                      "med_feriegodtgørelse": rng.random() < 0.2,
                      "aftalt_og_godkendt_forud": rng.random() < 0.9})
    s["ferieperioder"] = ferie
    s["sanktionshændelser"] = [
        {"dato": _dag(rng, start, b).isoformat(),
         "situation": rng.choice(["ikke_deltaget_i_tilbud", "afslået_tilbud",
                                  "udeblevet_fra_samtale", "manglende_sygemelding",
                                  "manglende_aktiv_deltagelse", "manglende_selvbooking",
                                  "tilsidesat_oplysningspligt"]),
         "rimelig_grund": rng.random() < 0.5, "mod_bedre_vidende": rng.random() < 0.1,
         "personlig_kontakt_forsøgt": rng.random() < 0.8,
         "indstillet_til_sanktion": rng.random() < 0.4,
         "samlet_månedlig_opgørelse": rng.random() < 0.3,
         "partshørt_ved_opgørelsen": rng.random() < 0.9}
        for _ in range(rng.choice([0, 0, 0, 1, 2]))]
    return s


# --- making values conform to the pack's descriptors (runtime type tuples)

def _generic(rng: random.Random, typ: tuple, b: dt.date) -> object:
    kind = typ[0]
    if kind == "dato":
        return (b - rng.randint(0, 800) * DAG).isoformat()
    if kind == "sandhedsværdi":
        return rng.random() < 0.7
    if kind == "heltal":
        return rng.randint(0, 5)
    if kind == "beløb":
        return _kr(rng, rng.randint(1000, 2000000))
    if kind == "decimal":
        return rng.choice(["1", "1.5", "2.25", 3])
    if kind == "varighed":
        return {"måneder": rng.randint(0, 36), "dage": 0}
    if kind == "tekst":
        return rng.choice(["tekst", "noget andet", ""])
    if kind == "enum":
        return rng.choice(typ[2])
    if kind == "post":
        return {navn: _generic(rng, ftyp, b) for navn, ftyp in typ[2]}
    if kind == "liste":
        return [_generic(rng, typ[1], b) for _ in range(rng.randint(0, 3))]
    raise ValueError(f"ukendt type {kind}")


def _fits(value, typ: tuple) -> bool:
    kind = typ[0]
    if kind == "dato":
        return isinstance(value, str) and len(value) == 10
    if kind == "sandhedsværdi":
        return isinstance(value, bool)
    if kind == "heltal":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("beløb", "decimal"):
        return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    if kind == "varighed":
        return isinstance(value, dict)
    if kind == "tekst":
        return isinstance(value, str)
    if kind == "enum":
        return value in typ[2]
    return True


def _conform(rng: random.Random, value, typ: tuple, b: dt.date, p_mangler: float):
    """`value` reshaped to `typ`: unknown fields dropped, missing ones made, some left out."""
    kind = typ[0]
    if kind == "post":
        if not isinstance(value, dict):
            value = {}
        out = {}
        for navn, ftyp in typ[2]:
            v = value[navn] if navn in value else _generic(rng, ftyp, b)
            if rng.random() < p_mangler:
                if rng.random() < 0.3:
                    out[navn] = None                      # null is unknown too
                continue
            out[navn] = _conform(rng, v, ftyp, b, p_mangler)
        return out
    if kind == "liste":
        if not isinstance(value, list):
            value = []
        return [_conform(rng, v, typ[1], b, p_mangler) for v in value]
    return value if _fits(value, typ) else _generic(rng, typ, b)


def make_case(i: int, fakta: dict, params: dict, seed: int = SEED) -> dict:
    """Case number `i`: valid against `fakta` (name -> runtime type descriptor).

    `params` is `rates(program)`: the amounts paid are usually the right rate.
    """
    rng = random.Random(f"{seed}:{i}")
    s = _domain(rng, params)
    b = dt.date.fromisoformat(s["beregningsdato"])
    # Most cases are nearly complete; some are thin, as early in a course.
    p_fakta = 0.3 if rng.random() < 0.1 else 0.03
    p_felt = 0.1 if rng.random() < 0.1 else 0.003
    out = {"beregningsdato": s["beregningsdato"]}
    for navn, typ in fakta.items():
        if navn in s and s[navn] is None:
            continue
        value = s[navn] if navn in s else _generic(rng, typ, b)
        if rng.random() < p_fakta:
            if rng.random() < 0.2:
                out[navn] = None
            continue
        out[navn] = _conform(rng, value, typ, b, p_felt)
    return out


def make_cases(n: int, fakta: dict, params: dict, seed: int = SEED, start: int = 0) -> list:
    return [make_case(i, fakta, params, seed) for i in range(start, start + n)]
