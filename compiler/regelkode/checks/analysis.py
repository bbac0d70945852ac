"""Static analysis beyond types: what a reviewer of a rule change should know.

Unused facts, parameters and definitions; rules without a citation or
without examples (or without both outcomes); conflict-register entries
that name unknown rules; and, from `tables.py`, decision-table gaps,
overlaps and masked rows, parameter periods, and exceptions that can never
apply on their own. Warnings, except where the pack is inconsistent.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics
from ..passes.pipeline import Compiled, collector_paused, compile_pack

HOLDS = {"opfyldt"}
FAILS = {"brud", "opmærksomhed"}


def compile_checked(path: Path) -> Compiled:
    """`compile_pack`, then this analysis: what the CLI, CI and the site see.

    An error found here (a conflict naming an unknown rule) withdraws the program
    like any compile error, so nothing is built from an inconsistent pack.
    """
    with collector_paused():
        compiled = compile_pack(path)
        if compiled.program is not None:
            analyse_pack(compiled, compiled.diags)
            if compiled.diags.has_errors:
                compiled.program = None
    return compiled


def analyse_pack(compiled, diags: Diagnostics) -> None:
    pack, res = compiled.pack, compiled.resolution
    used: set = set()
    for deps in res.deps.values():
        used |= deps
    for name, f in pack.facts.items():
        if ("fact", name) not in used:
            diags.warning("unused", f"faktummet `{name}` bruges ikke af nogen regel eller "
                          "definition", f.span)
    for name, p in pack.params.items():
        if ("param", name) not in used:
            diags.warning("unused", f"parameteren `{name}` bruges ikke", p.span)
    for name, d in pack.defs.items():
        if ("def", name) not in used:
            diags.warning("unused", f"definitionen `{name}` bruges ikke af nogen regel", d.span)
    for rid, r in pack.rules.items():
        if not r.citations:
            diags.warning("no-citation", f"reglen `{rid}` har ingen kilde", r.span,
                          "hver regel skal henvise til loven og/eller et kildedokument")
        expected = {str(e.expected) for e in r.examples}
        if not r.examples:
            diags.warning("no-examples", f"reglen `{rid}` har ingen eksempler", r.span)
        elif not (expected & HOLDS and expected & FAILS):
            diags.warning("one-sided-examples", f"reglen `{rid}` mangler et eksempel, hvor den er "
                          "opfyldt, og et, hvor den ikke er", r.span)
    from .review import review_warnings
    review_warnings(compiled, diags)
    from .tables import analyse as analyse_tables  # decision tables, periods, exceptions
    analyse_tables(compiled, diags)
    from .lovdaekning import law_coverage  # every sentence in scope encoded or left out
    law_coverage(pack, diags)
    from .samples import check_samples  # sager/*.json are cases the module accepts
    check_samples(compiled, diags)
    for cid, c in pack.conflicts.items():
        for name in c.rules:
            if pack.kind_of(name) is None and not _is_exception(pack, name):
                diags.error("unknown-name", f"konflikten `{cid}` nævner `{name}`, som ikke findes "
                            "i pakken", c.rules_span)


def _is_exception(pack, name):
    def walk(excs):
        return any(e.id == name or walk(e.subs) for e in excs)
    return any(walk(d.exceptions) for d in pack.defs.values()) or any(
        walk(r.exceptions) for r in pack.rules.values())
