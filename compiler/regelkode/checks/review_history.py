"""What changed since a review: the commit a review was made at, and the declaration then.

`regelkode godkend` records the checkout's HEAD commit in `gennemgået`
(`head_commit`; none outside a git checkout). For a declaration changed since
its review, `since_review` reads its YAML file at that commit and gives a
unified diff of the declaration then and now — both as canonical YAML of the
declaration without its review block, so the diff shows content, not layout.
The review site puts it under the rule. Every git failure is a message in the
result, never an exception: a site build does not stop for history.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..diagnostics import Diagnostics
from ..front.load import YMap, load_yaml, to_plain

GIT_TIMEOUT = 30
_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                              timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None


def head_commit(path: Path) -> str | None:
    """The HEAD commit of the git checkout holding `path`, or None (no git, no checkout)."""
    proc = _git(["rev-parse", "--verify", "-q", "HEAD"], Path(path).resolve().parent)
    if proc is None or proc.returncode != 0:
        return None
    sha = proc.stdout.decode("ascii", "replace").strip()
    return sha if _SHA.fullmatch(sha) else None


@dataclass
class ReviewDiff:
    commit: str | None           # as recorded
    diff: str = ""               # unified diff, declaration at the commit -> now
    problem: str | None = None   # why there is no diff, or a caveat about it


def declaration_yaml(tree, review_key: str) -> str:
    """A declaration as YAML without its review block, keys in the author's order."""
    data = {k: v for k, v in to_plain(tree).items() if k != review_key}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88,
                          default_flow_style=False)


def since_review(decl, review_key: str, section: str, fingerprint) -> ReviewDiff:
    """The declaration's change since the commit its review records (see module doc)."""
    review = decl.review or {}
    commit = str(review.get("commit") or "") or None
    if commit is None:
        return ReviewDiff(None, problem="gennemgangen har ingen commit (den er registreret "
                                        "uden for git eller før commits blev gemt)")
    if not _SHA.fullmatch(commit):
        return ReviewDiff(commit, problem="commit-id'et er ugyldigt")
    folder = Path(decl.path).resolve().parent
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top is None or top.returncode != 0:
        return ReviewDiff(commit, problem="regelfilen ligger ikke i et git-repository")
    root = Path(top.stdout.decode("utf-8", "replace").strip())
    rel = Path(decl.path).resolve().relative_to(root.resolve()).as_posix()
    shown = _git(["show", f"{commit}:{rel}"], root)
    if shown is None or shown.returncode != 0:
        return ReviewDiff(commit, problem=f"commit {commit[:12]} eller filen {rel} i den "
                                          "findes ikke i dette repository")
    with tempfile.TemporaryDirectory(prefix="regelkode-gennemgang-") as tmp:
        probe = Path(tmp) / Path(rel).name
        probe.write_bytes(shown.stdout)
        old_tree = load_yaml(probe, rel, Diagnostics())
    old_section = old_tree.get(section) if isinstance(old_tree, YMap) else None
    old_decl = old_section.get(decl.id) if isinstance(old_section, YMap) else None
    now = declaration_yaml(decl.tree, review_key).splitlines(keepends=True)
    then = (declaration_yaml(old_decl, review_key).splitlines(keepends=True)
            if isinstance(old_decl, YMap) else [])
    diff = "".join(difflib.unified_diff(then, now, f"{rel} @ {commit[:12]}", f"{rel} nu", n=2))
    problem = None
    if not isinstance(old_decl, YMap):
        problem = f"`{decl.id}` fandtes ikke i {rel} ved commit {commit[:12]}"
    elif fingerprint(old_decl)[:16] != str(review.get("fingeraftryk") or "")[:16]:
        problem = (f"versionen ved commit {commit[:12]} er ikke den, der blev godkendt "
                   "(den var ikke committed ved godkendelsen); forskellen er regnet fra "
                   "commit'en")
    return ReviewDiff(commit, diff, problem)
