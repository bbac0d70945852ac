"""The provision splitter (front/lovenheder.py) on real provisions and Danish legal traps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from regelkode.front.lovenheder import split_stk, split_units

LOVE = Path(__file__).resolve().parents[2] / "rules" / "ressourceforloeb" / "kilder" / "love"


def provision(fil: str, paragraf: str) -> str:
    data = yaml.safe_load((LOVE / fil).read_text(encoding="utf-8"))
    return next(b["tekst"] for b in data["bestemmelser"] if str(b["paragraf"]) == paragraf)


def addresses(text: str) -> list[tuple]:
    return [(u.stk, u.pkt, u.nr) for u in split_units(text)]


def test_stk_split_ignores_lower_case_references():
    # "jf. § 9" and "jf. § 27, stk. 3" are references; only "Stk. N." at a sentence start splits
    text = provision("2024-280.yaml", "31")
    assert [n for n, _, _ in split_stk(text)] == [1, 2, 3, 4, 5]


def test_a_numbered_list_belongs_to_its_lead_in_and_items_keep_their_stops():
    # LAB § 44: "1) Personens job- og uddannelsesmål. 2) …" — the stop ends an item, not a pkt.
    units = split_units(provision("2024-280.yaml", "44"))
    assert [(u.stk, u.pkt, u.nr) for u in units] == [
        (1, 1, None), (1, 1, 1), (1, 1, 2), (1, 1, 3), (2, 1, None), (3, 1, None), (3, 2, None)]
    assert units[1].tekst == "1) Personens job- og uddannelsesmål."
    assert units[0].tekst.endswith("forberedende del skal indeholde oplysninger om:")


def test_a_second_sentence_inside_an_item_stays_in_the_item():
    # BEK 1708/2024 § 5, stk. 1, nr. 1: "… uddannelse. Hvis det ikke er muligt, …, 2) …"
    units = split_units(provision("2024-1708.yaml", "5"))
    nr1 = next(u for u in units if u.stk == 1 and u.nr == 1)
    assert nr1.tekst.startswith("1) borgerens konkrete mål")
    assert "Hvis det ikke er muligt" in nr1.tekst
    assert [(u.pkt, u.nr) for u in units if u.stk == 1] == [
        (1, None), (2, None), (2, 1), (2, 2), (2, 3), (2, 4)]


def test_references_to_pkt_and_ordinals_do_not_end_sentences():
    # LAS § 68, stk. 4: "Ydelsen efter 1. pkt. ophører dog …", "efter 2. og 3. pkt. er ophørt"
    units = [u for u in split_units(provision("2025-1004.yaml", "68")) if u.stk == 4]
    assert len(units) == 5
    assert units[1].tekst.startswith("Ydelsen efter 1. pkt. ophører dog")
    assert units[4].tekst == ("Personer, hvis ydelse efter 2. og 3. pkt. er ophørt, "
                              "modtager en ydelse efter stk. 2.")


def test_a_sentence_may_open_with_a_paragraph_sign():
    # LAS § 69, stk. 6, 7. pkt.: "… 5 uger. § 13, stk. 13, finder tilsvarende anvendelse …"
    units = [u for u in split_units(provision("2025-1004.yaml", "69")) if u.stk == 6]
    assert len(units) == 7
    assert units[5].tekst == "Den samlede ferie kan højst udgøre 5 uger."
    assert units[6].tekst.startswith("§ 13, stk. 13, finder")


def test_a_sentence_may_end_with_a_pkt_reference():
    text = ("§ 9. Ydelsen gives efter stk. 2, jf. 1. pkt. Det gælder dog ikke m.v. "
            "Bestemmelsen i stk. 1, 1. pkt., gælder også.")
    assert [u.tekst for u in split_units(text)] == [
        "Ydelsen gives efter stk. 2, jf. 1. pkt.", "Det gælder dog ikke m.v.",
        "Bestemmelsen i stk. 1, 1. pkt., gælder også."]


def test_a_sentence_may_open_with_a_pkt_reference():
    # lov 1750/2025 § 37 b: "… beskæftigelsesindsats. 1. pkt. finder tilsvarende anvendelse …"
    units = split_units(provision("2025-1750.yaml", "37b"))
    assert units[1].tekst == "1. pkt. finder tilsvarende anvendelse for arbejdsløshedskasserne."
    assert (units[1].stk, units[1].pkt) == (1, 2)


@pytest.mark.parametrize("fil, paragraf, stk, expected", [
    # dates: "den 1. januar 2025" is not a sentence end
    ("2024-1708.yaml", "20", 1, ["Bekendtgørelsen træder i kraft den 1. januar 2025."]),
    # "m.v." and "jf." inside a sentence; "kr. (2024-niveau)" inside a list item
    ("2024-254.yaml", "9", 1, 4),
    ("2025-1004.yaml", "69d", 3, 4),
    # "§§ 7-8, § 9, stk. 1, § 13, § 14, stk. 1 og 2" in one sentence
    ("2024-280.yaml", "114", 1, 2),
    # "»Min Plan«" and "”Min Plan”" quotes
    ("2024-280.yaml", "46", 2, 2),
    ("2024-1708.yaml", "5", 3, 2),
    # "Stk. 1, nr. 1, finder ikke anvendelse" opens a sentence but is not a new stk.
    ("2024-254.yaml", "11", 3, 1),
])
def test_tricky_abbreviations(fil, paragraf, stk, expected):
    units = [u for u in split_units(provision(fil, paragraf)) if u.stk == stk]
    if isinstance(expected, list):
        assert [u.tekst for u in units] == expected
    else:
        assert len(units) == expected, [u.tekst for u in units]


def test_offsets_point_into_the_stored_text():
    text = provision("2024-280.yaml", "112")
    for u in split_units(text):
        assert " ".join(text[u.start:u.end].split()) == u.tekst


def test_every_stk_the_team_check_finds_has_a_unit():
    # the same independent reading as ../shared/checks/law_coverage.py: "Stk. N." after a stop
    import re
    stk = re.compile(r"(?:^|(?<=[.:;)]) )Stk\. (\d+)\.")
    for fil in ("2024-280.yaml", "2025-1004.yaml", "2024-254.yaml", "2024-1708.yaml"):
        for b in yaml.safe_load((LOVE / fil).read_text(encoding="utf-8"))["bestemmelser"]:
            want = {1} | {int(m.group(1)) for m in stk.finditer(b["tekst"])}
            assert {u.stk for u in split_units(b["tekst"])} == want, (fil, b["paragraf"])


def test_addresses_as_cited():
    units = split_units(provision("2024-280.yaml", "112"))
    assert units[0].adresse() == "stk. 1, 1. pkt."
    assert units[2].adresse() == "stk. 1, nr. 1"
    assert units[-1].adresse(stk_har_flere=False) == "stk. 3"


def test_blank_before_a_list_is_no_unit():
    # Found by the long run with a seed (test_lovenheder_total): the whitespace
    # before "1)" became a unit with no text, its start equal to its end.
    units = split_units("\n1) 2) § 12. ")
    assert [(u.pkt, u.nr, u.tekst) for u in units] == [(1, 1, "1)"), (1, 2, "2) § 12.")]
    assert all(u.start < u.end for u in units)
