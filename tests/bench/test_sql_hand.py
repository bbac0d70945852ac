"""The hand-written SQL baseline still gives the generated SQL's answers.

bench/baseline.sql is the five rules of bench/baseline.py written by hand in
DuckDB SQL; it is a fair yardstick for the generated SQL only while both give
the same rows. `sql_hand.measure` fails the benchmark when they differ; here
it runs on the benchmark's own cases and on variants made to reach the
branches those rarely take (facts and list fields missing, courses started
before 2020 when the parameters have no value, a judging date before the
2023 rates and after the last known ones), so a change to a rule, a rate or
the data model that the hand-written SQL doesn't follow fails `make test`.
Correctness only: timing is the benchmark's job.
"""

import datetime as dt
import json
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))       # bench/ lives at the repository top, next to tests/

from bench import baseline, cases, sql, sql_hand  # noqa: E402
from regelkode.checks.analysis import compile_checked  # noqa: E402

PACK = ROOT / "rules" / "ressourceforloeb"
LISTS = ("samtaler", "indsatser", "orlovsperioder", "fritagelsesperioder")
DATES = ("forløb_startdato", "ydelse_startdato", "bevilget_slutdato", "fødselsdato")
DECISION = "beslutning_om_fremadrettet_indsats_dato"


def _variant(case: dict, rng: random.Random) -> dict:
    """`case` with some of what the five rules read missing or moved in time."""
    case = json.loads(json.dumps(case, ensure_ascii=False))
    for name in baseline.FAKTA:
        if rng.random() < 0.15:
            case.pop(name, None)
    for name in LISTS:
        for element in case.get(name) or ():
            for field in list(element):
                if rng.random() < 0.1:
                    del element[field]
    start = case.get("forløb_startdato")
    if start:
        # at the boundaries: six years to folkepension to the day (give or take one),
        # a leave starting on the indsats deadline without its days, a sorgorlov from
        # before the parameter's history
        start = dt.date.fromisoformat(start)
        if rng.random() < 0.1:
            born = baseline._plus_maaneder(start, 72 - 804) + dt.timedelta(
                days=rng.randint(-1, 1))
            case["fødselsdato"] = born.isoformat()
            case.pop("ønsker_forløb_trods_alder", None)
        leave = []
        if rng.random() < 0.1:
            deadline = baseline._plus_maaneder(start, 6).isoformat()
            leave.append({"art": "barsel", "startdato": deadline, "slutdato": deadline,
                          "ret_efter_barselsloven": True})
        if rng.random() < 0.1:
            leave.append({"art": "sorgorlov", "startdato": "2019-06-03", "slutdato": "2019-07-01",
                          "kalenderdage": 28, "ret_efter_barselsloven": True,
                          "ydelse_udbetalt": True})
        if leave:
            case["orlovsperioder"] = leave
    end = case.get("bevilget_slutdato")
    if end and rng.random() < 0.2:
        # judged after the last day: the course runs on until the kommune decides what
        # comes next (principafgørelse 82-16) — no decision, or one before, on or after
        # the judging day
        day = dt.date.fromisoformat(end) + dt.timedelta(days=rng.randint(1, 60))
        case["beregningsdato"] = day.isoformat()
        decided = rng.choice((None, -1, 0, 1))
        if decided is None:
            case.pop(DECISION, None)
        else:
            case[DECISION] = (day + dt.timedelta(days=decided)).isoformat()
    if rng.random() < 0.3:          # a course from before the parameters' histories
        for name in (*DATES, DECISION, "beregningsdato"):
            if case.get(name):
                day = dt.date.fromisoformat(case[name])
                case[name] = (day - dt.timedelta(days=rng.randint(700, 1400))).isoformat()
    if rng.random() < 0.1:          # judged after the last year with known rates
        case["beregningsdato"] = "2027-03-01"
    today = case.get("beregningsdato")
    if today and rng.random() < 0.15:
        # folkepensionsalderen reached on the judging day, give or take one: the course
        # ends then, decided or not (LAB § 114, stk. 4, 2. pkt.)
        today = dt.date.fromisoformat(today)
        for months in baseline._PENSION_ALDER:
            born = baseline._plus_maaneder(today, -months)
            if baseline._folkepension(born)[0] == months:
                born += dt.timedelta(days=rng.randint(-1, 1))
                case["fødselsdato"] = born.isoformat()
                break
    return case


@pytest.fixture(scope="module")
def program():
    compiled = compile_checked(PACK)
    assert compiled.ok, [d.message for d in compiled.diags.errors]
    return compiled.program


def test_hand_written_sql_gives_the_generated_sqls_rows(program, tmp_path):
    rates = cases.rates(program)
    rng = random.Random(17)
    rows = cases.make_cases(200, program.facts, rates)
    rows += [_variant(cases.make_case(i, program.facts, rates), rng) for i in range(200, 800)]
    _, parquet = sql.write_cases(program, rows, tmp_path / "sager")
    result = sql_hand.measure(program, PACK, parquet, rows[:20], repeats=1)
    assert result["cases"] == len(rows)
    assert result["generated_to_hand"] > 0 and result["hand_sql_to_hand_python"] > 0


def test_a_hand_written_sql_that_differs_fails_the_benchmark(program, tmp_path, monkeypatch):
    # three conversations instead of four: the comparison must catch it
    wrong = tmp_path / "baseline.sql"
    text = sql_hand.HAND.read_text(encoding="utf-8")
    assert text.count(", 0) >= 4 THEN 'opfyldt'") == 1
    wrong.write_text(text.replace(", 0) >= 4 THEN 'opfyldt'", ", 0) >= 3 THEN 'opfyldt'"),
                     encoding="utf-8")
    monkeypatch.setattr(sql_hand, "HAND", wrong)
    rows = cases.make_cases(200, program.facts, cases.rates(program))
    _, parquet = sql.write_cases(program, rows, tmp_path / "sager")
    with pytest.raises(SystemExit, match="fire_samtaler_første_seks_måneder"):
        sql_hand.measure(program, PACK, parquet, rows[:5], repeats=1)
