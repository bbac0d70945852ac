"""The JS runtime's dates, exact decimals and money against runtime.py, op by op.

Month ends, leap days and the calendar's edges for date arithmetic; decimals
around the 40-digit context (rounding half away from zero, negative zero,
quotients that don't terminate) and øre rounding for money; and the Danish
text of values. Also: time zones don't matter (the module never does
local-time Date arithmetic), tried under Pacific/Apia (UTC+13/+14, skipped a
whole day in 2011) and America/St_Johns (UTC-3:30).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from regelkode import runtime as rt
from regelkode.backends import backend
from regelkode.backends.js.backend import node_path
from regelkode.backends.js.emit import runtime_source
from regelkode.checks.analysis import compile_checked

from .harness import ROOT, compare, reference, sample_cases

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(backend("js").unavailable() is not None,
                                reason=str(backend("js").unavailable()))


def enc(v):
    if v.__class__ is rt.Ukendt:
        return {"u": [sorted(v.mangler), list(v.grunde)]}
    if v.__class__ is bool:
        return {"b": v}
    if v.__class__ is int:
        return {"n": str(v)}
    if v.__class__ is Decimal:
        sign, digits, exp = v.as_tuple()
        return {"x": [sign, "".join(map(str, digits)), exp]}
    if v.__class__ is dt.date:
        return {"d": v.isoformat()}
    if v.__class__ is rt.Varighed:
        return {"v": [str(v.maaneder), str(v.dage)]}
    return {"s": v}


def result(v):
    if v.__class__ is Decimal:
        return {"x": rt.til_json(v, ("decimal",))}
    return enc(v)


def run_js(calls, tmp_path, env=None):
    script = tmp_path / "ops.mjs"
    script.write_text(runtime_source() + "\n" + (HERE / "js_ops.mjs").read_text(encoding="utf-8"),
                      encoding="utf-8")
    # imports must come first in a module: move the helper's import above the runtime
    text = script.read_text(encoding="utf-8")
    imp = 'import { readFileSync } from "node:fs";\n'
    script.write_text(imp + text.replace(imp, ""), encoding="utf-8")
    res = subprocess.run([node_path(), str(script)], capture_output=True, text=True,
                         input="".join(json.dumps(c) + "\n" for c in calls), env=env)
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.split("\n") if line]


def check(calls, expected, tmp_path):
    got = run_js(calls, tmp_path)
    bad = [(c, e, g) for c, e, g in zip(calls, expected, got, strict=True) if e != g]
    assert not bad, f"{len(bad)} of {len(calls)} differ, e.g. {bad[:3]}"


EDGE_DATES = [dt.date(y, m, d) for y, m, d in [
    (2024, 1, 31), (2024, 2, 29), (2023, 2, 28), (2024, 3, 31), (2000, 2, 29), (1900, 2, 28),
    (2100, 2, 28), (2024, 12, 31), (2025, 1, 1), (1, 1, 1), (9999, 12, 31), (2011, 12, 30),
    (2024, 4, 30), (2001, 2, 28), (1999, 12, 31)]]


def test_dates(tmp_path):
    rng = random.Random(16)
    dates = EDGE_DATES + [dt.date.fromordinal(rng.randint(1, 3652059)) for _ in range(150)]
    calls, expected = [], []
    for a in dates:
        for m, d in [(1, 0), (12, 0), (-1, 0), (-12, 0), (0, 1), (0, -1), (13, 5), (0, 365),
                     (rng.randint(-200, 200), rng.randint(-4000, 4000)), (120000, 0),
                     (0, 4_000_000), (-(10 ** 30), 0)]:
            v = rt.Varighed(m, d)
            for op in ("dato_plus", "dato_minus"):
                calls.append([op, enc(a), enc(v)])
                expected.append(result(getattr(rt, f"op_{op}")(a, v)))
        b = rng.choice(dates)
        for op in ("hele_aar", "hele_maaneder", "dage"):
            for x, y in ((a, b), (b, a), (a, a)):
                calls.append([op, enc(x), enc(y)])
                expected.append(result(getattr(rt, f"op_{op}")(x, y)))
        for typ in (("dato",),):
            calls.append(["tekst", enc(a), typ])
            expected.append({"s": rt.tekst(a, typ)})
    check(calls, expected, tmp_path)


def _dec(rng):
    kind = rng.random()
    if kind < 0.15:
        return rng.choice([Decimal(0), Decimal("-0"), Decimal("0.00"), Decimal("-0.5"),
                           Decimal("0.5"), Decimal("2.5"), Decimal("-2.5"), Decimal("1E+39"),
                           Decimal("9" * 40), Decimal("-" + "9" * 39 + ".5"),
                           Decimal("0." + "0" * 30 + "1")])
    digits = rng.randint(1, 45)
    coef = rng.randint(0, 10 ** digits)
    return Decimal(rng.choice([1, -1]) * coef).scaleb(-rng.randint(0, 30))


def test_decimals_and_money(tmp_path):
    rng = random.Random(1916)
    calls, expected = [], []
    for _ in range(1500):
        a, b = _dec(rng), _dec(rng)
        ia = rng.randint(-10 ** 20, 10 ** 20)
        ib = rng.choice([0, 3, -7, rng.randint(-10 ** 6, 10 ** 6)])
        for op, x, y in [("plus", a, b), ("minus", a, b), ("gange", a, b), ("divider", a, b),
                         ("divider", ia, ib), ("plus", a, ia), ("mindre", a, b), ("lig", a, b),
                         ("beloeb_gange", ia, b), ("beloeb_divider", ia, b),
                         ("beloeb_divider", ia, ib), ("beloeb_forhold", ia, ib),
                         ("max", a, b), ("min", a, ia)]:
            calls.append([op, enc(x), enc(y)])
            expected.append(result(getattr(rt, f"op_{op}")(x, y)))
        calls.append(["neg", enc(a)])
        expected.append(result(rt.op_neg(a)))
        calls.append(["afrund_kroner", enc(ia)])
        expected.append(result(rt.op_afrund_kroner(ia)))
        for typ in (("decimal",), ("beløb",), ("heltal",)):
            v = a if typ[0] == "decimal" else ia
            for fn in ("tekst", "til_json"):
                calls.append([fn, enc(v), typ])
                out = getattr(rt, fn)(v, typ)
                expected.append({"s": str(out)})
    check(calls, expected, tmp_path)


def test_durations_text(tmp_path):
    calls, expected = [], []
    for m in (0, 1, 2, 11, 12, 13, 24, 25, -1, -13):
        for d in (0, 1, 2, 7, 14, 15, -7, -1):
            v = rt.Varighed(m, d)
            calls.append(["tekst", enc(v), ["varighed"]])
            expected.append({"s": rt.tekst(v, ("varighed",))})
    check(calls, expected, tmp_path)


@pytest.mark.parametrize("tz", ["Pacific/Apia", "America/St_Johns", "UTC"])
def test_time_zones_do_not_matter(tz, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", tz)
    c = compile_checked(ROOT / "rules/ressourceforloeb")
    cases = sample_cases(c.path)
    dated = [(case, dt.date(2024, 2, 29)) for case, _ in cases[:4]]
    assert compare(c.program, cases + dated, "js") == []
    # and "today" is the local calendar date, as Python's date.today() is
    today = run_js([["dage", {"d": "2000-01-01"}, {"d": "2000-01-01"}]], tmp_path,
                   env=dict(os.environ, TZ=tz))
    assert today == [{"n": "0"}]
    undated = {k: v for k, v in cases[0][0].items() if k != "beregningsdato"}
    py = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                        capture_output=True, text=True, env=dict(os.environ, TZ=tz)).stdout.strip()
    out = reference(c.program, [(undated, None)])[0]
    js = backend("js").runner(c.program, tmp_path).judge([(undated, None)])[0]
    assert js["beregningsdato"] == py
    assert out["pakke"] == js["pakke"]
