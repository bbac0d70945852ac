"""Seeded mutations of a sample case, as an integrator's data goes wrong.

`mutate(case, fakta, rng, faults)` returns a copy of a valid case with
`faults` edits, each at one place: a fact, a list element, a record field or
a `varighed` part removed, set to null, or replaced by a value drawn for its
type — boundary values both sides of every limit, the wrong JSON type,
whole numbers written as `3.0`/`1E2`/`-0.0`, trailing newlines, non-ASCII
digits, lone surrogates, long texts and lists, deep nesting — or an unknown
key added. Values are the Python objects `json.loads` gives for such JSON,
so a schema validator and the module judge exactly the same data.

Plain `random.Random`, not Hypothesis: the differential test wants tens of
thousands of cheap, reproducible cases (case i of a sample is
`Random(f"{sample}:{i}")`), not shrinking.
"""

from __future__ import annotations

import json
import random

FACT = object()     # marks "the case itself" in a location

# Whole numbers in JSON's number model: what `json.loads` gives for 3.0, 1E2, -0.0.
WHOLE_FLOATS = [3.0, 100.0, -0.0, 0.0, 1e17, -1e17, 1e18, 1e300]
WRONG_ANY = [True, False, 0, 1, -1, 1.5, 0.1, float("nan"), float("inf"), -float("inf"), "",
             "x", "null", [], [1], {}, {"a": 1}, 10 ** 400, -10 ** 400]
UNICODE_DIGITS = ["١٢", "１２", "੧੨", "𝟏𝟐"]


def _deep(depth: int):
    v: object = 1
    for _ in range(depth):
        v = [v]
    return v


def _long_key(rng: random.Random) -> str:
    return rng.choice(["x" * 10_000, "æ" * 81, "a\ud800b", "\udfff", "ny\nlinje", 'a"]b',
                      "$schema", "", " ", "beregningsdato ", "Beskrivelse", "1", "a.b",
                      "\x00", "😀" * 3])


def _numbers(limit: int) -> list:
    """Integers and whole floats both sides of an exclusive bound `limit`."""
    return [limit - 1, -(limit - 1), limit, -limit, limit + 1, float(limit), float(limit - 1)
            if float(limit - 1) < limit else float(limit // 2), 0, -0.0, 3.0, 2.5, 1e-5]


def values_for(typ, rng: random.Random, big: bool = True) -> list:
    """Candidate values for a place of runtime type `typ`: valid, boundary and wrong.

    `big`: a list may be one of 10,000 or 10,001 elements.
    """
    kind = typ[0]
    if kind == "sandhedsværdi":
        own = [True, False, 1.0, 0.0, "true", "ja"]
    elif kind == "heltal":
        own = [*_numbers(10 ** 18), *WHOLE_FLOATS, "1", "3", rng.randint(-10 ** 6, 10 ** 6)]
    elif kind == "decimal":
        own = [*_numbers(10 ** 18), *WHOLE_FLOATS, "1.5", "-0.5", "0", "-0", "9" * 30,
               "9" * 31, "0." + "1" * 20, "0." + "1" * 21, "1.5\n", "1\n", "\n1", "1,5",
               "1e5", " 1", "+1", ".5", "1.", "-", "١.٥", *UNICODE_DIGITS,
               "9" * 30 + "." + "9" * 20]
    elif kind == "beløb":
        own = [*_numbers(10 ** 15), *WHOLE_FLOATS, 12.5, "12.50", "12.5", "12.505", "12",
               "-12.00", "-0", "9" * 15, "9" * 16, "9" * 15 + ".99", "12.50\n", "12\n",
               "12,50", "12 kr", "1e3", " 12", "١٢.٥٠", "１２.５０", *UNICODE_DIGITS]
    elif kind == "dato":
        own = ["2024-02-29", "2023-02-29", "2024-13-01", "2024-02-30", "2024-1-01", "0000-01-01",
               "0001-01-01", "9999-12-31", "2024-01-01\n", " 2024-01-01", "2024-01-01T00:00",
               "٢٠٢٤-٠١-٠١", "２０２４-０１-０１", "20240101", "2024-W01-1", 20240101,
               "10000-01-01", "-2024-01-01"]
    elif kind == "varighed":
        own = [{}, {"måneder": 3}, {"dage": -2}, {"måneder": 3.0}, {"dage": 100.0},
               {"dage": -0.0}, {"måneder": 10 ** 6 - 1}, {"måneder": 10 ** 6},
               {"dage": -(10 ** 6 - 1)}, {"dage": -(10 ** 6)}, {"dage": 1e6}, {"uger": 1},
               {"måneder": "1"}, {"måneder": True}, {"måneder": 1.5}, {"måneder": None},
               {"måneder": 1, "dage": 1, "år": 1}, 6, "6 måneder"]
    elif kind == "tekst":
        own = ["", "x", "æøå", "😀", "x" * 100_000, "😀" * 100_000, "x" * 100_001, "a\ud800",
               "\udfff", "\ud83d\ude00", "linje\n", "\x00", "\u2028"]
    elif kind == "enum":
        allowed = list(typ[2])
        v = rng.choice(allowed)
        own = [*allowed, v.upper(), v + "\n", " " + v, v[:-1], "x", "", v + "\ud800"]
    elif kind == "liste":
        own = [[], [None], "a", {"a": 1}, _deep(rng.choice([3, 200]))]
        if big and rng.random() < 0.02:
            # the schema's maxItems: at the limit and one past it (rare: slow to judge)
            n = rng.choice([10_000, 10_001])
            own = [[valid_value(typ[1], rng) for _ in range(n)]]
    elif kind == "post":
        fields = typ[2]
        full = {name: valid_value(ftyp, rng) for name, ftyp in fields}
        own = [{}, full, [], "a", {**full, "ukendt_felt": 1}, {_long_key(rng): 1}]
    else:
        raise TypeError(kind)
    return own + WRONG_ANY + [_deep(rng.choice([2, 500]))]


def valid_value(typ, rng: random.Random):
    """Some value a case may hold at a place of type `typ`."""
    kind = typ[0]
    if kind == "sandhedsværdi":
        return rng.random() < 0.5
    if kind == "heltal":
        return rng.randint(-3, 40)
    if kind == "decimal":
        return rng.choice(["1.5", "0", 2])
    if kind == "beløb":
        return rng.choice(["12326.50", 100, "0.01"])
    if kind == "dato":
        return f"{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "varighed":
        return {"måneder": rng.randint(0, 30)}
    if kind == "tekst":
        return rng.choice(["x", "Jobcenter", ""])
    if kind == "enum":
        return rng.choice(list(typ[2]))
    if kind == "liste":
        return [valid_value(typ[1], rng) for _ in range(rng.randint(0, 2))]
    if kind == "post":
        return {name: valid_value(ftyp, rng) for name, ftyp in typ[2]}
    raise TypeError(kind)


RESERVED = {"beregningsdato": ("dato",), "beskrivelse": ("tekst",)}


def _location(case: dict, fakta: dict, rng: random.Random):
    """(container, key, type) of one place in `case`; the type is None for an unknown key."""
    roll = rng.random()
    if roll < 0.05:
        return case, _long_key(rng) if rng.random() < 0.5 else rng.choice(list(fakta)) + "x", None
    if roll < 0.12:
        name = rng.choice(sorted(RESERVED))
        return case, name, RESERVED[name]
    name = rng.choice(sorted(fakta))
    container, key, typ = case, name, fakta[name]
    while rng.random() < 0.6:
        value = container.get(key) if isinstance(container, dict) else container[key]
        if typ[0] == "liste" and isinstance(value, list):
            if not value or rng.random() < 0.15:
                value.append(valid_value(typ[1], rng))
            container, key, typ = value, rng.randrange(len(value)), typ[1]
        elif typ[0] == "post" and isinstance(value, dict):
            if rng.random() < 0.1:
                return value, _long_key(rng) if rng.random() < 0.3 else "ukendt_felt", None
            fname, ftyp = rng.choice(list(typ[2]))
            container, key, typ = value, fname, ftyp
        elif typ[0] == "varighed" and isinstance(value, dict):
            part = rng.choice(["måneder", "dage", "uger"])
            return value, part, ("heltal_varighed",) if part != "uger" else None
        else:
            break
    return container, key, typ


_VARIGHED_PART = [0, 5, -5, 10 ** 6 - 1, 10 ** 6, -(10 ** 6), 3.0, -0.0, 1e6, 1.5, "1", True,
                  None, [], 10 ** 400]


def _copy(value):
    """A copy as JSON gives it (and one that a later edit may change freely)."""
    return json.loads(json.dumps(value))


def mutate(case: dict, fakta: dict, rng: random.Random, faults: int = 1,
           log: list | None = None) -> dict:
    """A deep copy of `case` with `faults` edits (see the module docstring).

    Each edit is appended to `log` (if given) as (key, new value or "<slettet>").
    """
    case = _copy(case)
    log = [] if log is None else log
    big_done = False
    for _ in range(faults):
        container, key, typ = _location(case, fakta, rng)
        if isinstance(container, dict) and key in container and rng.random() < 0.08:
            del container[key]
            log.append((key, "<slettet>"))
            continue
        if typ is None:
            value = rng.choice([1, None, "x", {}, []])
        elif typ == ("heltal_varighed",):
            value = rng.choice(_VARIGHED_PART)
        elif rng.random() < 0.08:
            value = None
        else:
            # At most one list at the schema's maxItems per case: two (say
            # sanktionshændelser and orlovsperioder) meet the quadratic rule of
            # issue 12 item 4 (minutes, until h12sec's fix lands), and one is
            # enough to test the limit.
            value = rng.choice(values_for(typ, rng, big=not big_done))
            big_done = big_done or (isinstance(value, list) and len(value) >= 10_000)
        container[key] = _copy(value)
        log.append((key, value))
    if rng.random() < 0.002:
        log.append(("$", "<ikke et objekt>"))
        return rng.choice([[], "sag", None, 1, [case]])    # not an object at all
    return case
