"""The review site in Chromium with the network off: every request stays on the site.

Chromium runs with `--host-resolver-rules` that resolve every name except
127.0.0.1 to nothing (tests/browser/support.py), so a page that needs a CDN
or a font host would show broken; here each page's resource entries (what
the browser loaded or tried to) must all be on the local server, and the
timeline drawing must have loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from regelkode.checks.analysis import compile_checked
from regelkode.site import build as site_mod

from .support import (
    chrome,
    missing_binaries,
    resource_urls,
    serve_directory,
    settle,
    skip_reason,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(bool(missing_binaries()), reason=skip_reason())]

PAGES = ["", "genereret/eksempel/regler/samtaler/", "genereret/fjendtlig/forloeb/",
         "genereret/eksempel/kilder/", "genereret/eksempel/aendringer/"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    results = [compile_checked(ROOT / "tests" / "packs" / "eksempel"),
               compile_checked(ROOT / "tests" / "packs" / "fjendtlig")]
    assert all(c.ok for c in results)
    site = site_mod.build_site(results, tmp_path_factory.mktemp("offline-site"), quiet=True)
    with serve_directory(site) as s:
        yield s


@pytest.fixture(scope="module")
def driver():
    with chrome() as d:
        yield d


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_only_from_the_site(server, driver, path):
    driver.get(server.url + path)
    wait_for(driver, "article h1", timeout=20)
    settle(1.0)          # the theme's scripts, search index and fonts load after the page
    urls = resource_urls(driver)
    assert urls and all(u.startswith(server.url) for u in urls), [
        u for u in urls if not u.startswith(server.url)]
    # the theme's JavaScript ran (it marks <html> once it has started)
    assert driver.execute_script("return document.documentElement.classList.contains('js')")


def test_timeline_drawing_loads_offline(server, driver):
    driver.get(server.url + "genereret/fjendtlig/forloeb/")
    img = wait_for(driver, ".rk-tidslinje img", timeout=20)
    assert driver.execute_script(
        "const i = arguments[0]; return i.complete && i.naturalWidth > 0;", img)
    assert any(p.endswith("/forloeb.svg") for p in server.requests)
