"""The questions the SQL page and the README ask of the results give the interpreter's
answers: each query as printed, run on the views (DuckDB and PostgreSQL) and on
`regelkode batch`'s output, against the same figures counted from the reference
interpreter's reports."""

from __future__ import annotations

import re
import zlib
from collections import Counter

import duckdb
import pytest

from differential.harness import ROOT, reference, sample_cases, variants
from regelkode.backends.sql.cases import row_line, rows_for
from regelkode.checks.analysis import compile_checked
from regelkode.cli import main
from regelkode.site.sql import questions

PACK = ROOT / "rules/ressourceforloeb"
BREACH = ("brud", "opmærksomhed")


@pytest.fixture(scope="module")
def judged():
    """The pack, its sample cases with seeded variants (so that some rules are
    `ukendt`) and seeded random cases (so that the page's rule is broken), and the
    interpreter's reports of them."""
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.cases import make_case, rates

    compiled = compile_checked(PACK)
    assert compiled.ok
    samples = sample_cases(compiled.path)
    seed = zlib.crc32(b"spoergsmaal")
    cases = samples + variants(samples, 6, seed=seed) + [
        (make_case(i, compiled.program.facts, rates(compiled.program), seed=seed), None)
        for i in range(60)]
    reports = reference(compiled.program, cases)
    assert all(isinstance(r, dict) for r in reports)
    return compiled.program, cases, reports


def _statements(program) -> list[str]:
    block = re.search(r"```sql\n(.*?)```", "\n".join(questions(program)), re.DOTALL).group(1)
    return [s.strip() for s in block.split(";") if s.strip()]


def _expected(program, reports) -> list[list[tuple]]:
    """What the three questions answer, counted from the interpreter's reports (case
    ids as rows_for gives them: the case's index)."""
    rule = re.search(r"regel = '([^']+)'", _statements(program)[0]).group(1)
    breaches, tally, missing = [], Counter(), Counter()
    for i, report in enumerate(reports):
        for r in report["regler"]:
            tally[r["id"], r["status"]] += 1
            if r["id"] == rule and r["status"] in BREACH:
                breaches.append((str(i), r["status"], r["kilder"]))
            if r["status"] == "ukendt":
                missing.update(r["mangler"])
    assert breaches and missing, "the cases must give each question an answer"
    return [sorted(breaches),
            sorted((regel, status, n) for (regel, status), n in tally.items()),
            sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))]


def duckdb_answers(program, cases, tmp_path):
    """(the page's questions answered by DuckDB's views over `cases`, the rows file
    they were loaded from)."""
    from regelkode.backends.sql.engine import DuckDBEngine

    rows, refused = rows_for(program, cases)
    assert not any(refused)
    path = tmp_path / "sager.jsonl"
    path.write_text("".join(row_line(r) + "\n" for r in rows), encoding="utf-8")
    engine = DuckDBEngine(program)
    try:
        engine.load_jsonl(path)
        engine.create_views()
        return [engine.con.execute(s).fetchall() for s in _statements(program)], path
    finally:
        engine.close()


def test_the_sql_pages_questions_answer_as_the_interpreter(judged, tmp_path):
    program, cases, reports = judged
    assert duckdb_answers(program, cases, tmp_path)[0] == _expected(program, reports)


def _rules_rows(program, reports) -> list[tuple]:
    """What the view of the rules holds, from the interpreter's reports: titel,
    område, lag and kilder per rule, and alvor as the report gives it where no
    exception of the rule sets a case's own."""
    first = {r["id"]: r for r in reports[0]["regler"]}
    own = {r.id: r.meta[2] for r in program.rules if r.severity is not None}
    return [(rid, r["titel"], r["område"], r["lag"], own.get(rid, r["alvor"]), r["kilder"])
            for rid, r in first.items()]


def test_the_view_of_the_rules_holds_what_the_report_says_of_each(judged, tmp_path):
    from regelkode.backends.sql.engine import DuckDBEngine
    from regelkode.backends.sql.program import view_name

    program, cases, reports = judged
    rows, _refused = rows_for(program, cases[:1])
    path = tmp_path / "sager.jsonl"
    path.write_text(row_line(rows[0]) + "\n", encoding="utf-8")
    engine = DuckDBEngine(program)
    try:
        engine.load_jsonl(path)         # the other views read `sager`
        engine.create_views()
        got = engine.con.execute(
            f'SELECT * FROM "{view_name(program.pack, "regler")}"').fetchall()
    finally:
        engine.close()
    assert got == _rules_rows(program, reports)
    assert len(got) == len(program.rules) and any(len(row[-1]) > 1 for row in got)


def test_the_questions_run_as_printed_on_postgres(judged, pg_dsn):
    from regelkode.backends.sql.postgres import PostgresEngine
    from regelkode.backends.sql.program import view_name

    program, cases, reports = judged
    rows, _refused = rows_for(program, cases)
    engine = PostgresEngine(program, pg_dsn)
    try:
        engine.load(rows)
        got = [[tuple(r) for r in engine.con.execute(s).fetchall()]
               for s in _statements(program)]
        rules = [tuple(r) for r in engine.con.execute(
            f'SELECT * FROM "{view_name(program.pack, "regler")}"').fetchall()]
    finally:
        engine.close()
    assert got == _expected(program, reports)
    assert rules == _rules_rows(program, reports)


def test_the_readme_question_is_one_query_on_the_batch_output(judged, tmp_path, capsys):
    """The issue's own question ("which courses miss the four conversations, or
    started an indsats too late?"), as the README asks it of `batch`'s output."""
    program = judged[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"\n(regelkode batch rules/ressourceforloeb [^\n]*--out "
                        r"resultater\.duckdb[^\n]*)\n", readme).group(1)
    query = re.search(r"```sql\n(SELECT sag, regel, status\nFROM resultater.*?)```", readme,
                      re.DOTALL).group(1)
    shown = re.search(r"```text\n(.*?)```", readme[readme.index(query):], re.DOTALL).group(1)
    args = command.split()[1:]
    args[args.index("resultater.duckdb")] = str(tmp_path / "resultater.duckdb")
    args = [str(ROOT / a) if a.startswith("rules/") else a for a in args]
    assert main(args) == 0
    capsys.readouterr()
    con = duckdb.connect(str(tmp_path / "resultater.duckdb"), read_only=True)
    got = con.execute(query).fetchall()

    dato = args[args.index("--dato") + 1]
    import datetime as dt
    names = sorted(p.stem for p in (PACK / "sager").glob("*.json"))
    reports = reference(program, [(case, dt.date.fromisoformat(dato))
                                  for case, _d in sample_cases(PACK)])
    rules = re.findall(r"'([a-zæøå_]+)'", query.split("status IN")[0])
    want = sorted((name, r["id"], r["status"]) for name, report in zip(names, reports,
                                                                        strict=True)
                  for r in report["regler"] if r["id"] in rules and r["status"] in BREACH)
    assert got == want and len(rules) == 2
    assert [tuple(line.split()) for line in shown.strip().splitlines()[2:]] == got
    # the database's `regler` is the view of the rules, for the join the README names
    assert con.execute("SELECT * FROM regler").fetchall() == _rules_rows(program, reports)
    joined = con.execute(query.replace("SELECT sag, regel, status\nFROM resultater",
                                       "SELECT sag, regel, status, titel\nFROM resultater "
                                       "JOIN regler USING (regel)")).fetchall()
    titles = {r.id: r.meta[1] for r in program.rules}
    assert joined == [(*row, titles[row[1]]) for row in got]
