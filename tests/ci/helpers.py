"""Shared helpers for the CI tests: write small packs, run the CLI in-process.

Packs are written under a `rules/` folder in a temporary directory, so a pack
that `udvider` another finds it as a sibling, as in the repository.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from regelkode.cli import main as cli_main

REPO = Path(__file__).resolve().parents[2]
# A frozen copy of tests/packs/eksempel (see fixtures/README.md).
EKSEMPEL = Path(__file__).resolve().parent / "fixtures" / "eksempel"
LIVE_EKSEMPEL = REPO / "tests" / "packs" / "eksempel"

MANIFEST = """id: {id}
titel: Testpakke {id}
version: 0.1.0
"""


def write_pack(root: Path, pack_id: str, files: dict, manifest: str | None = None) -> Path:
    """`root/rules/<pack_id>/` with a manifest and the given files (name -> text)."""
    pack = root / "rules" / pack_id
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "pakke.yaml").write_text(manifest or MANIFEST.format(id=pack_id), encoding="utf-8")
    for name, text in files.items():
        path = pack / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return pack


def copy_eksempel(root: Path) -> Path:
    dest = root / "rules" / "eksempel"
    shutil.copytree(EKSEMPEL, dest)
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(args: list) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())
