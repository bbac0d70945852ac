"""The harness itself: a backend that is wrong in one place is caught there."""

from __future__ import annotations

import copy

from regelkode import backends
from regelkode.checks.analysis import compile_checked

from .harness import ROOT, compare, registered, sample_cases


class _Fake:
    """A judging backend that emits nothing; subclasses say how it judges."""

    judges = True

    def emit(self, program):
        return {}

    def unavailable(self):
        return None


class _GivesUp(_Fake):
    """A backend that answers every case `OutOfRange`: it compares nothing."""

    name = "opgiver"

    def runner(self, program, workdir):
        class Runner:
            def judge(self, cases):
                return [backends.OutOfRange("$", "for stort") for _ in cases]

            def close(self):
                pass

        return Runner()


class _OffByOne(_Fake):
    """The Python backend, except that the first rule of every report says `brud`."""

    name = "skæv"

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


def test_a_wrong_backend_is_caught_at_the_field():
    c = compile_checked(ROOT / "tests/packs/eksempel")
    cases = sample_cases(c.path)
    with registered("skæv", _OffByOne()):
        bad = compare(c.program, cases, "skæv")
    assert len(bad) == len(cases)
    assert bad[0].where == "/regler/0/status"
    assert compare(c.program, cases, "python") == []


def test_giving_up_is_a_difference_unless_the_caller_allows_it():
    # Only the random property, whose cases hold values beyond the SQL backend's
    # documented range, allows OutOfRange; everywhere else it must not pass.
    c = compile_checked(ROOT / "tests/packs/eksempel")
    cases = sample_cases(c.path)
    skipped: list[int] = []
    with registered("opgiver", _GivesUp()):
        bad = compare(c.program, cases, "opgiver")
        assert compare(c.program, cases, "opgiver", out_of_range=skipped) == []
    assert len(bad) == len(cases) and bad[0].where == "/"
    assert skipped == list(range(len(cases)))
