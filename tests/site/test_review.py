"""Review workflow: fingerprints, states, the check warning and `regelkode godkend`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from regelkode import cli
from regelkode.checks import review
from regelkode.checks.analysis import compile_checked

PACKS = Path(__file__).resolve().parents[1] / "packs"
BLOCK = re.compile(r'^ *gennemgået: \{af: ".*", dato: \d{4}-\d{2}-\d{2}, '
                   r'fingeraftryk: "[0-9a-f]{16}"\}\r?\n', re.MULTILINE)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    dest = tmp_path / "eksempel"
    shutil.copytree(PACKS / "eksempel", dest)
    return dest


def run(*args: str) -> int:
    return cli.main(list(args))


def warnings_of(path: Path, code: str) -> list:
    return [d for d in compile_checked(path).diags.items if d.code == code]


def test_fingerprint_is_canonical_and_ignores_the_review_block():
    a = {"titel": "T", "krav": "a er mindst 4", "kilder": [{"lov": "LAB", "paragraf": "31"}]}
    b = dict(reversed(list(a.items())))
    assert review.fingerprint(a) == review.fingerprint(b)
    assert re.fullmatch(r"[0-9a-f]{16}", review.fingerprint(a))
    reviewed = {**a, "gennemgået": {"af": "X", "dato": "2025-01-01", "fingeraftryk": "0" * 16}}
    assert review.fingerprint(reviewed) == review.fingerprint(a)
    assert review.fingerprint({**a, "krav": "a er mindst 5"}) != review.fingerprint(a)


def test_states():
    fp = "0123456789abcdef"
    assert review.state(None, fp) == review.NOT_REVIEWED
    assert review.state({"af": "X", "dato": "2025-01-01", "fingeraftryk": fp}, fp) == (
        review.REVIEWED)
    assert review.state({"af": "X", "dato": "2025-01-01", "fingeraftryk": "f" * 16}, fp) == (
        review.CHANGED)


def test_godkend_writes_one_line_and_keeps_the_rest_of_the_file(pack, capsys):
    path = pack / "regler.yaml"
    before = path.read_bytes()
    assert run("godkend", str(pack), "fire_samtaler", "--af", 'Jens "J" Ærø',
               "--dato", "2025-01-08") == 0
    after = path.read_bytes().decode("utf-8")
    added = BLOCK.findall(after)
    assert len(added) == 1 and 'af: "Jens \\"J\\" Ærø"' in added[0]
    assert BLOCK.sub("", after).encode("utf-8") == before
    assert "godkendt af Jens" in capsys.readouterr().out
    c = compile_checked(pack)
    decl = review.declarations(c.pack)[("regel", "fire_samtaler")]
    assert decl.state == review.REVIEWED
    assert decl.review == {"af": 'Jens "J" Ærø', "dato": "2025-01-08",
                           "fingeraftryk": decl.fingerprint}
    # The block lands inside the rule, not in the next one.
    rule_text = after[after.index("  fire_samtaler:"):after.index("  første_samtale_personlig:")]
    assert "gennemgået:" in rule_text


def test_check_warns_when_a_reviewed_rule_changes_and_reapproval_replaces_the_block(pack):
    path = pack / "regler.yaml"
    assert run("godkend", str(pack), "fire_samtaler", "--af", "A", "--dato", "2025-01-08") == 0
    assert not warnings_of(pack, "changed-since-review")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "krav: samtaler_i_tide er mindst 4", "krav: samtaler_i_tide er mindst 5"),
        encoding="utf-8")
    warned = warnings_of(pack, "changed-since-review")
    assert len(warned) == 1 and "fire_samtaler" in warned[0].message
    assert warned[0].span.file.endswith("regler.yaml")
    c = compile_checked(pack)
    assert review.declarations(c.pack)[("regel", "fire_samtaler")].state == review.CHANGED
    before = path.read_text(encoding="utf-8")
    assert run("godkend", str(pack), "fire_samtaler", "--af", "B", "--dato", "2025-02-01") == 0
    after = path.read_text(encoding="utf-8")
    assert after.count("gennemgået:") == 1 and 'af: "B"' in after
    assert BLOCK.sub("", after) == BLOCK.sub("", before)
    assert not warnings_of(pack, "changed-since-review")


def test_block_style_review_is_replaced_whole(pack):
    path = pack / "regler.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "    meddelelse: Personen er {alder} år.\n"
    old = ("    gennemgået:\n      af: Gammel\n      dato: 2020-01-01\n"
           "      fingeraftryk: \"0000000000000000\"\n    # en kommentar, der bliver\n")
    path.write_text(text.replace(anchor, anchor + old), encoding="utf-8")
    assert run("godkend", str(pack), "alder_under_60", "--af", "Ny", "--dato", "2025-01-08") == 0
    after = path.read_text(encoding="utf-8")
    assert "Gammel" not in after and "# en kommentar, der bliver" in after
    assert after.count("gennemgået:") == 1


def test_definitions_and_parameters_can_be_approved_too(pack):
    assert run("godkend", str(pack), "seks_måneders_frist", "--af", "A") == 0
    assert run("godkend", str(pack), "grundbeløb", "--af", "A") == 0
    c = compile_checked(pack)
    decls = review.declarations(c.pack)
    assert decls[("definition", "seks_måneders_frist")].state == review.REVIEWED
    assert decls[("parameter", "grundbeløb")].state == review.REVIEWED
    assert c.ok


def test_flow_style_declaration_and_crlf_file(tmp_path):
    pack = tmp_path / "flyd"
    pack.mkdir()
    (pack / "pakke.yaml").write_text("id: flyd\ntitel: F\nversion: 0.1.0\n", encoding="utf-8")
    text = ("fakta:\r\n  a: {type: heltal, beskrivelse: A.}\r\n"
            "regler:\r\n  r: {titel: R, område: x, alvor: brud, krav: a er mindst 1, "
            "meddelelse: M., kilder: [{lov: X, paragraf: '1'}]}\r\n")
    (pack / "regler.yaml").write_bytes(text.encode("utf-8"))
    assert run("godkend", str(pack), "r", "--af", "A", "--dato", "2025-01-08") == 0
    after = (pack / "regler.yaml").read_bytes().decode("utf-8")
    assert after.count("\r\n") == text.count("\r\n")
    assert re.search(r"meddelelse: M\., kilder: \[\{lov: X, paragraf: '1'\}\], gennemgået: "
                     r"\{af: \"A\", dato: 2025-01-08, fingeraftryk: \"[0-9a-f]{16}\"\}\}", after)
    c = compile_checked(pack)
    assert review.declarations(c.pack)[("regel", "r")].state == review.REVIEWED


@pytest.mark.parametrize("args, code, message", [
    (["--af", "A", "--dato", "2025-02-30"], 2, "er ikke en dato"),
    (["--af", "A", "--dato", "8/1-2025"], 2, "er ikke en dato"),
    (["--af", "   "], 2, "--af skal være et navn"),
])
def test_bad_arguments(pack, capsys, args, code, message):
    before = (pack / "regler.yaml").read_bytes()
    assert run("godkend", str(pack), "fire_samtaler", *args) == code
    assert message in capsys.readouterr().err
    assert (pack / "regler.yaml").read_bytes() == before


def test_unknown_id_suggests_a_name(pack, capsys):
    assert run("godkend", str(pack), "fire_samtalr", "--af", "A") == 1
    assert "mente du `fire_samtaler`?" in capsys.readouterr().err


def test_a_pack_with_errors_is_not_approved(pack, capsys):
    path = pack / "regler.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "krav: samtaler_i_tide er mindst 4", "krav: samtaler_i_tid er mindst 4"),
        encoding="utf-8")
    before = path.read_bytes()
    assert run("godkend", str(pack), "fire_samtaler", "--af", "A") == 1
    assert "pakken har fejl" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_missing_pack_gives_no_traceback(tmp_path, capsys):
    assert run("godkend", str(tmp_path / "findes_ikke"), "x", "--af", "A") == 1
    assert "Traceback" not in capsys.readouterr().err


def test_edit_is_refused_when_it_would_not_read_back(tmp_path, capsys):
    # `|+` keeps trailing blank lines in the value; an insertion right after its last
    # line of text would change the value, and every edit is read back before writing.
    pack = tmp_path / "hold"
    pack.mkdir()
    (pack / "pakke.yaml").write_text("id: hold\ntitel: H\nversion: 0.1.0\n", encoding="utf-8")
    text = ("fakta:\n  a: {type: heltal, beskrivelse: A.}\n"
            "regler:\n  r:\n    titel: R\n    område: x\n    alvor: brud\n"
            "    kilder: [{lov: X, paragraf: '1'}]\n    krav: a er mindst 1\n"
            "    meddelelse: |+\n      Slut.\n\n\n"
            "  s:\n    titel: S\n    område: x\n    alvor: brud\n"
            "    kilder: [{lov: X, paragraf: '1'}]\n    krav: a er mindst 2\n"
            "    meddelelse: M.\n")
    path = pack / "regler.yaml"
    path.write_text(text, encoding="utf-8")
    assert run("godkend", str(pack), "r", "--af", "A", "--dato", "2025-01-08") == 1
    assert path.read_text(encoding="utf-8") == text
    err = capsys.readouterr().err
    assert "kunne ikke skrives sikkert" in err and 'gennemgået: {af: "A", dato: 2025-01-08' in err
