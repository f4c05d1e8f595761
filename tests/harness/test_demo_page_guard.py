"""The demo's page endpoints answer only the demo's own page: its Host (`127.0.0.1:PORT` or
`localhost:PORT`, so a rebound DNS name cannot reach them), its Origin when a browser sends
one, and JSON bodies (a cross-site form cannot post JSON without a preflight), so another web
page open while the demo runs cannot drive it (CSRF, DNS rebinding)."""

from __future__ import annotations

import http.client
import json

import pytest

from slackstandin.page import Page
from slackstandin.workspace import LiveSlack, Workspace


@pytest.fixture
def page():
    fake = LiveSlack().start()
    fake.page = Page(Workspace(fake))
    yield fake
    fake.stop()


def request(fake, verb: str, path: str, *, headers: dict | None = None, body: bytes | None = None):
    port = int(fake.base_url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(verb, path, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": f"127.0.0.1:{port}"} | (headers or {})
        if body is not None:
            sent["Content-Length"] = str(len(body))
        for name, value in sent.items():
            if value is not None:
                connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def port_of(fake) -> int:
    return int(fake.base_url.rsplit(":", 1)[1])


ASK = json.dumps({"user": "URITA", "op": "nothing"}).encode()
JSON = {"Content-Type": "application/json"}


def test_its_own_page_is_answered_by_ip_and_by_localhost(page):
    port = port_of(page)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        origin = f"http://{host}"
        assert request(page, "GET", "/", headers={"Host": host})[0] == 200
        assert request(page, "GET", "/ui/state?user=URITA", headers={"Host": host})[0] == 200
        status, body = request(page, "POST", "/ui/do", headers={"Host": host, "Origin": origin, **JSON}, body=ASK)
        assert status == 200 and b"unknown op" in body


def test_another_host_name_is_refused_on_every_page_endpoint(page):
    port = port_of(page)
    for host in (f"evil.example:{port}", "127.0.0.1", f"localhost:{port + 1}", None):
        for path in ("/", "/static/app.js", "/ui/state?user=URITA", "/ui/file?user=URITA&id=F1"):
            assert request(page, "GET", path, headers={"Host": host})[0] == 403, (host, path)
        assert request(page, "POST", "/ui/do", headers={"Host": host, **JSON}, body=ASK)[0] == 403


def test_a_post_from_another_origin_or_without_json_is_refused(page):
    port = port_of(page)
    for origin in ("http://evil.example", f"http://evil.example:{port}", "null", f"https://127.0.0.1:{port}"):
        status, _ = request(page, "POST", "/ui/do", headers={"Origin": origin, **JSON}, body=ASK)
        assert status == 403, origin
        assert request(page, "GET", "/ui/state?user=URITA", headers={"Origin": origin})[0] == 403
    for kind in (None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        status, _ = request(page, "POST", "/ui/do", headers={"Content-Type": kind}, body=ASK)
        assert status == 415, kind
