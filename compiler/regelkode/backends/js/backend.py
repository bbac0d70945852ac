"""The JS backend's protocol object (backends/__init__.py) and its Node runner.

The runner writes the module once and judges a whole batch of cases in one
Node process (driver.mjs): starting Node costs more than judging a case.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

from ...ir import nodes as ir
from .emit import emit_module
from .types import emit_dts

MIN_NODE = 18


def node_path() -> str | None:
    return shutil.which("node") or shutil.which("nodejs")


def node_version(node: str) -> int | None:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.match(r"v(\d+)\.", out.stdout.strip())
    return int(m.group(1)) if m else None


class JsBackend:
    """`<pack>.mjs` and `<pack>.d.ts`; runs cases with Node."""

    name = "js"
    judges = True

    def emit(self, program: ir.Program) -> dict[str, str]:
        return {f"{program.pack}.mjs": emit_module(program),
                f"{program.pack}.d.ts": emit_dts(program)}

    def unavailable(self) -> str | None:
        node = node_path()
        if node is None:
            return "Node.js is not installed (make test installs Debian's nodejs)"
        version = node_version(node)
        if version is None or version < MIN_NODE:
            return f"{node} is not Node.js {MIN_NODE} or later"
        return None

    def runner(self, program: ir.Program, workdir):
        return NodeRunner(emit_module(program), program.pack, Path(workdir))


class NodeRunner:
    def __init__(self, source: str, pack: str, workdir: Path):
        self.module = workdir / f"{pack}.mjs"
        self.module.write_text(source, encoding="utf-8")
        self.driver = workdir / "regelkode_driver.mjs"
        self.driver.write_text(resources.files(__package__).joinpath("driver.mjs")
                               .read_text(encoding="utf-8"), encoding="utf-8")

    def run_lines(self, lines: list[str]) -> list[str]:
        """Feed JSON lines to the driver; its output lines, one per input."""
        node = node_path()
        if node is None:
            raise RuntimeError("Node.js is not installed")
        res = subprocess.run([node, str(self.driver), str(self.module)],
                             input="".join(line + "\n" for line in lines),
                             capture_output=True, text=True, encoding="utf-8")
        if res.returncode != 0:
            raise RuntimeError(f"node failed ({res.returncode}): {res.stderr[-4000:]}")
        out = res.stdout.split("\n")
        if out and out[-1] == "":
            out.pop()
        if len(out) != len(lines):
            raise RuntimeError(f"node answered {len(out)} of {len(lines)} cases")
        return out

    def judge(self, cases):
        from .. import Refusal

        lines = [json.dumps({"sag": case, "dato": _dato_json(dato),
                             "forklaring": True}, ensure_ascii=True)
                 for case, dato in cases]
        out = []
        for line in self.run_lines(lines):
            kind, body = line[:1], line[1:]
            if kind == "R":
                out.append(json.loads(body))
            elif kind == "F":
                sti, besked = json.loads(body)
                out.append(Refusal(sti, besked))
            else:
                raise RuntimeError(f"the JS module failed: {json.loads(body)}")
        return out

    def close(self) -> None:
        pass


def _dato_json(dato):
    # a date as the text the module reads; anything else as it is (to be refused the same)
    return dato.isoformat() if isinstance(dato, dt.date) else dato


BACKEND = JsBackend()
