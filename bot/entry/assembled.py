"""What `app.build` made, with the means to serve and to stop it (the command line drives it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from sqlalchemy.engine import Engine

from bot.entry.threads import HTTP_THREADS, PROBE_THREADS
from bot.entry.web import WebServer, make_wsgi
from bot.metrics import Metrics, NullMetrics
from bot.sending.home import HomeTab
from bot.sending.outbox import Outbox
from bot.settings import Settings
from bot.usecases.context import AppContext
from bot.usecases.daily import DailyJobs
from handlers.services import Services
from storage.db import SingleProcessLock


@dataclass
class Assembled:
    """Everything `build` made, with the means to serve and to stop it."""

    settings: Settings
    engine: Engine
    bolt: App
    ctx: AppContext
    services: Services
    daily: DailyJobs
    scheduler: BackgroundScheduler
    wsgi: Callable
    process_lock: SingleProcessLock | None = None
    stop_sender: Callable[[], None] | None = None  # stops the sender process, before the lock goes
    sender_state: Callable[[], str] | None = None  # the sender process's state, for /healthz
    _servers: list[WebServer] = field(default_factory=list)

    @property
    def outbox(self) -> Outbox:
        return self.services.outbox

    @property
    def home(self) -> HomeTab:
        return self.services.home

    @property
    def metrics(self) -> Metrics | NullMetrics:
        return self.ctx.metrics

    def changed_elsewhere(self, user_id: str, *, first: bool = False) -> None:
        """The serving process committed a change to this person (or they opened their tab): the
        language kept here may be the one they just left, so it is read again before their tab is
        rebuilt or their next message is built here."""
        self.services.people.known.forget(user_id)
        self.home.refresh_soon(user_id, first=first)

    def start_scheduler(self) -> None:
        self.scheduler.start()

    def serve_http(self, host: str = "0.0.0.0", port: int | None = None, threads: int = HTTP_THREADS) -> WebServer:
        """A waitress server (threaded: concurrent requests) for HTTP mode; `.run()` serves."""
        return self._serve(self.wsgi, host, port, threads)

    def serve_probes(self, host: str = "0.0.0.0", port: int | None = None) -> WebServer:
        """Socket Mode's HTTP server: only GET /healthz and /metrics (events come over the socket)."""
        wsgi = make_wsgi(
            self.bolt,
            self.engine,
            self.outbox,
            self.metrics,
            slack_events=False,
            metrics_token=self.settings.metrics_token,
            sender=self.sender_state,
        )
        return self._serve(wsgi, host, port, PROBE_THREADS)

    def _serve(self, wsgi: Callable, host: str, port: int | None, threads: int) -> WebServer:
        server = WebServer(wsgi, host=host, port=self.settings.port if port is None else port, threads=threads)
        self._servers.append(server)  # stopped first at shutdown
        return server

    def serve_forever(self, server: WebServer) -> None:
        """Serve here until the server is stopped or this thread is interrupted (Ctrl-C, SIGTERM)."""
        server.run()

    def shutdown(self) -> None:
        for server in self._servers:
            server.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.stop_sender is not None:
            self.stop_sender()
        services = self.services
        services.home.shutdown()
        services.replies.shutdown(wait=True)
        services.outbox.executor.shutdown(wait=True)
        services.background.shutdown(wait=True)
        if services.inflight.background is not None:
            services.inflight.background.shutdown(wait=True)
        self.engine.dispose()
        if self.process_lock is not None:
            self.process_lock.release()
