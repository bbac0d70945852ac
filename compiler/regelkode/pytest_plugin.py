"""Pytest plugin: every rule pack's examples become test items.

Registered as the `pytest11` entry point `regelkode`, so it is active wherever
regelkode is installed (disable with `-p no:regelkode`). In: the pack roots
named by the ini option `regelkode_pakker` (relative to the rootdir; default
`rules tests/packs`) — every folder directly under a root that holds a
`pakke.yaml`, except folders meant to fail: a name starting with `fejl` or a
file `.skal-fejle` in the folder. Out: test items

- `<root>/<pack>/pakke.yaml::oversættelse`: the pack compiles; when it does
  not, this one item fails with the diagnostics (and the pack has no other items);
- `<root>/<pack>/<file>.yaml::<rule or definition>::<example>`: one example,
  run exactly as `regelkode test` runs it (`examples.collect` +
  `examples.run_one` on the interpreter and the generated module). Like
  `regelkode test`, a pack tests the examples of its own layer: a pack that
  extends another may change the base's outcomes on purpose.

Each pack is compiled, and its generated module imported, once per session.
A failing example shows the facts given, the expected and the actual result
and the facts and definitions the rule used (`examples.explain`).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

SKIP_MARKER = ".skal-fejle"
SKIP_PREFIX = "fejl"
RESERVED = {"pakke.yaml", "konflikter.yaml"}

_STATE = pytest.StashKey["_Packs"]()


def pytest_addoption(parser):
    parser.addini("regelkode_pakker", type="args", default=["rules", "tests/packs"],
                  help="regelkode: mapper (fra rootdir), hvis regelpakkers eksempler "
                       "samles som tests")


def pytest_configure(config):
    config.stash[_STATE] = _Packs(config)


def pytest_unconfigure(config):
    state = config.stash.get(_STATE, None)
    if state is not None:
        state.close()


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix != ".yaml":
        return None
    state = parent.config.stash[_STATE]
    pack_dir = file_path.parent
    if not state.is_pack(pack_dir):
        return None
    if file_path.name == "pakke.yaml":
        return PackManifest.from_parent(parent, path=file_path)
    if file_path.name in RESERVED:
        return None
    return RuleFile.from_parent(parent, path=file_path)


# --- packs, compiled once per session ------------------------------------------------------

class _Entry:
    def __init__(self, path: Path, tmp: Path):
        from .checks.analysis import compile_checked
        from .checks.examples import collect
        self.path = path
        self.compiled = compile_checked(path)
        self.examples = collect(self.compiled) if self.compiled.ok else []
        self._tmp = tmp
        self._module = None

    @property
    def module(self):
        if self._module is None:
            from .cli import load_generated
            directory = Path(tempfile.mkdtemp(dir=self._tmp))
            self._module = load_generated(self.compiled, directory)
        return self._module

    def dir_of(self, ex) -> Path | None:
        """The folder of the layer that declares the example's rule or definition."""
        pack = self.compiled.pack
        decl = (pack.rules if ex.kind == "regel" else pack.defs).get(ex.owner)
        if decl is None or decl.layer not in pack.pack_dirs:
            return None
        return Path(pack.pack_dirs[decl.layer]).resolve()


class _Packs:
    def __init__(self, config):
        root = Path(config.rootpath)
        self.roots = {(root / r).resolve() for r in config.getini("regelkode_pakker")}
        self.entries: dict[Path, _Entry] = {}
        self._tmp: Path | None = None

    def is_pack(self, d: Path) -> bool:
        d = d.resolve()
        return (d.parent in self.roots and (d / "pakke.yaml").is_file()
                and not d.name.startswith(SKIP_PREFIX) and not (d / SKIP_MARKER).exists())

    def get(self, d: Path) -> _Entry:
        d = d.resolve()
        if d not in self.entries:
            if self._tmp is None:
                self._tmp = Path(tempfile.mkdtemp(prefix="regelkode-pytest-"))
            self.entries[d] = _Entry(d, self._tmp)
        return self.entries[d]

    def close(self):
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


# --- collectors and items ------------------------------------------------------------------

class CompileFailed(Exception):
    pass


class ExampleFailed(Exception):
    pass


class PackManifest(pytest.File):
    def collect(self):
        yield CompileItem.from_parent(self, name="oversættelse")


class CompileItem(pytest.Item):
    def runtest(self):
        from .diagnostics import render
        entry = self.config.stash[_STATE].get(self.path.parent)
        if not entry.compiled.ok:
            errors = [d for d in entry.compiled.diags.sorted() if d.is_error]
            raise CompileFailed(render(errors, "text") or "pakken kunne ikke oversættes")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CompileFailed):
            return f"regelpakken {self.path.parent.name} kan ikke oversættes:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"regelpakken {self.path.parent.name}"


class RuleFile(pytest.File):
    def collect(self):
        own = self.path.parent.resolve()
        entry = self.config.stash[_STATE].get(own)
        owners: dict[str, list] = {}
        for ex in entry.examples:
            if entry.dir_of(ex) == own and Path(ex.file).name == self.path.name:
                owners.setdefault(ex.owner, []).append((entry, ex))
        # In file order, as a reader of the YAML meets them.
        for owner, items in sorted(owners.items(), key=lambda kv: kv[1][0][1].span.line):
            yield Owner.from_parent(self, name=owner, items=items)


class Owner(pytest.Collector):
    def __init__(self, *, items, **kwargs):
        super().__init__(**kwargs)
        self._items = items

    def collect(self):
        for entry, ex in self._items:
            yield ExampleItem.from_parent(self, name=ex.name, entry=entry, example=ex)


class ExampleItem(pytest.Item):
    def __init__(self, *, entry, example, **kwargs):
        super().__init__(**kwargs)
        self.entry = entry
        self.example = example

    def runtest(self):
        from .checks.examples import run_one
        outcome = run_one(self.entry.compiled, self.example, self.entry.module)
        if not outcome.ok:
            raise ExampleFailed(outcome.detail)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ExampleFailed):
            ex = self.example
            kind = "reglen" if ex.kind == "regel" else "definitionen"
            where = f"{ex.span.file}:{ex.span.line}"
            pack = self.entry.compiled.pack.id
            return (f"eksemplet `{ex.name}` for {kind} `{ex.owner}` fejler i pakken {pack} "
                    f"({where}):\n{excinfo.value}")
        return super().repr_failure(excinfo)

    def reportinfo(self):
        ex = self.example
        return self.path, max(ex.span.line - 1, 0), f"{ex.owner}: {ex.name}"
