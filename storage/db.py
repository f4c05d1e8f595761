"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL (production).

Nothing here runs at import: `create_db_engine` is called by the app's assembly function.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed 64-bit number works; it only has to be the same in every Nudge process.
MIGRATION_LOCK_ID = 0x4E75_6467_6501

SessionFactory = Callable[[], Session]


def create_db_engine(url: str) -> Engine:
    """Build an engine with the settings each database needs to be safe under concurrency.

    SQLite: WAL so readers never block the writer, a busy timeout, and `BEGIN IMMEDIATE` so a
    transaction takes the write lock up front instead of failing half-way on upgrade.
    PostgreSQL: pre-ping (connections survive a server restart), connect and statement timeouts.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin_immediate(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    if parsed.get_backend_name() == "postgresql":
        options = " ".join(
            part for part in (parsed.query.get("options"), "-c statement_timeout=15000") if part
        )
        parsed = parsed.difference_update_query(["options"])
        return create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            connect_args={"connect_timeout": 5, "options": options},
        )
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}")


class DatabaseInUse(Exception):
    """Another Nudge process already uses this SQLite database."""


class SingleProcessLock:
    """Held for a process's lifetime on a SQLite database: SQLite cannot share due work safely
    between processes (no `FOR UPDATE SKIP LOCKED`), so a second process is refused at start."""

    def __init__(self, path: str) -> None:
        import fcntl

        self._file = open(f"{path}.lock", "a+")  # noqa: SIM115 (held open on purpose)
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise DatabaseInUse(path) from None

    def release(self) -> None:
        import fcntl

        if not self._file.closed:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()


def claim_single_process(engine: Engine) -> SingleProcessLock | None:
    """For a SQLite file, take the one-process lock (raises DatabaseInUse); PostgreSQL needs none."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return SingleProcessLock(url.database)


def make_session_factory(engine: Engine) -> SessionFactory:
    """Sessions whose objects stay readable after commit (handlers render after committing)."""
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    """The newest migration this code knows."""
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest migration.

    On PostgreSQL an advisory lock serialises this, so several processes starting together do
    not migrate at once; SQLite's `BEGIN IMMEDIATE` does the same there.
    """
    config = _alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("database at migration %s", head_revision(), extra={"action": "db.migrated"})


def database_is_up(engine: Engine) -> bool:
    """A cheap liveness probe for /healthz."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "down" for a health check
        log.warning("database is not reachable", exc_info=True, extra={"action": "db.down"})
        return False
