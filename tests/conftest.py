"""Shared test options: `--update-golden` rewrites expected outputs from actual ones;
REGELKODE_FUZZ_SEED must come with the same `--hypothesis-seed`. One throw-away
PostgreSQL server per test session (sql/pgserver.py), started on first use."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files under tests/golden from the current output")


def pytest_configure(config):
    # Without the same --hypothesis-seed, REGELKODE_FUZZ_SEED would switch
    # derandomizing off with a random seed: a run nobody could repeat.
    seed = os.environ.get("REGELKODE_FUZZ_SEED")
    if seed and config.getoption("--hypothesis-seed", None) != seed:
        raise pytest.UsageError(
            f"REGELKODE_FUZZ_SEED={seed} needs --hypothesis-seed={seed} as well "
            "(make fuzz-long FUZZ_SEED=n passes both)")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def pg_dsn():
    """The server's connection string. Without a server: skipped on a developer's
    machine, failed where it is required (`make test`, CI)."""
    from sql.pgserver import REQUIRED, NoServer, cluster

    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = "psycopg is not installed (pip install 'regelkode[postgres]'; make venv does)"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        manager = cluster()
        dsn = manager.__enter__()
    except NoServer as exc:
        if REQUIRED:
            pytest.fail(f"PostgreSQL is required here but cannot start: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    try:
        yield dsn
    finally:
        manager.__exit__(None, None, None)
