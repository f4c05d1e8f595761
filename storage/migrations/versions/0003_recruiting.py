"""Recruiting: roles, invitations, recruiters added by admins, the team sending switch.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("company", sa.String(length=100), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=True),
        sa.Column("remote", sa.String(length=50), nullable=True),
        sa.Column("pay_range", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        _ts("created_at", nullable=False),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        _ts("closed_at"),
    )
    op.create_index("ix_role_status", "role", ["status"])
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("role_id", sa.Integer(), sa.ForeignKey("role.id"), nullable=False),
        sa.Column("candidate_id", sa.String(length=128), nullable=False),
        sa.Column("recruiter_id", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        _ts("created_at", nullable=False),
        _ts("sent_at"),
        _ts("cancelled_at"),
        sa.Column("cancel_reason", sa.String(length=32), nullable=True),
        sa.Column("answer", sa.String(length=12), nullable=True),
        _ts("answered_at"),
        _ts("details_asked_at"),
        sa.Column("stage", sa.String(length=16), nullable=True),
        _ts("stage_changed_at"),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        _ts("followup_sent_at"),
        _ts("expired_at"),
    )
    op.create_index("ix_invitation_role_id", "invitation", ["role_id"])
    op.create_index("ix_invitation_candidate_id", "invitation", ["candidate_id"])
    op.create_index("ix_invitation_status", "invitation", ["status"])
    op.create_table(
        "recruiter",
        sa.Column("user_id", sa.String(length=32), primary_key=True),
        sa.Column("added", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=True),
        _ts("added_at"),
        sa.Column("booking_link", sa.String(length=500), nullable=True),
    )
    op.create_table(
        "team_switch_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=False),
        _ts("at", nullable=False),
    )


def downgrade() -> None:
    op.drop_table("team_switch_event")
    op.drop_table("recruiter")
    op.drop_index("ix_invitation_status", table_name="invitation")
    op.drop_index("ix_invitation_candidate_id", table_name="invitation")
    op.drop_index("ix_invitation_role_id", table_name="invitation")
    op.drop_table("invitation")
    op.drop_index("ix_role_status", table_name="role")
    op.drop_table("role")
