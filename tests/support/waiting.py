"""Waiting for work that the app finishes in its own threads, without fixed sleeps."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], timeout: float = 5.0, interval: float = 0.02) -> object:
    """Return the condition's first truthy value, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def dump_database(engine) -> str:
    """Every row of every table as text: for asserting that something is stored nowhere."""
    from sqlalchemy import inspect, text

    rows = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            rows += [repr(tuple(r)) for r in connection.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(rows)
