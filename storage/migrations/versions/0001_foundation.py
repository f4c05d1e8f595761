"""Foundation: candidates, consent ledger, processed Slack events, outgoing messages.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False, unique=True),
        sa.Column("consent_status", sa.String(length=16), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
    )
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("wording_version", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        _ts("at"),
    )
    op.create_index("ix_consent_event_subject", "consent_event", ["subject"])
    op.create_table(
        "processed_slack_event",
        sa.Column("key", sa.String(length=200), primary_key=True),
        _ts("received_at"),
    )
    op.create_table(
        "outgoing_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=48), nullable=False),
        _ts("created_at"),
        _ts("not_before"),
        _ts("claimed_until", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("sent_at", nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        _ts("failed_at", nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_outgoing_message_slack_user_id", "outgoing_message", ["slack_user_id"])


def downgrade() -> None:
    op.drop_table("outgoing_message")
    op.drop_table("processed_slack_event")
    op.drop_index("ix_consent_event_subject", table_name="consent_event")
    op.drop_table("consent_event")
    op.drop_table("candidate")
