"""Fixtures for ``meshdeck serve-web``: the server in a subprocess, Chromium, and the screen.

``served`` starts ``meshdeck serve-web --mock --port 0`` with an empty config and no orchestration
credentials in its environment, reads the URL it prints, and stops it (SIGTERM) afterwards,
checking that it exited cleanly and printed no traceback.

``BrowserTerminal`` reads what the browser shows: textual-serve draws the console with xterm.js on
a canvas, so the page holds no text to query. Every byte the browser's websocket receives is fed
to a terminal emulator (pyte) of the size the page asked for, which gives the screen as lines.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.served import meshdeck

#: Flags that let Debian's Chromium run here as root, headless, without reaching any network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """``MESHDECK_CHROMIUM``, else a Chromium or Chrome on PATH (Debian: /usr/bin/chromium)."""
    given = os.environ.get("MESHDECK_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable, or a skip saying how to get one (a failure in CI, which
    installs it: a browser test that silently skips there would prove nothing)."""
    path = find_chromium()
    if path is None:
        why = ("no Chromium found: install it (Debian: apt-get install chromium) or set "
               "MESHDECK_CHROMIUM=/path/to/chromium; .ci/run installs it")
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return path


def session_pids(server_pid: int) -> list[int]:
    """The child processes of the server: one per browser session (Linux /proc)."""
    pids: list[int] = []
    tasks = Path(f"/proc/{server_pid}/task")
    for task in tasks.iterdir() if tasks.exists() else []:
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


@dataclass
class Served:
    """A running ``meshdeck serve-web``."""

    proc: subprocess.Popen
    url: str  # with the token
    stdout: Path
    stderr: Path
    seen_sessions: set[int] = field(default_factory=set)

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    @property
    def port(self) -> int:
        return int(urlparse(self.url).port or 80)

    @property
    def token(self) -> str:
        return parse_qs(urlparse(self.url).query)["token"][0]

    def sessions(self) -> list[int]:
        pids = session_pids(self.proc.pid)
        self.seen_sessions.update(pids)
        return pids

    def log(self) -> str:
        return self.stderr.read_text(errors="replace")


#: An orchestration API token in the server's environment: sessions inherit it, and no byte
#: the browser receives may contain it.
API_TOKEN = "api-secret-6f1c9e0d-never-in-the-browser"


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UNMESHED_", "MESHDECK_", "CONDUCTOR_"))}
    env["MESHDECK_CONFIG"] = str(tmp / "config.toml")
    env["MESHDECK_DATA_DIR"] = str(tmp / "data")  # call history and action journal
    env["UNMESHED_AUTH_TOKEN"] = API_TOKEN
    env.pop("NO_COLOR", None)
    return env


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    """``meshdeck serve-web --mock --port 0`` (read-only, the default) until the test ends."""
    yield from _serve(tmp_path, "--mock")


def _serve(tmp: Path, *args: str, start_timeout: float = 30) -> Iterator[Served]:
    out, errors = tmp / "serve-web.out", tmp / "serve-web.err"
    with out.open("w") as stdout, errors.open("w") as stderr:
        proc = subprocess.Popen([*meshdeck(), "serve-web", "--port", "0", *args], stdout=stdout,
                                stderr=stderr, stdin=subprocess.DEVNULL, env=_env(tmp))
    served = None
    try:
        deadline = time.monotonic() + start_timeout
        while served is None:
            found = re.search(r"http://\S+\?token=\S+", out.read_text())
            if found:
                served = Served(proc, found.group(0), out, errors)
            elif proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve-web did not print its URL (exit {proc.poll()}):\n"
                            f"{out.read_text()}{errors.read_text()}")
            else:
                time.sleep(0.05)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail("serve-web did not stop within 15 s of SIGTERM")
        leftovers = _stop_leftovers(served.seen_sessions if served else set())
        assert code == 0, f"serve-web exited {code}:\n{errors.read_text()}"
        assert "Traceback" not in errors.read_text() + out.read_text()
        assert not leftovers, f"sessions still running after the server stopped: {leftovers}"


def _stop_leftovers(pids: set[int], wait: float = 10) -> list[int]:
    """Wait for the sessions the test saw to end; kill (and return) any still running."""
    deadline = time.monotonic() + wait
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists()
                 and "(Z)" not in _state(pid)]
        time.sleep(0.1)
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return alive


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "(Z)"
    return f"({stat.rsplit(')', 1)[-1].split()[0]})"


@pytest.fixture
def browser(chromium) -> Iterator[object]:
    """Headless Chromium driven by Playwright, in a fresh profile of its own."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                   "(pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def loopback_only(route) -> None:
    """Let the page reach the server under test only (its page links a web font: refused)."""
    host = urlparse(route.request.url).hostname
    if host in ("127.0.0.1", "localhost", "::1"):
        route.continue_()
    else:
        route.abort()


class BrowserTerminal:
    """The console as the browser shows it: every websocket byte fed to a pyte screen."""

    def __init__(self, page) -> None:
        import pyte

        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.sockets = 0
        self.received = bytearray()  # every byte of terminal output, to look for secrets
        page.on("websocket", self._opened)

    def _opened(self, ws) -> None:
        self.sockets += 1
        query = parse_qs(urlparse(ws.url).query)
        self.screen.resize(int(query["height"][0]), int(query["width"][0]))
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload) -> None:
        if isinstance(payload, bytes):  # terminal output; text frames are JSON meta messages
            self.received += payload
            self.stream.feed(payload)

    def _sent(self, payload) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 30) -> None:
        """Wait until ``check(screen text)`` holds, pumping Playwright's events meanwhile."""
        deadline = time.monotonic() + timeout
        while not check(self.text):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; "
                                     f"the browser shows:\n{self.text}")
            self.page.wait_for_timeout(100)

    def press(self, key: str) -> None:
        """A key typed into the page (xterm.js's input element has the focus)."""
        self.page.locator("textarea.xterm-helper-textarea").focus()
        self.page.keyboard.press(key)

    def rows(self, status_words: tuple[str, ...]) -> list[str]:
        """Table rows: screen lines whose first word is one of ``status_words``."""
        return [line for line in self.lines
                if line.split()[:1] and line.split()[0] in status_words]


@pytest.fixture
def open_page(browser) -> Iterator[Callable[[], tuple[object, BrowserTerminal]]]:
    """A factory of (page, terminal) in a new browser context (its own cookies)."""
    contexts = []

    def make(viewport: tuple[int, int] = (1400, 860)):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        context.route("**/*", loopback_only)
        contexts.append(context)
        page = context.new_page()
        return page, BrowserTerminal(page)

    yield make
    for context in contexts:
        context.close()

