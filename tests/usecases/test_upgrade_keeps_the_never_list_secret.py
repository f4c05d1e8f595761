"""An install upgraded from before migration 0011 had its never-listed invitations' steps
cancelled as `not_eligible` while the invitations stayed "queued" forever: the very difference
recruiters could read. The upgrade re-opens those steps, so the sender treats each one as any
never-listed invitation now (delivered withheld when it would have been, then expiring).

Seeding roles and invitations before upgrading also shows the later migrations run on a database
that holds data (0013 once rebuilt `role`, which the invitations' foreign key refused)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from storage.db import _alembic_config, create_db_engine, migrate, writing

AT = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def _filler(column: sa.Column):
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.DateTime) or "_at" in column.name:
        return AT
    if isinstance(kind, sa.JSON):
        return []
    return f"{column.name}"[: getattr(kind, "length", None) or 40]


def _insert(connection, table: sa.Table, **values) -> int:
    row = {
        c.name: _filler(c)
        for c in table.columns
        if not c.nullable and c.server_default is None and not c.primary_key and c.name not in values
    }
    result = connection.execute(table.insert().values({**row, **values}))
    return result.inserted_primary_key[0]


def _seed_old_state(engine) -> tuple[int, int]:
    """At 0010: a queued invitation whose step the old gate cancelled as `not_eligible`, and one
    whose step was cancelled for another reason (left alone)."""
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as connection:
        role = _insert(connection, tables.tables["role"], title="Engineer", company="Acme")
        ids = []
        for user, reason in (("UHIDDEN01", "not_eligible"), ("UPAUSED01", "paused")):
            invitation = _insert(
                connection,
                tables.tables["invitation"],
                candidate_id=user,
                role_id=role,
                status="queued",
                created_at=AT,
            )
            _insert(
                connection,
                tables.tables["outgoing_message"],
                slack_user_id=user,
                kind="invitation",
                invitation_id=invitation,
                created_at=AT,
                not_before=AT,
                cancelled_at=AT,
                sent_at=None,
                last_error=reason,
            )
            ids.append(invitation)
    return ids[0], ids[1]


def _step(engine, invitation_id: int):
    with engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT cancelled_at, last_error, sent_at FROM outgoing_message WHERE invitation_id = :i"),
            {"i": invitation_id},
        ).one()


def test_the_upgrade_reopens_steps_the_old_never_list_gate_cancelled(database_url):
    engine = create_db_engine(database_url)
    try:
        config = _alembic_config()
        with writing(engine).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0010")
        hidden, paused = _seed_old_state(engine)
        migrate(engine)
        assert _step(engine, hidden) == (None, None, None)  # pending again, for the sender
        assert _step(engine, paused)[1] == "paused"  # any other cancel stays as it was
    finally:
        engine.dispose()
