"""The PostgreSQL dialect on a real PostgreSQL server agrees with the interpreter.

`regelkode sql --dialect postgres` is run as printed (named types, the table
`sager`, the views) on a throw-away server (conftest.py, one per session);
every example, every sample case, seeded variants with missing facts and
seeded random cases of each pack are judged there and compared, per case and
rule, on status and missing facts, through the one differential harness.
"""

from __future__ import annotations

import sys
import zlib

import pytest

from differential.harness import ROOT, compare, example_cases, registered, sample_cases, variants
from regelkode.checks.analysis import compile_checked

sys.path.insert(0, str(ROOT))
from bench.cases import make_case, rates

# the hostile pack too: its names and texts reach PostgreSQL's identifiers and literals
PACKS = ["rules/ressourceforloeb", "rules/frederiksberg", "tests/packs/eksempel",
         "tests/packs/eksempel_lag", "tests/packs/fjendtlig"]
VARIANTS_PER_SAMPLE = 25
RANDOM_CASES = 40


@pytest.fixture
def pg_backend(pg_dsn):
    from regelkode.backends.sql.postgres import PostgresSqlBackend

    with registered("sql-postgres", PostgresSqlBackend(pg_dsn)) as name:
        yield name


@pytest.mark.parametrize("pack", PACKS)
def test_postgres_agrees_with_the_interpreter(pack, pg_backend):
    compiled = compile_checked(ROOT / pack)
    assert compiled.ok
    samples = sample_cases(compiled.path)
    seed = zlib.crc32(compiled.pack.id.encode())
    cases = (example_cases(compiled) + samples + variants(samples, VARIANTS_PER_SAMPLE, seed))
    if pack.startswith("rules/"):
        params = rates(compiled.program)
        cases += [(make_case(i, compiled.program.facts, params, seed=f"pg:{pack}"), None)
                  for i in range(RANDOM_CASES)]
    assert cases
    bad = compare(compiled.program, cases, pg_backend)
    assert not bad, f"{len(bad)} of {len(cases)} cases differ; the first:\n{bad[0]}"


def test_a_missing_server_is_named_not_hidden(monkeypatch):
    """Without PostgreSQL's binaries the fixture gets a reason to fail with (under
    `make test`/CI, REQUIRED) or to skip with (elsewhere), never a silent pass."""
    from . import pgserver

    monkeypatch.setattr(pgserver.shutil, "which", lambda name: None)
    monkeypatch.setattr(pgserver.glob, "glob", lambda pattern: [])
    with pytest.raises(pgserver.NoServer, match="apt-get install postgresql"), \
            pgserver.cluster():
        pass


def test_the_printed_script_runs_again_and_keeps_the_cases(pg_dsn):
    """A municipality re-runs the script for each new version of a pack (a new
    year's rates): the table `sager` keeps its rows, the views are made anew even
    where their columns changed, and a view of the user's on top of them stops the
    script rather than being dropped with them."""
    import psycopg

    from regelkode.backends.sql.cases import rows_for
    from regelkode.backends.sql.postgres import PostgresEngine
    from regelkode.backends.sql.program import emit_sql, view_name

    compiled = compile_checked(ROOT / "tests/packs/eksempel")
    program = compiled.program
    rows, refused = rows_for(program, sample_cases(compiled.path))
    assert rows and not any(refused)
    script = emit_sql(program, "postgres", pretty=False)
    engine = PostgresEngine(program, pg_dsn)       # has run the script once
    try:
        engine.load(rows)
        first = sorted(engine.results())
        assert len(first) == len(rows) * len(program.rules)
        engine.con.execute(script)
        assert sorted(engine.results()) == first
        # the wide view as an older pack left it, with other columns
        bred, resultater = view_name(program.pack, "bred"), view_name(program.pack, "resultater")
        engine.con.execute('DROP VIEW "{}", "{}", "{}"'.format(
            view_name(program.pack, "definitioner"), resultater, bred))
        engine.con.execute(f'CREATE VIEW "{bred}" AS SELECT 1 AS gammel')
        engine.con.execute(script)
        assert sorted(engine.results()) == first
        engine.con.execute(f'CREATE VIEW "mine" AS SELECT * FROM "{resultater}"')
        with pytest.raises(psycopg.errors.DependentObjectsStillExist):
            engine.con.execute(script)
        assert sorted(engine.results()) == first
    finally:
        engine.close()


def test_durations_computed_from_unknowns_on_postgres(tmp_path, pg_backend):
    """The durations of test_emit's pack agree with the interpreter on PostgreSQL too:
    its `IS NULL` takes a row of NULL fields for NULL, but `i` did not."""
    from .test_emit import duration_cases, duration_program

    assert not compare(duration_program(tmp_path), duration_cases(), pg_backend)


DURATIONS_IN_LISTS = """\
typer:
  et_ophold:
    beskrivelse: x
    felter:
      længde: {type: varighed (dage), beskrivelse: x}
  periode:
    beskrivelse: x
    felter:
      n: {type: heltal, beskrivelse: x}
fakta:
  ophold: {type: liste af et_ophold, beskrivelse: x}
  varighed: {type: periode, beskrivelse: "en post, der hedder som typen"}
definitioner:
  længst: {type: varighed (dage), værdi: "største længde i ophold"}
  kortest: {type: varighed (dage), værdi: "mindste længde i ophold"}
regler:
  højst_30: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "længst er højst 30 dage"}
  mindst_2: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "kortest er mindst 2 dage"}
  n: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "varighed.n er mindst 0"}
"""


def test_the_least_and_greatest_duration_in_a_list_on_postgres(tmp_path, pg_backend):
    """`største`/`mindste` of durations on PostgreSQL: unnest in FROM spread each
    varighed into its fields (MAX took the months), and MAX has no composite form;
    and the varighed type was named as a fact named `varighed`'s record type, so
    `varighed.n` was looked up in the duration. Found by random packs on PostgreSQL."""
    from .test_overflow import _pack

    _dir, program = _pack(tmp_path, DURATIONS_IN_LISTS)
    day = "2025-01-01"
    lists = [[], [{"længde": {"dage": 3}}], [{"længde": {"dage": 40}}, {"længde": {"dage": 1}}],
             [{"længde": {"dage": 5}}, {}], [{"længde": {"dage": 5}}, {"længde": None}]]
    cases = [({"ophold": ophold, "varighed": {"n": 39}, "beregningsdato": day}, None)
             for ophold in lists] + [({"beregningsdato": day, "varighed": {}}, None)]
    assert not compare(program, cases, pg_backend)


def test_a_nul_in_a_text_is_named_not_a_broken_script(tmp_path, pg_backend, capsys):
    """PostgreSQL has no NUL (U+0000) in a text, and its server reads a statement only
    up to one. A pack text with one: `regelkode sql --dialect postgres` refuses the
    pack and names the text, where it printed a script that broke off there; DuckDB's
    SQL holds it. A case text with one is beyond PostgreSQL's range, not a traceback.
    Found by random packs on PostgreSQL."""
    from regelkode.backends import OutOfRange, backend
    from regelkode.cli import main

    from .test_overflow import _pack

    pack, _program = _pack(tmp_path / "titel", """\
fakta:
  t: {type: tekst, beskrivelse: x}
regler:
  r: {titel: "før\\0efter", område: o, alvor: brud, meddelelse: m, krav: "t er ukendt"}
""")
    assert main(["sql", str(pack), "--dialect", "postgres"]) == 1
    out, err = capsys.readouterr()
    assert not out and 'teksten "før\\u0000efter" indeholder tegnet NUL (U+0000)' in err
    assert main(["sql", str(pack), "--dialect", "duckdb"]) == 0

    _dir, program = _pack(tmp_path / "sag", """\
fakta:
  t: {type: liste af tekst, beskrivelse: x}
regler:
  r: {titel: T, område: o, alvor: brud, meddelelse: m, krav: "antal t er højst 1"}
""")
    cases = [({"t": ["a", "b\x00"], "beregningsdato": "2025-01-01"}, None),
             ({"t": ["a"], "beregningsdato": "2025-01-01"}, None)]
    skipped: list[int] = []
    assert not compare(program, cases, pg_backend, out_of_range=skipped)
    assert skipped == [0]
    out = backend(pg_backend).runner(program, tmp_path).judge(cases)
    assert isinstance(out[0], OutOfRange) and out[0].sti == "$.t[1]"


def test_postgres_divides_as_the_runtime_or_names_the_case(tmp_path, pg_backend):
    """PostgreSQL's NUMERIC is exact at any width, but its quotient keeps about 16
    digits (1 / 3 was 0.3333333333333333): it now divides with integers as DuckDB and
    Spark do, and a quotient that does not end within 12 places stops the query; the
    runner finds that case by halving and answers it OutOfRange."""
    from regelkode.backends import OutOfRange, backend
    from regelkode.backends.sql.limits import INEXAKT

    from .test_division import EXACT, INEXACT, RULES
    from .test_emit import _compiled

    program = _compiled(tmp_path, "division", RULES)
    cases = EXACT[:6] + INEXACT + EXACT[6:]
    skipped: list[int] = []
    assert not compare(program, cases, pg_backend, out_of_range=skipped)
    assert skipped == list(range(6, 6 + len(INEXACT)))
    out = backend(pg_backend).runner(program, tmp_path).judge(cases)
    assert all(isinstance(r, OutOfRange) and INEXAKT in r.besked for r in out[6:10])


def test_a_date_outside_the_calendar_on_postgres(tmp_path, pg_backend):
    from .test_dates import CALENDAR_CASES, calendar_program

    assert not compare(calendar_program(tmp_path), CALENDAR_CASES, pg_backend)
