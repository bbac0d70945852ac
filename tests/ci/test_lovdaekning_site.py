"""The law-coverage page of the review site and the sentences shown on each rule's section."""

from __future__ import annotations

from regelkode.checks.analysis import compile_checked
from regelkode.site.pages import emit_site

from .helpers import copy_eksempel
from .test_lovdaekning import MAPPING, pack_with

PAGE = "genereret/eksempel/lovdaekning.md"


def test_every_unit_is_shown_coloured_and_linked(tmp_path):
    docs = emit_site([compile_checked(pack_with(tmp_path))])
    page = docs.pages[PAGE]
    assert "## LAB § 31 {#lab-31}" in page and "## LAB § 113 a {#lab-113-a}" in page
    # the sentence, its status as a word, the link to the rule, and the colour class
    assert ("**stk\\. 3** For personer omfattet af § 6, nr\\. 2\\-5, 7 og 8" in page)
    assert "→ *kodet i en regel*: [`fire_samtaler`](<regler/samtaler.md#fire_samtaler>)" in page
    assert "{: #lab-31-3-1 .rk-lov .rk-lov-regel }" in page
    assert "{: #lab-113-a-1-3 .rk-lov .rk-lov-mangler }" in page
    assert "*udenfor*: Gælder andre målgrupper" in page
    assert ("Lovdækning", PAGE) in docs.nav[1][1]


def test_a_rule_section_shows_the_sentences_it_encodes(tmp_path):
    docs = emit_site([compile_checked(pack_with(tmp_path))])
    rules = docs.pages["genereret/eksempel/regler/samtaler.md"]
    assert "**Lovtekst, den koder**" in rules
    assert "- [LAB § 31, stk\\. 3](../lovdaekning.md#lab-31-3-1): »For personer omfattet" in rules
    definitions = docs.pages["genereret/eksempel/definitioner.md"]
    assert "(lovdaekning.md#lab-31-3-1)" in definitions     # seks_måneders_frist


def test_no_scope_no_page(tmp_path):
    docs = emit_site([compile_checked(copy_eksempel(tmp_path))])
    assert PAGE not in docs.pages
    assert "Lovtekst, den koder" not in docs.pages["genereret/eksempel/regler/samtaler.md"]


def test_law_text_and_reasons_are_inert_on_the_page(tmp_path):
    hostile = "<script>alert(1)</script> *fed* [x](y) {: #z }"
    mapping = MAPPING.replace("Beskriver jobformidlerens arbejde.", hostile)
    pack = pack_with(tmp_path, mapping)
    law = pack / "kilder" / "love" / "2024-280.yaml"
    text = law.read_text(encoding="utf-8")
    law.write_text(text.replace("Personer i ressourceforløb har ret til en personlig jobformidler.",
                                "Personer i ressourceforløb har ret til <b>en</b> jobformidler."),
                   encoding="utf-8")
    page = emit_site([compile_checked(pack)]).pages[PAGE]
    assert "<script>" not in page and "<b>" not in page
    assert ("&lt;script&gt;alert\\(1\\)&lt;/script&gt; "
            "\\*fed\\* \\[x\\]\\(y\\) \\{: \\#z \\}") in page
    assert "har ret til &lt;b&gt;en&lt;/b&gt; jobformidler\\." in page
