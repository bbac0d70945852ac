"""Source documents carry their provenance: title, publisher, kind, address, retrieval date.

The copies in kilder/dokumenter/ start with page chrome ("Gå til hovedindhold",
"Kontakt os"), so their first line is no title. `<navn>.yaml` beside each
says what the document is (schema `dokument`), and the sources page shows
it; a commercial page with undated figures says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.site.context import PackContext
from regelkode.site.pages import emit_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def national():
    c = compile_checked(ROOT / "rules" / "ressourceforloeb")
    assert c.ok
    return c


@pytest.fixture(scope="module")
def pages(national):
    return emit_site([national]).pages


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "admonition", "toc"])


def test_every_seed_has_its_provenance(national):
    assert not [d for d in national.diags.items if d.code.startswith("document")]
    meta = PackContext(national, "x").document_meta
    assert set(meta) == set(national.pack.documents)
    for stem, m in meta.items():
        assert m["titel"] and m["udgiver"] and m["hentet"], stem
    assert meta["001"]["udgiver"] == "Frederiksberg Kommune"
    assert meta["004"]["art"] == "kommerciel" and meta["004"]["udaterede_tal"] is True


def test_sources_page_titles_are_real_titles_not_page_chrome(pages, national):
    page = pages["genereret/ressourceforloeb/kilder.md"]
    headings = [line for line in page.splitlines() if line.startswith("## Kildedokument")]
    # one heading per source document, whatever the pack holds
    assert len(headings) == len(national.pack.documents) >= 9
    assert not [h for h in headings if "hovedindhold" in h or "Kontakt os" in h]
    assert any("Frederiksberg Kommune" in h for h in headings)
    html = _html(page)
    assert ('href="https://www.frederiksberg.dk/job-og-ledighed/ledighed/'
            'hvis-du-er-syg-eller-har-nedsat-arbejdsevne/ressourceforloeb"') in html
    assert "<strong>Hentet senest:</strong> 23. november 2026" in html
    commercial = page[page.index("## Kildedokument 004"):]
    commercial = commercial.split("\n## ", 1)[0]
    assert '!!! warning "Kommerciel kilde med udaterede tal"' in commercial
    assert "står uden dato" in commercial


def test_an_authority_reading_is_marked_as_one_and_not_warned_about(pages):
    page = pages["genereret/ressourceforloeb/kilder.md"]
    section = page[page.index("## Kildedokument 005"):].split("\n## ", 1)[0]
    assert "Ankestyrelsen" in section.splitlines()[0]
    assert "**Art:** myndighedspraksis \\(Ankestyrelsen, ministeriet\\)" in section
    assert "!!! warning" not in section
    assert "principafgørelse 82\\-16" in section
    assert "afsnit er dækket" in section and "Ikke dækket endnu" not in section


def test_a_citation_names_the_document_and_marks_a_commercial_one(pages):
    area = pages["genereret/ressourceforloeb/regler/alder.md"]
    assert "[Ressourceforløb — Stadsrevisionen \\(revisionsfirma\\)](" in area
    assert "*kommerciel kilde*" in area


def test_hostile_provenance_is_text():
    c = compile_checked(ROOT / "tests" / "packs" / "fjendtlig")
    assert c.ok
    page = emit_site([c]).pages["genereret/fjendtlig/kilder.md"]
    html = _html(page)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "alert(&#x27;titel&#x27;)" in html or "alert('titel')" in html
    assert "https://example.org/%3Cscript%3E" in html


def _pack(tmp_path) -> Path:
    pack = tmp_path / "fjendtlig"
    shutil.copytree(ROOT / "tests" / "packs" / "fjendtlig", pack)
    return pack


def test_a_document_without_provenance_is_a_warning(tmp_path):
    pack = _pack(tmp_path)
    (pack / "kilder" / "dokumenter" / "100.yaml").unlink()
    c = compile_checked(pack)
    assert c.ok
    warned = [d for d in c.diags.items if d.code == "document-provenance"]
    assert len(warned) == 1 and "100.txt" in warned[0].span.file
    page = emit_site([c]).pages["genereret/fjendtlig/kilder.md"]
    assert "Herkomst ikke oplyst" in page


def test_provenance_without_its_document_and_a_bad_one_are_errors(tmp_path):
    pack = _pack(tmp_path)
    docs = pack / "kilder" / "dokumenter"
    (docs / "200.yaml").write_text("titel: x\nudgiver: y\nart: kommerciel\nhentet: '2026-01-01'\n",
                                   encoding="utf-8")
    (docs / "100.yaml").write_text("titel: x\nart: blog\nhentet: i går\n", encoding="utf-8")
    c = compile_checked(pack)
    codes = sorted(d.code for d in c.diags.errors)
    assert "document-meta-orphan" in codes and codes.count("schema") >= 3, c.diags.items
