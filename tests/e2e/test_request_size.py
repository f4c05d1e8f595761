"""Request bodies are capped before anything reads them: an unauthenticated client can't make
the bot hold a large body in memory. Slack's payloads are a few kilobytes; 1 MiB is ample.

Over a real socket, against both servers the app creates (HTTP mode and Socket Mode's probes).
"""

from __future__ import annotations

import socket
import threading

import pytest

from app import MAX_REQUEST_BODY
from tests.support.slackreq import slash_command_body

CANDIDATE = "UCAND0041"


def _exchange(port: int, head: bytes, body_chunks=(), *, read_timeout: float = 10) -> bytes:
    """Send `head` and then as much of `body_chunks` as the server takes; the first response."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as conn:
        conn.sendall(head)
        try:
            for chunk in body_chunks:
                conn.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed early: what we want
        response = b""
        try:
            while b"\r\n\r\n" not in response:
                part = conn.recv(65536)
                if not part:
                    break
                response += part
        except ConnectionResetError:
            pass
        return response


def _status(response: bytes) -> int:
    assert response.startswith(b"HTTP/1."), response[:200]
    return int(response.split(b" ", 2)[1])


def _post_head(length: int | None, *, chunked: bool = False) -> bytes:
    lines = [b"POST /slack/events HTTP/1.1", b"Host: 127.0.0.1", b"Content-Type: application/x-www-form-urlencoded"]
    lines.append(b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % length)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _port(app) -> int:
    return int(app.base_url.rsplit(":", 1)[1])


@pytest.fixture
def probe_port(running_app):
    server = running_app.serve_probes(host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    return server.effective_port


def test_a_declared_huge_body_is_refused_with_413_before_it_is_sent(running_app):
    # 512 MiB announced (under waitress's own 1 GiB default), nothing sent: the answer comes from the headers alone.
    response = _exchange(_port(running_app), _post_head(512 * 1024**2))
    assert _status(response) == 413


def test_a_body_just_over_the_cap_is_refused_with_413(running_app):
    size = MAX_REQUEST_BODY + 1
    response = _exchange(_port(running_app), _post_head(size), [b"a" * size])
    assert _status(response) == 413


def test_a_chunked_body_over_the_cap_is_refused_with_413(running_app):
    chunk = b"a" * 65536
    framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    count = MAX_REQUEST_BODY // len(chunk) + 2
    response = _exchange(_port(running_app), _post_head(None, chunked=True), [framed] * count + [b"0\r\n\r\n"])
    assert _status(response) == 413


def test_the_probe_server_caps_bodies_too(probe_port):
    response = _exchange(probe_port, _post_head(512 * 1024**2))
    assert _status(response) == 413


def test_the_wsgi_app_refuses_a_large_declared_length_itself(running_app):
    # Defence in depth: behind another server (or a proxy that buffers), the app answers 413
    # from Content-Length before Bolt reads a byte of the body.
    seen = []

    def start_response(status, headers):
        seen.append(status)

    class Unreadable:
        def read(self, *args):
            raise AssertionError("the body must not be read")

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "CONTENT_LENGTH": str(MAX_REQUEST_BODY + 1),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "wsgi.input": Unreadable(),
    }
    running_app.wsgi(environ, start_response)
    assert seen and seen[0].startswith("413")


def test_ordinary_slack_requests_still_work(running_app):
    assert running_app.slack.command("join", user_id=CANDIDATE).status == 200
    body = slash_command_body(text="help", user_id=CANDIDATE, response_url="http://127.0.0.1:1/x")
    assert len(body) < MAX_REQUEST_BODY
