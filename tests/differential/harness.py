"""One differential harness for every backend.

The reference interpreter (`ir.interpret`) judges a list of cases; every
registered backend that judges cases (`regelkode.backends.REGISTRY`) judges
the same cases with what it emitted; the reports must be equal as JSON data
(`to_dict()`), field by field, and a case one side refuses the other must
refuse at the same JSON path with the same message. Adding a backend to the
registry is all it takes to be held to this.

Cases come from three places: the packs' examples, their sample cases
(`sager/*.json`), and seeded random variants of the sample cases with facts
and list elements removed, so that every backend also walks its `ukendt`
paths (`variants`). Random packs with random cases are in
tests/reliability/test_differential.py, through the same `compare`.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import random
import sys
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path

from regelkode import runtime as rt
from regelkode.backends import REGISTRY, OutOfRange, Refusal, backend
from regelkode.checks.examples import collect
from regelkode.ir import interpret

ROOT = Path(__file__).resolve().parents[2]


def judging_backends() -> list[str]:
    return [name for name in REGISTRY if backend(name).judges]


@contextlib.contextmanager
def registered(name: str, impl):
    """The backend object `impl` in the registry as `name` while the block runs: the
    engines left out of it (Spark, PostgreSQL: each needs a JVM or a server) and test
    doubles are then held to `compare` like any registered backend."""
    module = types.ModuleType("regelkode_test_" + name.replace("-", "_"))
    module.BACKEND = impl
    before = sys.modules.get(module.__name__), REGISTRY.get(name)
    sys.modules[module.__name__] = module
    REGISTRY[name] = module.__name__
    try:
        yield name
    finally:
        for table, key, value in ((sys.modules, module.__name__, before[0]),
                                  (REGISTRY, name, before[1])):
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value


def _copy(case):
    # As a case system would pass it: fresh JSON data for each side.
    return json.loads(json.dumps(case, ensure_ascii=False))


def reference(program, cases) -> list:
    out = []
    for case, dato in cases:
        try:
            out.append(interpret.evaluate(program, _copy(case), dato=dato).to_dict())
        except rt.SagFejl as exc:
            out.append(Refusal(exc.sti, exc.besked))
    return out


@dataclass
class Disagreement:
    index: int
    case: dict
    dato: dt.date | None
    where: str
    expected: object
    actual: object

    def __str__(self) -> str:
        return (f"case {self.index} (dato={self.dato}): {self.where}\n"
                f"  reference: {self.expected!r}\n  backend:   {self.actual!r}\n"
                f"  case: {json.dumps(self.case, ensure_ascii=False)[:2000]}")


def _canonical(outcome):
    """What a caller sees: a report as JSON data, a refusal or out-of-range answer as itself."""
    if isinstance(outcome, (Refusal, OutOfRange)):
        return outcome
    return json.loads(json.dumps(outcome, ensure_ascii=False))


def _first_difference(a, b, path="") -> tuple[str, object, object] | None:
    if type(a) is not type(b):
        return path or "/", a, b
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}/ (keys)", list(a), list(b)
        for k in a:
            d = _first_difference(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path} (length)", len(a), len(b)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            d = _first_difference(x, y, f"{path}/{i}")
            if d:
                return d
        return None
    return None if a == b else (path or "/", a, b)


def _projected(outcome, fields):
    """Only what a backend answers per rule (its `compares`), e.g. the SQL backend's
    status and missing facts; refusals stay whole."""
    if fields is None or isinstance(outcome, Refusal):
        return outcome
    return {"regler": [{f: r[f] for f in fields} for r in outcome["regler"]]}


def compare(program, cases, name: str, workdir: Path | None = None,
            out_of_range: list[int] | None = None) -> list[Disagreement]:
    """Judge `cases` ([(case, dato)]) by the reference and by backend `name`.

    A backend may answer `OutOfRange` for a case beyond its documented range
    (the SQL backend's limits.py). Only a caller that passes the list
    `out_of_range` allows that: those cases are not compared and their indexes
    go to the list. Elsewhere an `OutOfRange` is a disagreement, so a backend
    that wrongly gave up on ordinary cases cannot pass by comparing nothing."""
    fields = getattr(backend(name), "compares", None)
    expected = [_projected(e, fields) for e in reference(program, cases)]
    with tempfile.TemporaryDirectory() as tmp:
        runner = backend(name).runner(program, Path(workdir or tmp))
        try:
            actual = runner.judge([(_copy(c), d) for c, d in cases])
        finally:
            runner.close()
    assert len(actual) == len(cases), f"{name} judged {len(actual)} of {len(cases)} cases"
    out = []
    for i, ((case, dato), e, a) in enumerate(zip(cases, expected, actual, strict=True)):
        if isinstance(a, OutOfRange) and not isinstance(e, Refusal) \
                and out_of_range is not None:
            out_of_range.append(i)
            continue
        d = _first_difference(_canonical(e), _canonical(a))
        if d is not None:
            out.append(Disagreement(i, case, dato, *d))
    return out


# --- the cases ------------------------------------------------------------------------

def example_cases(compiled) -> list[tuple[dict, dt.date | None]]:
    return [(ex.case, ex.date) for ex in collect(compiled) if ex.problem is None]


def sample_cases(pack_dir: Path) -> list[tuple[dict, dt.date | None]]:
    out = []
    for path in sorted((pack_dir / "sager").glob("*.json")):
        out.append((json.loads(path.read_text(encoding="utf-8")), None))
    return out


def variants(cases, n: int, seed: int) -> list[tuple[dict, dt.date | None]]:
    """`n` seeded variants of each case: facts dropped or nulled, list elements removed,
    fields of list records dropped (each becomes `ukendt` in the reference)."""
    rng = random.Random(seed)
    out = []
    for case, dato in cases:
        keys = [k for k in case if k not in ("beregningsdato", "beskrivelse")]
        for _ in range(n):
            v = copy.deepcopy(case)
            for k in rng.sample(keys, k=min(len(keys), rng.randint(1, 4))):
                choice = rng.random()
                if choice < 0.4:
                    del v[k]
                elif choice < 0.6:
                    v[k] = None
                elif isinstance(v[k], list) and v[k]:
                    items = v[k]
                    if rng.random() < 0.5:
                        del items[rng.randrange(len(items))]
                    else:
                        item = items[rng.randrange(len(items))]
                        if isinstance(item, dict) and item:
                            del item[rng.choice(sorted(item))]
            out.append((v, dato))
    return out
