"""A small W3C WebDriver client for headless Chromium, and a static file server.

Standard library only (urllib + json): the browser tests need no Selenium or
Playwright download. It drives Debian's ``/usr/bin/chromium`` through
``/usr/bin/chromedriver`` (packages ``chromium`` and ``chromium-driver``;
``make test`` installs them).

    with serve_directory("build/site") as base, Browser() as browser:
        browser.navigate(base + "index.html")
        heading = browser.wait_for("h1")
        print(browser.text(heading))
        browser.screenshot("build/test-artifacts/index.png")

Everything stays on 127.0.0.1; Chromium is started with its background
networking switched off, so it makes no connections of its own.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

__all__ = [
    "CHROMEDRIVER",
    "CHROMIUM",
    "Browser",
    "Element",
    "WebDriverError",
    "free_port",
    "missing_binaries",
    "serve_directory",
]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# The W3C key under which an element reference travels.
_ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)

# Talk to chromedriver directly, whatever http_proxy says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class WebDriverError(RuntimeError):
    """An error answered by chromedriver (``error`` is the W3C error code)."""

    def __init__(self, error: str, message: str) -> None:
        super().__init__(f"{error}: {message}")
        self.error = error
        self.message = message


class Element(str):
    """A WebDriver element id. A ``str``, so it can be printed and compared."""

    __slots__ = ()


def missing_binaries(chromium: str = CHROMIUM, chromedriver: str = CHROMEDRIVER) -> list[str]:
    """The paths among Chromium and ChromeDriver that are not executable files."""
    return [
        p for p in (chromium, chromedriver) if not (os.path.isfile(p) and os.access(p, os.X_OK))
    ]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _to_wire(value: Any) -> Any:
    if isinstance(value, Element):
        return {_ELEMENT_KEY: str(value)}
    if isinstance(value, (list, tuple)):
        return [_to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_wire(v) for k, v in value.items()}
    return value


def _from_wire(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_ELEMENT_KEY}:
            return Element(value[_ELEMENT_KEY])
        return {k: _from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_wire(v) for v in value]
    return value


def _error_from(exc: urllib.error.HTTPError) -> WebDriverError:
    payload = exc.read()
    try:
        value = json.loads(payload)["value"]
        return WebDriverError(str(value["error"]), str(value.get("message", "")))
    except (ValueError, KeyError, TypeError):
        return WebDriverError(f"HTTP {exc.code}", payload.decode("utf-8", "replace"))


class Browser:
    """Headless Chromium driven through chromedriver. Use it as a context manager."""

    def __init__(
        self,
        *,
        chromium: str = CHROMIUM,
        chromedriver: str = CHROMEDRIVER,
        window_size: tuple[int, int] = (1280, 900),
        start_timeout: float = 30.0,
        request_timeout: float = 60.0,
    ) -> None:
        missing = missing_binaries(chromium, chromedriver)
        if missing:
            raise FileNotFoundError(
                f"not installed: {', '.join(missing)} "
                "(Debian packages chromium and chromium-driver; `make test` installs them)"
            )
        self._request_timeout = request_timeout
        self._session: str | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="regelkode-browser-"))
        self._log_path = self._tmp / "chromedriver.log"
        self._log = open(self._log_path, "wb")  # noqa: SIM115 - closed in quit()
        port = free_port()
        self._base = f"http://127.0.0.1:{port}"
        self._driver = subprocess.Popen(
            [chromedriver, f"--port={port}"],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready(start_timeout)
            user_data = self._tmp / "profile"
            user_data.mkdir()
            width, height = window_size
            capabilities = {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": [
                        *CHROMIUM_ARGS,
                        f"--user-data-dir={user_data}",
                        f"--window-size={width},{height}",
                    ],
                },
            }
            value = self._call(
                "POST", "/session", {"capabilities": {"alwaysMatch": capabilities}}, session=False
            )
            self._session = value["sessionId"]
        except BaseException:
            self.quit()
            raise

    # ------------------------------------------------------------ plumbing

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._driver.poll() is not None:
                raise RuntimeError(
                    f"chromedriver exited with code {self._driver.returncode}:\n{self.driver_log()}"
                )
            try:
                if self._call("GET", "/status", session=False, timeout=2).get("ready"):
                    return
            except (OSError, WebDriverError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"chromedriver did not get ready in {timeout:g} s:\n{self.driver_log()}"
                )
            time.sleep(0.05)

    def driver_log(self, limit: int = 4000) -> str:
        """The end of chromedriver's output, for error messages."""
        try:
            return self._log_path.read_text(encoding="utf-8", errors="replace")[-limit:]
        except OSError:
            return ""

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        session: bool = True,
        timeout: float | None = None,
    ) -> Any:
        if session:
            if self._session is None:
                raise RuntimeError("the browser session is closed")
            path = f"/session/{self._session}{path}"
        data = json.dumps(body).encode("utf-8") if body is not None else None
        if data is None and method == "POST":
            data = b"{}"
        request = urllib.request.Request(
            self._base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with _OPENER.open(request, timeout=timeout or self._request_timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            raise _error_from(exc) from None
        return _from_wire(json.loads(payload)["value"]) if payload else None

    # ------------------------------------------------------------ commands

    def navigate(self, url: str) -> None:
        """Open ``url`` and wait until it has loaded."""
        self._call("POST", "/url", {"url": url})

    @property
    def url(self) -> str:
        return self._call("GET", "/url")

    @property
    def title(self) -> str:
        return self._call("GET", "/title")

    def find(self, css: str) -> Element:
        """The first element matching the CSS selector; ``WebDriverError`` if none."""
        return self._call("POST", "/element", {"using": "css selector", "value": css})

    def find_all(self, css: str) -> list[Element]:
        """Every element matching the CSS selector (maybe none)."""
        return self._call("POST", "/elements", {"using": "css selector", "value": css})

    def text(self, element: Element) -> str:
        """The rendered text of an element, as a person sees it."""
        return self._call("GET", f"/element/{element}/text")

    def attribute(self, element: Element, name: str) -> str | None:
        return self._call("GET", f"/element/{element}/attribute/{name}")

    def click(self, element: Element) -> None:
        self._call("POST", f"/element/{element}/click")

    def type(self, element: Element, text: str) -> None:
        """Type ``text`` into an element (an input, a textarea), key by key."""
        self._call("POST", f"/element/{element}/value", {"text": text})

    def clear(self, element: Element) -> None:
        self._call("POST", f"/element/{element}/clear")

    def page_source(self) -> str:
        return self._call("GET", "/source")

    def execute(self, js: str, *args: Any) -> Any:
        """Run ``js`` as a function body (``arguments[0]`` …) and return its result."""
        return self._call("POST", "/execute/sync", {"script": js, "args": _to_wire(list(args))})

    def wait_for(self, css: str, timeout: float = 10.0) -> Element:
        """Poll until an element matches ``css``; ``TimeoutError`` if none does in time."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.find_all(css)
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no element matches {css!r} after {timeout:g} s")
            time.sleep(0.05)

    def screenshot(self, path: str | os.PathLike[str]) -> Path:
        """Save a PNG of the viewport to ``path`` (written atomically) and return the path."""
        png = base64.b64decode(self._call("GET", "/screenshot"))
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
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

    def quit(self) -> None:
        """End the session, stop chromedriver and remove the profile. Safe to call twice."""
        if self._session is not None:
            with contextlib.suppress(OSError, WebDriverError):
                self._call("DELETE", "", timeout=15)
            self._session = None
        driver = getattr(self, "_driver", None)
        if driver is not None and driver.poll() is None:
            driver.terminate()
            try:
                driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                driver.kill()
                driver.wait()
        log = getattr(self, "_log", None)
        if log is not None and not log.closed:
            log.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.quit()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: str | os.PathLike[str]) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 in a thread; yields the base URL (ends in ``/``)."""
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(str(root))
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="regelkode-serve", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
