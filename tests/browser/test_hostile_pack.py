"""A pack with a script payload in every free-text field, opened in headless Chromium.

The site is built from tests/reliability/hostile_pack.py's poisoned copy of
tests/packs/fjendtlig. Every page is opened and the search is used; a payload
that runs sets `window.rkXss`. The <title> of an area page must show the area's
title as text (mkdocs-material's `page.title | striptags` once unescaped it).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.site import build as site_mod
from reliability.hostile_pack import write_hostile_pack

from .support import chrome, missing_binaries, serve_directory, skip_reason, wait_for

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(bool(missing_binaries()), reason=skip_reason())]

RAN = "return window.rkXss === undefined ? null : String(window.rkXss);"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("fjendtlig-browser")
    pack, where = write_hostile_pack(root / "rules")
    c = compile_checked(pack)
    assert c.ok, [str(d) for d in c.diags.errors]
    site = site_mod.build_site([c], root / "build", quiet=True)
    with serve_directory(site) as server:
        yield site, server.url, where


@pytest.fixture(scope="module")
def browser():
    with chrome(window_size=(1280, 1000)) as driver:
        yield driver


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html"))


def test_no_payload_runs_on_any_page(hostile, browser):
    site, url, where = hostile
    ran = {}
    for page in _pages(site):
        browser.get(url + page.removeprefix("./"))
        wait_for(browser, "article", timeout=20)
        marker = browser.execute_script(RAN)
        if marker is not None:
            ran[page] = f"{marker} = {where.get(marker.upper(), '?')}"
        # no element a payload would have made, in the page or its head
        made = browser.execute_script("return document.querySelectorAll("
                               "'img[onerror], script:not([src])').length")
        injected = browser.execute_script(
            "return [...document.querySelectorAll('script:not([src])')]"
            ".filter(s => /rkxss/i.test(s.textContent)).length")
        assert injected == 0, (page, made)
    assert not ran, ran


def test_the_area_title_is_text_in_the_window_title_and_the_nav(hostile, browser):
    _site, url, where = hostile
    marker = next(m for m, w in where.items() if w == "pakke.yaml.områder.farlig")
    browser.get(url + "genereret/fjendtlig/regler/farlig/")
    wait_for(browser, "article h1", timeout=20)
    title = browser.execute_script("return document.title")
    assert f"<script>window.rkXss='{marker}'</script>" in title, title
    assert browser.execute_script("return document.querySelectorAll('title').length") == 1
    nav = browser.execute_script("return [...document.querySelectorAll('.md-nav__link')]"
                          ".map(a => a.textContent)")
    assert any(f"window.rkXss='{marker}'" in t for t in nav), nav
    assert browser.execute_script(RAN) is None


def test_search_results_show_the_payload_as_text(hostile, browser):
    _site, url, _where = hostile
    browser.get(url)
    wait_for(browser, "article h1", timeout=20)
    field = wait_for(browser, "input.md-search__input", timeout=10)
    field.click()
    field.send_keys("Farligt")
    deadline = time.monotonic() + 20
    found = []
    while time.monotonic() < deadline and not found:
        found = browser.execute_script("return [...document.querySelectorAll("
                                "'.md-search-result__item')].map(a => a.innerText)")
        time.sleep(0.2)
    assert found, "the search finds the poisoned pages"
    assert any("window.rkXss=" in text for text in found), found[:3]
    assert browser.execute_script(
        "return document.querySelectorAll('.md-search-result script,"
        " .md-search-result img').length") == 0
    assert browser.execute_script(RAN) is None
