"""After the first yes: the note for companies, disclosure records, private notes, the
still-welcome streak's reset moment.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidate") as batch:
        batch.add_column(sa.Column("company_note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("streak_reset_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "disclosure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("candidate_id", sa.String(length=128), nullable=False),
        sa.Column("recruiter_id", sa.String(length=32), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_disclosure_candidate_id", "disclosure", ["candidate_id"])
    op.create_table(
        "private_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("candidate_id", sa.String(length=128), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("market_value", sa.Text(), nullable=True),
        sa.Column("next_role", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_private_note_candidate_id", "private_note", ["candidate_id"])


def downgrade() -> None:
    op.drop_index("ix_private_note_candidate_id", table_name="private_note")
    op.drop_table("private_note")
    op.drop_index("ix_disclosure_candidate_id", table_name="disclosure")
    op.drop_table("disclosure")
    with op.batch_alter_table("candidate") as batch:
        batch.drop_column("streak_reset_at")
        batch.drop_column("company_note")
