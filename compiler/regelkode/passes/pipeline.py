"""The front door: a pack folder through every stage, diagnostics collected.

load → model (parse) → citations → resolve → typecheck → lower → periods. Each stage
runs as far as it can so that one run reports every error; lowering only
runs when nothing before it failed. `--dump STAGE` on the CLI prints the
intermediate result of a stage.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics
from ..front.decls import Pack
from ..front.load import load_pack
from ..front.model import build_model
from ..ir import nodes as ir
from .citations import verify_citations
from .lower import lower_pack
from .periods import hint_periods
from .resolve import Resolution, resolve_names
from .typecheck import Typing, check_types


@dataclass
class Compiled:
    path: Path
    diags: Diagnostics
    pack: Pack | None = None
    resolution: Resolution | None = None
    typing: Typing | None = None
    program: ir.Program | None = None

    @property
    def ok(self) -> bool:
        return self.program is not None and not self.diags.has_errors


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a pack compiles, then as it was.

    Compiling builds a large tree that stays alive (YAML nodes, spans, parse trees,
    the IR) and makes next to no cyclic garbage (a 100× pack peaks at the same
    memory either way). With the collector on, its full collections traverse that
    growing tree again and again: about 40 % of the time of `check` on the 100×
    pack (bench, issue 15). Reference counting still frees everything else."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def compile_pack(path: Path) -> Compiled:
    with collector_paused():
        return _compile_pack(path)


def _compile_pack(path: Path) -> Compiled:
    diags = Diagnostics()
    out = Compiled(Path(path), diags)
    src = load_pack(Path(path), diags)
    if src is None:
        return out
    out.pack = build_model(src, diags)
    verify_citations(out.pack, diags)
    out.resolution = resolve_names(out.pack, diags)
    out.typing = check_types(out.pack, out.resolution, diags)
    if diags.has_errors:
        return out
    out.program = lower_pack(out.pack, out.resolution, out.typing, diags)
    if diags.has_errors:
        out.program = None
    elif out.program is not None:
        out.program = hint_periods(out.program)
    return out
