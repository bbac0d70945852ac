"""`ydre navn`: a field of the enclosing list element, for when the inner element has one of
the same name (every gap between two conversations in one list, issue 14)."""

from datetime import date

import pytest

from regelkode.backends import backend
from regelkode.checks.analysis import compile_checked
from regelkode.diagnostics import Diagnostics, Span
from regelkode.front import ast
from regelkode.front.parse import parse_expression
from regelkode.ir import interpret

PAKKE = "id: huller\ntitel: Huller\nversion: 0.1.0\nbeskrivelse: Test af ydre.\n"
REGLER = """\
typer:
  samtale:
    beskrivelse: En samtale.
    felter:
      dato: {type: dato, beskrivelse: Dagen.}
      afholdt: {type: sandhedsværdi, beskrivelse: Holdt.}
fakta:
  samtaler: {type: liste af samtale, beskrivelse: Samtalerne.}
regler:
  ingen_lange_huller:
    titel: Højst 8 uger mellem to holdte samtaler
    område: samtaler
    alvor: brud
    gælder_når: antal samtaler hvor afholdt er mindst 2
    krav: >-
      alle samtaler hvor (ikke afholdt
      eller dato er senest tidligste dato i samtaler hvor afholdt
      eller nogen samtaler hvor (afholdt og dato er før ydre dato
      og dato er tidligst ydre dato - 8 uger))
    meddelelse: Der er et hul på mere end 8 uger.
"""


def pack(tmp_path, regler=REGLER):
    folder = tmp_path / "huller"
    folder.mkdir()
    (folder / "pakke.yaml").write_text(PAKKE, encoding="utf-8")
    (folder / "regler.yaml").write_text(regler, encoding="utf-8")
    return compile_checked(folder)


def samtaler(*datoer, aflyst=()):
    return {"samtaler": [{"dato": d, "afholdt": d not in aflyst} for d in datoer]}


CASES = [
    (samtaler("2024-01-01", "2024-02-26", "2024-04-22"), "opfyldt"),     # exactly 8 weeks apart
    (samtaler("2024-01-01", "2024-02-27", "2024-03-01"), "brud"),        # 8 weeks and a day
    (samtaler("2024-01-01", "2024-02-01", "2024-03-20", aflyst=("2024-02-01",)), "brud"),
    (samtaler("2024-03-20", "2024-01-01", "2024-02-20"), "opfyldt"),     # order does not matter
]


def test_ydre_parses_as_an_outer_name():
    node = parse_expression("dato er før ydre dato", Span("x", 1, 1), Diagnostics())
    assert node.right == ast.Name(node.right.span, "dato", outer=True)
    assert node.left.outer is False


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_every_gap_is_seen_by_the_interpreter_and_the_python_backend(tmp_path, case, expected):
    c = pack(tmp_path)
    assert c.ok, [d.message for d in c.diags.errors]
    got = interpret.evaluate(c.program, case, dato="2024-06-01").regel("ingen_lange_huller")
    assert got.status == expected
    (tmp_path / "py").mkdir()
    runner = backend("python").runner(c.program, tmp_path / "py")
    try:
        [report] = runner.judge([(case, date(2024, 6, 1))])
    finally:
        runner.close()
    [python] = [r for r in report["regler"] if r["id"] == "ingen_lange_huller"]
    assert python["status"] == expected


def test_ydre_outside_a_nested_hvor_is_an_error_at_its_position(tmp_path):
    inner = ("eller nogen samtaler hvor (afholdt og dato er før ydre dato\n"
             "      og dato er tidligst ydre dato - 8 uger))")
    assert inner in REGLER
    c = pack(tmp_path, REGLER.replace(inner, "eller ydre dato er før 2024-01-01)"))
    errors = [d for d in c.diags.errors if "ydre dato" in d.message]
    assert errors and "inden i et andet `hvor`" in errors[0].message
    assert errors[0].span.file.endswith("regler.yaml")


def test_ydre_names_a_field_of_an_enclosing_element_only(tmp_path):
    assert "før ydre dato\n" in REGLER
    c = pack(tmp_path, REGLER.replace("før ydre dato\n", "før ydre afholdt_dato\n"))
    assert any("intet ydre listeelement har feltet `afholdt_dato`" in d.message
               for d in c.diags.errors)


def test_ydre_round_trips_through_the_formal_text():
    from regelkode.checks.coverage import formal
    node = parse_expression("nogen samtaler hvor (dato er før ydre dato - 8 uger)",
                            Span("x", 1, 1), Diagnostics())
    text = formal(node)
    assert "ydre dato" in text
    again = parse_expression(text, Span("x", 1, 1), Diagnostics())
    assert again.where.right.left.outer is True and formal(again) == text
