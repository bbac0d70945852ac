"""The Python backend as the registry sees it: what `regelkode build` writes and
how the differential harness runs it.

The module written is the fast one (`fast.py`): it passes the same harness as
the plain emitter (`emit.emit_module`, every operation a three-valued `op_*`
call) did, and is what a caller should embed. The plain emitter is kept as
the fast module's three-valued path and as a reference point in `make
bench`; it is not registered as a second backend, because every line it
generates is also the fast module's fallback path, which the harness already
drives with random missing facts.
"""

from __future__ import annotations

from ...ir import nodes as ir
from .fast import emit_fast_module


class PythonBackend:
    """`<pack>.py`: the standalone module (the fast one, `fast.py`); runs cases by
    importing it from a file."""

    name = "python"
    judges = True

    def emit(self, program: ir.Program) -> dict[str, str]:
        source = emit_fast_module(program)
        # A generated module that doesn't compile is a bug in this backend, not in the pack.
        compile(source, f"{program.pack}.py", "exec")
        return {f"{program.pack}.py": source}

    def unavailable(self) -> str | None:
        return None

    def runner(self, program: ir.Program, workdir):
        return _ModuleRunner(emit_fast_module(program), program.pack, workdir)


class _ModuleRunner:
    def __init__(self, source: str, pack: str, workdir):
        import importlib.util
        import sys
        from pathlib import Path

        # A fresh module name per runner: two packs with one id must not share a module.
        self._name = f"regelkode_backend_{pack}_{id(self)}"
        path = Path(workdir) / f"{pack}.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(self._name, path)
        self.module = importlib.util.module_from_spec(spec)
        sys.modules[self._name] = self.module
        spec.loader.exec_module(self.module)

    def judge(self, cases):
        from .. import Refusal

        out = []
        for case, dato in cases:
            try:
                out.append(self.module.evaluate(case, dato=dato).to_dict())
            except self.module.SagFejl as exc:
                out.append(Refusal(exc.sti, exc.besked))
        return out

    def close(self) -> None:
        import sys

        sys.modules.pop(self._name, None)


BACKEND = PythonBackend()
