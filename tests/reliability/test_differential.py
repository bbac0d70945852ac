"""Property: every backend gives the reference interpreter's report on random packs.

Random well-typed packs (packgen.py) are written as YAML, compiled through
the normal pipeline, and every registered backend that judges cases
(`regelkode.backends.REGISTRY`), and the SQL on Spark and on PostgreSQL,
judges the same random cases as the reference interpreter, through the one
differential harness
(tests/differential/harness.py). Reports must be identical as `to_dict()`; a
case one side refuses, the other must refuse with the same JSON path and
message. Any other exception is a failure: every runtime operation is meant
to be total.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from differential.harness import compare, judging_backends, reference, registered
from regelkode.backends import Refusal, backend
from regelkode.backends.sql import spark
from regelkode.backends.sql.dialects import Unsupported
from regelkode.backends.sql.postgres import PostgresSqlBackend
from regelkode.checks.analysis import compile_checked
from regelkode.diagnostics import format_text

from . import packgen
from .support import forget_generated_modules, fuzz_settings, time_limit, write_pack

CASES_PER_PACK = 8


def compile_spec(spec: packgen.Spec, tmp: Path):
    pack = write_pack(tmp, "diff", {"regler.yaml": spec.yaml()})
    compiled = compile_checked(pack)
    assert compiled.ok, ("a generated pack must compile:\n"
                         + format_text(compiled.diags.sorted()) + "\n" + spec.yaml())
    return compiled


# Backends that judge in another process or a database cost far more per random
# pack; they get a share of the budget (of CI's 200 examples: js 50, sql and
# PostgreSQL 20, Spark 5: CI's 15 minutes), the long run (make fuzz-long) still gives
# them hundreds to thousands.
SHARE = {"js": 0.25, "sql": 0.1, "sql-spark": 0.025, "sql-postgres": 0.1}


def _agrees_with_the_interpreter(name: str):
    @fuzz_settings(deadline_ms=20_000, share=SHARE.get(name, 1.0))
    @given(data=st.data())
    def agrees(data):
        _agrees(data, name, ordinary=None)

    return agrees


# Engines outside the registry, registered for a property of their own, on ordinary
# cases only: a number beyond the range stops their whole query, and the case is
# found with a query per halving. Spark's analysis costs seconds a random pack: it
# gets the fewest examples.
@fuzz_settings(deadline_ms=90_000, share=SHARE["sql-spark"], floor=5)
@given(data=st.data())
def test_sql_spark_agrees_with_the_interpreter(data):
    with registered("sql-spark", spark.BACKEND):
        _agrees(data, "sql-spark", ordinary=True)


@fuzz_settings(deadline_ms=20_000, share=SHARE["sql-postgres"])
@given(data=st.data())
def test_sql_postgres_agrees_with_the_interpreter(data, pg_dsn):
    with registered("sql-postgres", PostgresSqlBackend(pg_dsn)):
        _agrees(data, "sql-postgres", ordinary=True)


def _agrees(data, name: str, ordinary: bool | None) -> None:
    reason = backend(name).unavailable()
    if reason:
        pytest.skip(reason)
    spec = data.draw(packgen.packs(), label="pack")
    with tempfile.TemporaryDirectory() as tmp, time_limit(60 if ordinary is None else 120):
        try:
            compiled = compile_spec(spec, Path(tmp))
            cases = [data.draw(packgen.cases(spec, ordinary), label=f"case {i}")
                     for i in range(CASES_PER_PACK)]
            skipped: list[int] = []
            try:
                bad = compare(compiled.program, cases, name, Path(tmp), skipped)
            except Unsupported as exc:
                # PostgreSQL has no NUL in a text: the pack is refused (program._no_nul)
                assert name == "sql-postgres" and "NUL" in str(exc), exc
                event("not compared: a NUL in the pack's texts")
                return
            assert not bad, (f"{name} disagrees with the interpreter: {bad[0]}\n"
                             f"{spec.yaml()}")
            for _ in skipped:
                event("not compared: beyond the backend's range")
            for outcome in reference(compiled.program, cases):
                if isinstance(outcome, Refusal):
                    event("case refused")
                else:
                    for r in outcome["regler"]:
                        event(f"status {r['status']}")
        finally:
            forget_generated_modules()


# One module-level test per backend (test_sql_agrees_with_the_interpreter, …)
# rather than one parametrized test with @given inside: pytest's hypothesis
# plugin reports statistics only for a test that is itself @given, and the
# long run's summary (fuzz_summary.py) is built from them.
for _name in judging_backends():
    globals()[f"test_{_name}_agrees_with_the_interpreter"] = _agrees_with_the_interpreter(_name)
