"""Static analysis in `regelkode check`: decision tables, parameter periods, exceptions.

The table checks are compared with brute force (every integer in a range
that covers every elementary segment), and every example input a message
names is fed back to the interpreter to see that it really is a gap or an
overlap.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regelkode.checks.analysis import compile_checked
from regelkode.ir import interpret

from .helpers import EKSEMPEL, run_cli, write_pack

RULE_USING = """
regler:
  r:
    titel: R
    område: a
    alvor: brud
    krav: {krav}
    meddelelse: M.
"""

PENSION = """
fakta:
  fødselsdato: {type: dato, beskrivelse: Fødselsdato.}
definitioner:
  folkepensionsalder:
    type: varighed
    tabel:
      hitpolitik: unik
      input: [fødselsdato]
      rækker:
        - {hvis: ["< 1954-01-01"], så: 65 år}
        - {hvis: ["1954-01-01 .. 1954-12-31"], så: 66 år}
        # 1955-01-01 .. 1955-06-30 is missing on purpose
        - {hvis: ["1955-07-01 .. 1962-12-31"], så: 67 år}
        - {hvis: ["1963-01-01 .. 1966-12-31"], så: 68 år}
        - {hvis: ["> 1966-12-31"], så: 69 år}
""" + RULE_USING.format(krav="folkepensionsalder > 60 år")


def codes(compiled, code):
    return [d for d in compiled.diags.items if d.code == code]


def table_value(compiled, name, case, date="2025-01-01"):
    rapport = interpret.evaluate(compiled.program, case, dato=date)
    return rapport.definitioner[name]


def test_a_seeded_gap_is_reported_with_an_example_input_that_is_really_uncovered(tmp_path):
    c = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": PENSION}))
    assert c.ok, c.diags.items
    gaps = codes(c, "table-gap")
    assert len(gaps) == 1, gaps
    m = re.search(r"ingen række dækker fødselsdato = (\d{4}-\d\d-\d\d)$", gaps[0].message)
    assert m, gaps[0].message
    example = dt.date.fromisoformat(m.group(1))
    assert dt.date(1955, 1, 1) <= example <= dt.date(1955, 6, 30)
    assert "1955-01-01 .. 1955-06-30" in gaps[0].hint
    value = table_value(c, "folkepensionsalder", {"fødselsdato": example.isoformat()})
    assert value.get("ukendt") and "ingen række passer" in value["grunde"][0]
    # and the check command shows it, as a warning (the pack still compiles)
    run = run_cli(["check", tmp_path / "rules" / "p"])
    assert run.code == 0
    assert "warning[table-gap]" in run.err and example.isoformat() in run.err


def test_complete_tables_in_the_example_pack_give_no_table_diagnostics():
    c = compile_checked(EKSEMPEL)
    assert c.ok
    assert not [d for d in c.diags.items if d.code.startswith(("table-", "exception-", "param-"))]


def test_an_overlap_under_unik_is_an_error_naming_an_input_in_both_rows(tmp_path):
    text = PENSION.replace('"1955-07-01 .. 1962-12-31"', '"1954-07-01 .. 1962-12-31"')
    c = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": text}))
    overlaps = codes(c, "table-overlap")
    assert not c.ok and len(overlaps) == 1
    m = re.search(r"rækkerne 2 og 3 .* fødselsdato = (\d{4}-\d\d-\d\d)", overlaps[0].message)
    assert m, overlaps[0].message
    assert dt.date(1954, 7, 1) <= dt.date.fromisoformat(m.group(1)) <= dt.date(1954, 12, 31)


FIRST = """
typer:
  form: {beskrivelse: F., værdier: [fremmøde, telefon, digital]}
fakta:
  samtaleform: {type: form, beskrivelse: F.}
  børn: {type: heltal, beskrivelse: B.}
definitioner:
  klasse:
    type: tekst
    tabel:
      hitpolitik: første
      input: [samtaleform, børn]
      rækker:
        - {hvis: ["fremmøde", "-"], så: '"a"'}
        - {hvis: ["telefon", ">= 1"], så: '"b"'}
        - {hvis: ["fremmøde", "> 3"], så: '"c"'}
        - {hvis: ["telefon", "5 .. 3"], så: '"d"'}
""" + RULE_USING.format(krav='klasse = "a"')


def test_first_hit_policy_masked_and_empty_rows_and_two_column_gaps(tmp_path):
    c = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": FIRST}))
    assert c.ok
    masked = codes(c, "table-masked")
    assert [d.message.split(" i tabellen")[0] for d in masked] == ["række 3"]
    assert "række 1" in masked[0].message
    assert [d.message.split(" i tabellen")[0] for d in codes(c, "table-empty-row")] == ["række 4"]
    gaps = [d.message.split("dækker ")[1] for d in codes(c, "table-gap")]
    assert sorted(gaps) == ["samtaleform = digital", "samtaleform = telefon, børn = 0"]
    for gap in gaps:     # each named input really falls through every row
        case = dict(part.split(" = ") for part in gap.split(", "))
        case.setdefault("børn", "7")
        case = {"samtaleform": case["samtaleform"], "børn": int(case["børn"])}
        assert table_value(c, "klasse", case).get("ukendt"), case


# --- brute force over random one-column integer tables ---------------------------------------

LOW, HIGH = -3, 24          # cells use 0..20, so this covers every segment

cell = st.one_of(
    st.just(("-",)),
    st.tuples(st.sampled_from(["<", "<=", ">", ">=", "="]), st.integers(0, 20)),
    st.tuples(st.just(".."), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just(","), st.integers(0, 20), st.integers(0, 20)),
)


def cell_text(c) -> str:
    if c[0] == "-":
        return "-"
    if c[0] == "..":
        return f"{c[1]} .. {c[2]}"
    if c[0] == ",":
        return f"{c[1]}, {c[2]}"
    return f"{c[0]} {c[1]}"


def matches(c, x) -> bool:
    op = c[0]
    return {"-": lambda: True, "<": lambda: x < c[1], "<=": lambda: x <= c[1],
            ">": lambda: x > c[1], ">=": lambda: x >= c[1], "=": lambda: x == c[1],
            "..": lambda: c[1] <= x <= c[2], ",": lambda: x in (c[1], c[2])}[op]()


def one_column_pack(root: Path, hit: str, cells: list) -> Path:
    rows = "\n".join(f'        - {{hvis: ["{cell_text(c)}"], så: {i}}}'
                     for i, c in enumerate(cells))
    text = f"""
fakta:
  x: {{type: heltal, beskrivelse: X.}}
definitioner:
  t:
    type: heltal
    tabel:
      hitpolitik: {hit}
      input: [x]
      rækker:
{rows}
""" + RULE_USING.format(krav="t > 0")
    return write_pack(root, "p", {"regler.yaml": text})


@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(hit=st.sampled_from(["unik", "første"]), cells=st.lists(cell, min_size=1, max_size=5))
def test_table_checks_agree_with_brute_force(hit, cells):
    xs = range(LOW, HIGH + 1)
    with tempfile.TemporaryDirectory() as tmp:
        c = compile_checked(one_column_pack(Path(tmp), hit, cells))
    gaps = codes(c, "table-gap")
    uncovered = [x for x in xs if not any(matches(cl, x) for cl in cells)]
    assert bool(gaps) == bool(uncovered), (cells, gaps, uncovered)
    for g in gaps:
        if "huller mere" in g.message:
            continue
        x = int(re.search(r"x = (-?\d+)$", g.message).group(1))
        assert x in uncovered, (cells, g.message)
    empty = {i for i, cl in enumerate(cells) if not any(matches(cl, x) for x in xs)}
    reported_empty = {int(re.match(r"række (\d+)", d.message).group(1)) - 1
                      for d in codes(c, "table-empty-row")}
    assert reported_empty == empty, cells
    live = [i for i in range(len(cells)) if i not in empty]
    if hit == "unik":
        pairs = {(a, b) for a in live for b in live if a < b
                 and any(matches(cells[a], x) and matches(cells[b], x) for x in xs)}
        reported = set()
        for d in codes(c, "table-overlap"):
            a, b = map(int, re.search(r"rækkerne (\d+) og (\d+)", d.message).groups())
            reported.add((a - 1, b - 1))
            m = re.search(r"x = (-?\d+)", d.message)
            if m:
                x = int(m.group(1))
                assert matches(cells[a - 1], x) and matches(cells[b - 1], x), (cells, d.message)
        assert reported == pairs, cells
    else:
        masked = {r for r in live if any(i < r for i in live) and all(
            any(matches(cells[e], x) for e in live if e < r)
            for x in xs if matches(cells[r], x))}
        reported = {int(re.match(r"række (\d+)", d.message).group(1)) - 1
                    for d in codes(c, "table-masked")}
        assert reported == masked, cells


# --- parameter periods -----------------------------------------------------------------------

PARAMS = """
fakta:
  startdato: {type: dato, beskrivelse: S.}
parametre:
  sats:
    type: beløb
    beskrivelse: Sats.
    historik:
      - gyldig_fra: 2024-01-01
        værdi: 100 kr
      - gyldig_fra: 2020-01-01
        værdi: 90 kr
      - gyldig_fra: 2025-01-01
        værdi: 100 kr
definitioner:
  gammel:
    type: beløb
    værdi: sats på 2019-06-01 + sats på startdato
""" + RULE_USING.format(krav="gammel > 0 kr")


def test_parameter_periods_out_of_order_repeated_and_read_before_the_first(tmp_path):
    c = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": PARAMS}))
    assert c.ok
    assert len(codes(c, "param-order")) == 1
    same = codes(c, "param-same-value")
    assert len(same) == 1 and "2025-01-01" in same[0].message
    before = codes(c, "param-before-first")
    assert len(before) == 1 and "2019-06-01" in before[0].message
    assert "2020-01-01" in before[0].message
    # a repeated value with a citation or a note is deliberate: not reported
    noted = PARAMS.replace("      - gyldig_fra: 2025-01-01\n        værdi: 100 kr",
                           "      - gyldig_fra: 2025-01-01\n        værdi: 100 kr\n"
                           "        note: Genvedtaget uændret.")
    c = compile_checked(write_pack(tmp_path / "b", "p", {"regler.yaml": noted}))
    assert not codes(c, "param-same-value")


def test_two_periods_with_the_same_start_are_an_error(tmp_path):
    text = PARAMS.replace("gyldig_fra: 2020-01-01", "gyldig_fra: 2024-01-01")
    run = run_cli(["check", write_pack(tmp_path, "p", {"regler.yaml": text})])
    assert run.code == 1 and "error[param-overlap]" in run.err


# --- exceptions ------------------------------------------------------------------------------

EXCEPTIONS = """
fakta:
  n: {type: heltal, beskrivelse: N.}
  flag: {type: sandhedsværdi, beskrivelse: F.}
  form: {type: tekst, beskrivelse: F.}
  startdato: {type: dato, beskrivelse: S.}
regler:
  r:
    titel: R
    område: a
    alvor: brud
    gælder_når: startdato er efter 2020-01-01
    krav: n > 0
    meddelelse: M.
    undtagelser:
      - {id: aldrig, hvis: falsk, krav: sand}
      - {id: altid, hvis: 1 < 2, krav: sand}
      - {id: samme_a, hvis: n > 30 og flag, krav: sand}
      - {id: samme_b, hvis: n > 30 og flag, krav: sand}
      - {id: bred, hvis: n > 2, krav: sand}
      - {id: smal, hvis: n er mindst 10 og form = "x", krav: sand}
      - {id: for_tidligt, hvis: startdato er før 2019-01-01, krav: sand}
      - {id: uafhængig, hvis: n < 0 eller form = "y", krav: sand}
      - id: ukendt_n
        hvis: n er ukendt
        krav: sand
        undtagelser:
          - {id: modsat, hvis: n > 5, krav: sand}
          - id: ikke_flag
            hvis: ikke flag
            krav: sand
            undtagelser:
              - {id: flag_igen, hvis: flag, krav: sand}
              - {id: forenelig, hvis: form = "z", krav: sand}
"""


def test_exceptions_that_can_never_apply_on_their_own(tmp_path):
    c = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": EXCEPTIONS}))
    found = {}
    for d in c.diags.items:
        if d.code.startswith("exception-"):
            found[re.search(r"`(\w+)`", d.message).group(1)] = d.code
    assert found.pop("aldrig") == "exception-dead"
    assert found.pop("altid") == "exception-always"
    assert found.pop("samme_a") == "exception-shadowed"   # implies bred (n > 30 ⇒ n > 2)
    assert found.pop("samme_b") == "exception-shadowed"
    assert found.pop("smal") == "exception-shadowed"      # n ≥ 10 ⇒ n > 2
    assert found.pop("for_tidligt") == "exception-dead"   # excluded by gælder_når
    assert found.pop("modsat") == "exception-dead"        # parent needs n unknown
    assert found.pop("flag_igen") == "exception-dead"     # parent needs ikke flag
    # nothing else: bred, uafhængig, ukendt_n, ikke_flag and forenelig can apply alone
    assert found == {}, found


# --- exception reasoning is sound: brute force over every value of n and flag --------------

atom = st.one_of(
    st.tuples(st.sampled_from(["<", "<=", ">", ">=", "=", "≠"]), st.integers(0, 20)),
    st.tuples(st.sampled_from(["ikke <", "ikke >="]), st.integers(0, 20)),
    st.tuples(st.just("i"), st.integers(0, 20), st.integers(0, 20)),
    st.sampled_from([("kendt",), ("ukendt",), ("flag",), ("ikke flag",)]),
)


def atom_text(a) -> str:
    if a[0] in ("kendt", "ukendt"):
        return f"n er {a[0]}"
    if a[0] in ("flag", "ikke flag"):
        return a[0]
    if a[0] == "i":
        return f"n i ({a[1]}, {a[2]})"
    if a[0].startswith("ikke "):
        return f"ikke n {a[0][5:]} {a[1]}"
    return f"n {a[0]} {a[1]}"


def atom_value(a, n, flag):
    ops = {"<": int.__lt__, "<=": int.__le__, ">": int.__gt__, ">=": int.__ge__,
           "=": int.__eq__, "≠": int.__ne__}
    if a[0] == "kendt":
        return n is not None
    if a[0] == "ukendt":
        return n is None
    if a[0] == "flag":
        return flag
    if a[0] == "ikke flag":
        return None if flag is None else not flag
    if n is None:
        return None
    if a[0] == "i":
        return n in (a[1], a[2])
    if a[0].startswith("ikke "):
        return not ops[a[0][5:]](n, a[1])
    return ops[a[0]](n, a[1])


def conj_value(atoms, n, flag):
    values = [atom_value(a, n, flag) for a in atoms]
    if False in values:
        return False
    return True if all(v is True for v in values) else None


@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(a=st.lists(atom, min_size=1, max_size=2), b=st.lists(atom, min_size=1, max_size=2))
def test_exception_reasoning_never_claims_what_brute_force_refutes(a, b):
    from regelkode.checks.tables import _Cond
    from regelkode.diagnostics import Diagnostics, Span
    from regelkode.front.parse import parse_expression

    class NoEnums:
        enum_values = frozenset()

    def cond(atoms):
        text = " og ".join(atom_text(x) for x in atoms)
        node = parse_expression(text, Span("t.yaml", 1, 1), Diagnostics())
        assert node is not None, text
        return _Cond(node, NoEnums())

    ca, cb = cond(a), cond(b)
    worlds = [(n, f) for n in [None, *range(LOW, HIGH + 1)] for f in (None, True, False)]
    if ca.implies(cb):
        assert all(conj_value(b, n, f) is True for n, f in worlds
                   if conj_value(a, n, f) is True), (a, b)
    if ca.excludes(cb):
        assert not any(conj_value(a, n, f) is True and conj_value(b, n, f) is True
                       for n, f in worlds), (a, b)


def test_decimal_money_and_duration_columns(tmp_path):
    text = """
fakta:
  sats: {type: decimal, beskrivelse: S.}
  beløb_x: {type: beløb, beskrivelse: B.}
  længde: {type: varighed (måneder), beskrivelse: L.}
definitioner:
  d:
    type: heltal
    tabel:
      hitpolitik: unik
      input: [sats]
      rækker:
        - {hvis: ["< 1,5"], så: 1}
        - {hvis: ["> 1,5"], så: 2}
  m:
    type: heltal
    tabel:
      hitpolitik: unik
      input: [beløb_x]
      rækker:
        - {hvis: ["<= 100 kr"], så: 1}
        - {hvis: [">= 100 kr"], så: 2}
  v:
    type: heltal
    tabel:
      hitpolitik: unik
      input: [længde]
      rækker:
        - {hvis: ["< 6 måneder"], så: 1}
        - {hvis: ["6 måneder .. 2 år"], så: 2}
""" + RULE_USING.format(krav="d + m + v > 0")
    c = compile_checked(write_pack(tmp_path, "p", {"regler.yaml": text}))
    gaps = {d.message.split("`")[1]: d.message.split("dækker ")[1] for d in codes(c, "table-gap")}
    assert gaps == {"d": "sats = 1,5", "v": "længde = 2 år og 1 måned"}
    overlaps = codes(c, "table-overlap")
    assert len(overlaps) == 1 and "`m`" in overlaps[0].message
    assert "beløb_x = 100 kr." in overlaps[0].message
