"""One throw-away PostgreSQL server per test session (pgserver.py), started on first use."""

from __future__ import annotations

import pytest

from .pgserver import REQUIRED, NoServer, cluster


@pytest.fixture(scope="session")
def pg_dsn():
    """The server's connection string. Without a server: skipped on a developer's
    machine, failed where it is required (`make test`, CI)."""
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
