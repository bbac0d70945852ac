"""The house rules of compiler/regelkode, read from the imports (lazy ones too).

- stage packages front, passes, ir, backends, checks, site exist;
- no import cycle between modules;
- front never imports passes, ir, backends, checks or site; passes never
  backends, checks or site; ir never a backend (or the differential harness
  proves nothing), checks or site; backends never checks, site or the CLI;
- nothing below the faces (cli, __main__, pytest_plugin) imports the CLI;
- no hand-written module over 600 lines unless its docstring says why
  ("over 600 lines" or "Just over 600 lines").
"""

from __future__ import annotations

import ast
import graphlib
import shutil
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "compiler" / "regelkode"
STAGES = ("front", "passes", "ir", "backends", "checks", "site")
FORBIDDEN = {
    "front": {"passes", "ir", "backends", "checks", "site", "cli"},
    "passes": {"backends", "checks", "site", "cli"},
    "ir": {"backends", "checks", "site", "cli", "passes", "front"},
    "backends": {"checks", "site", "cli"},
    "checks": {"site", "cli"},
    "site": {"cli"},
}
FACES = {"cli", "__main__", "pytest_plugin"}
MAX_LINES = 600


def modules(pkg: Path) -> dict[str, Path]:
    out = {}
    for f in sorted(pkg.rglob("*.py")):
        parts = f.relative_to(pkg).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(("regelkode", *parts))] = f
    return out


def imports(pkg: Path) -> dict[str, set[str]]:
    mods = modules(pkg)
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, f in mods.items():
        here = name if f.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = here
                for _ in range(max(node.level - 1, 0)):
                    base = base.rsplit(".", 1)[0]
                if node.level:
                    mod = f"{base}.{node.module}" if node.module else base
                else:
                    mod = node.module
                targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for t in targets:
                # a package re-exporting its own submodules is not a dependency
                own = f.name == "__init__.py" and t.startswith(name + ".")
                if t in mods and t != name and not own:
                    edges[name].add(t)
    return edges


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def cycles(edges) -> list[list[str]]:
    """One import cycle per call of graphlib, until none is left."""
    edges = {m: set(t) for m, t in edges.items()}
    out = []
    while True:
        try:
            graphlib.TopologicalSorter(edges).prepare()
            return out
        except graphlib.CycleError as exc:
            cycle = exc.args[1]
            out.append(sorted(set(cycle)))
            edges[cycle[1]].discard(cycle[0])  # break this one, look for the next


def violations(pkg: Path) -> list[str]:
    edges = imports(pkg)
    out = [f"missing stage package {s}/" for s in STAGES if not (pkg / s / "__init__.py").is_file()]
    out += ["import cycle: " + " <-> ".join(c) for c in cycles(edges)]
    for m, targets in sorted(edges.items()):
        for t in sorted(targets):
            a, b = stage(m), stage(t)
            if a != b and b in FORBIDDEN.get(a, ()):
                out.append(f"forbidden import: {m} -> {t}")
            if b == "cli" and a not in FACES:
                out.append(f"only a face may import the CLI: {m} -> {t}")
    for f in modules(pkg).values():
        text = f.read_text(encoding="utf-8")
        n = text.count("\n")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if n > MAX_LINES and "over 600 lines" not in doc.lower():
            out.append(f"{f.relative_to(pkg)}: {n} lines and no reason at its top")
    return out


def test_the_compiler_keeps_the_house_rules():
    assert violations(PKG) == []


def test_the_runtime_is_split_by_concern():
    from regelkode import runtime
    assert set(runtime.PARTS) >= {"values", "logic", "money", "dates", "case", "report"}


@pytest.mark.parametrize(("module", "line", "expected"), [
    ("front/parse.py", "from ..backends.python import emit\n",
     "forbidden import: regelkode.front.parse -> regelkode.backends.python"),
    ("ir/interpret.py", "def _f():\n    from ..backends.python import emit\n",
     "forbidden import: regelkode.ir.interpret -> regelkode.backends.python"),
    ("backends/python/emit.py", "from ...site import pages\n",
     "forbidden import: regelkode.backends.python.emit -> regelkode.site"),
    ("passes/lower.py", "from ..cli import main\n",
     "forbidden import: regelkode.passes.lower -> regelkode.cli"),
    ("front/ast.py", "def _g():\n    from . import model\n",
     "import cycle: regelkode.front.ast <-> "),
])
def test_a_forbidden_import_is_found(tmp_path, module, line, expected):
    copy = tmp_path / "regelkode"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / module).open("a", encoding="utf-8") as f:
        f.write("\n\n" + line)
    found = violations(copy)
    assert any(v.startswith(expected) for v in found), found


def test_a_long_module_needs_a_reason(tmp_path):
    copy = tmp_path / "regelkode"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "front" / "lang.py").write_text('"""Long."""\n' + "x = 1\n" * 700, encoding="utf-8")
    assert "front/lang.py: 701 lines and no reason at its top" in violations(copy)
