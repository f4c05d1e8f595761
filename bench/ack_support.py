"""What `bench/ack.py` measures beside latency: the CPU a process spent (read from /proc, so
background threads count), a private PostgreSQL schema for several processes, and the effects
each write kind should leave once per request (to count duplicated and lost ones)."""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
ADMIN_DSN = "host=127.0.0.1 user=postgres dbname=test"


def cpu_seconds(pid: int) -> float:
    """User plus system CPU of a whole process (every thread), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def family(pids: list[int]) -> list[int]:
    """These processes and every process they started (a serving process's sender process), as
    they are now: the CPU per request counts all of the bot's processes."""
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except FileNotFoundError:
                continue
    return found


def cpu_of(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def idle_rate(pids: list[int], seconds: float = 3.0) -> float:
    """CPU seconds per second these processes spend with no requests (the tick's polling)."""
    before = cpu_of(pids)
    time.sleep(seconds)
    return (cpu_of(pids) - before) / seconds


def until_quiet(pids: list[int], idle: float, *, most: float = 60.0, step: float = 0.5) -> float:
    """Wait until the processes spend no more than their idle rate (plus 2 % of a core) for one
    step: the work the requests queued is done. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < most:
        before = cpu_of(pids)
        time.sleep(step)
        if (cpu_of(pids) - before) / step <= idle + 0.02:
            break
    return time.monotonic() - started


def new_schema() -> tuple[str, str]:
    """A private schema on the test PostgreSQL; returns (schema, DATABASE_URL)."""
    import psycopg

    schema = f"nudge_ack_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return schema, f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def migrate_once(database_url: str) -> None:
    """Migrate before the processes start, so they do not race to create the tables."""
    from storage.db import create_db_engine, migrate

    engine = create_db_engine(database_url)
    migrate(engine)
    engine.dispose()


# Per write kind: the statement counting, per person of one step, the effect that should exist
# exactly once. `:prefix` selects the people of the step (each step uses its own user ids).
EFFECTS = {
    "command write (join)": "SELECT actor, count(*) FROM consent_event WHERE actor LIKE :prefix GROUP BY actor",
    "click (Count me in)": "SELECT actor, count(*) FROM consent_event WHERE actor LIKE :prefix GROUP BY actor",
    "view submission (prefs)": (
        "SELECT slack_user_id, count(*) FROM candidate WHERE slack_user_id LIKE :prefix "
        "AND send_window IS NOT NULL GROUP BY slack_user_id"
    ),
}


def count_effects(database_url: str, kind: str, prefix: str, users: list[str], fake) -> tuple[int, int] | None:
    """(duplicated, lost) among `users`: people with more than one effect, and with none. The
    message.im effect is the reply posted to the person's DM (the outbox keys a sent row by a
    hash, so it is counted at the fake Slack), once the processes are quiet again."""
    if kind.startswith("event"):
        posted = Counter(call.args.get("channel") for call in fake.calls_to("chat.postMessage"))
        return _tally({user: posted.get("D" + user[1:], 0) for user in users}, users)
    if kind not in EFFECTS:
        return None
    import sqlalchemy as sa

    from storage.db import create_db_engine

    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            counts = dict(connection.execute(sa.text(EFFECTS[kind]), {"prefix": prefix + "%"}).all())
    finally:
        engine.dispose()
    return _tally(counts, users)


def _tally(counts: dict, users: list[str]) -> tuple[int, int]:
    duplicated = sum(1 for user in users if counts.get(user, 0) > 1)
    lost = sum(1 for user in users if counts.get(user, 0) == 0)
    return duplicated, lost
