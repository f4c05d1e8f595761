"""Nudge's HTTP surface and the waitress servers that carry it.

`make_wsgi` routes `POST /slack/events` to Bolt, and answers `GET /healthz` and `GET /metrics`
itself; `WebServer` starts a waitress server for it, serves in the foreground or in a thread, and
stops it cleanly from any thread.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import threading
import time
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

from bot.metrics import Metrics, request_kind
from storage.db import DatabaseProbe

# Slack's payloads are a few kilobytes; bodies are capped far below waitress's 1 GiB default, so
# nobody can make the bot hold a large body in memory before the signature is even checked.
MAX_REQUEST_BODY = 1024 * 1024


class RequestsInFlight:
    """How many Slack requests are being answered right now, so background work that has all day
    (the daily job) can give way to them: Python threads have no priorities, and a job thread
    holding the interpreter delays every ack running beside it."""

    def __init__(self, *, most: float = 1.0, step: float = 0.002) -> None:
        self._count = 0
        self._lock = threading.Lock()
        self.most = most  # the longest one slice waits: a steady stream of requests must not starve the job
        self.step = step

    @contextlib.contextmanager
    def answering(self):
        with self._lock:
            self._count += 1
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1

    def busy(self) -> bool:
        return self._count > 0

    def give_way(self) -> None:
        """Return once no request is being answered, or after `most` seconds."""
        deadline = time.monotonic() + self.most
        while self.busy() and time.monotonic() < deadline:
            time.sleep(self.step)


def make_wsgi(
    bolt,
    engine,
    outbox=None,
    metrics=None,
    *,
    slack_events: bool = True,
    metrics_token: str | None = None,
    sender: Callable[[], str] | None = None,
):
    """Bolt's `POST /slack/events` plus `GET /healthz` (200 while the process is up; the body
    says whether the database answers and whether sending is running) and `GET /metrics`
    (Prometheus text format, only with `Authorization: Bearer <metrics_token>` when a token is
    set: the port is public in HTTP mode; probes need no secret, so `/healthz` stays open). With
    `slack_events=False` (Socket Mode: requests come over the socket, unsigned) only the two GET
    paths are served. With a sender process (`sender` tells its state), the body says so too:
    `running`, `restarting` or `stopped`."""

    slack = SlackRequestHandler(bolt, path="/slack/events")
    database = DatabaseProbe(engine)  # cached for a moment, outages logged once per interval

    def not_found(_environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"not found"]

    def unauthorized(_environ, start_response):
        start_response(
            "401 Unauthorized",
            [("Content-Type", "text/plain"), ("Content-Length", "12"), ("WWW-Authenticate", "Bearer")],
        )
        return [b"unauthorized"]

    def too_large(_environ, start_response):
        start_response("413 Payload Too Large", [("Content-Type", "text/plain"), ("Content-Length", "17")])
        return [b"payload too large"]

    def wsgi(environ, start_response):
        if _declared_length(environ) > MAX_REQUEST_BODY:  # answered before anything reads the body
            return too_large(environ, start_response)
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            state = {"status": "ok", "database": "up" if database.is_up() else "down"}
            if outbox is not None:
                switch = outbox.switch
                stopped = switch.halted() if state["database"] == "up" else switch.last_known_stop
                state["sending"] = f"stopped: {stopped}" if stopped else "on"
            if sender is not None:
                state["sender"] = sender()
            body = json.dumps(state).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if (
            metrics is not None
            and environ.get("PATH_INFO") == "/metrics"
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        ):
            from bot.metrics import CONTENT_TYPE

            if not bearer_matches(environ, metrics_token):
                return unauthorized(environ, start_response)
            body = metrics.render()
            start_response("200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
            return [body]
        if not slack_events:
            return not_found(environ, start_response)
        return slack(environ, start_response)

    return wsgi


def bearer_matches(environ, token: str | None) -> bool:
    """True without a token, else only for `Authorization: Bearer <token>`, compared in
    constant time so the answer's timing tells nothing about the token."""
    if token is None:
        return True
    given = environ.get("HTTP_AUTHORIZATION") or ""
    scheme, _, credentials = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(credentials.encode(), token.encode())


def _declared_length(environ) -> int:
    """The request's Content-Length (0 when absent; malformed counts as too large)."""
    text = environ.get("CONTENT_LENGTH") or "0"
    return int(text) if text.isdigit() else MAX_REQUEST_BODY + 1


class WebServer:
    """A threaded waitress server (concurrent requests) with the body cap, listening from the start.

    `run()` serves in the calling thread until the server is stopped or the thread is interrupted
    (Ctrl-C, SIGTERM); `start_thread()` serves in a daemon thread; `stop()` closes every socket
    and ends the worker threads, from any thread, whether the loop runs, has ended or never ran.
    """

    def __init__(self, wsgi, *, host: str, port: int, threads: int) -> None:
        # The socket map is ours (create_server accepts one), so stopping can close every socket in it.
        self._sockets: dict = {}
        self._server = create_server(
            wsgi, map=self._sockets, host=host, port=port, threads=threads, max_request_body_size=MAX_REQUEST_BODY
        )
        self._lock = threading.Lock()
        self._loop_running = False
        self._loop_ended = threading.Event()

    @property
    def effective_port(self) -> int:
        """The port it listens on (the one the system chose, when asked for port 0)."""
        return self._server.effective_port

    def run(self) -> None:
        with self._lock:
            self._loop_running = True
        try:
            self._server.run()
        finally:
            with self._lock:
                self._loop_running = False
            self._loop_ended.set()

    def start_thread(self, name: str) -> threading.Thread:
        thread = threading.Thread(target=self.run, name=name, daemon=True)
        thread.start()
        return thread

    def stop(self, timeout: float = 5.0) -> None:
        """Close the sockets inside the server's own loop, so that the loop ends cleanly instead
        of selecting on closed descriptors; when no loop runs (it ended on Ctrl-C or SIGTERM, or
        never started), close them here at once: waiting for a loop that does not run only waits
        out the timeout."""
        trigger, workers = _loop_trigger_and_workers(self._server)
        with self._lock:
            loop_running = self._loop_running
        if not loop_running:
            self._close_sockets()
            workers.shutdown(timeout=1)
            return
        with contextlib.suppress(OSError):  # the loop ended meanwhile: its trigger is closed
            trigger.pull_trigger(self._close_sockets)
        if not self._loop_ended.wait(timeout):
            self._close_sockets()  # the loop did not answer: close here
        workers.shutdown()

    def _close_sockets(self) -> None:
        for dispatcher in list(self._sockets.values()):
            dispatcher.close()


def _loop_trigger_and_workers(server):
    """waitress has no public way to stop a server from another thread, so this is the one place
    that reaches into one: the trigger that has the server's loop call a function on its own
    thread, and the pool of worker threads that run the application."""
    return server.trigger, server.task_dispatcher


def time_acks(bolt: App, metrics: Metrics, answering: RequestsInFlight) -> None:
    """Ack latency by request kind: Bolt runs the listener inside `next()` (the app processes
    before it responds), so this times the whole answer Slack waits for; the requests being
    answered are counted meanwhile (the daily job gives way to them)."""

    def timed(req, resp, next):
        started = time.perf_counter()
        try:
            with answering.answering():
                return next()
        finally:
            body = req.body if isinstance(req.body, dict) else {}
            metrics.ack_seconds.labels(kind=request_kind(body)).observe(time.perf_counter() - started)

    bolt.use(timed)
