"""The pack's SQL page: the views the SQL backend generates, and how to run them.

One page per pack (`genereret/<pack>/sql.md`) plus the full SQL per dialect as
files beside it (`<pack>.<dialect>.sql`): the views are far too long to read
on a page, so the page shows the input table, the two outputs, one rule's
SQL as an example, and the commands.
"""

from __future__ import annotations

from .. import mdtext as md
from ..backends.sql import limits
from ..backends.sql.dialects import SqlDialect
from ..backends.sql.expr import Unsupported
from ..backends.sql.names import checked, sql_text
from ..backends.sql.program import emit_sql, input_columns, long_views, view_name
from ..runtime import _tusinder
from .context import PackContext

RUN = """\
regelkode sql {pack} > {pack}.sql                     # DuckDB (standard)
regelkode sql {pack} --dialect spark > {pack}.spark.sql
regelkode sql {pack} --dialect postgres | psql -d sagsdb  # typer, tabellen sager og views
regelkode batch {pack} sager/ --out resultater.parquet  # en mappe med sager (*.json)
regelkode batch {pack} sager.jsonl --out resultater.duckdb --dato 2025-06-01
regelkode batch {pack} sager.parquet --out resultater.csv --engine spark"""


def sql_files(ctx: PackContext) -> dict[str, bytes]:
    out = {}
    for dialect in ("duckdb", "spark", "trino", "postgres"):
        try:
            text = emit_sql(ctx.program, dialect)
        except Unsupported:
            continue
        out[f"{ctx.prefix}/{ctx.pack.id}.{dialect}.sql"] = text.encode("utf-8")
    return out


def questions(program) -> list[str]:
    """The page's section of questions to the results, as DuckDB SQL over the views
    (tests/sql/test_questions.py runs it, on PostgreSQL too, against the interpreter)."""
    if not program.rules:
        return []
    results = '"' + view_name(program.pack, "resultater") + '"'
    rules = '"' + view_name(program.pack, "regler") + '"'
    rule = next((r for r in program.rules if r.meta[2] == "brud"), program.rules[0])
    sql = "\n".join([
        f"-- Hvilke sager er i strid med reglen {checked(rule.id)}, og efter hvilke kilder?",
        "SELECT r.sag, r.status, k.kilder",
        f"FROM {results} AS r JOIN {rules} AS k USING (regel)",
        f"WHERE r.regel = {sql_text(rule.id)} AND r.status IN ('brud', 'opmærksomhed')",
        "ORDER BY r.sag;",
        "",
        "-- Hvor mange sager har hver status, regel for regel?",
        "SELECT regel, status, count(*) AS sager",
        f"FROM {results}",
        "GROUP BY regel, status",
        "ORDER BY regel, status;",
        "",
        "-- Hvilke fakta mangler oftest, når en regel ikke kan afgøres?",
        "SELECT faktum, count(*) AS gange",
        f"FROM (SELECT unnest(mangler) AS faktum FROM {results} WHERE status = 'ukendt') AS m",
        "GROUP BY faktum",
        "ORDER BY gange DESC, faktum;"])
    return ["## Spørgsmål til resultaterne", "",
            "Resultaterne er et almindeligt view, så et spørgsmål til hele sagsmængden er "
            "én forespørgsel. Tre eksempler, skrevet til DuckDB; de kan køres, som de står, "
            "i PostgreSQL, og i Spark sættes navnet i backticks i stedet for anførselstegn, "
            "og `unnest` hedder `explode`. En regel, der ikke er opfyldt, har status `brud` "
            "eller `opmærksomhed` efter reglens alvor (og en undtagelse kan sætte sin egen); "
            "`mangler` er de fakta, der skal til for at afgøre en regel med status "
            "`ukendt`. `regelkode batch` skriver de samme rækker i tabellen `resultater`, "
            "og i en DuckDB-database som output også reglerne i tabellen `regler`.",
            "", md.fenced(sql, "sql"), ""]


def sql_page(ctx: PackContext, files: dict[str, bytes]) -> str:
    program = ctx.program
    pack = ctx.pack.id
    d = SqlDialect("duckdb")
    lines = [f"# SQL: {md.text(ctx.pack.title)}", ""]
    lines.append(
        "Reglerne findes også som SQL-views, så en hel sagsmængde kan bedømmes med én "
        "forespørgsel i den database, hvor data ligger. Svarene er de samme som Python-"
        "modulets: for hver sag og regel samme status og samme manglende fakta "
        "(testet på alle eksempler, eksempelsager og tilfældige sager). Meddelelser og "
        "begrundelser kommer kun fra Python-modulet; reglernes titler, alvor og kilder "
        f"står også i viewet {md.code(view_name(pack, 'regler'))}.")
    lines += ["", "## Hent SQL'en", ""]
    for path in sorted(files):
        name = path.rsplit("/", 1)[1]
        lines.append(f"- {md.link(name, name)}")
    lines += ["", "PostgreSQL-filen opretter først de navngivne typer, som posterne og "
              "varighederne skal have dér (fx `\"<pakke>/varighed\"`), og tabellen `sager`, "
              "hvor de mangler, og derefter de tre views på ny. Den kan derfor køres igen i "
              "samme database, fx når pakken får nye satser, og sagerne i tabellen bliver "
              "stående. En type eller tabel, der findes, ændres ikke: får pakken nye fakta "
              "eller felter, tilføjes de med `ALTER TABLE` eller `ALTER TYPE`. Rettigheder "
              "til de tre views gives igen efter en kørsel, for de er nye; har I selv lagt "
              "et view oven på dem, stopper kørslen i stedet for at slette det. Filen er "
              "prøvet mod PostgreSQL 15 på de samme sager som de andre dialekter og på "
              "tilfældige pakker. PostgreSQL kan ikke have tegnet NUL (U+0000) i en tekst: "
              "har en af pakkens tekster det, skrives PostgreSQL-filen ikke, og "
              "`regelkode sql --dialect postgres` siger hvilken tekst. "
              "Trino-filen er skrevet, men ikke kørt."]
    lines += ["", "## Sådan køres den", "", md.fenced(RUN.format(pack=f"rules/{pack}"), "sh"),
              "",
              "`batch` validerer hver sag præcis som Python-modulet (en fejlbehæftet sag "
              "afvises med sin JSON-sti, og resten bedømmes) og skriver to tabeller: "
              "resultater og definitioner (en DuckDB-database får også tabellen `regler`).",
              "",
              "Sagens id er filens navn uden `.json` (en mappe; `.JSON` tæller også, og "
              "`batch` nævner de filer og mapper, den springer over), linjens felt `id` — en "
              "tekst eller et heltal — eller ellers linjens nummer (JSONL; har pakken et "
              "faktum, der hedder `id`, er feltet det faktum), og kolonnen `sag` eller "
              "ellers rækkens nummer (Parquet). Et id er et heltal eller en ikke-tom tekst "
              "uden linjeskift eller andre kontroltegn, uanset hvor det kommer fra; en sag "
              "med et andet id afvises. Får to sager samme id, afvises den anden.", "",
              "En Parquet-fil med typede kolonner (datoer som DATE, beløb som "
              "DECIMAL(18, 2) kroner, lister som lister af structs, én kolonne pr. faktum "
              "som i sagens JSON) valideres i DuckDB i stedet for i Python: kun de rækker, "
              "SQL-kontrollen ikke kan godkende, læses tilbage og valideres af Python-"
              "modulets kode, så afvisningerne er de samme. Det er den hurtigste vej ind "
              "(se siden Hastighed). En Parquet-fil, hvor to kolonner eller to felter i "
              "samme struct kun adskiller sig ved store og små bogstaver, afvises som "
              "helhed: DuckDB kan ikke læse dem hver for sig."]
    lines += ["", "## Inputtabellen `sager`", "",
              "Én række pr. sag, én kolonne pr. faktum. NULL er et ukendt faktum (og et "
              "NULL-felt i en post et ukendt felt). Beløb er hele øre, varigheder "
              "`{maaneder, dage}`.", ""]
    cols = ",\n".join(f'  "{name}" {typ}' for name, typ in input_columns(program))
    lines += [md.fenced(f"CREATE TABLE sager (\n{cols}\n);", "sql"), ""]
    lines += ["## Resultaterne", "",
              md.table(["view", "rækker"], [
                  [md.code(view_name(pack, "resultater")),
                   "sag, regel, status, mangler (sorteret liste af faktastier)"],
                  [md.code(view_name(pack, "definitioner")),
                   "sag, definition, vaerdi (tekst), mangler"],
                  [md.code(view_name(pack, "bred")),
                   "én række pr. sag med alle definitioner og regler som kolonner"],
                  [md.code(view_name(pack, "regler")),
                   "én række pr. regel: regel, titel, omraade, lag, alvor, kilder (som i "
                   "Python-modulets rapport)"]]), ""]
    lines += questions(program)
    example = long_views(program, "duckdb", view_name(pack, "bred"))[view_name(pack,
                                                                              "resultater")]
    text = example.sql(dialect="duckdb", pretty=True)
    if len(text) > 3000:
        text = text[:3000] + "\n…"
    lines += ["Sådan bliver den brede tabel til lange rækker (DuckDB):", "",
              md.fenced(text, "sql"), ""]
    lines += ["## Ukendt og manglende fakta", "",
              "SQL's egen tre-værdi-logik er regelsprogets: et ukendt faktum er NULL, og "
              "AND/OR/NOT er Kleene-logik ligesom `og`/`eller`/`ikke`. Ved siden af hver "
              "værdi regnes listen af de fakta, der mangler for at afgøre den, efter samme "
              "regler som Python-modulets `mangler`. Datoer lægges måneder til som i "
              "Python (31. januar + 1 måned = 29. februar i skudår).", "",
              f"Beregningsdatoen er kolonnen `beregningsdato` (NULL: i dag, "
              f"{md.code(d.name)}-dialektens `CURRENT_DATE`)."]
    lines += ["", "## Talområdet", "", _range_text()]
    return "\n".join(lines) + "\n"


def _range_text() -> str:
    return (
        "SQL-motorerne regner med 64-bit heltal og `DECIMAL(38, 12)`, Python-modulet med "
        "vilkårligt store tal. En sag med et faktum uden for det område, hvor SQL'en "
        f"regner præcis som Python-modulet (heltal under {_tusinder(limits.MAX_HELTAL)}, beløb "
        f"under {_tusinder(limits.MAX_OERE // 100)} kr., decimaltal med højst "
        f"{limits.MAX_HELE_CIFRE} cifre før og {limits.MAX_DECIMALER} efter kommaet, "
        f"årene {limits.FOERSTE_AAR}-{limits.SIDSTE_AAR}, varigheder under "
        f"{_tusinder(limits.MAX_VARIGHED)} måneder eller dage), bedømmes ikke, men nævnes med "
        "faktummets JSON-sti som »uden for SQL-backendens talområde«. Giver "
        "beregningen alligevel et tal, motoren ikke kan holde (fx tre store heltal "
        "ganget sammen eller to store decimaltal), nævner `batch` sagen på samme måde "
        "med DuckDB's egen forklaring og bedømmer de andre; med `--engine spark` "
        "stopper kørslen med en besked. Sådanne sager bedømmes af Python-modulet. "
        "Kører I den udskrevne SQL over jeres egen tabel `sager`, kontrollerer den ikke "
        "området, men bygger på det: rækkerne skal ligge i det. Fx ser SQL'en kun efter, "
        "om en dato lægges ud over kalenderens ender (år 1 og 9999), dér hvor en sag inden "
        "for området kan nå dem; en dato uden for området kan derfor give en kendt dato, "
        "hvor Python-modulet siger *ukendt*.\n\n"
        "**Division.** Python-modulet regner en kvotient med 40 cifre, SQL med "
        f"{limits.MAX_DECIMALER} decimaler. DuckDB, Spark og PostgreSQL regner derfor en "
        f"kvotient med heltal: går den op med højst {limits.MAX_DECIMALER} decimaler "
        "(7 / 8), er den præcis Python-modulets; gør den ikke (1 / 3), nævner DuckDB sagen "
        "som uden for talområdet, Spark stopper kørslen med en besked, og PostgreSQL "
        f"stopper forespørgslen med beskeden «{limits.INEXAKT}». Et beløb delt med et tal "
        "og et beløb afrundet til hele kroner rundes præcis som i Python-modulet (halve "
        "øre og kroner væk fra nul). Den udskrevne SQL til Trino bruger Trinos egen "
        f"decimaldivision, som runder kvotienten til {limits.MAX_DECIMALER} decimaler: "
        "en regel, der sammenligner en kvotient, der ikke går op, kan dér blive bedømt "
        "anderledes end i Python-modulet.")
