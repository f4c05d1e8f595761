"""Invitations withheld because of the candidate's never-list.

Such an invitation now goes through the same states as one delivered and left unanswered (sent
when it would have been delivered, expired on the same clock), so recruiters cannot tell the two
apart; this flag is what keeps its follow-up and expiry from ever reaching Slack, and keeps it
out of the candidate's own "two in a row expired" streak.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("withheld", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("invitation") as batch:
        batch.alter_column("withheld", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("withheld")
