"""The review site's pages (Markdown) and the MkDocs build around them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regelkode import cli
from regelkode.checks.analysis import compile_checked
from regelkode.site import build as site_mod
from regelkode.site.pages import emit_site

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "tests" / "packs"
HOSTILE_TITLE = "Farlig <script>alert(1)</script> | *fed* [x](y)"


@pytest.fixture(scope="module")
def results():
    out = [compile_checked(PACKS / "eksempel"), compile_checked(PACKS / "fjendtlig")]
    assert all(c.ok for c in out), [c.diags.items for c in out if not c.ok]
    return out


@pytest.fixture(scope="module")
def docs(results):
    return emit_site(results)


@pytest.fixture(scope="module")
def built(results, tmp_path_factory):
    """The HTML site, built twice from the same packs (once per module: MkDocs is slow)."""
    a = tmp_path_factory.mktemp("bygning-a")
    b = tmp_path_factory.mktemp("bygning-b")
    site_mod.build_site(results, a, quiet=True)
    site_mod.build_site(results, b, quiet=True)
    return a / "site", b / "site"


def page(docs, path: str) -> str:
    return docs.pages[path]


def test_markdown_is_deterministic(results, docs):
    again = emit_site([compile_checked(PACKS / "eksempel"), compile_checked(PACKS / "fjendtlig")])
    assert again.pages == docs.pages
    assert again.files == docs.files
    assert again.nav == docs.nav


def test_html_is_deterministic(built):
    a, b = built
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    different = [str(p) for p in files_a if (a / p).read_bytes() != (b / p).read_bytes()]
    assert not different


def test_pages_and_navigation(docs):
    assert "index.md" in docs.pages
    for path in ("regler/samtaler.md", "regler/alder.md", "regler/varighed.md",
                 "definitioner.md", "parametre.md", "datamodel.md", "kilder.md",
                 "konflikter.md", "forloeb.md"):
        assert f"genereret/eksempel/{path}" in docs.pages
    assert "genereret/eksempel/sag.schema.json" in docs.files
    titles = [title for title, _ in docs.nav]
    assert titles[0] == "Start"
    fjendtlig = dict(docs.nav)["Fjendtlig pakke <b>fed</b> | *kursiv*"]
    # Areas in the manifest's order, with its Danish titles.
    assert fjendtlig[0] == ("Farligt område <i>x</i> | *y*", "genereret/fjendtlig/regler/farlig.md")
    assert fjendtlig[1] == ("Frister", "genereret/fjendtlig/regler/frister.md")


def test_every_rule_has_its_id_as_anchor(results, docs):
    for c in results:
        for rid, rule in c.pack.rules.items():
            text = page(docs, f"genereret/{c.pack.id}/regler/{rule.area}.md")
            assert f"{{#{rid}}}" in text


def test_rule_section_content(docs):
    text = page(docs, "genereret/eksempel/regler/samtaler.md")
    section = text[text.index("{#fire_samtaler}"):text.index("{#første_samtale_personlig}")]
    assert "**Alvor:** brud" in section
    assert "[LAB § 31, stk\\. 3](<https://www.retsinformation.dk/eli/lta/2024/280>)" in section
    assert "> Stk\\. 3\\. For personer omfattet af § 6" in section
    assert "```{.regelkode .rk-formel}\n# gælder når:\nberegningsdato er efter " in section
    assert "Reglen gælder, når beregningsdatoen er efter seks måneders frist\\." in section
    assert "| fire i tide | 1\\. august 2024 |" in section
    assert "[`samtaler_i_tide`](<../definitioner.md#samtaler_i_tide>)" in section
    assert "[`samtaler`](<../datamodel.md#samtaler>)" in section
    assert "**Gennemgang:** ikke gennemgået" in section


def test_exceptions_are_in_the_formal_rule_and_in_danish(docs):
    text = page(docs, "genereret/eksempel/regler/varighed.md")
    assert "# undtagelse gammelt_forløb — hvis:\nstartdato er før 2022-01-01" in text
    assert "# undtagelse til undtagelsen meget_gammelt — hvis:" in text
    assert "Dog gælder: hvis startdato er før 1\\. januar 2022" in text


def test_hostile_text_is_escaped_everywhere(docs):
    for path, text in docs.pages.items():
        assert "<script" not in text, path
        assert "<img" not in text, path
        assert "<b>" not in text and "<i>" not in text, path
        assert "javascript:" not in re.sub(r"\\", "", " ".join(
            re.findall(r"\]\(<?([^)>]*)", text))), path
    farlig = page(docs, "genereret/fjendtlig/regler/farlig.md")
    assert ("## Farlig &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| \\*fed\\* \\[x\\]\\(y\\) "
            "{#farlig_titel}") in farlig


def test_unverified_citation_is_marked(docs):
    farlig = page(docs, "genereret/fjendtlig/regler/farlig.md")
    assert '!!! warning "Ubekræftet kilde"' in farlig
    assert "§ 9 findes ikke i teksten til FARLOV" in farlig


def test_seed_passage_of_a_document_citation(docs):
    farlig = page(docs, "genereret/fjendtlig/regler/farlig.md")
    assert '??? quote "Afsnittet i kildedokumentet, som citatet står i"' in farlig
    assert ("    Mødet skal holdes inden for fire uger efter henvendelsen, og borgeren skal "
            "&lt;b&gt;deltage&lt;/b&gt; \\| altid\\.") in farlig


def test_review_states_are_shown(docs):
    frister = page(docs, "genereret/fjendtlig/regler/frister.md")
    reviewed = frister[frister.index("{#afgørelse_efter_mødet}"):frister.index("{#klage_i_tide}")]
    assert "gennemgået af Jurist &lt;b&gt;Jensen&lt;/b&gt; \\| \\*x\\* 8\\. januar 2025" in (
        reviewed)
    changed = frister[frister.index("{#klage_i_tide}"):]
    assert '!!! warning "Ændret siden gennemgang"' in changed
    assert "**ændret siden gennemgang** (gennemgået af Anne Ærø" in changed
    index = page(docs, "index.md")
    assert "| **I alt** | **3** | **1** | **1** | **1** |" in index
    assert "regelkode godkend rules/<pakke> <regel-id> --af" in index


def test_start_page_links_open_conflicts(docs):
    index = page(docs, "index.md")
    assert ("- [Fire eller seks uger &lt;script&gt;alert\\('konflikt'\\)&lt;/script&gt; \\| "
            "\\*x\\*](<genereret/fjendtlig/konflikter.md#frist_for_mødet>)") in index
    assert "afgjort" not in index.split("### Åbne konflikter")[2].split("##")[0]


def test_sources_page(docs):
    text = page(docs, "genereret/fjendtlig/kilder.md")
    assert "### FARLOV § 1, stk\\. 1 {#lov-farlov-1-stk-1}" in text
    assert "Bestemmelser i den gemte lovtekst, som ingen henviser til: § 2." in text
    assert "## Ubekræftede lovhenvisninger" in text
    doc = text[text.index("{#dokument-100}"):]
    assert "2 af 4 afsnit er dækket" in doc
    uncovered = doc[doc.index("**Ikke dækket endnu:**"):]
    assert "> • Et punkt, som ingen regel dækker endnu\\." in uncovered
    assert "Mødet skal holdes" not in uncovered
    assert "[Farlig &lt;script&gt;" in doc  # who cites the document


def test_conflicts_page(docs):
    text = page(docs, "genereret/fjendtlig/konflikter.md")
    assert "{#frist_for_mødet}" in text and "**Status:** åben" in text
    assert "**Status:** afgjort" in text
    assert "**Valg:** Loven følges: \\[fire\\]\\(javascript:alert\\(7\\)\\) uger\\." in text
    assert "(<regler/farlig.md#farlig_titel>)" in text
    assert "(<regler/frister.md#afgørelse_efter_mødet>)" in text  # also via the exception


def test_parameters_page(docs):
    text = page(docs, "genereret/eksempel/parametre.md")
    assert "| 1\\. januar 2024 | **12\\.326,50 kr\\.** | fast værdi |" in text
    assert ("| 1\\. januar 2025 | **12\\.770 kr\\.** | beregnet: "
            "`forrige × (1 + 1,7 % + 1,9 %) afrundet til hele kroner`") in text
    assert "**Bruges af reglerne:** [Forløbet varer højst" in text


def test_data_model_and_definitions_pages(docs):
    model = page(docs, "genereret/eksempel/datamodel.md")
    assert "### `fødselsdato` {#fødselsdato}" in model
    assert "[JSON-skemaet for en sag](sag.schema.json)" in model
    assert "### `samtale` {#samtale}" in model and "### `samtaleform` {#samtaleform}" in model
    assert "- **Type:** liste af [`samtale`](<#samtale>)" in model
    defs = page(docs, "genereret/eksempel/definitioner.md")
    assert "| `fødselsdato` | Resultat | Note |" in defs
    assert "| `< 1955-07-01` | `65 år` | – |" in defs
    assert "Seks måneders frist er 6 måneder efter startdato\\." in defs


def test_timeline(docs):
    text = page(docs, "genereret/fjendtlig/forloeb.md")
    assert "mermaid" not in text
    assert '(forloeb.svg){ width="' in text and "{: .rk-tidslinje }" in text
    rows = re.findall(r"^\| (\d+) \| (.*?) \| (.*?) \| (.*?) \|", text, re.MULTILINE)
    by_edge = {(a, b): (n, how) for n, a, b, how in rows}
    deadline = "Sidste dag for mødet &lt;em&gt;x&lt;/em&gt;"
    assert by_edge[("henvendelsesdato", deadline)][1] == (
        "frist: \\+ mødefrist på henvendelsesdato \\(6 uger fra 1\\. januar 2020, 4 uger fra "
        "1\\. januar 2024\\)")
    assert by_edge[("mødedato", deadline)][1] == "rækkefølge: senest"
    svg = docs.files["genereret/fjendtlig/forloeb.svg"].decode("utf-8")
    # the same numbers in the drawing, and the hostile title as text
    assert {n for n, *_ in rows} == set(re.findall(r'font-size="11" fill="#[0-9a-f]+">(\d+)<', svg))
    assert "Sidste dag for mødet &lt;em&gt;x&lt;/em&gt;" in svg and "<em>" not in svg


def test_full_build_leaves_site_folder_untouched(results, tmp_path):
    def snapshot():
        return sorted((str(p.relative_to(ROOT)), p.stat().st_mtime_ns)
                      for p in (ROOT / "site").rglob("*"))
    before = snapshot()
    out = site_mod.build_site(results, tmp_path, quiet=True)
    assert snapshot() == before
    assert (out / "index.html").is_file()
    assert (out / "genereret" / "eksempel" / "regler" / "samtaler" / "index.html").is_file()
    assert (out / "genereret" / "eksempel" / "sag.schema.json").is_file()
    assert (out / "sprog" / "index.html").is_file()  # hand-written pages build under --strict
    assert not list(tmp_path.glob(".site-work-*"))


def test_mkdocs_failure_is_a_site_error_and_keeps_the_old_site(results, tmp_path, monkeypatch):
    source = tmp_path / "kilde"
    (source / "docs").mkdir(parents=True)
    (source / "mkdocs.yml").write_text((ROOT / "site" / "mkdocs.yml").read_text("utf-8"),
                                       encoding="utf-8")
    (source / "docs" / "brudt.md").write_text("# Brudt\n\n[væk](findes-ikke.md)\n",
                                              encoding="utf-8")
    monkeypatch.setattr(site_mod, "site_source", lambda: source)
    out = tmp_path / "build"
    (out / "site").mkdir(parents=True)
    (out / "site" / "gammel.html").write_text("gammel", encoding="utf-8")
    with pytest.raises(site_mod.SiteError) as err:
        site_mod.build_site(results, out, quiet=True)
    assert "findes-ikke.md" in str(err.value)
    assert (out / "site" / "gammel.html").read_text(encoding="utf-8") == "gammel"
    assert not list(out.glob(".site-work-*"))


def test_cli_build_reports_a_site_error_without_traceback(tmp_path, monkeypatch, capsys):
    source = tmp_path / "kilde"
    (source / "docs").mkdir(parents=True)
    (source / "mkdocs.yml").write_text((ROOT / "site" / "mkdocs.yml").read_text("utf-8"),
                                       encoding="utf-8")
    (source / "docs" / "index.md").write_text("# Håndskrevet start\n", encoding="utf-8")
    monkeypatch.setattr(site_mod, "site_source", lambda: source)
    code = cli.main(["build", str(PACKS / "eksempel"), "--out", str(tmp_path / "b"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "siden kunne ikke bygges" in err and "index.md er håndskrevet" in err
    assert "Traceback" not in err


def test_cli_build_with_a_relative_output_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", str(PACKS / "eksempel"), "--out", "ud"]) == 0
    assert "ud/site/index.html" in capsys.readouterr().out
    assert (tmp_path / "ud" / "site" / "genereret" / "eksempel" / "regler" / "alder"
            / "index.html").is_file()
    assert not list((tmp_path / "ud").glob(".site-work-*"))
