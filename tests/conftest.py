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

from tests.support.fakeslack import FakeSlack, fake_slack  # noqa: F401  (fixture)
from tests.support.slackreq import SIGNING_SECRET, SlackSender, get

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
        except Exception as error:  # any failure to connect means "not available"
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


def base_env(fake: FakeSlack, database_url: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-1111-2222-testtoken",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": database_url,
        "NUDGE_RECRUITERS": "URECRUIT1",
        "NUDGE_ADMINS": "UADMIN1",
        "NUDGE_PRIVACY_URL": "https://example.com/privacy",
        "NUDGE_TICK": "1s",
    }


@dataclass
class RunningApp:
    """The real app, assembled from settings and served over HTTP on a free port."""

    assembled: object
    base_url: str
    slack: SlackSender
    fake: FakeSlack

    @property
    def sessions(self):
        return self.assembled.ctx.sessions

    def healthz(self):
        return get(f"{self.base_url}/healthz")


@pytest.fixture
def make_app(fake_slack, database_url):
    """Start the app with optional setting overrides: `make_app(NUDGE_PRIVACY_URL="")`."""
    from app import build
    from bot.settings import load_settings

    started: list = []

    def start(*, clock=None, start_scheduler: bool = False, **overrides) -> RunningApp:
        env = base_env(fake_slack, database_url) | {k: v for k, v in overrides.items()}
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
