"""Self-service: preferences and pause on candidates, generated secrets, one-time messages.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidate") as batch:
        batch.add_column(sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cadence", sa.String(length=16), nullable=False, server_default="quarterly"))
        batch.add_column(sa.Column("interests", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("never_companies", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("send_window", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("tz_override", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("slack_tz", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("slack_tz_checked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("candidate") as batch:
        batch.alter_column("cadence", server_default=None)
        batch.alter_column("interests", server_default=None)
        batch.alter_column("never_companies", server_default=None)
    with op.batch_alter_table("outgoing_message") as batch:
        batch.alter_column(
            "slack_user_id", type_=sa.String(length=128), existing_type=sa.String(length=32), existing_nullable=False
        )
    op.create_table(
        "app_secret",
        sa.Column("name", sa.String(length=64), primary_key=True),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "one_time_message",
        sa.Column("kind", sa.String(length=32), primary_key=True),
        sa.Column("subject_hash", sa.String(length=128), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("one_time_message")
    op.drop_table("app_secret")
    with op.batch_alter_table("outgoing_message") as batch:
        batch.alter_column(
            "slack_user_id", type_=sa.String(length=32), existing_type=sa.String(length=128), existing_nullable=False
        )
    with op.batch_alter_table("candidate") as batch:
        for column in (
            "slack_tz_checked_at",
            "slack_tz",
            "tz_override",
            "send_window",
            "never_companies",
            "interests",
            "cadence",
            "paused_until",
        ):
            batch.drop_column(column)
