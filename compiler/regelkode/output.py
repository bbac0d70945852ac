"""Atomic output: a folder of generated files replaces the old one whole.

Files are written into a staging folder beside the target and fsynced; then
the old folder is moved aside and the staging folder moved in, and the old
one removed. If a process dies between the two moves, the next build finds
`<target>.old` without `<target>` and puts it back first, so a reader never
sees a half-written build. A failure while staging (a full disk) removes
the staging folder and leaves the previous output untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def recover(target: Path) -> None:
    old = target.with_name(target.name + ".old")
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def replace_tree(target: Path, files: dict[str, bytes] | None = None,
                 copy_from: Path | None = None) -> None:
    """Make `target` contain exactly `files` (relative path -> bytes) or a copy of a folder."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        if copy_from is not None:
            shutil.copytree(copy_from, staging)
        else:
            staging.mkdir()
        for rel, data in sorted((files or {}).items()):
            _write(staging / rel, data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(target.name + ".old")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def write_file(path: Path, data: bytes) -> None:
    """One file, atomically (temp file in the same folder, then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        _write(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
