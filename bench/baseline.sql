-- The hand-written SQL baseline: the five rules of bench/baseline.py in DuckDB SQL.
--
-- What a competent developer would write by hand for the same job as the SQL that
-- `regelkode sql` generates for these five rules, over the same table `sager` that
-- `regelkode batch` loads (one row per case: `sag`, `beregningsdato`, one typed
-- column per fact; money in whole øre, lists as arrays of structs). Its output is
-- the generated view's long rows: `sag`, `regel`, `status`, `mangler` (the missing
-- facts of an `ukendt` rule, as sorted JSON paths).
--
-- To be an honest yardstick it does the same work for these rules: an unknown fact
-- is NULL and SQL's own AND/OR/NOT are the three-valued logic, a rule whose outcome
-- can't be decided is `ukendt` with exactly the module's missing facts, and the
-- parameters are read on the date the pack reads them (the course's start, or the
-- judging date). What it leaves out is what hand-written SQL naturally leaves out:
-- the pack's other rules, the definitions table, and branches these rules can't
-- reach (the benefit rule applies only to the groups on the basic rates, so the
-- sygedagpenge and ledighedsydelse branches of the correct amount are never taken).
-- Parameter histories are written inline, as bench/baseline.py writes them.
-- bench/sql.py times it against the generated SQL on the same table, and checks
-- that both give the same rows for every case.

WITH v AS (
  SELECT
    sag,
    beregningsdato AS idag,
    "forløb_startdato" AS fstart,
    "ydelse_startdato" AS ystart,
    "fødselsdato" AS foedt,
    "ønsker_forløb_trods_alder" AS oensker,
    "bevilget_slutdato" AS bslut,
    "beslutning_om_fremadrettet_indsats_dato" AS beslut,
    "samtaler" AS samtaler,
    "indsatser" AS indsatser,
    "orlovsperioder" AS orlov,
    "fritagelsesperioder" AS fritagelse,
    "forudgående_forsørgelse" AS forud,
    -- the forsørgelsespligt from the start holds until a registered end
    "har_forsørgelsespligt_over_for_barn"
      AND NOT coalesce("forsørgelsespligt_ophørt_dato" <= beregningsdato, false) AS pligt_h,
    "barn_født_under_forløbet" AS barn_b,
    "barns_fødselsdato" AS barn_d,
    "under_25_og_hjemmeboende" AS ung,
    "antal_børn_med_bidragspligt" AS boern,
    "månedlig_ydelse_før_fradrag" AS udbetalt,
    "oplyst_grundsats" AS oplyst,
    -- the first six months (the parameters have no value before 2020: unknown)
    CASE WHEN "forløb_startdato" >= DATE '2020-01-01'
         THEN CAST("forløb_startdato" + INTERVAL 6 MONTH AS DATE) END AS gfrist,
    CASE WHEN "ydelse_startdato" >= DATE '2020-01-01'
         THEN CAST("ydelse_startdato" + INTERVAL 6 MONTH AS DATE) END AS sfrist,
    -- Pensionsloven § 1 a: folkepensionsalder in months by birth date
    CAST("fødselsdato" + to_months(CASE
      WHEN "fødselsdato" < DATE '1954-01-01' THEN 780
      WHEN "fødselsdato" < DATE '1954-07-01' THEN 786
      WHEN "fødselsdato" < DATE '1955-01-01' THEN 792
      WHEN "fødselsdato" < DATE '1955-07-01' THEN 798
      WHEN "fødselsdato" < DATE '1963-01-01' THEN 804
      WHEN "fødselsdato" < DATE '1967-01-01' THEN 816
      WHEN "fødselsdato" < DATE '1971-01-01' THEN 828
      ELSE 840 END) AS DATE) AS pensionsdato,
    -- LAB § 114, stk. 1: barsel, and sorgorlov from 1 March 2024, extend the course
    list_transform("orlovsperioder", lambda o:
      o.ret_efter_barselsloven
      AND (o.art = 'barsel' OR CASE WHEN o.startdato < DATE '2020-01-01' THEN NULL
                                    ELSE o.startdato >= DATE '2024-03-01' END)) AS forl_med,
    -- the year's rates (LAS § 109), øre a month
    CASE WHEN beregningsdato >= DATE '2026-01-01' THEN 1773600
         WHEN beregningsdato >= DATE '2025-01-01' THEN 1697200
         WHEN beregningsdato >= DATE '2024-01-01' THEN 1638200
         WHEN beregningsdato >= DATE '2023-01-01' THEN 1587400 END AS med_barn,
    CASE WHEN beregningsdato >= DATE '2026-01-01' THEN 1334500
         WHEN beregningsdato >= DATE '2025-01-01' THEN 1277000
         WHEN beregningsdato >= DATE '2024-01-01' THEN 1232600
         WHEN beregningsdato >= DATE '2023-01-01' THEN 1194400 END AS uden_barn,
    CASE WHEN beregningsdato >= DATE '2026-01-01' THEN 415100
         WHEN beregningsdato >= DATE '2025-01-01' THEN 397200
         WHEN beregningsdato >= DATE '2024-01-01' THEN 383400 END AS ung_basis,
    CASE WHEN beregningsdato >= DATE '2026-01-01' THEN 167600
         WHEN beregningsdato >= DATE '2025-01-01' THEN 160400
         WHEN beregningsdato >= DATE '2024-01-01' THEN 154800 END AS ung_tillaeg,
    CASE WHEN beregningsdato >= DATE '2027-01-01' THEN false
         WHEN beregningsdato >= DATE '2023-01-01' THEN true END AS satser_kendt
  FROM sager
), c AS (
  SELECT
    *,
    -- leave within the first six months, and exemption after the start, move the
    -- indsats deadline: days per period, NULL where it can't be decided
    list_transform(orlov, lambda o:
      CASE WHEN o.startdato <= gfrist THEN o.kalenderdage
           WHEN o.startdato IS NULL OR gfrist IS NULL THEN NULL
           ELSE 0 END) AS orlov_i,
    list_transform(fritagelse, lambda p:
      CASE WHEN p.startdato >= fstart AND p.startdato <= gfrist THEN p.kalenderdage
           WHEN (p.startdato >= fstart AND p.startdato <= gfrist) IS NULL THEN NULL
           ELSE 0 END) AS frit_i,
    list_transform(orlov, lambda o, i:
      CASE WHEN forl_med[i] THEN o.kalenderdage WHEN forl_med[i] IS NULL THEN NULL ELSE 0 END)
      AS forl_i,
    pligt_h OR (barn_b AND barn_d <= idag) AS pligt
  FROM v
), d AS (
  SELECT
    *,
    -- NULL when a period's days can't be decided, or the list is missing
    CASE WHEN len(orlov_i) = list_count(orlov_i) THEN coalesce(list_sum(orlov_i), 0) END
    + CASE WHEN len(frit_i) = list_count(frit_i) THEN coalesce(list_sum(frit_i), 0) END
      AS fritagelsesdage
  FROM c
), e AS (
  SELECT
    *,
    gfrist + CAST(fritagelsesdage AS INTEGER) AS sidste_dag,
    bslut + CAST(CASE WHEN len(forl_i) = list_count(forl_i) THEN coalesce(list_sum(forl_i), 0)
                 END AS INTEGER) AS slutdato,
    list_transform(samtaler, lambda s: s.afholdt AND s.dato >= ystart AND s.dato <= sfrist)
      AS holdt,
    -- leave with a right under barselsloven, or an exemption, in the first six months
    list_transform(orlov, lambda o:
      o.ret_efter_barselsloven AND o.startdato <= sfrist AND o.slutdato >= ystart) AS orl_i,
    list_transform(fritagelse, lambda p: p.startdato <= sfrist AND p.slutdato >= ystart)
      AS frit_f,
    CASE WHEN ung THEN ung_sats WHEN NOT ung THEN uden_barn WHEN ung_sats = uden_barn THEN uden_barn
    END AS ung_eller_ej
  FROM (SELECT *,
          -- the lower of the two, unknown if either is (DuckDB's least() skips a NULL)
          CASE WHEN ung_basis + ung_tillaeg * boern <= med_barn THEN ung_basis + ung_tillaeg * boern
               WHEN ung_basis + ung_tillaeg * boern > med_barn THEN med_barn END AS ung_sats
        FROM d)
), f AS (
  SELECT
    *,
    list_transform(indsatser, lambda i:
      i.påbegyndt AND i.i_indsatsplan
      AND i.grundlag IN ('lab_tilbud_kapitel_11_12_14', 'serviceloven', 'sundhedsloven_kommunal')
      AND i.startdato >= fstart AND (i.startdato <= gfrist OR i.startdato <= sidste_dag))
      AS i_tide,
    -- three-valued `nogen`: true if one is, unknown if the list is or one may be
    CASE WHEN list_bool_or(orl_i) THEN true WHEN len(orl_i) > list_count(orl_i) THEN NULL
         WHEN orl_i IS NOT NULL THEN false END AS orl_nogen,
    CASE WHEN list_bool_or(frit_f) THEN true WHEN len(frit_f) > list_count(frit_f) THEN NULL
         WHEN frit_f IS NOT NULL THEN false END AS frit_nogen,
    CASE WHEN satser_kendt IS NULL THEN CASE WHEN oplyst = grundsats0 THEN oplyst END
         WHEN satser_kendt THEN grundsats0
         ELSE oplyst END AS grundsats
  FROM (SELECT *, CASE WHEN pligt THEN med_barn WHEN NOT pligt THEN ung_eller_ej
                       WHEN med_barn = ung_eller_ej THEN med_barn END AS grundsats0 FROM e)
), s AS (
  SELECT
    *,
    CASE
      WHEN fstart IS NULL OR fstart < DATE '2020-01-01' THEN 'ukendt'
      WHEN fstart < DATE '2022-01-01' THEN 'ikke_relevant'
      WHEN oensker THEN 'opfyldt'
      WHEN foedt IS NULL THEN 'ukendt'
      WHEN CAST(fstart + INTERVAL 72 MONTH AS DATE) <= pensionsdato THEN 'opfyldt'
      WHEN oensker IS NULL THEN 'ukendt'
      ELSE 'brud'
    END AS s_alder,
    CASE
      WHEN fstart IS NULL OR fstart < DATE '2020-01-01' OR bslut IS NULL THEN 'ukendt'
      WHEN bslut <= CAST(fstart + to_months(CASE WHEN fstart < DATE '2022-01-01' THEN 60
                                                 ELSE 36 END) AS DATE) - 1 THEN 'opfyldt'
      ELSE 'brud'
    END AS s_varighed,
    CASE
      WHEN ystart IS NULL OR ystart < DATE '2020-01-01' THEN 'ukendt'
      WHEN idag <= sfrist THEN 'ikke_relevant'
      WHEN samtaler IS NULL OR len(holdt) > list_count(holdt) THEN 'ukendt'
      WHEN coalesce(list_sum(CAST(holdt AS INTEGER[])), 0) >= 4 THEN 'opfyldt'
      -- the exception; undecided, the milder severity
      WHEN coalesce(orl_nogen OR frit_nogen, true) THEN 'opmærksomhed'
      ELSE 'brud'
    END AS s_samtaler,
    CASE
      WHEN fstart IS NULL OR fstart < DATE '2020-01-01' THEN 'ukendt'
      WHEN fstart < DATE '2022-01-01' THEN 'ikke_relevant'
      WHEN sidste_dag IS NULL THEN 'ukendt'
      WHEN idag <= sidste_dag THEN 'ikke_relevant'
      WHEN indsatser IS NULL THEN 'ukendt'
      WHEN list_bool_or(i_tide) THEN 'opfyldt'
      WHEN len(i_tide) > list_count(i_tide) THEN 'ukendt'
      ELSE 'opmærksomhed'
    END AS s_indsats,
    CASE
      -- the course runs past its last day until the kommune decides what comes next
      -- (principafgørelse 82-16); a missing decision date is no decision; never from
      -- the day folkepensionsalderen is reached (LAB § 114, stk. 4, 2. pkt.)
      WHEN NOT (idag >= ystart
                AND (idag <= slutdato OR (idag > slutdato AND NOT coalesce(beslut <= idag, false)))
                AND idag < pensionsdato
                AND forud IN ('kontanthjælp', 'uddannelseshjælp', 'jobafklaringsydelse',
                              'selvforsørgelse', 'anden_forsørgelse')) THEN 'ikke_relevant'
      WHEN ystart IS NULL OR slutdato IS NULL OR forud IS NULL OR pensionsdato IS NULL
        THEN 'ukendt'
      WHEN udbetalt = grundsats THEN 'opfyldt'
      WHEN udbetalt <> grundsats THEN 'brud'
      ELSE 'ukendt'
    END AS s_ydelse
  FROM f
)
SELECT
  sag,
  UNNEST(['ikke_forløb_med_mindre_end_seks_år_til_folkepension',
          'varighed_højst_tilladt',
          'fire_samtaler_første_seks_måneder',
          'indsats_påbegyndt_inden_seks_måneder',
          'ydelse_efter_grundsatserne']) AS regel,
  UNNEST([s_alder, s_varighed, s_samtaler, s_indsats, s_ydelse]) AS status,
  UNNEST([
    -- the missing facts, worked out only for a rule that is `ukendt`
    CASE WHEN s_alder <> 'ukendt' THEN []::VARCHAR[]
         WHEN fstart IS NULL THEN ['forløb_startdato']
         WHEN fstart < DATE '2020-01-01' THEN []::VARCHAR[]
         WHEN foedt IS NOT NULL THEN ['ønsker_forløb_trods_alder']
         WHEN oensker IS NULL THEN ['fødselsdato', 'ønsker_forløb_trods_alder']
         ELSE ['fødselsdato'] END,
    CASE WHEN s_varighed <> 'ukendt' THEN []::VARCHAR[]
         ELSE list_concat(CASE WHEN bslut IS NULL THEN ['bevilget_slutdato'] END,
                          CASE WHEN fstart IS NULL THEN ['forløb_startdato'] END) END,
    CASE WHEN s_samtaler <> 'ukendt' THEN []::VARCHAR[]
         WHEN ystart IS NULL THEN ['ydelse_startdato']
         WHEN ystart < DATE '2020-01-01' THEN []::VARCHAR[]
         -- the count is unknown; so is what the exception needs, when it is undecided
         ELSE list_sort(flatten([
           CASE WHEN samtaler IS NULL THEN ['samtaler']
                ELSE flatten(list_transform(samtaler, lambda x, i:
                  CASE WHEN holdt[i] IS NULL THEN list_concat(
                    CASE WHEN x.afholdt IS NULL THEN ['samtaler[' || (i - 1) || '].afholdt'] END,
                    CASE WHEN x.dato IS NULL THEN ['samtaler[' || (i - 1) || '].dato'] END)
                  ELSE []::VARCHAR[] END)) END,
           CASE WHEN (orl_nogen OR frit_nogen) IS NOT NULL THEN []::VARCHAR[]
                ELSE list_concat(
                  CASE WHEN orl_nogen IS NOT NULL THEN []::VARCHAR[]
                       WHEN orlov IS NULL THEN ['orlovsperioder']
                       ELSE flatten(list_transform(orlov, lambda x, i:
                         CASE WHEN orl_i[i] IS NULL THEN flatten([
                           CASE WHEN x.ret_efter_barselsloven IS NULL
                                THEN ['orlovsperioder[' || (i - 1) || '].ret_efter_barselsloven'] END,
                           CASE WHEN x.startdato IS NULL
                                THEN ['orlovsperioder[' || (i - 1) || '].startdato'] END,
                           CASE WHEN x.slutdato IS NULL
                                THEN ['orlovsperioder[' || (i - 1) || '].slutdato'] END])
                         ELSE []::VARCHAR[] END)) END,
                  CASE WHEN frit_nogen IS NOT NULL THEN []::VARCHAR[]
                       WHEN fritagelse IS NULL THEN ['fritagelsesperioder']
                       ELSE flatten(list_transform(fritagelse, lambda x, i:
                         CASE WHEN frit_f[i] IS NULL THEN list_concat(
                           CASE WHEN x.startdato IS NULL
                                THEN ['fritagelsesperioder[' || (i - 1) || '].startdato'] END,
                           CASE WHEN x.slutdato IS NULL
                                THEN ['fritagelsesperioder[' || (i - 1) || '].slutdato'] END)
                         ELSE []::VARCHAR[] END)) END) END])) END,
    CASE WHEN s_indsats <> 'ukendt' THEN []::VARCHAR[]
         WHEN fstart IS NOT NULL AND fstart >= DATE '2022-01-01' AND sidste_dag IS NOT NULL THEN
           CASE WHEN indsatser IS NULL THEN ['indsatser']
                ELSE list_sort(flatten(list_transform(indsatser, lambda x, i:
                  CASE WHEN i_tide[i] IS NULL THEN flatten([
                    CASE WHEN x.grundlag IS NULL THEN ['indsatser[' || (i - 1) || '].grundlag'] END,
                    CASE WHEN x.i_indsatsplan IS NULL
                         THEN ['indsatser[' || (i - 1) || '].i_indsatsplan'] END,
                    CASE WHEN x.påbegyndt IS NULL
                         THEN ['indsatser[' || (i - 1) || '].påbegyndt'] END,
                    CASE WHEN x.startdato IS NULL
                         THEN ['indsatser[' || (i - 1) || '].startdato'] END])
                  ELSE []::VARCHAR[] END))) END
         -- the deadline itself can't be decided: the course's start, or a period's days
         ELSE list_sort(flatten([
           CASE WHEN fstart IS NULL THEN ['forløb_startdato'] END,
           CASE WHEN orlov IS NULL THEN ['orlovsperioder']
                ELSE flatten(list_transform(orlov, lambda x, i:
                  CASE WHEN x.startdato IS NULL THEN ['orlovsperioder[' || (i - 1) || '].startdato']
                       WHEN x.startdato <= gfrist AND x.kalenderdage IS NULL
                       THEN ['orlovsperioder[' || (i - 1) || '].kalenderdage']
                       ELSE []::VARCHAR[] END)) END,
           CASE WHEN fritagelse IS NULL THEN ['fritagelsesperioder']
                ELSE flatten(list_transform(fritagelse, lambda x, i:
                  CASE WHEN x.startdato IS NULL
                       THEN ['fritagelsesperioder[' || (i - 1) || '].startdato']
                       WHEN x.startdato >= fstart AND x.startdato <= gfrist
                            AND x.kalenderdage IS NULL
                       THEN ['fritagelsesperioder[' || (i - 1) || '].kalenderdage']
                       ELSE []::VARCHAR[] END)) END])) END,
    CASE WHEN s_ydelse <> 'ukendt' THEN []::VARCHAR[]
         WHEN ystart IS NULL OR slutdato IS NULL OR forud IS NULL OR pensionsdato IS NULL
         THEN list_sort(flatten([
           CASE WHEN ystart IS NULL THEN ['ydelse_startdato'] END,
           CASE WHEN pensionsdato IS NULL THEN ['fødselsdato'] END,
           CASE WHEN slutdato IS NULL THEN list_concat(
             CASE WHEN bslut IS NULL THEN ['bevilget_slutdato'] END,
             CASE WHEN orlov IS NULL THEN ['orlovsperioder']
                  ELSE flatten(list_transform(orlov, lambda x, i: CASE
                    WHEN forl_med[i] IS NULL THEN list_concat(
                      CASE WHEN x.ret_efter_barselsloven IS NULL
                           THEN ['orlovsperioder[' || (i - 1) || '].ret_efter_barselsloven'] END,
                      CASE WHEN (x.art = 'barsel' OR CASE WHEN x.startdato < DATE '2020-01-01'
                                 THEN NULL ELSE x.startdato >= DATE '2024-03-01' END) IS NULL
                           THEN list_concat(
                             CASE WHEN x.art IS NULL
                                  THEN ['orlovsperioder[' || (i - 1) || '].art'] END,
                             CASE WHEN x.startdato IS NULL
                                  THEN ['orlovsperioder[' || (i - 1) || '].startdato'] END) END)
                    WHEN forl_med[i] AND x.kalenderdage IS NULL
                    THEN ['orlovsperioder[' || (i - 1) || '].kalenderdage']
                    ELSE []::VARCHAR[] END)) END) END,
           CASE WHEN forud IS NULL THEN ['forudgående_forsørgelse'] END]))
         -- the rule applies: the amount paid, or the correct amount, is unknown
         ELSE list_sort(flatten([
           CASE WHEN udbetalt IS NULL THEN ['månedlig_ydelse_før_fradrag'] END,
           CASE WHEN grundsats IS NOT NULL OR satser_kendt IS NULL THEN []::VARCHAR[]
                WHEN NOT satser_kendt THEN ['oplyst_grundsats']
                WHEN pligt THEN []::VARCHAR[]
                WHEN NOT pligt THEN CASE
                  WHEN ung THEN CASE WHEN boern IS NULL
                                     THEN ['antal_børn_med_bidragspligt'] END
                  WHEN ung IS NULL THEN ['under_25_og_hjemmeboende'] END
                ELSE flatten([
                  CASE WHEN pligt_h IS NULL
                       THEN ['har_forsørgelsespligt_over_for_barn'] END,
                  CASE WHEN (barn_b AND barn_d <= idag) IS NULL THEN list_concat(
                    CASE WHEN barn_b IS NULL THEN ['barn_født_under_forløbet'] END,
                    CASE WHEN barn_d IS NULL THEN ['barns_fødselsdato'] END) END]) END]))
    END]) AS mangler
FROM s
