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
