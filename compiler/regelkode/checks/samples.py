"""The pack's sample cases (`sager/*.json`) hold to the case contract.

They are what a reviewer tries on the site's playground, what `regelkode diff`
judges under the old and the new rules, and what the differential tests judge
with every backend. One that cannot be read, or that the module would refuse,
was skipped there without a word; here it is an error, at its file, with the
JSON path and the runtime's own message.
"""

from __future__ import annotations

from .. import files
from .. import runtime as rt
from ..diagnostics import Diagnostics, Span
from ..front.parse_errors import read_json_file

HINT = ("sagerne i sager/ skal være gyldige sager efter pakkens fakta: de bruges på sitets "
        "prøveside, af `regelkode diff` og i de differentielle tests")


def check_samples(compiled, diags: Diagnostics) -> None:
    facts = compiled.program.facts
    for name, path in sorted(compiled.pack.cases.items()):
        span = Span(files.shown(str(path)), 1, 1)
        try:
            case = read_json_file(path)
        except files.FileRefused as exc:
            diags.error("sample-case", f"prøvesagen `{name}` kan ikke læses: {exc}", span, HINT)
            continue
        try:
            rt.normaliser(case, facts)
        except rt.SagFejl as exc:
            diags.error("sample-case", f"prøvesagen `{name}` afvises: {exc.sti}: {exc.besked}",
                        span, HINT)
