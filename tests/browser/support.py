"""Headless Chromium for the browser tests, through selenium, and a static file server.

Selenium drives Debian's ``/usr/bin/chromium`` through Debian's
``/usr/bin/chromedriver`` (packages ``chromium`` and ``chromium-driver``;
``make test`` installs them). Both paths are given to selenium, so Selenium
Manager — which would download a browser and a driver — is never run.

    with serve_directory("build/site") as server, chrome() as driver:
        driver.get(server.url + "index.html")
        print(driver.find_element(By.CSS_SELECTOR, "h1").text)

Chromium is started offline: background networking off, and every host name
except 127.0.0.1 resolves to nothing, so a page that needs another host
fails visibly instead of quietly loading it. The server logs every request,
so a test can show what the page asked for.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Every name resolves to nothing except the test server's own address.
OFFLINE_RESOLVER = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    OFFLINE_RESOLVER,
)


def missing_binaries(chromium: str = CHROMIUM, chromedriver: str = CHROMEDRIVER) -> list[str]:
    """The paths among Chromium and ChromeDriver that are not executable files."""
    return [p for p in (chromium, chromedriver)
            if not (os.path.isfile(p) and os.access(p, os.X_OK))]


def skip_reason() -> str:
    return (f"not installed: {', '.join(missing_binaries())} "
            "(apt-get install chromium chromium-driver; `make test` does this)")


def options(window_size: tuple[int, int] = (1280, 900), profile: Path | None = None) -> Options:
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS:
        opts.add_argument(arg)
    width, height = window_size
    opts.add_argument(f"--window-size={width},{height}")
    if profile is not None:
        opts.add_argument(f"--user-data-dir={profile}")
    return opts


@contextlib.contextmanager
def chrome(window_size: tuple[int, int] = (1280, 900)) -> Iterator[webdriver.Chrome]:
    """A headless, offline Chromium session; quits and removes its profile afterwards."""
    missing = missing_binaries()
    if missing:
        raise FileNotFoundError(skip_reason())
    with tempfile.TemporaryDirectory(prefix="regelkode-browser-") as tmp:
        service = Service(executable_path=CHROMEDRIVER,
                          log_output=str(Path(tmp) / "chromedriver.log"))
        driver = webdriver.Chrome(service=service,
                                  options=options(window_size, Path(tmp) / "profile"))
        try:
            yield driver
        finally:
            driver.quit()


def wait_for(driver, css: str, timeout: float = 10.0):
    """The first element matching `css`, polling until it appears (TimeoutException if not)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: (d.find_elements(By.CSS_SELECTOR, css) or [None])[0])


def screenshot(driver, path: str | os.PathLike[str]) -> Path:
    """A PNG of the viewport at `path`, written atomically."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    png = driver.get_screenshot_as_png()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(png)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def resource_urls(driver) -> list[str]:
    """Every URL the current page loaded or tried to load (the page, scripts, styles, fonts…)."""
    return driver.execute_script(
        "return [location.href].concat(performance.getEntriesByType('resource')"
        ".map(e => e.name));")


def settle(seconds: float = 0.8) -> None:
    # Material fades the header title in when a page opens scrolled.
    time.sleep(seconds)


@dataclass
class Server:
    url: str                                          # ends in '/'
    requests: list[str] = field(default_factory=list)  # paths asked for, in order


class _LoggingHandler(http.server.SimpleHTTPRequestHandler):
    log: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.log.append(self.path)
        super().do_GET()


@contextlib.contextmanager
def serve_directory(directory: str | os.PathLike[str]) -> Iterator[Server]:
    """Serve `directory` on 127.0.0.1 in a thread; yields the URL and the request log."""
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(str(root))
    server = Server("")
    handler_class = type("Handler", (_LoggingHandler,), {"log": server.requests})
    handler = functools.partial(handler_class, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, name="regelkode-serve", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
