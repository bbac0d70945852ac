"""The range in which the SQL backend computes exactly what the runtime computes.

The runtime computes with integers of any size and 40-digit decimals; the SQL
engines have 64-bit integers and DECIMAL(38, s). Rather than give a wrong
answer (or stop a whole batch on an overflow), a valid case with a fact
outside this range is answered `OutOfRange` at the fact's JSON path:

- heltal: |n| < 10^9 (a product of two stays inside BIGINT);
- beløb: less than 10^11 kroner (whole øre in BIGINT, times a decimal inside
  DECIMAL(38, 12));
- decimal: at most 15 digits before the point and 12 after (DECIMAL(38, 12));
- dates, and the date a case is judged on: years 1000-8999 (engines differ
  from the runtime at the calendar's ends);
- varighed: |months|, |days| < 10^5.

Real cases are far inside: the packs' own cases never hit it (tests/sql).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ... import runtime as rt

MAX_HELTAL = 10 ** 9
MAX_OERE = 10 ** 13
MAX_HELE_CIFRE = 15
MAX_DECIMALER = 12
FOERSTE_AAR, SIDSTE_AAR = 1000, 8999
MAX_VARIGHED = 10 ** 5


def _path(parts) -> str:
    return rt._sti(parts)


def date_problem(d: dt.date) -> str | None:
    if not FOERSTE_AAR <= d.year <= SIDSTE_AAR:
        return f"SQL-backenden regner kun med årene {FOERSTE_AAR}-{SIDSTE_AAR}"
    return None


def value_problem(value, desc, parts) -> tuple[str, str] | None:
    if value.__class__ is rt.Ukendt:
        return None
    kind = desc[0]
    msg = None
    if kind == "heltal" and abs(value) >= MAX_HELTAL:
        msg = f"SQL-backenden regner kun med heltal under {MAX_HELTAL:,}".replace(",", ".")
    elif kind == "beløb" and abs(value) >= MAX_OERE:
        msg = "SQL-backenden regner kun med beløb under 100.000.000.000 kr."
    elif kind == "decimal":
        _sign, digits, exponent = Decimal(value).as_tuple()
        decimals = max(0, -exponent)
        whole = len(digits) - decimals if exponent < 0 else len(digits) + exponent
        if value and (whole > MAX_HELE_CIFRE or decimals > MAX_DECIMALER):
            msg = (f"SQL-backenden regner kun med decimaltal med højst {MAX_HELE_CIFRE} cifre "
                   f"før og {MAX_DECIMALER} efter kommaet")
    elif kind == "dato":
        msg = date_problem(value)
    elif kind == "varighed" and (abs(value.maaneder) >= MAX_VARIGHED
                                 or abs(value.dage) >= MAX_VARIGHED):
        msg = f"SQL-backenden regner kun med varigheder under {MAX_VARIGHED:,}".replace(",", ".")
    elif kind == "liste":
        for i, item in enumerate(value):
            found = value_problem(item, desc[1], (*parts, i))
            if found:
                return found
    elif kind == "post":
        for name, fdesc in desc[2]:
            found = value_problem(value[name], fdesc, (*parts, name))
            if found:
                return found
    return (_path(parts), msg) if msg else None


def case_problem(program, facts: dict, day: dt.date) -> tuple[str, str] | None:
    """(JSON path, message) of the first value outside the range, or None."""
    for name, desc in program.facts.items():
        found = value_problem(facts[name], desc, (name,))
        if found:
            return found
    msg = date_problem(day)
    return ("beregningsdato", msg) if msg else None
