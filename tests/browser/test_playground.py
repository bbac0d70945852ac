"""The playground in headless Chromium: "Prøv en sag" shows Python's report.

The site is built once for this module from rules/ressourceforloeb and
tests/packs/eksempel. Every sample case is picked in the form and judged in
the browser: the report shown (each rule's status and message) and the
report's JSON (byte for byte) must be the reference interpreter's for the
same case — so the form's round trip loses nothing. Also: the page works from
file://, a malformed case is refused with Python's path and message, and the
"prøv eksemplerne" buttons run a rule's examples with the expected results.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from selenium.webdriver.common.by import By

from regelkode import runtime as rt
from regelkode.checks.analysis import compile_checked
from regelkode.checks.examples import collect
from regelkode.ir import interpret
from regelkode.site import build as site_mod

from .support import chrome, missing_binaries, serve_directory, skip_reason, wait_for

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "ressourceforloeb"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(bool(missing_binaries()), reason=skip_reason())]

SHOWN = """
return [...document.querySelectorAll('.rk-regel')].map(e => [
  e.dataset.regel, e.dataset.status,
  (e.querySelector('.rk-meddelelse') || {textContent: null}).textContent]);
"""
PICK = """
const s = document.querySelector('.rk-sagsvalg');
s.value = arguments[0];
s.dispatchEvent(new Event('change'));
"""


@pytest.fixture(scope="module")
def compiled():
    c = compile_checked(PACK)
    assert c.ok
    return c


@pytest.fixture(scope="module")
def site(tmp_path_factory, compiled):
    eksempel = compile_checked(ROOT / "tests" / "packs" / "eksempel")
    assert eksempel.ok
    out = tmp_path_factory.mktemp("proevbygning")
    return site_mod.build_site([compiled, eksempel], out, quiet=True)


@pytest.fixture(scope="module")
def base(site):
    with serve_directory(site) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    with chrome(window_size=(1280, 1000)) as driver:
        yield driver


def open_playground(browser, url):
    browser.get(url)
    wait_for(browser, ".rk-proev[data-klar=ja]", timeout=30)


def click(browser, css):
    browser.find_element(By.CSS_SELECTOR, css).click()


def python_report(program, case):
    return interpret.evaluate(program, json.loads(json.dumps(case))).to_dict()


def test_every_sample_case_gives_pythons_report(base, browser, compiled):
    open_playground(browser, base + "genereret/ressourceforloeb/proev/")
    samples = sorted((PACK / "sager").glob("*.json"))
    assert samples
    names = browser.execute_script("return [...document.querySelectorAll('.rk-sagsvalg option')]"
                            ".map(o => o.textContent)")
    assert names == ["(tom sag)"] + [p.stem for p in samples]
    for i, path in enumerate(samples):
        browser.execute_script(PICK, str(i))
        click(browser, ".rk-bedoem")
        wait_for(browser, ".rk-regel", timeout=10)
        expected = python_report(compiled.program, json.loads(path.read_text(encoding="utf-8")))
        shown = browser.execute_script(SHOWN)
        assert sorted(map(tuple, shown)) == sorted(
            (r["id"], r["status"], r["meddelelse"]) for r in expected["regler"]), path.name
        text = browser.execute_script(
            "return document.querySelector('.rk-rapport-json').textContent")
        assert text == json.dumps(expected, ensure_ascii=False, indent=2), path.name


def test_a_rule_in_the_report_links_to_its_page(base, browser):
    open_playground(browser, base + "genereret/ressourceforloeb/proev/")
    click(browser, ".rk-bedoem")
    wait_for(browser, ".rk-regel", timeout=10)
    rid, href = browser.execute_script("const e = document.querySelector('.rk-regel');"
                                "return [e.dataset.regel, e.querySelector('a').href];")
    assert href.startswith(base + "genereret/ressourceforloeb/regler/")
    assert unquote(href.rsplit("#", 1)[1]) == rid
    browser.get(href)
    wait_for(browser, f"h2[id='{rid}']", timeout=20)


def test_a_malformed_case_is_refused_with_pythons_path_and_message(base, browser, compiled):
    open_playground(browser, base + "genereret/ressourceforloeb/proev/")
    case = {"samtaler": [{"dato": "2024-02-30"}], "ydelse_startdato": "2024-01-01"}
    browser.execute_script("document.querySelector('.rk-json').open = true;"
                    "document.querySelector('.rk-sag-json').value = arguments[0];",
                    json.dumps(case))
    click(browser, ".rk-bedoem-json")
    fejl = wait_for(browser, ".rk-fejl[data-sti]", timeout=10)
    with pytest.raises(rt.SagFejl) as exc:
        interpret.evaluate(compiled.program, case)
    assert fejl.get_attribute("data-sti") == exc.value.sti
    assert fejl.text.endswith(exc.value.besked)


def test_the_playground_works_from_file_urls(site, browser, compiled):
    open_playground(browser, (site / "genereret/ressourceforloeb/proev/index.html").as_uri())
    click(browser, ".rk-bedoem")
    wait_for(browser, ".rk-regel", timeout=10)
    first = min((PACK / "sager").glob("*.json"))
    expected = python_report(compiled.program, json.loads(first.read_text(encoding="utf-8")))
    assert sorted(s for _r, s, _m in browser.execute_script(SHOWN)) == sorted(
        r["status"] for r in expected["regler"])


def test_the_examples_button_runs_a_rules_examples(base, browser, compiled):
    browser.get(base + "genereret/ressourceforloeb/regler/samtaler/")
    boxes = browser.find_elements(By.CSS_SELECTOR, ".rk-eksempler button")
    assert boxes
    rule = browser.execute_script("return document.querySelector('.rk-eksempler').dataset.regel")
    boxes[0].click()
    wait_for(browser, ".rk-eksempel-resultat tbody tr", timeout=10)
    rows = browser.execute_script(
        "return [...document.querySelectorAll('.rk-eksempel-resultat tbody tr')]"
        ".map(r => [r.className, r.dataset.status])")
    expected = [str(ex.expected) for ex in collect(compiled)
                if ex.kind == "regel" and ex.owner == rule and ex.problem is None]
    assert [s for _c, s in rows] == expected
    assert all(c == "rk-ok" for c, _s in rows)
