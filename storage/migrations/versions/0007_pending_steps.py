"""Pending steps by due time (a partial index), and each person's DM channel stored once.

The tick claims pending steps (`sent_at`, `failed_at`, `cancelled_at` all null) in due order;
without an index on exactly that predicate the claim scans every step ever written.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PENDING = "sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_outgoing_message_pending",
        "outgoing_message",
        ["not_before", "id"],
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )


def downgrade() -> None:
    op.drop_index("ix_outgoing_message_pending", table_name="outgoing_message")
