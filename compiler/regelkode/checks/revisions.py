"""Opening one side of a diff: a folder (a `rules/` root or one pack folder) or a
git revision, read with `git archive` into a temporary folder; the working tree
and the index are never touched.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

class DiffError(Exception):
    """A problem with the user's input (a bad revision or folder): message, exit code 2."""


@dataclass
class Side:
    label: str
    packs: dict               # pack id -> folder
    # How a pack unpacked from a revision is named in messages -> its path in the
    # repository (a temporary folder has no name relative to the working directory).
    rename: dict = field(default_factory=dict)


# --- opening the two sides -------------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"git kan ikke køres: {exc.strerror or exc}") from None


def _toplevel(path: Path) -> Path | None:
    try:
        r = _git(["rev-parse", "--show-toplevel"], path)
    except DiffError:
        return None
    if r.returncode != 0:
        return None
    return Path(r.stdout.decode().strip())


def _packs_in(folder: Path) -> dict:
    from ..front.load import discover_packs
    if (folder / "pakke.yaml").is_file():
        return {folder.name: folder}
    if folder.is_dir():
        return {p.name: p for p in discover_packs(folder)}
    return {}


def _extract(top: Path, rev: str, subdir: str, dest: Path) -> Path:
    """`subdir` as it was at `rev`, unpacked under `dest`; returns the unpacked folder."""
    r = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    if r.returncode != 0:
        raise DiffError(f"`{rev}` er hverken en mappe eller en git-revision i {top}")
    sha = r.stdout.decode().strip()
    out = dest / sha[:12]
    out.mkdir(parents=True, exist_ok=True)
    r = _git(["archive", "--format=tar", sha, "--", subdir], top)
    if r.returncode != 0:
        # The folder did not exist yet at that revision: an empty side, so all is added.
        return out / subdir
    with tarfile.open(fileobj=io.BytesIO(r.stdout)) as tar:
        tar.extractall(out, filter="data")
    return out / subdir


def open_side(spec: str, tmp: Path, subdir: str = "rules") -> Side:
    """A folder (rules root or pack) or a git revision of the repository around the cwd."""
    path = Path(spec)
    if path.is_dir():
        packs = _packs_in(path)
        if not packs:
            raise DiffError(f"`{spec}` er hverken en regelpakke (pakke.yaml mangler) eller en "
                            "mappe med regelpakker")
        return Side(spec, packs)
    top = _toplevel(Path.cwd())
    if top is None:
        raise DiffError(f"`{spec}` er ikke en mappe, og {Path.cwd()} ligger ikke i et "
                        "git-repository, så det kan heller ikke være en revision")
    folder = _extract(top, spec, subdir, tmp)
    return Side(spec, _packs_in(folder), _renames(folder, subdir))


def _renames(folder: Path, subdir: str) -> dict:
    from ..front.load import _display
    if not folder.is_dir():
        return {}
    return {_display(p): f"{Path(subdir).as_posix()}/{p.name}"
            for p in folder.iterdir() if p.is_dir()}


def _renamed(span, rename: dict):
    import dataclasses
    if span is None:
        return None
    for shown, real in rename.items():
        if span.file.startswith(shown + "/"):
            return dataclasses.replace(span, file=real + span.file[len(shown):])
    return span


def _rename_spans(pd, rename: dict) -> None:
    import dataclasses
    if not rename:
        return
    for ch in pd.changes:
        ch.span = _renamed(ch.span, rename)
    for o in pd.outcomes:
        o.span = _renamed(o.span, rename)
    for side, errors in pd.errors.items():
        pd.errors[side] = [dataclasses.replace(d, span=_renamed(d.span, rename))
                           for d in errors]


