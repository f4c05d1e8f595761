"""A database error logged with its traceback names the statement, never the values bound to it
(Slack ids, notes, names): `create_db_engine` hides parameters on every backend."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

SECRET_VALUE = "UPRIVATE42 wrote a private note"

log = logging.getLogger("nudge.test.db")


def test_a_failing_statement_logs_no_parameter_values(engine, caplog):
    caplog.set_level(logging.ERROR)
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.execute(text("SELECT :value AS v FROM no_such_table_here"), {"value": SECRET_VALUE})
    log.error("query failed", exc_info=raised.value)  # as @app.error and the sender log them
    assert "no_such_table_here" in caplog.text  # the statement is still there to debug with
    assert SECRET_VALUE not in caplog.text
    assert SECRET_VALUE not in str(raised.value) and SECRET_VALUE not in repr(raised.value)
