"""The same SQL on a local SparkSession agrees with the interpreter.

Few and fast on purpose (a Spark session takes seconds to start):
the example pack's sample cases and seeded variants with missing facts,
through the one differential harness, and one `batch --engine spark`.
Skipped only when pyspark is absent (`make test` installs it and Java).
"""

from __future__ import annotations

import json
import sys
import types
import zlib

import pytest

pytest.importorskip("pyspark")

from differential.harness import ROOT, compare, example_cases, sample_cases, variants
from regelkode import backends
from regelkode.checks.analysis import compile_checked
from regelkode.cli import main

# A small pack: Spark's analyser needs over a minute for the ressourceforløb views on a
# loaded 2-core machine (bench/ measures it); DuckDB covers the real packs in tests/differential.
PACK = ROOT / "tests/packs/eksempel"


@pytest.fixture(scope="module")
def compiled():
    c = compile_checked(PACK)
    assert c.ok
    return c


@pytest.fixture
def spark_backend(monkeypatch):
    from regelkode.backends.sql import spark

    module = types.ModuleType("regelkode_test_sql_spark")
    module.BACKEND = spark.BACKEND
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(backends.REGISTRY, "sql-spark", module.__name__)
    reason = spark.unavailable()
    if reason:
        pytest.fail(f"pyspark is installed but Spark cannot run: {reason}")
    return "sql-spark"


def test_spark_agrees_with_the_interpreter(compiled, spark_backend):
    samples = sample_cases(compiled.path)
    cases = (example_cases(compiled) + samples
             + variants(samples, 10, seed=zlib.crc32(b"spark")))
    bad = compare(compiled.program, cases, spark_backend)
    assert not bad, f"{len(bad)} of {len(cases)} cases differ; the first:\n{bad[0]}"


def test_batch_on_spark(tmp_path, compiled, spark_backend):
    src = tmp_path / "sager.jsonl"
    cases = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted((PACK / "sager").glob("*.json"))[:3]]
    src.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases),
                   encoding="utf-8")
    assert main(["batch", str(PACK), str(src), "--out", str(tmp_path / "d.jsonl")]) == 0
    assert main(["batch", str(PACK), str(src), "--out", str(tmp_path / "s.jsonl"),
                 "--engine", "spark"]) == 0

    def rows(name):
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        return sorted(json.dumps(json.loads(line), sort_keys=True) for line in lines)

    assert rows("s.jsonl") == rows("d.jsonl")
    assert rows("s.definitioner.jsonl") == rows("d.definitioner.jsonl")
