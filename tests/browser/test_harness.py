"""The browser harness itself: static server + headless Chromium via chromedriver.

Skipped only when Chromium or ChromeDriver is not installed (``make test``
installs Debian's chromium and chromium-driver, so in CI these tests run).
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from regelkode.browser import Browser, Element, WebDriverError, missing_binaries, serve_directory

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

_missing = missing_binaries()
needs_browser = pytest.mark.skipif(
    bool(_missing),
    reason=f"not installed: {', '.join(_missing)} "
    "(apt-get install chromium chromium-driver; `make test` does this)",
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


def test_serve_directory(site: Path) -> None:
    with serve_directory(site) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(base + "index.html", timeout=10) as response:
            assert response.status == 200
            assert "Ressourceforløb" in response.read().decode("utf-8")


@pytest.mark.browser
@needs_browser
def test_browser_types_reads_and_takes_a_screenshot(site: Path) -> None:
    with serve_directory(site) as base, Browser() as browser:
        browser.navigate(base + "index.html")
        assert browser.title == "Regelkode-prøve"
        assert browser.text(browser.find("h1")) == "Ressourceforløb"
        assert [browser.text(li) for li in browser.find_all("li")] == [
            "fremmøde",
            "telefon",
            "digital",
        ]

        field = browser.find("#navn")
        assert isinstance(field, Element)
        browser.type(field, "Anna Ærø")
        assert browser.text(browser.find("#hilsen")) == "Hej, Anna Ærø"
        assert browser.execute("return arguments[0].value", field) == "Anna Ærø"
        assert browser.execute("return arguments[0] + arguments[1]", 2, 3) == 5

        later = browser.wait_for("#senere", timeout=10)
        assert browser.text(later) == "indlæst"
        assert "senere" in browser.page_source()

        with pytest.raises(WebDriverError) as err:
            browser.find("#findes-ikke")
        assert err.value.error == "no such element"
        with pytest.raises(TimeoutError):
            browser.wait_for("#findes-ikke", timeout=0.2)

        shot = browser.screenshot(ARTIFACTS / "browser-harness.png")
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 1000
        assert not list(ARTIFACTS.glob(".browser-harness.png.*"))  # no temp file left


@needs_browser
def test_quit_is_idempotent_and_closes_the_session() -> None:
    browser = Browser()
    browser.quit()
    browser.quit()
    with pytest.raises(RuntimeError):
        browser.navigate("about:blank")
