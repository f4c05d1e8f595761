"""A durable stop of all sending (uninstall, token revoked, an auth error during a send), and
the moment each step's first post was attempted (reconciliation reads history from there).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sending_stop",
        sa.Column("key", sa.String(length=16), primary_key=True),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("outgoing_message") as batch:
        batch.add_column(sa.Column("first_post_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outgoing_message") as batch:
        batch.drop_column("first_post_at")
    op.drop_table("sending_stop")
