"""The access token of ``meshdeck serve-web`` over plain HTTP (no browser needed).

Every route needs the token: in the URL, or in the cookie that a page load with it sets. The
websocket that starts a session is refused (401) without it, and (403) from another site's page.
"""

from __future__ import annotations

import httpx

from tests.web.conftest import API_TOKEN


def test_every_route_needs_the_token(served):
    with httpx.Client(base_url=served.base, timeout=10) as http:
        for path in ("/", "/?token=", "/?token=nope", "/static/js/textual.js", "/ws",
                     "/ws?width=80&height=24", "/download/x"):
            answer = http.get(path)
            assert answer.status_code == 401, path
            assert "access token" in answer.text and served.token not in answer.text
            assert "set-cookie" not in answer.headers
        wrong = http.get("/", headers={"Cookie": f"meshdeck-web-{served.port}=nope"})
        assert wrong.status_code == 401
    assert served.sessions() == []


def test_the_token_url_sets_a_strict_httponly_cookie_that_then_suffices(served):
    with httpx.Client(base_url=served.base, timeout=10) as http:
        page = http.get(f"/?token={served.token}")
        assert page.status_code == 200 and "<html" in page.text
        cookie = page.headers["set-cookie"]
        assert cookie.startswith(f"meshdeck-web-{served.port}={served.token};")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["cache-control"] == "no-store"
        # The page names the websocket on the host the browser used, and holds no secret.
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page.text
        assert API_TOKEN not in page.text and "console tui" not in page.text
        assert http.get("/static/js/textual.js").status_code == 200  # by cookie now
        assert "set-cookie" not in http.get("/").headers


def test_a_session_from_another_sites_page_is_refused(served):
    headers = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "http://evil.example"}
    with httpx.Client(base_url=served.base, timeout=10) as http:
        answer = http.get(f"/ws?width=80&height=24&token={served.token}", headers=headers)
    assert answer.status_code == 403
    assert served.sessions() == []
    assert "page of another origin" in served.log()


def test_a_bad_host_header_is_not_written_into_the_page(served):
    with httpx.Client(base_url=served.base, timeout=10) as http:
        answer = http.get(f"/?token={served.token}", headers={"Host": 'x"><script>1</script>'})
    assert answer.status_code == 400 and "<script>" not in answer.text
