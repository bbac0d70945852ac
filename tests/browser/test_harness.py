"""The browser harness itself: static server + headless, offline Chromium through selenium.

Skipped only when Chromium or ChromeDriver is not installed (``make test``
installs Debian's chromium and chromium-driver, so in CI these tests run).
"""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path

import pytest
from selenium.common.exceptions import NoSuchElementException, TimeoutException
from selenium.webdriver.common import selenium_manager
from selenium.webdriver.common.by import By

from .support import (
    chrome,
    missing_binaries,
    resource_urls,
    screenshot,
    serve_directory,
    skip_reason,
    wait_for,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"

PAGE = """<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><title>Regelkode-prøve</title></head>
<body>
  <h1>Ressourceforløb</h1>
  <label for="navn">Navn</label>
  <input id="navn" type="text" autocomplete="off">
  <p id="hilsen">Hej, ingen</p>
  <ul><li>fremmøde</li><li>telefon</li><li>digital</li></ul>
  <script>
    const navn = document.getElementById("navn");
    navn.addEventListener("input", () => {
      document.getElementById("hilsen").textContent = "Hej, " + navn.value;
    });
    setTimeout(() => {
      const p = document.createElement("p");
      p.id = "senere";
      p.textContent = "indlæst";
      document.body.appendChild(p);
    }, 300);
  </script>
</body>
</html>
"""

# A page that asks another host for a style sheet and an image, as a site with a
# font host or a CDN script does.
REMOTE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>fjern</title>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
</head><body><img id="billede" src="https://example.com/x.png" alt="x"></body></html>
"""

needs_browser = pytest.mark.skipif(bool(missing_binaries()), reason=skip_reason())


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "fjern.html").write_text(REMOTE_PAGE, encoding="utf-8")
    return tmp_path


def test_serve_directory_logs_requests(site: Path) -> None:
    with serve_directory(site) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(server.url + "index.html", timeout=10) as response:
            assert response.status == 200
            assert "Ressourceforløb" in response.read().decode("utf-8")
        assert server.requests == ["/index.html"]


@pytest.mark.browser
@needs_browser
def test_selenium_never_runs_selenium_manager(monkeypatch, site: Path) -> None:
    # Selenium Manager downloads a browser and a driver; with both paths given
    # selenium must not even start it.
    def refuse(*_args, **_kwargs):
        raise AssertionError("Selenium Manager was called")

    monkeypatch.setattr(selenium_manager.SeleniumManager, "binary_paths", refuse)
    with serve_directory(site) as server, chrome() as driver:
        driver.get(server.url + "index.html")
        assert driver.title == "Regelkode-prøve"
        # ...and it is Debian's Chromium that answers.
        version = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                                 text=True, check=True).stdout
        assert driver.capabilities["browserVersion"] in version


@pytest.mark.browser
@needs_browser
def test_browser_types_reads_and_takes_a_screenshot(site: Path) -> None:
    with serve_directory(site) as server, chrome() as driver:
        driver.get(server.url + "index.html")
        assert driver.title == "Regelkode-prøve"
        assert driver.find_element(By.CSS_SELECTOR, "h1").text == "Ressourceforløb"
        assert [li.text for li in driver.find_elements(By.CSS_SELECTOR, "li")] == [
            "fremmøde", "telefon", "digital"]

        field = driver.find_element(By.CSS_SELECTOR, "#navn")
        field.send_keys("Anna Ærø")
        assert driver.find_element(By.CSS_SELECTOR, "#hilsen").text == "Hej, Anna Ærø"
        assert driver.execute_script("return arguments[0].value", field) == "Anna Ærø"
        assert driver.execute_script("return arguments[0] + arguments[1]", 2, 3) == 5

        assert wait_for(driver, "#senere", timeout=10).text == "indlæst"
        assert "senere" in driver.page_source

        with pytest.raises(NoSuchElementException):
            driver.find_element(By.CSS_SELECTOR, "#findes-ikke")
        with pytest.raises(TimeoutException):
            wait_for(driver, "#findes-ikke", timeout=0.2)

        shot = screenshot(driver, ARTIFACTS / "browser-harness.png")
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 1000
        assert not list(ARTIFACTS.glob(".browser-harness.png.*"))  # no temp file left


@pytest.mark.browser
@needs_browser
def test_browser_is_offline(site: Path) -> None:
    # The offline tests of the site rely on this: another host cannot be reached,
    # and the attempt shows in the page's resource entries.
    with serve_directory(site) as server, chrome() as driver:
        driver.get(server.url + "fjern.html")
        loaded = driver.execute_script(
            "const i = document.getElementById('billede'); return i.complete && i.naturalWidth;")
        assert not loaded
        urls = resource_urls(driver)
        assert any(u.startswith("https://fonts.googleapis.com/") for u in urls), urls
        failed = driver.execute_async_script(
            "const done = arguments[0];"
            "fetch('https://example.com/').then(() => done('nået'), e => done(String(e)));")
        assert failed.startswith("TypeError"), failed
        assert server.requests[0] == "/fjern.html"
