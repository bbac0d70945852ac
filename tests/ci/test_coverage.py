"""Rule coverage (`regelkode test --coverage`): what the examples exercised, and the threshold."""

from __future__ import annotations

import io
import json

from regelkode.checks.analysis import compile_checked
from regelkode.checks.coverage import coverage_report, measure
from regelkode.checks.examples import collect

from .helpers import EKSEMPEL, copy_eksempel, edit, run_cli


def owner(cov, kind, name):
    return next(o for o in cov.owners if o.kind == kind and o.name == name)


def missing(o):
    return [i.what for i in o.items if not i.hit]


def test_the_example_pack_items_hit_and_missed():
    c = compile_checked(EKSEMPEL)
    cov = measure(c)
    assert cov.examples == len(collect(c)) > 10    # every example ran
    # `ydelse` is `hvis har_barn så … ellers …`; examples have both har_barn values
    ydelse = owner(cov, "definition", "ydelse")
    assert [i.what.split(": ")[1] for i in ydelse.items] == ["så-grenen", "ellers-grenen"]
    assert ydelse.covered == ydelse.total == 2
    # no example is born 1955-07-01 .. 1966-12-31: table rows 2 and 3 never hit
    pension = owner(cov, "definition", "folkepensionsalder")
    assert [m.split(" (")[0] for m in missing(pension)] == ["række 2", "række 3"]
    # exceptions: the main rule's examples never use the old-course exception
    varighed = owner(cov, "regel", "varighed_højst")
    assert "undtagelsen `gammelt_forløb` gælder" in missing(varighed)
    assert "undtagelsen `gammelt_forløb` gælder ikke" not in missing(varighed)
    # parameter periods: the 2025 period of grundbeløb is never read by an example
    grund = owner(cov, "parameter", "grundbeløb")
    assert missing(grund) == ["perioden fra 2025-01-01 bruges"]
    # rule outcomes: fire_samtaler has examples where it applies/doesn't, holds/fails
    assert owner(cov, "regel", "fire_samtaler").covered == 4
    assert 0 < cov.covered < cov.total
    assert cov.ok        # the pack asks for 0.5


def test_a_new_example_covers_what_it_exercises(tmp_path):
    pack = copy_eksempel(tmp_path)
    before = measure(compile_checked(pack))
    edit(pack / "regler.yaml", """      - navn: skudår
""", """      - navn: født 1960
        dato: 2024-12-01
        givet: {fødselsdato: "1960-01-01", startdato: "2024-01-01"}
        forventet: 2024-07-01
      - navn: skudår
""")
    after = measure(compile_checked(pack))
    pension = owner(after, "definition", "folkepensionsalder")
    assert [m.split(" (")[0] for m in missing(pension)] == ["række 3"]
    assert after.covered > before.covered and after.examples == before.examples + 1


def test_below_the_threshold_fails_the_command(tmp_path):
    pack = copy_eksempel(tmp_path)
    edit(pack / "pakke.yaml", 'minimum: "0.5"', 'minimum: "0.95"')
    c = compile_checked(pack)
    out = io.StringIO()
    assert coverage_report(c, "text", out) is False
    assert "minimum 95,0 %: IKKE opfyldt" in out.getvalue()
    run = run_cli(["test", pack, "--coverage"])
    assert run.code == 1
    assert f"eksempler: {len(collect(c))} passed, 0 failed" in run.out   # the examples pass
    run = run_cli(["test", pack])
    assert run.code == 0                                    # coverage only counts when asked


def test_a_percent_threshold_and_a_bad_one(tmp_path):
    pack = copy_eksempel(tmp_path)
    edit(pack / "pakke.yaml", 'minimum: "0.5"', 'minimum: "40 %"')
    assert measure(compile_checked(pack)).ok
    edit(pack / "pakke.yaml", 'minimum: "40 %"', 'minimum: "mange"')
    cov = measure(compile_checked(pack))
    assert not cov.ok and "mange" in cov.minimum_problem


def test_json_and_github_output(tmp_path):
    run = run_cli(["test", EKSEMPEL, "--coverage", "--format", "json"])
    assert run.code == 0
    data = [json.loads(line) for line in run.out.splitlines() if line.strip()]
    assert len(data) == 1 and data[0]["pakke"] == "eksempel" and data[0]["ok"] is True
    rows = {(e["art"], e["navn"]): e for e in data[0]["elementer"]}
    assert rows[("definition", "folkepensionsalder")]["i_alt"] == 4
    assert rows[("definition", "folkepensionsalder")]["mangler"][0]["linje"] > 0
    assert json.loads(run.err) == [d for d in json.loads(run.err) if d["severity"] == "warning"]

    pack = copy_eksempel(tmp_path)
    edit(pack / "pakke.yaml", 'minimum: "0.5"', 'minimum: "0.95"')
    run = run_cli(["test", pack, "--coverage", "--format", "github"])
    assert run.code == 1
    assert any(line.startswith("::error file=") and "under minimum" in line
               for line in run.out.splitlines())


def test_inside_krav_only_examples_where_the_rule_applies_count(tmp_path):
    from .helpers import write_pack
    pack = write_pack(tmp_path, "p", {"regler.yaml": """
fakta:
  a: {type: heltal, beskrivelse: A.}
  b: {type: heltal, beskrivelse: B.}
  c: {type: heltal, beskrivelse: C.}
regler:
  r:
    titel: R
    område: o
    alvor: brud
    gælder_når: a > 0
    krav: b > 0 og c > 0
    meddelelse: M.
    eksempler:
      - {navn: gælder ikke, dato: 2024-01-01, givet: {a: 0, b: -1, c: -1},
         forventet: ikke_relevant}
      - {navn: opfyldt, dato: 2024-01-01, givet: {a: 1, b: 1, c: 1}, forventet: opfyldt}
"""})
    r = owner(measure(compile_checked(pack)), "regel", "r")
    # b > 0 and c > 0 were false only where the rule didn't apply: that decided nothing
    assert missing(r) == ["`krav` er ikke opfyldt (når reglen gælder)",
                          "betingelsen `b > 0` er falsk", "betingelsen `c > 0` er falsk"]


def test_formal_text_parses_back_to_the_same_tree():
    # Coverage names conditions by re-rendering their tree; every expression
    # and cell in the example pack and the real packs must survive the round trip.
    from regelkode.checks.coverage import formal
    from regelkode.checks.tables import shape
    from regelkode.diagnostics import Diagnostics, Span
    from regelkode.front.parse import parse_expression

    from .helpers import REPO
    packs = [EKSEMPEL, *sorted(p for p in (REPO / "rules").iterdir()
                               if (p / "pakke.yaml").is_file())]
    checked = 0
    for path in packs:
        c = compile_checked(path)
        if c.pack is None:
            continue
        exprs = []
        for d in c.pack.defs.values():
            exprs += [d.value] if d.value else []
            if d.table:
                exprs += d.table.inputs + [r.result for r in d.table.rows]
                exprs += [(cell, "celle") for r in d.table.rows for cell in r.cells]
        for r in c.pack.rules.values():
            exprs += [r.applies, r.requirement]
        stack = [e for x in [*c.pack.rules.values(), *c.pack.defs.values()]
                 for e in x.exceptions]
        while stack:
            e = stack.pop()
            exprs += [e.when, e.value]
            stack += e.subs
        exprs += [per.value or per.computed for p in c.pack.params.values()
                  for per in p.periods]
        for e in exprs:
            e, start = e if isinstance(e, tuple) else (e, "start")
            if e is None or e.node is None:
                continue
            text = formal(e.node)
            again = parse_expression(text, Span("t", 1, 1), Diagnostics(), start=start)
            assert again is not None and shape(again) == shape(e.node), (str(e), text)
            checked += 1
    assert checked > 50
