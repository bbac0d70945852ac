"""The JS module refuses exactly the cases Python refuses, at the same JSON path with
the same Danish message (issue 19's contract), and judges the rest the same.

Seeded single-fault mutations of every sample case of both packs: each value
anywhere in the case (facts, list elements, record fields) replaced by a value
of another shape — other JSON types, impossible dates, odd digits, quotes and
control characters to echo, integers past the limits, unknown keys with and
without a near name, numbers written with a zero fraction or an exponent
(`3.0`, `1e+20`, `-0.0`, NaN) — and the `dato` argument malformed. The Node
side reads each case with the module's `lesJson`, which keeps a number as the
JSON text wrote it (JSON.parse cannot tell `3.0` from `3`).
"""

from __future__ import annotations

import copy
import random
import zlib

import pytest

from regelkode.backends import backend
from regelkode.checks.analysis import compile_checked

from .harness import ROOT, compare, sample_cases

PACKS = ["rules/ressourceforloeb", "rules/frederiksberg"]
PER_CASE = 60

ODD = [
    True, False, 0, -7, 1.5, -0.25, "", "x", "ja", "2024-02-30", "2023-02-29", "0000-01-01",
    "9999-12-31", "2024-1-01", "١٢٣٤-٠١-٠١", "2024-02-29", "12.345", "-0.00", "1e3", "00012.50",
    "12326.50", "٣.٥", "1.5", "it's", 'a"b', "tab\there\nnew", "æøå 😀 \u2028", "\ud800x",
    "q" * 150, 10 ** 15, 10 ** 18 - 1, 10 ** 18, 10 ** 20, -(10 ** 70), 2 ** 53 + 1,
    [], [None], [1, 2], {}, {"x": 1}, {"måneder": 2}, {"måneder": 1.5}, {"dage": None},
    {"måneder": 10 ** 6}, [[[]]], 3.0, -0.0, 1e20, 2.5e-7, float("nan"), float("-inf"),
    {"måneder": 2.0}, [1.0],
]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _set(case, path, new):
    target = case
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = new


def mutations(cases, n, seed):
    rng = random.Random(seed)
    out = []
    for case, dato in cases:
        paths = [p for p in _paths(case) if p and p[0] != "beskrivelse"]
        for _ in range(n):
            v = copy.deepcopy(case)
            roll = rng.random()
            if roll < 0.08:
                name = rng.choice([k for k in case if k != "beskrivelse"])
                v[name[:-1] + ("x" if name[-1] != "x" else "y")] = 1   # a near name
            elif roll < 0.12:
                v["helt_ukendt_" + "z" * rng.randint(1, 300)] = 1
            elif roll < 0.16:
                dicts = [p for p in paths if isinstance(_get(case, p), dict)]
                if dicts:
                    _get(v, rng.choice(dicts))["ukendt_felt"] = 1
            elif roll < 0.2:
                out.append((v, rng.choice(["x", "2024-13-01", "2024-02-30", 5])))
                continue
            else:
                _set(v, rng.choice(paths), copy.deepcopy(rng.choice(ODD)))
            out.append((v, dato))
    return out


def _get(case, path):
    for p in path:
        case = case[p]
    return case


@pytest.mark.parametrize("pack", PACKS)
def test_js_refuses_and_judges_like_python(pack):
    reason = backend("js").unavailable()
    if reason:
        pytest.skip(reason)
    c = compile_checked(ROOT / pack)
    assert c.ok
    cases = mutations(sample_cases(c.path), PER_CASE, seed=zlib.crc32(pack.encode()))
    bad = compare(c.program, cases, "js")
    summary = "\n".join(f"{b.where}: {b.expected!r} != {b.actual!r}"[:400] for b in bad[:8])
    assert not bad, f"{len(bad)} of {len(cases)} cases differ:\n{summary}\nthe first:\n{bad[0]}"
