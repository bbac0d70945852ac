"""Atomic output: a folder of generated files replaces the old one whole.

Files are written into a staging folder beside the target and fsynced; then
the old folder is moved aside and the staging folder moved in, and the old
one removed. If a process dies between the two moves, the next build finds
`<target>.old` without `<target>` and puts it back first, so a reader never
sees a half-written build. A failure while staging (a full disk) removes
the staging folder and leaves the previous output untouched.

Several folders (one per pack) are replaced together by `replace_trees`:
all are staged before any is swapped, and a failed swap puts back the ones
already swapped, so a failed build changes none of them. Before the first
swap a journal (`.regelkode-bygning.json` beside the folders) records which
folders existed; it is removed once all are swapped. A process killed in
between leaves the journal, and `recover` then rolls every folder back, so
even a kill never leaves some packs new and some old. `recover` also
removes staging folders left by a killed process.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
from pathlib import Path

JOURNAL = ".regelkode-bygning.json"


def recover(target: Path) -> None:
    """Finish what a killed build left at `target`: the old folder back, stale staging gone."""
    target = Path(target)
    if (target.parent / JOURNAL).exists():
        _roll_back(target.parent)
    old = _old(target)
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    if target.parent.is_dir():
        # staging folders, and a journal's temporary file, of a process that is gone
        for prefix in (f".{target.name}.staging-", f".{JOURNAL}.tmp-"):
            for stale in target.parent.glob(glob.escape(prefix) + "*"):
                pid = stale.name[len(prefix):]
                if pid.isdigit() and not _alive(int(pid)):
                    if stale.is_dir():
                        shutil.rmtree(stale, ignore_errors=True)
                    else:
                        stale.unlink(missing_ok=True)


def _old(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def _roll_back(folder: Path) -> None:
    """A swap of several folders in `folder` was cut off: put each back as it was."""
    journal = folder / JOURNAL
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = []    # written atomically: unreadable means nothing was swapped yet
    for name, had_old in entries:
        target = folder / name
        old = _old(target)
        if had_old and old.exists():
            if target.exists():
                shutil.rmtree(target)
            os.replace(old, target)
        elif not had_old and target.exists():
            shutil.rmtree(target)       # there was none before this build
    journal.unlink(missing_ok=True)
    _fsync_dir(folder)


def _alive(pid: int) -> bool:
    """Is process `pid` running? (Another build may be staging next to us.)"""
    if pid == os.getpid():
        return False        # our own staging from before: a leftover
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True         # e.g. EPERM: it exists, just not ours
    return True


def _fsync_dir(folder: Path) -> None:
    """Make renames in `folder` durable (a crash after the build keeps them)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def replace_tree(target: Path, files: dict[str, bytes] | None = None,
                 copy_from: Path | None = None) -> None:
    """Make `target` contain exactly `files` (relative path -> bytes) or a copy of a folder."""
    replace_trees({Path(target): (files, copy_from)})


def _stage(target: Path, files, copy_from) -> Path:
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
    return staging


def replace_trees(trees: dict) -> None:
    """Replace several folders together: target -> (files, copy_from).

    All are staged first; then each is swapped in. If anything fails, every
    folder is as it was before: staging folders are removed, and folders
    already swapped get their old contents back.
    """
    staged: dict[Path, Path] = {}
    try:
        for target, (files, copy_from) in trees.items():
            staged[Path(target)] = _stage(Path(target), files, copy_from)
    except BaseException:
        for staging in staged.values():
            shutil.rmtree(staging, ignore_errors=True)
        raise
    parents = {target.parent for target in staged}
    journal = parents.pop() / JOURNAL if len(parents) == 1 else None
    swapped: list[tuple[Path, bool]] = []      # (target, had an old version)
    try:
        if journal is not None:
            write_file(journal, json.dumps([[t.name, t.exists()] for t in staged]).encode())
            _fsync_dir(journal.parent)
        for target, staging in staged.items():
            had_old = target.exists()
            if had_old:
                os.replace(target, _old(target))
            try:
                os.replace(staging, target)
            except BaseException:
                if had_old:
                    os.replace(_old(target), target)
                raise
            swapped.append((target, had_old))
    except BaseException:
        for staging in staged.values():
            shutil.rmtree(staging, ignore_errors=True)
        if journal is not None and journal.exists():
            _roll_back(journal.parent)      # what a later recover() would do, now
        else:
            for target, had_old in reversed(swapped):
                shutil.rmtree(target, ignore_errors=True)
                if had_old:
                    os.replace(_old(target), target)
        raise
    if journal is not None:
        journal.unlink()                    # the commit point: from here on, all are new
    for target, _had_old in swapped:
        shutil.rmtree(_old(target), ignore_errors=True)
    for parent in {target.parent for target in staged}:
        _fsync_dir(parent)


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
