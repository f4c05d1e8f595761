"""Daily jobs and erasure: suppression records, consent renewal, once-a-day runs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidate") as batch:
        batch.add_column(sa.Column("renewal_asked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "suppression",
        sa.Column("subject_hash", sa.String(length=128), primary_key=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "daily_run",
        sa.Column("job", sa.String(length=32), primary_key=True),
        sa.Column("day", sa.String(length=10), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("daily_run")
    op.drop_table("suppression")
    with op.batch_alter_table("candidate") as batch:
        batch.drop_column("renewal_asked_at")
