"""The SQLite database holds everyone's personal data: its file, and the WAL and shared-memory
files beside it, are readable by the bot's own user only (0600), whatever the umask."""

from __future__ import annotations

import os
import stat

from sqlalchemy import text

from storage.db import create_db_engine, migrate


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_wal_and_shm_are_created_0600(tmp_path):
    previous = os.umask(0o022)
    try:
        path = tmp_path / "nudge.db"
        engine = create_db_engine(f"sqlite:///{path}")
        migrate(engine)
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO daily_run (job, day, started_at) VALUES ('x', 'y', '2027-01-01')"))
            created = [p for p in (path, tmp_path / "nudge.db-wal", tmp_path / "nudge.db-shm") if p.exists()]
            modes = {p.name: _mode(p) for p in created}
        engine.dispose()
    finally:
        os.umask(previous)
    assert {"nudge.db", "nudge.db-wal", "nudge.db-shm"} <= set(modes)
    assert modes == dict.fromkeys(modes, 0o600)


def test_an_existing_database_readable_by_others_is_made_private_at_start(tmp_path):
    path = tmp_path / "nudge.db"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    assert _mode(path) == 0o600
