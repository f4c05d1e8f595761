"""Who asked for an erasure, kept with the pending request.

A purge or retention erasure that waits for a send in flight is finished later, possibly by
another process; the ledger's erasure row must still name the admin (or the system) who asked,
never the person erased.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("erasure_request") as batch:
        batch.add_column(sa.Column("actor", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("erasure_request") as batch:
        batch.drop_column("actor")
