"""Shared test options: `--update-golden` rewrites expected outputs from actual ones;
REGELKODE_FUZZ_SEED must come with the same `--hypothesis-seed`."""

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
