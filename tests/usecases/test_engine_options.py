"""What every PostgreSQL connection is opened with, from DATABASE_URL's query."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from storage.db import STATEMENT_TIMEOUT, connection_options


def test_every_options_the_url_gives_is_kept_before_the_statement_timeout():
    url = make_url("postgresql+psycopg://u@h/db?options=-csearch_path%3Dx&options=-capplication_name%3Dnudge")
    assert connection_options(url) == f"-csearch_path=x -capplication_name=nudge {STATEMENT_TIMEOUT}"


def test_one_options_or_none():
    assert (
        connection_options(make_url("postgresql+psycopg://u@h/db?options=-cfoo%3D1")) == f"-cfoo=1 {STATEMENT_TIMEOUT}"
    )
    assert connection_options(make_url("postgresql+psycopg://u@h/db")) == STATEMENT_TIMEOUT
