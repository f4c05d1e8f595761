"""A role's pay range as numbers and whether it is remote.

The market pulse states the pay ranges of matching roles and counts the remote ones; read from
the free text each time, "€80–95k" and "80,000-95,000 EUR" would be two ranges and "hybrid"
could count as remote. The text columns stay as the recruiter wrote them.

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Plain `ADD COLUMN`s, which SQLite runs in place: a batch would copy `role` into a new
    table and drop the old one, which the invitations' foreign key refuses once there are any."""
    op.add_column("role", sa.Column("pay_min", sa.Integer(), nullable=True))
    op.add_column("role", sa.Column("pay_max", sa.Integer(), nullable=True))
    op.add_column("role", sa.Column("pay_currency", sa.String(length=3), nullable=True))
    op.add_column("role", sa.Column("remote_ok", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("role") as batch:
        batch.drop_column("remote_ok")
        batch.drop_column("pay_currency")
        batch.drop_column("pay_max")
        batch.drop_column("pay_min")
