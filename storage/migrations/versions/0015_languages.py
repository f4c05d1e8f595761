"""Each person's language: their choice in preferences and the Slack locale last read.

Nudge speaks English, German, French and Spanish; the language is the person's choice, else
their Slack locale (read with the `users.info` call the sender already makes, kept here and
refreshed at most daily), else `NUDGE_DEFAULT_LANGUAGE`.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidate") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("slack_locale", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("slack_locale_checked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidate") as batch:
        batch.drop_column("slack_locale_checked_at")
        batch.drop_column("slack_locale")
        batch.drop_column("language")
