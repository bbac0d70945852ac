"""The pack's SQL page: the downloads are exactly what `regelkode sql` prints."""

from __future__ import annotations

from differential.harness import ROOT
from regelkode.backends.sql.program import emit_sql
from regelkode.checks.analysis import compile_checked
from regelkode.site.pages import emit_site


def test_sql_page_and_downloads():
    c = compile_checked(ROOT / "tests/packs/eksempel")
    assert c.ok
    docs = emit_site([c])
    page = docs.pages["genereret/eksempel/sql.md"]
    assert ("SQL", "genereret/eksempel/sql.md") in dict(docs.nav)[c.pack.title]
    assert docs.files["genereret/eksempel/eksempel.duckdb.sql"].decode() == emit_sql(
        c.program, "duckdb")
    assert docs.files["genereret/eksempel/eksempel.spark.sql"].decode() == emit_sql(
        c.program, "spark")
    assert "regelkode batch rules/eksempel" in page
    assert 'CREATE TABLE sager (\n  "sag" VARCHAR' in page
    assert docs.files["genereret/eksempel/eksempel.postgres.sql"].decode() == emit_sql(
        c.program, "postgres")
    assert "eksempel.postgres.sql" in page and "navngivne typer" in page
    # the range is limits.py's own, and what happens outside it
    assert "heltal under 1.000.000.000, beløb under 100.000.000.000 kr." in page
    assert "årene 1000-8999" in page and "DuckDB's egen forklaring" in page


def test_a_pack_without_rules_gets_a_page_without_questions(tmp_path):
    """The page's questions name one of the pack's rules; a pack of definitions and
    facts only has none to name, and its page leaves the questions out."""
    import shutil

    pack = tmp_path / "uden_regler"
    shutil.copytree(ROOT / "tests/packs/eksempel", pack, ignore=shutil.ignore_patterns(
        "regler.yaml", "sager"))
    manifest = pack / "pakke.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "id: eksempel", "id: uden_regler"), encoding="utf-8")
    c = compile_checked(pack)
    assert c.ok and not c.program.rules
    page = emit_site([c]).pages["genereret/uden_regler/sql.md"]
    assert "## Resultaterne" in page and "Spørgsmål til resultaterne" not in page
    # its view of the rules is an empty table with the columns, not a VALUES of no row
    import duckdb

    from regelkode.backends.sql.program import RULE_COLUMNS, rules_view

    cur = duckdb.connect().execute(rules_view(c.program, "duckdb").sql(dialect="duckdb"))
    assert cur.fetchall() == [] and tuple(d[0] for d in cur.description) == RULE_COLUMNS
