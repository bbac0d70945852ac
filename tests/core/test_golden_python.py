"""Golden files for the generated Python: one folder per case, expected output checked in.

tests/golden/python/<case>/<case>/ is the pack (or <case>/pakke.txt names a pack elsewhere in
the repo), <case>/forventet.py the module `regelkode build` writes (the fast backend's)
without the embedded runtime and fast-path support (those parts are checked separately, so a
runtime change does not rewrite every golden file). Run pytest with --update-golden after a
deliberate change.
"""

import ast
from pathlib import Path

import pytest

from regelkode.backends.python.emit import runtime_source
from regelkode.backends.python.fast import emit_fast_module, support_source
from regelkode.checks.analysis import compile_checked

HERE = Path(__file__).resolve().parents[1] / "golden" / "python"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())
PACKS = [("golden", HERE / c / c) for c in CASES if (HERE / c / c).is_dir()] + [
    ("eksempel", Path(__file__).resolve().parents[1] / "packs" / "eksempel")]


def generate(pack: Path, monkeypatch, root) -> str:
    monkeypatch.chdir(root)
    compiled = compile_checked(pack.relative_to(root))
    assert compiled.ok, [d.message for d in compiled.diags.errors]
    return emit_fast_module(compiled.program)


def pack_of(case: str, root: Path) -> Path:
    pointer = HERE / case / "pakke.txt"
    return root / pointer.read_text().strip() if pointer.exists() else HERE / case / case


@pytest.mark.parametrize("case", CASES)
def test_generated_python_matches_golden(case, monkeypatch, repo_root, update_golden):
    source = generate(pack_of(case, repo_root), monkeypatch, repo_root)
    runtime = runtime_source()
    assert runtime in source
    assert support_source() in source
    body = source.replace(runtime, "# (runtime.py embedded here)").replace(
        support_source(), "# (backends/python/support.py embedded here)")
    expected = HERE / case / "forventet.py"
    if update_golden or not expected.exists():
        expected.write_text(body, encoding="utf-8")
    assert body == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize(("label", "pack"), PACKS, ids=[p[0] + "-" + p[1].name for p in PACKS])
def test_generated_python_is_deterministic_stdlib_only_and_readable(label, pack, monkeypatch,
                                                                     repo_root):
    first = generate(pack, monkeypatch, repo_root)
    assert first == generate(pack, monkeypatch, repo_root)
    tree = ast.parse(first)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "calendar", "datetime", "re", "bisect", "decimal",
                        "difflib", "time"}, imported    # time: the clock for "today"
    assert "/work/" not in first and str(repo_root) not in first    # no absolute paths
    compiled = compile_checked(pack.relative_to(repo_root))
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    for rid, rule in compiled.pack.rules.items():
        assert f"regel_{rid}" in functions
        assert f"# {rule.span.file}:{rule.span.line}\n" in first    # find a rule by its source
    for name in compiled.pack.defs:
        assert f"definition_{name}" in functions
