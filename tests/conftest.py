"""Shared fixtures: databases (SQLite and PostgreSQL), the fake Slack Web API, and the real app
served over HTTP with requests signed as Slack signs them.

Every test that takes `database_url` (directly or through `running_app`) runs once per database.
PostgreSQL tests are skipped with a reason when no server answers, except under `CI=true`, where
a missing PostgreSQL fails the run instead of silently shrinking it.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import make_url

from bot.entry.web import make_wsgi
from bot.sending.halt import SendingSwitch
from bot.usecases.daily import DailyJobs
from bot.usecases.erasure import finish_pending_erasures
from tests.support.environment import base_env
from tests.support.fakeslack import FakeSlack, fake_slack  # noqa: F401  (fixture)
from tests.support.slackreq import SlackSender, get

POSTGRES_URL = os.environ.get("NUDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"

_postgres_problem: list[str | None] = []


def postgres_problem() -> str | None:
    """None when the test PostgreSQL answers, else why not (checked once per run)."""
    if not _postgres_problem:
        import psycopg

        url = make_url(POSTGRES_URL)
        try:
            with psycopg.connect(
                host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, connect_timeout=3
            ) as connection:
                connection.execute("SELECT 1")
            _postgres_problem.append(None)
        except Exception as error:  # noqa: BLE001 (any failure to connect means "not available")
            _postgres_problem.append(
                f"PostgreSQL at {url.host}:{url.port or 5432} is not reachable ({type(error).__name__})"
            )
    return _postgres_problem[0]


def _admin_connection():
    import psycopg

    url = make_url(POSTGRES_URL)
    return psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, autocommit=True
    )


def require_postgres() -> None:
    problem = postgres_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true needs PostgreSQL: {problem}")
        pytest.skip(f"{problem}; start it to run the PostgreSQL half of the suite")


def _private_schema():
    """A PostgreSQL URL whose connections use a new, private schema (dropped afterwards)."""
    schema = f"nudge_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def _drop_schema(schema: str) -> None:
    import time

    for attempt in range(20):  # a test may have just restarted the server
        try:
            with _admin_connection() as connection:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
            return
        except Exception:
            if attempt == 19:
                raise
            time.sleep(0.5)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database: a SQLite file, or a private PostgreSQL schema per test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nudge.db'}"
        return
    require_postgres()
    schema, url = _private_schema()
    try:
        yield url
    finally:
        _drop_schema(schema)


@pytest.fixture
def postgres_url():
    """A private PostgreSQL schema, for tests that only make sense on PostgreSQL."""
    require_postgres()
    schema, url = _private_schema()
    try:
        yield url
    finally:
        _drop_schema(schema)


@pytest.fixture
def engine(database_url):
    """A migrated engine on the test database."""
    from storage.db import create_db_engine, migrate

    engine = create_db_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    from storage.db import make_session_factory

    return make_session_factory(engine)


@dataclass
class RunningApp:
    """The real app, assembled from settings and served over HTTP on a free port.

    Tests reach the app's insides only through the methods below, so that a change to how the
    app is put together changes this class, not every test that needs to drive a job by hand.
    """

    assembled: object
    base_url: str
    slack: SlackSender
    fake: FakeSlack

    @property
    def sessions(self):
        return self.assembled.ctx.sessions

    @property
    def engine(self):
        """The app's database engine."""
        return self.assembled.engine

    def healthz(self):
        return get(f"{self.base_url}/healthz")

    def shutdown(self) -> None:
        """Stop the app as its process would on exit (the fixture's own stop is then harmless)."""
        self.assembled.shutdown()

    # --- the outbox: sending steps -------------------------------------------------------------

    def send_due(self, **kwargs) -> int:
        """Send what is due now (the tick's work), here and at once: how many were sent."""
        return self.assembled.outbox.send_due(**kwargs)

    def send_one(self, message_id: int, **kwargs):
        """Try to send the one step `message_id` now."""
        return self.assembled.outbox.sender.send_one(message_id, **kwargs)

    @property
    def sending_halted(self) -> str | None:
        """Why this process's sender has stopped all sending, or None."""
        return self.assembled.outbox.switch.halted()

    def sending_halted_seen_afresh(self) -> str | None:
        """Why sending is stopped as another process would see it: a new sender on the same
        database, with nothing in this one's memory."""
        return SendingSwitch(self.assembled.ctx, self.bot_client).halted()

    def check_authorization(self) -> bool:
        """Run the auth check (the hourly job's work): whether sending may go on."""
        return self.assembled.outbox.switch.check_authorization()

    @property
    def retry_base(self):
        """The first back-off after a failed try (later ones grow from it)."""
        return self.assembled.outbox.sender.retry_base

    @retry_base.setter
    def retry_base(self, value) -> None:
        self.assembled.outbox.sender.retry_base = value

    # --- candidates ------------------------------------------------------------------------------

    def now(self):
        """The app's clock."""
        return self.assembled.ctx.clock()

    def consent_status(self, user_id: str):
        """`user_id`'s consent status, as the app answers it."""
        return self.assembled.services.consent.status(user_id)

    def snapshot(self, user_id: str):
        """What the app knows of `user_id` (status, pause, preferences), as it shows them."""
        return self.assembled.services.preferences.snapshot(user_id)

    def hash_of(self, user_id: str) -> str:
        """The keyed hash that stands for `user_id` once they are erased."""
        return self.assembled.ctx.hash_of(user_id)

    def send_in_flight(self, user_id: str) -> bool:
        """Whether a send to `user_id` is under way (its send lock held)."""
        return self.assembled.services.inflight.send_in_flight(user_id)

    def finish_pending_erasures(self) -> int:
        """Finish the erasures that waited for a send (the erasure tick's work): how many."""
        return finish_pending_erasures(self.assembled.ctx)

    def run_background_work_with(self, executor) -> None:
        """Hand the work that waits (such as an erasure behind a send) to `executor` instead."""
        self.assembled.services.inflight.background = executor

    # --- jobs ------------------------------------------------------------------------------------

    def run_daily(self) -> bool:
        """Run the daily jobs (renewal, lapses, retention) unless already run today."""
        return self.assembled.daily.run()

    def daily_jobs(self, **kwargs):
        """Another daily-jobs runner over the same candidates (as another process has), with
        DailyJobs's own options: `batch_size`, `pause`, `share`, `timer`, `rest`."""
        return DailyJobs(self.assembled.ctx, self.assembled.services.inflight, **kwargs)

    def scheduled_job(self, job_id: str):
        """The scheduler's job `job_id` (e.g. "nudge-erasures"), or None."""
        return self.assembled.scheduler.get_job(job_id)

    # --- App Home and replies after the ack ------------------------------------------------------

    @property
    def home_publisher(self):
        """The worker that publishes App Home tabs."""
        return self.assembled.home

    def pending_home_refreshes(self) -> int:
        """How many App Home refreshes are waiting to be published."""
        return self.assembled.home.pending()

    @property
    def click_replies(self):
        """The worker that sends replies to clicks after their ack."""
        return self.assembled.services.replies

    # --- serving ---------------------------------------------------------------------------------

    @property
    def bot_client(self):
        """The Slack Web API client the app posts with."""
        return self.assembled.bolt.client

    def wsgi(self, environ, start_response):
        """Call the app's WSGI entry point directly."""
        return self.assembled.wsgi(environ, start_response)

    def wsgi_over(self, engine):
        """The app's WSGI entry point built over another database engine."""
        return make_wsgi(self.assembled.bolt, engine, self.assembled.outbox)

    def serve_probes(self, **kwargs):
        """A server for /healthz and /metrics only (as Socket Mode runs), not yet started."""
        return self.assembled.serve_probes(**kwargs)


@pytest.fixture(scope="session", autouse=True)
def no_webhook_payload_carries_private_text():
    """Every webhook payload the run's tests queued or delivered is scanned, once all ran, for the
    private notes and never-list entries the webhook tests wrote (marked text, never sent)."""
    yield
    from tests.support.webhooks import SEEN_PAYLOADS, private_text_in_payloads

    assert private_text_in_payloads() == [], f"private text in a webhook payload (of {len(SEEN_PAYLOADS)})"


@pytest.fixture
def make_app(fake_slack, database_url):
    """Start the app with optional setting overrides: `make_app(NUDGE_PRIVACY_URL="")`."""
    from app import build
    from bot.settings import load_settings

    started: list = []

    def start(*, clock=None, start_scheduler: bool = False, **overrides) -> RunningApp:
        env = base_env(fake_slack, database_url) | dict(overrides.items())
        settings = load_settings(env)
        if clock is not None:
            fake_slack.clock = clock  # Slack's message ts follow the same clock as the app
        assembled = build(settings, clock=clock)
        server = assembled.serve_http(host="127.0.0.1", port=0, threads=8)
        thread = threading.Thread(target=server.run, name="waitress", daemon=True)
        thread.start()
        if start_scheduler:
            assembled.start_scheduler()
        started.append(assembled)
        base_url = f"http://127.0.0.1:{server.effective_port}"
        return RunningApp(assembled, base_url, SlackSender(base_url, fake_slack, command=settings.command), fake_slack)

    yield start
    for assembled in started:
        assembled.shutdown()


@pytest.fixture
def running_app(make_app) -> RunningApp:
    return make_app()
