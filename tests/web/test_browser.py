"""``meshdeck serve-web`` driven end to end in a real headless Chromium.

Why Playwright for Python and not the Chrome DevTools protocol by hand: Playwright speaks that
protocol for us (launch, keyboard, websocket frames, screenshots, request routing) with waits and
errors already solved, and its wheel carries its own driver, so nothing is downloaded at test time:
it drives Debian's Chromium through ``executable_path`` (``playwright install`` is never run).
Raw CDP would mean a websocket client plus hand-written event plumbing, for the same result.

The console is drawn on a canvas by xterm.js, so the tests read the screen from what the browser
receives (see ``BrowserTerminal`` in conftest.py) and look at the picture in screenshots/web.png.
Every request other than to the server under test is refused, so no test reaches the internet.
"""

from __future__ import annotations

import re
from pathlib import Path

from console.models import ProcessStatus
from console.tui.widgets.step_tree import STATUS_GLYPHS
from tests.web.conftest import API_TOKEN

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "screenshots" / "web.png"
STATUSES = tuple(s.value for s in ProcessStatus)
#: A line of the step tree: status glyph, step ref, ..., the step's status (see step_label).
GLYPHS = re.escape("".join(set(STATUS_GLYPHS.values())))
STEP_LINE = re.compile(rf"[{GLYPHS}] \S+.*  [A-Z_]{{4,}}(  |$)", re.M)


def table_shown(text: str) -> bool:
    """The executions table: its header and at least one execution row."""
    return "process id" in text and re.search(rf"^\s+({'|'.join(STATUSES)})\s", text, re.M) is not None


def test_on_call_flow_in_a_browser(served, open_page):
    """Open the URL with its token, filter FAILED (3), open a row (Enter), see the step tree."""
    page, term = open_page()
    response = page.goto(served.url)
    assert response is not None and response.status == 200
    term.wait_for(table_shown, "the executions table")
    term.wait_for(lambda text: "web, read-only" in text, "the banner of a served session")
    assert len(served.sessions()) == 1

    term.press("3")
    term.wait_for(lambda text: "status=FAILED" in text, "the FAILED facet to apply")
    term.wait_for(lambda _: term.rows(STATUSES) and
                  {row.split()[0] for row in term.rows(STATUSES)} == {"FAILED"},
                  "only FAILED rows")
    first = term.rows(STATUSES)[0]
    process_id = next(word for word in first.split() if word.isdigit() and len(word) > 4)

    term.press("Enter")
    term.wait_for(lambda text: f"process {process_id}" in text, f"the detail of {process_id}")
    term.wait_for(lambda text: "Steps" in text and STEP_LINE.search(text) is not None,
                  "the step tree")
    term.wait_for(lambda text: "web, read-only" in text and "Open step" in text,
                  "the banner and the footer keys of the detail screen")
    page.wait_for_timeout(300)  # the last frame painted on the canvas
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # What the browser got: the page and the terminal output, never the API token.
    assert API_TOKEN not in page.content() and API_TOKEN.encode() not in term.received
    assert len(term.received) > 10_000


def test_no_token_no_session_and_read_only_refuses_t(served, open_page):
    """401 without the token or with a wrong one, no session started; with it, 't' is refused."""
    page, term = open_page()
    for url in (f"{served.base}/", f"{served.base}/?token=wrong-{served.token[:8]}"):
        response = page.goto(url)
        assert response is not None and response.status == 401, url
        assert "access token" in page.content()
    # The page of the refused origin tries the websocket that would start a session.
    closed = page.evaluate("""() => new Promise(done => {
        const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws?width=80&height=24');
        ws.onopen = () => done('open');
        ws.onerror = ws.onclose = () => done('refused');
    })""")
    assert closed == "refused"
    page.wait_for_timeout(500)
    assert served.sessions() == [] and term.sockets == 1  # the refused socket, and no session
    assert "refused GET /ws" in served.log()
    assert "session opened" not in served.log()

    page.goto(served.url)  # the same browser, now with the token: the control
    term.wait_for(table_shown, "the executions table")
    assert len(served.sessions()) == 1
    term.press("t")
    term.wait_for(lambda text: "read-only mode: cannot terminate" in text,
                  "the read-only refusal of 't'")
    assert "READ-ONLY" in term.text
