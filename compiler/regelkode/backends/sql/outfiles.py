"""Names of a batch's output files, shared by the DuckDB and the Spark engine."""

from __future__ import annotations

import os
from pathlib import Path


def _siblings(out: Path) -> dict[str, Path]:
    return {"resultater": out,
            "definitioner": out.with_name(out.stem + ".definitioner" + out.suffix)}


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")
