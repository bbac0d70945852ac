"""site/docs/ci.md: its workflow and hooks parse, and call commands the CLI accepts."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from regelkode.cli import main

from .helpers import REPO

PAGE = (REPO / "site" / "docs" / "ci.md").read_text(encoding="utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", PAGE, re.DOTALL)


def commands(node) -> list[str]:
    """The shell text of every `run:` (workflow) and `entry:` (pre-commit) in a YAML tree."""
    if isinstance(node, dict):
        own = [str(v) for k, v in node.items() if k in ("run", "entry")]
        return own + [c for v in node.values() for c in commands(v)]
    if isinstance(node, list):
        return [c for v in node for c in commands(v)]
    return []


def regelkode_calls(block: str) -> list[list[str]]:
    calls = []
    for text in commands(yaml.safe_load(block)):
        for line in text.splitlines():
            m = re.search(r"(?:\.venv/bin/)?regelkode (.+?)(?:\s*>.*)?$", line)
            if m:
                calls.append(shlex.split(m.group(1).replace('"$base"', "main")))
    return calls


def test_every_yaml_block_parses():
    assert len(YAML_BLOCKS) >= 4
    for block in YAML_BLOCKS:
        yaml.safe_load(block)
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"regelkode-check", "regelkode-test", "regelkode-diff"}


def test_the_workflow_runs_check_test_coverage_and_diff():
    workflow = next(yaml.safe_load(b) for b in YAML_BLOCKS if "jobs" in b)
    steps = " ".join(s.get("run", "") for s in workflow["jobs"]["regler"]["steps"])
    for wanted in ("regelkode check", "regelkode test --coverage", "regelkode diff"):
        assert wanted in steps


HOOKS = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
CALLS = [c for b in [*YAML_BLOCKS, HOOKS] for c in regelkode_calls(b)]


def test_the_page_documents_the_three_commands():
    assert {c[0] for c in CALLS} == {"check", "test", "diff"}


@pytest.mark.parametrize("args", CALLS, ids=" ".join)
def test_documented_commands_are_accepted_by_the_cli(args, monkeypatch):
    # The commands themselves are replaced, so only argument parsing runs: an
    # unknown option or a bad --format value exits 2 here.
    import regelkode.checks.diff_render
    import regelkode.cli
    seen = []
    for module, name in ((regelkode.cli, "cmd_check"), (regelkode.cli, "cmd_test"),
                         (regelkode.cli, "cmd_build"), (regelkode.checks.diff_render, "cmd_diff")):
        monkeypatch.setattr(module, name, lambda a, _n=name: seen.append(_n) or 0)
    assert main(args) == 0
    assert seen == ["cmd_" + args[0]]
