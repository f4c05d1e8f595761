"""Privacy operations: erasures waiting for an in-flight send are recorded durably, and each
admin purge of the workspace is recorded (who, when, how many).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_request",
        sa.Column("slack_user_id", sa.String(length=32), primary_key=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "workspace_purge",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workspace_purge")
    op.drop_table("erasure_request")
