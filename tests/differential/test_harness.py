"""The harness itself: a backend that is wrong in one place is caught there."""

from __future__ import annotations

import copy

from regelkode import backends
from regelkode.checks.analysis import compile_checked

from .harness import ROOT, compare, sample_cases


class _OffByOne:
    """The Python backend, except that the first rule of every report says `brud`."""

    name, judges = "skæv", True

    def emit(self, program):
        return {}

    def unavailable(self):
        return None

    def runner(self, program, workdir):
        inner = backends.backend("python").runner(program, workdir)

        class Runner:
            def judge(self, cases):
                out = []
                for report in inner.judge(cases):
                    report = copy.deepcopy(report)
                    if isinstance(report, dict) and report["regler"]:
                        first = report["regler"][0]
                        first["status"] = "opfyldt" if first["status"] == "brud" else "brud"
                    out.append(report)
                return out

            def close(self):
                inner.close()

        return Runner()


def test_a_wrong_backend_is_caught_at_the_field(monkeypatch):
    import sys
    import types

    module = types.ModuleType("regelkode_test_skaev")
    module.BACKEND = _OffByOne()
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(backends.REGISTRY, "skæv", module.__name__)
    c = compile_checked(ROOT / "tests/packs/eksempel")
    cases = sample_cases(c.path)
    bad = compare(c.program, cases, "skæv")
    assert len(bad) == len(cases)
    assert bad[0].where == "/regler/0/status"
    assert compare(c.program, cases, "python") == []
