"""Delivery: invitation steps in the outbox, per-person send locks, reachability.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_message") as batch:
        batch.add_column(sa.Column("invitation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint("uq_outgoing_message_invitation_kind", ["invitation_id", "kind"])
    with op.batch_alter_table("candidate") as batch:
        batch.add_column(sa.Column("dm_channel_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("unreachable_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("unreachable_reason", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("still_welcome_asked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "send_lock",
        sa.Column("user_id", sa.String(length=128), primary_key=True),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_lock")
    with op.batch_alter_table("candidate") as batch:
        for column in ("still_welcome_asked_at", "unreachable_reason", "unreachable_at", "dm_channel_id"):
            batch.drop_column(column)
    with op.batch_alter_table("outgoing_message") as batch:
        batch.drop_constraint("uq_outgoing_message_invitation_kind", type_="unique")
        batch.drop_column("cancelled_at")
        batch.drop_column("invitation_id")
