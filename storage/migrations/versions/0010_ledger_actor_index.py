"""The consent ledger indexed by actor.

An erasure re-keys every ledger row the person acted in (`actor`), not only those about them
(`subject`, already indexed); without this index each erasure scans the whole ledger, which made
the daily retention job at 100k candidates spend most of its time in that one statement.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_consent_event_actor", "consent_event", ["actor"])


def downgrade() -> None:
    op.drop_index("ix_consent_event_actor", table_name="consent_event")
