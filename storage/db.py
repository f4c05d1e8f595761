"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL (production).

Nothing here runs at import: `create_db_engine` is called by the app's assembly function.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed 64-bit number works; it only has to be the same in every Nudge process.
MIGRATION_LOCK_ID = 0x4E75_6467_6501

SessionFactory = Callable[[], Session]
# Execution option marking a connection whose transaction writes (SQLite: `BEGIN IMMEDIATE`).
WRITE_OPTION = "nudge_writes"
# No statement may hold a connection (and its locks) longer than this.
STATEMENT_TIMEOUT = "-c statement_timeout=15000"


def create_db_engine(url: str, *, pool_size: int = 5) -> Engine:
    """Build an engine with the settings each database needs to be safe under concurrency.

    `pool_size` is the number of threads that use the database at once (the app passes its
    thread count, see `app.database_threads`): fewer connections than threads makes requests queue
    for a connection behind the outbox and the daily job. A little overflow covers a thread
    that briefly holds two.

    SQLite: WAL so readers never block the writer, a busy timeout, and `BEGIN IMMEDIATE` for
    transactions that write (see `writing`), so they take the write lock up front instead of
    failing half-way on upgrade; reads begin deferred and take no write lock.
    PostgreSQL: pre-ping (connections survive a server restart), connect and statement timeouts.
    Both: `hide_parameters`, so an error (and its traceback in the logs) shows the statement but
    never the values bound to it: Slack ids, names and notes stay out of the logs.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        sizing = {} if in_memory else {"pool_size": pool_size, "max_overflow": 2}
        if not in_memory and not str(parsed.database).startswith("file:"):
            make_private(Path(str(parsed.database)))
        engine = create_engine(
            url, hide_parameters=True, connect_args={"check_same_thread": False, "timeout": 30}, **sizing
        )

        @event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # Only a transaction that writes takes the write lock up front; a read begins a
            # deferred transaction, so snapshots, lookups and /healthz never queue behind writers.
            if conn.get_execution_options().get(WRITE_OPTION):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine

    if parsed.get_backend_name() == "postgresql":
        options = connection_options(parsed)
        parsed = parsed.difference_update_query(["options"])
        return create_engine(
            parsed,
            hide_parameters=True,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=2,
            connect_args={"connect_timeout": 5, "options": options},
        )
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}")


def make_private(database: Path) -> None:
    """Create the SQLite file readable by this user only (0600), or make an existing one so,
    with its WAL, shared-memory and lock files: they hold everyone's personal data. SQLite
    creates the WAL and shared-memory files with the database file's permissions. A missing
    folder is left for SQLite to report, as the one-line start-up error it already gives."""
    if not database.parent.is_dir():
        return
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    for path in (database, *(database.with_name(database.name + end) for end in ("-wal", "-shm", ".lock"))):
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)


def connection_options(url: URL) -> str:
    """PostgreSQL's `options` for each connection: every `options` the URL gives (a URL may
    repeat it), then the statement timeout Nudge always sets."""
    given = url.query.get("options") or ()
    return " ".join([*((given,) if isinstance(given, str) else given), STATEMENT_TIMEOUT])


class DatabaseInUse(Exception):
    """Another Nudge process already uses this SQLite database."""


class SingleProcessLock:
    """Held for a process's lifetime on a SQLite database: SQLite cannot share due work safely
    between processes (no `FOR UPDATE SKIP LOCKED`), so a second process is refused at start. The
    one exception is the bot's own sender process, which inherits the lock (`inherited`): it is
    the only process of the two that claims and sends steps."""

    def __init__(self, path: str) -> None:
        import fcntl

        descriptor = os.open(f"{path}.lock", os.O_CREAT | os.O_RDWR | os.O_APPEND, 0o600)
        self._file = os.fdopen(descriptor, "a+")  # held open on purpose
        self._shared = False
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise DatabaseInUse(path) from None

    @property
    def descriptor(self) -> int:
        """The locked file, for the one child allowed to share the database (the sender process)."""
        return self._file.fileno()

    @classmethod
    def inherited(cls, path: str, descriptor: int) -> SingleProcessLock:
        """The lock a parent Nudge process handed to its sender process: the descriptor must be
        that database's lock file, already locked by this process tree (a `flock` belongs to the
        open file, which parent and child share), so nobody else can pass one in. Released by the
        parent only: the child just closes its copy."""
        import fcntl

        try:
            same = os.path.samestat(os.fstat(descriptor), os.stat(f"{path}.lock"))
        except OSError:
            same = False
        if not same:
            raise DatabaseInUse(path)
        lock = cls.__new__(cls)
        lock._file = os.fdopen(descriptor, "a+")
        lock._shared = True
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock._file.close()
            raise DatabaseInUse(path) from None
        return lock

    def release(self) -> None:
        import fcntl

        if not self._file.closed:
            if not self._shared:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()


def claim_single_process(engine: Engine, inherited: int | None = None) -> SingleProcessLock | None:
    """For a SQLite file, take the one-process lock (raises DatabaseInUse), or check the one a
    parent process handed down (`inherited`, its descriptor); PostgreSQL needs none."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if inherited is not None:
        return SingleProcessLock.inherited(url.database, inherited)
    return SingleProcessLock(url.database)


def writing(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take the write lock up front on SQLite."""
    return engine.execution_options(**{WRITE_OPTION: True})


class NudgeSession(Session):
    """A session is a reader until its transaction is begun explicitly.

    The use cases write inside `with sessions() as session, session.begin():` and read with a
    plain `with sessions() as session:` (autobegun). An explicit `begin()` therefore marks a
    writing transaction: its connection comes from `writing(engine)`, which on SQLite issues
    `BEGIN IMMEDIATE`; every other transaction begins deferred and never waits for the write lock.
    """

    def begin(self, nested: bool = False):
        if not nested and not self.in_transaction():
            self.info["writes"] = True
        return super().begin(nested=nested)

    def get_bind(self, mapper=None, *, clause=None, **kw):
        if self.info.get("writes") and self.info.get("write_bind") is not None:
            return self.info["write_bind"]
        return super().get_bind(mapper, clause=clause, **kw)

    def close(self) -> None:
        self.info.pop("writes", None)
        super().close()


def make_session_factory(engine: Engine) -> SessionFactory:
    """Sessions whose objects stay readable after commit (handlers render after committing);
    reads begin deferred, explicit `session.begin()` transactions write (see `NudgeSession`)."""
    return sessionmaker(bind=engine, class_=NudgeSession, expire_on_commit=False, info={"write_bind": writing(engine)})


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
    with writing(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("database at migration %s", head_revision(), extra={"action": "db.migrated"})


class DatabaseProbe:
    """The database check behind `/healthz`, rate-limited both ways: the answer is reused for
    `ttl` seconds (a probe storm opens one connection per `ttl`, not one per request), and an
    outage is logged once per `log_every` seconds (with its first error), not once per probe."""

    def __init__(self, engine: Engine, *, ttl: float = 2.0, log_every: float = 60.0, clock=None) -> None:
        import threading
        import time

        self.engine, self.ttl, self.log_every = engine, ttl, log_every
        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._up = True
        self._logged_at: float | None = None

    def is_up(self) -> bool:
        with self._lock:
            now = self._clock()
            if self._checked_at is not None and now - self._checked_at < self.ttl:
                return self._up
            error = None
            try:
                with self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                up = True
            except Exception as caught:  # noqa: BLE001 (any driver error means "down" for a health check)
                up, error = False, caught
            if up and not self._up:
                log.info("database is reachable again", extra={"action": "db.up"})
                self._logged_at = None
            if not up and (self._logged_at is None or now - self._logged_at >= self.log_every):
                log.warning(
                    "database is not reachable (%s); logged once per %d s while it lasts",
                    type(error).__name__,
                    int(self.log_every),
                    exc_info=self._logged_at is None and error,
                    extra={"action": "db.down"},
                )
                self._logged_at = now
            self._up, self._checked_at = up, now
            return up
