"""Invitations withheld because of the candidate's never-list; an invitation's steps unique per
recipient.

Such an invitation now goes through the same states as one delivered and left unanswered (sent
when it would have been delivered, expired on the same clock), so recruiters cannot tell the two
apart; this flag is what keeps its follow-up and expiry from ever reaching Slack, and keeps it
out of the candidate's own "two in a row expired" streak.

A yes on a removed recruiter's invitation is told to every admin, one step each, so a step of an
invitation is now unique per (invitation, kind, recipient) instead of (invitation, kind).

Invitations hidden before this change kept a step cancelled as `not_eligible` and stayed
"queued" forever, which recruiters could read; those steps are opened again, so the sender
treats each as any never-listed invitation now (withheld at the candidate's next window, then
expiring on the usual clock).

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
    with op.batch_alter_table("outgoing_message") as batch:
        batch.drop_constraint("uq_outgoing_message_invitation_kind", type_="unique")
        batch.create_unique_constraint(
            "uq_outgoing_message_invitation_kind_recipient", ["invitation_id", "kind", "slack_user_id"]
        )
    op.execute(
        "UPDATE outgoing_message SET cancelled_at = NULL, last_error = NULL, claimed_until = NULL"
        " WHERE kind = 'invitation' AND last_error = 'not_eligible' AND sent_at IS NULL"
        " AND invitation_id IN (SELECT id FROM invitation WHERE status = 'queued')"
    )


def downgrade() -> None:
    with op.batch_alter_table("outgoing_message") as batch:
        batch.drop_constraint("uq_outgoing_message_invitation_kind_recipient", type_="unique")
        batch.create_unique_constraint("uq_outgoing_message_invitation_kind", ["invitation_id", "kind"])
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("withheld")
