"""The PostgreSQL dialect on a real PostgreSQL server agrees with the interpreter.

`regelkode sql --dialect postgres` is run as printed (named types, the table
`sager`, the views) on a throw-away server (conftest.py, one per session);
every example, every sample case, seeded variants with missing facts and
seeded random cases of each pack are judged there and compared, per case and
rule, on status and missing facts, through the one differential harness.
"""

from __future__ import annotations

import sys
import types
import zlib

import pytest

from differential.harness import ROOT, compare, example_cases, sample_cases, variants
from regelkode import backends
from regelkode.checks.analysis import compile_checked

sys.path.insert(0, str(ROOT))
from bench.cases import make_case, rates

# the hostile pack too: its names and texts reach PostgreSQL's identifiers and literals
PACKS = ["rules/ressourceforloeb", "rules/frederiksberg", "tests/packs/eksempel",
         "tests/packs/eksempel_lag", "tests/packs/fjendtlig"]
VARIANTS_PER_SAMPLE = 25
RANDOM_CASES = 40


@pytest.fixture
def pg_backend(monkeypatch, pg_dsn):
    from regelkode.backends.sql.postgres import PostgresSqlBackend

    module = types.ModuleType("regelkode_test_sql_postgres")
    module.BACKEND = PostgresSqlBackend(pg_dsn)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(backends.REGISTRY, "sql-postgres", module.__name__)
    return "sql-postgres"


@pytest.mark.parametrize("pack", PACKS)
def test_postgres_agrees_with_the_interpreter(pack, pg_backend):
    compiled = compile_checked(ROOT / pack)
    assert compiled.ok
    samples = sample_cases(compiled.path)
    seed = zlib.crc32(compiled.pack.id.encode())
    cases = (example_cases(compiled) + samples + variants(samples, VARIANTS_PER_SAMPLE, seed))
    if pack.startswith("rules/"):
        params = rates(compiled.program)
        cases += [(make_case(i, compiled.program.facts, params, seed=f"pg:{pack}"), None)
                  for i in range(RANDOM_CASES)]
    assert cases
    bad = compare(compiled.program, cases, pg_backend)
    assert not bad, f"{len(bad)} of {len(cases)} cases differ; the first:\n{bad[0]}"


def test_a_missing_server_is_named_not_hidden(monkeypatch):
    """Without PostgreSQL's binaries the fixture gets a reason to fail with (under
    `make test`/CI, REQUIRED) or to skip with (elsewhere), never a silent pass."""
    from . import pgserver

    monkeypatch.setattr(pgserver.shutil, "which", lambda name: None)
    monkeypatch.setattr(pgserver.glob, "glob", lambda pattern: [])
    with pytest.raises(pgserver.NoServer, match="apt-get install postgresql"), \
            pgserver.cluster():
        pass
