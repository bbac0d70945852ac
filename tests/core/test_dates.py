"""Date and month arithmetic: defined once in runtime/dates.py, tested at month ends
and leap days."""

import datetime as dt

import pytest

from regelkode import runtime as rt

D = dt.date


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),     # leap February
    (D(2023, 1, 31), 1, D(2023, 2, 28)),     # ordinary February
    (D(2024, 2, 29), 12, D(2025, 2, 28)),    # 1 år from a leap day
    (D(2024, 2, 29), 48, D(2028, 2, 29)),    # 4 år lands on a leap day again
    (D(2024, 3, 31), -1, D(2024, 2, 29)),    # backwards clamps too
    (D(2024, 8, 31), 6, D(2025, 2, 28)),
    (D(2024, 1, 15), 6, D(2024, 7, 15)),
    (D(2024, 12, 31), 1, D(2025, 1, 31)),    # across a year end
    (D(2024, 5, 31), 1, D(2024, 6, 30)),
])
def test_month_addition_clamps_to_month_end(start, months, expected):
    assert rt.op_dato_plus(start, rt.Varighed(months, 0)) == expected


def test_months_first_then_days():
    # 2024-01-31 + 1 måned = 2024-02-29; + 1 dag = 2024-03-01
    assert rt.op_dato_plus(D(2024, 1, 31), rt.Varighed(1, 1)) == D(2024, 3, 1)
    assert rt.op_dato_minus(D(2024, 3, 31), rt.Varighed(1, 1)) == D(2024, 2, 28)


def test_month_addition_is_not_associative_and_says_so():
    # (d + 1 m) + 1 m != d + 2 m at month ends: the documented consequence of clamping.
    d = D(2024, 1, 31)
    step = rt.op_dato_plus(rt.op_dato_plus(d, rt.Varighed(1, 0)), rt.Varighed(1, 0))
    assert step == D(2024, 3, 29)
    assert rt.op_dato_plus(d, rt.Varighed(2, 0)) == D(2024, 3, 31)


def test_26_weeks_is_not_6_months():
    start = D(2024, 1, 8)
    assert rt.op_dato_plus(start, rt.Varighed(0, 26 * 7)) == D(2024, 7, 8)
    assert rt.op_dato_plus(D(2024, 3, 1), rt.Varighed(0, 182)) == D(2024, 8, 30)
    assert rt.op_dato_plus(D(2024, 3, 1), rt.Varighed(6, 0)) == D(2024, 9, 1)


@pytest.mark.parametrize(("born", "on", "years"), [
    (D(2000, 2, 29), D(2001, 2, 28), 1),     # leap-day birthday: 1 year on 28 February
    (D(2000, 2, 29), D(2001, 2, 27), 0),
    (D(2000, 2, 29), D(2004, 2, 29), 4),
    (D(1980, 5, 17), D(2020, 5, 16), 39),
    (D(1980, 5, 17), D(2020, 5, 17), 40),    # the birthday itself counts
    (D(2020, 1, 1), D(2019, 12, 31), -1),    # before birth: negative, not an error
])
def test_whole_years(born, on, years):
    assert rt.op_hele_aar(born, on) == years


@pytest.mark.parametrize(("a", "b", "months"), [
    (D(2024, 1, 31), D(2024, 2, 29), 1),
    (D(2024, 1, 31), D(2024, 2, 28), 0),
    (D(2024, 1, 15), D(2024, 7, 14), 5),
    (D(2024, 1, 15), D(2024, 7, 15), 6),
])
def test_whole_months(a, b, months):
    assert rt.op_hele_maaneder(a, b) == months


def test_days_between():
    assert rt.op_dage(D(2024, 2, 28), D(2024, 3, 1)) == 2
    assert rt.op_dage(D(2023, 2, 28), D(2023, 3, 1)) == 1


def test_calendar_overflow_is_unknown_not_an_exception():
    out = rt.op_dato_plus(D(9999, 12, 1), rt.Varighed(1, 0))
    assert isinstance(out, rt.Ukendt) and "kalenderen" in out.grunde[0]
    out = rt.op_dato_plus(D(9999, 12, 31), rt.Varighed(0, 1))
    assert isinstance(out, rt.Ukendt)
