"""The review site in headless Chromium: rule pages, search and escaping as a reader sees them.

The site is built once for this module from tests/packs/eksempel and the
hostile tests/packs/fjendtlig; screenshots of the start page and rule pages
are kept in build/test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from regelkode.checks.analysis import compile_checked
from regelkode.site import build as site_mod

from .support import (
    chrome,
    missing_binaries,
    screenshot,
    serve_directory,
    settle,
    skip_reason,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "build" / "test-artifacts"
HOSTILE_TITLE = "Farlig <script>alert(1)</script> | *fed* [x](y)"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(bool(missing_binaries()), reason=skip_reason())]

# The text of an element without the '¶' permalink MkDocs adds to headings.
HEADING_TEXT = """
const el = arguments[0].cloneNode(true);
el.querySelectorAll('.headerlink').forEach(a => a.remove());
return el.textContent.trim();
"""
# Everything from a rule's heading up to the next rule's separator.
SECTION_TEXT = """
const parts = [];
let el = document.getElementById(arguments[0]);
while (el) {
  if (el !== document.getElementById(arguments[0]) && el.matches('hr.rk-skille')) break;
  parts.push(el.innerText);
  el = el.nextElementSibling;
}
return parts.join('\\n');
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    results = [compile_checked(ROOT / "tests" / "packs" / "eksempel"),
               compile_checked(ROOT / "tests" / "packs" / "fjendtlig")]
    assert all(c.ok for c in results)
    out = tmp_path_factory.mktemp("sitebygning")
    site = site_mod.build_site(results, out, quiet=True)
    with serve_directory(site) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    with chrome(window_size=(1280, 1000)) as driver:
        yield driver


def shoot(browser, name: str) -> None:
    settle()
    screenshot(browser, ARTIFACTS / name)


def open_page(browser, url: str) -> None:
    browser.get(url)
    wait_for(browser, "article h1", timeout=20)


def find(browser, css: str):
    return browser.find_element(By.CSS_SELECTOR, css)


def test_rule_page_shows_what_a_reviewer_needs(base, browser):
    open_page(browser, base + "genereret/eksempel/regler/samtaler/#fire_samtaler")
    heading = find(browser, "h2#fire_samtaler")
    assert (browser.execute_script(HEADING_TEXT, heading)
            == "Mindst 4 samtaler i de første 6 måneder")
    section = browser.execute_script(SECTION_TEXT, "fire_samtaler")
    # citation, linked to its ELI address, with the quoted provision
    assert "LAB § 31, stk. 3" in section
    link = browser.execute_script(
        "return [...document.querySelectorAll('article a')].find("
        "a => a.textContent === 'LAB § 31, stk. 3').href")
    assert link == "https://www.retsinformation.dk/eli/lta/2024/280"
    assert "holder jobcenteret mindst fire individuelle jobsamtaler" in section
    # the formal rule, highlighted as regelkode
    assert "samtaler_i_tide er mindst 4" in section
    keywords = browser.execute_script(
        "const h = document.getElementById('fire_samtaler');"
        "let el = h.nextElementSibling;"
        "while (el && !el.matches('.rk-formel')) el = el.nextElementSibling;"
        "return [...el.querySelectorAll('span.k')].map(s => s.textContent);")
    assert "mindst" in keywords and "efter" in keywords
    # the Danish rendering and the examples
    assert "Kravet er, at samtaler i tide er mindst 4." in section
    assert "Reglen gælder, når beregningsdatoen er efter seks måneders frist." in section
    rows = browser.execute_script(
        "const h = document.getElementById('fire_samtaler');"
        "let el = h.nextElementSibling;"
        "while (el && !el.querySelector('table') && el.tagName !== 'TABLE')"
        "  el = el.nextElementSibling;"
        "const t = el.tagName === 'TABLE' ? el : el.querySelector('table');"
        "return [...t.querySelectorAll('tbody tr')].map(r => r.innerText);")
    assert any("fire i tide" in r and "opfyldt" in r for r in rows)
    assert any("tre i tide" in r and "brud" in r for r in rows)
    # links to what the rule uses
    assert "samtaler_i_tide" in section and "Bygger på" in section
    shoot(browser, "site-regel.png")


def test_start_page(base, browser):
    open_page(browser, base)
    text = find(browser, "article").text
    assert "Regelkode — reglerne til gennemgang" in text
    assert "Sådan læser du en regel" in text
    assert "Regler efter område og gennemgang" in text
    assert "Fire eller seks uger <script>alert('konflikt')</script> | *x*" in text
    shoot(browser, "site-start.png")


def search(browser, base: str, words: str) -> list[tuple[str, str]]:
    open_page(browser, base)
    # At this window width Material shows the search field in the header.
    field = wait_for(browser, "input.md-search__input", timeout=10)
    field.click()
    field.send_keys(words)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = browser.execute_script(
            "return [...document.querySelectorAll('.md-search-result__item a')]"
            ".map(a => [a.href, a.innerText]);")
        # Material searches as the keys arrive: the first results can be those of a
        # prefix ("f"); a result's link names the query it answers in `?h=`
        queries = {_query_of(href) for href, _text in found} - {None}
        if queries == {words.lower()}:
            return [tuple(x) for x in found]
        time.sleep(0.2)
    raise AssertionError(f"ingen søgeresultater for {words!r}")


def _query_of(href: str) -> str | None:
    from urllib.parse import parse_qs, urlsplit

    found = parse_qs(urlsplit(href).query).get("h")
    return None if found is None else " ".join(found).lower()


def test_search_finds_a_rule_by_a_danish_word(base, browser):
    found = search(browser, base, "fremmøde")
    assert any("første_samtale_personlig" in href or
               "personligt fremmøde" in text for href, text in found), found
    shoot(browser, "site-soegning.png")


def test_hostile_title_renders_literally(base, browser):
    open_page(browser, base + "genereret/fjendtlig/regler/farlig/#farlig_titel")
    heading = find(browser, "h2#farlig_titel")
    assert browser.execute_script(HEADING_TEXT, heading) == HOSTILE_TITLE
    injected = browser.execute_script(
        "return document.querySelectorAll("
        "'article script, article img, article b, article i, article u, article s,"
        " .md-nav script, .md-nav i, .md-nav b').length")
    assert injected == 0
    assert browser.execute_script("return document.title").startswith(
        "Farligt område <i>x</i> | *y*")
    nav = browser.execute_script("return [...document.querySelectorAll('.md-nav__link')]"
                          ".map(a => a.textContent.trim())")
    assert "Farligt område <i>x</i> | *y*" in nav
    toc = browser.execute_script("return [...document.querySelectorAll('.md-nav--secondary a')]"
                          ".map(a => a.textContent.trim())")
    assert HOSTILE_TITLE in toc
    section = browser.execute_script(SECTION_TEXT, "farlig_titel")
    assert "Mødet blev holdt {mødedato}, efter fristen <img src=x onerror=alert(6)> | *x*." in (
        section)
    assert "Ubekræftet kilde" in section
    shoot(browser, "site-fjendtlig.png")


def test_hostile_title_in_search_results(base, browser):
    found = search(browser, base, "Farlig")
    assert any(HOSTILE_TITLE in text for _href, text in found), found
    injected = browser.execute_script(
        "return document.querySelectorAll('.md-search-result script, .md-search-result img')"
        ".length")
    assert injected == 0
