"""Database tables (the webhook queue's are in `storage.webhook_models`, imported here so this
module still registers every table).

Times are stored in UTC. `UTCDateTime` makes that explicit on both databases: SQLite keeps no
zone, PostgreSQL keeps `timestamptz`; either way the application only ever sees aware UTC values.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.rules.consent import Action, ConsentStatus, Via
from bot.rules.eligibility import Cadence
from bot.rules.statuses import Answer, InvitationStatus, RoleStatus, Stage
from bot.rules.steps import Kind
from storage.columns import StrEnumType as StrEnumType
from storage.columns import UTCDateTime as UTCDateTime
from storage.columns import enum_column as _enum_column
from storage.columns import utc_column as _utc_column

# Every table is registered on SQLModel.metadata by importing this module (migrations, tests).
from storage.webhook_models import WebhookDelivery as WebhookDelivery
from storage.webhook_models import WebhookStop as WebhookStop


class Candidate(SQLModel, table=True):
    """A person Nudge may talk to, keyed by Slack user id, with the preferences they control.

    `consent_status` is the current state the consent ledger leads to; both are written in the
    same transaction, so the ledger explains every value this column has ever had. A pause is
    `paused_until` in the future: it ends by itself, with no job needed to lift it.
    """

    __tablename__ = "candidate"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    slack_user_id: str = Field(max_length=32, sa_column_kwargs={"unique": True, "nullable": False})
    consent_status: ConsentStatus = Field(
        default=ConsentStatus.NOT_JOINED, sa_column=_enum_column(ConsentStatus, 16, default=ConsentStatus.NOT_JOINED)
    )
    created_at: datetime = Field(sa_column=_utc_column())
    updated_at: datetime = Field(sa_column=_utc_column())
    paused_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    cadence: Cadence = Field(default=Cadence.QUARTERLY, sa_column=_enum_column(Cadence, 16, default=Cadence.QUARTERLY))
    interests: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    never_companies: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    send_window: str | None = Field(default=None, max_length=64)
    tz_override: str | None = Field(default=None, max_length=64)
    slack_tz: str | None = Field(default=None, max_length=64)
    slack_tz_checked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    dm_channel_id: str | None = Field(default=None, max_length=32)
    unreachable_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    unreachable_reason: str | None = Field(default=None, max_length=40)
    still_welcome_asked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    renewal_asked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    company_note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    streak_reset_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    language: str | None = Field(default=None, max_length=8)  # their choice in prefs; None = automatic
    slack_locale: str | None = Field(default=None, max_length=16)
    slack_locale_checked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class ConsentEvent(SQLModel, table=True):
    """One append-only row of the consent ledger: what changed, when, how and under which wording.

    `subject` is the candidate's Slack user id (re-keyed to the suppression hash on erasure), so
    the ledger survives the candidate row.
    """

    __tablename__ = "consent_event"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    subject: str = Field(max_length=128, index=True)
    scope: str = Field(max_length=64)
    action: Action = Field(sa_column=_enum_column(Action, 16))
    via: Via = Field(sa_column=_enum_column(Via, 16))
    wording_version: str = Field(max_length=64)
    actor: str = Field(max_length=128, index=True)
    at: datetime = Field(sa_column=_utc_column())


class ProcessedSlackEvent(SQLModel, table=True):
    """Keys of Slack events already acted on (`event:<event_id>`, and `message:` with a keyed hash
    of the DM's channel and ts, so no key names a person).

    Inserted in the same transaction as the event's effect, so a retried delivery of the same event
    finds its key and has no second effect.
    """

    __tablename__ = "processed_slack_event"

    key: str = Field(primary_key=True, max_length=200)
    received_at: datetime = Field(sa_column=_utc_column())


PENDING_STEP = "sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL"


class OutgoingMessage(SQLModel, table=True):
    """One message step Nudge owes someone (a reply, an invitation, a follow-up, an expiry edit,
    a check-in …), committed before it is sent so a crash cannot lose it.

    A sender claims a row by moving `claimed_until` into the future with a conditional update;
    only the sender whose update matched may send it. `kind` names the copy (`bot.sending.render`):
    the row carries ids only, never user-written text. A step of an invitation is unique per
    (invitation, kind, recipient), so no follow-up or check-in can be created twice (and each
    admin can be told once of a yes on a removed recruiter's invitation).
    """

    __tablename__ = "outgoing_message"
    __table_args__ = (
        sa.UniqueConstraint(
            "invitation_id", "kind", "slack_user_id", name="uq_outgoing_message_invitation_kind_recipient"
        ),
        # The tick's claim: pending steps in due order, without scanning every step ever sent.
        sa.Index(
            "ix_outgoing_message_pending",
            "not_before",
            "id",
            sqlite_where=sa.text(PENDING_STEP),
            postgresql_where=sa.text(PENDING_STEP),
        ),
    )

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    slack_user_id: str = Field(max_length=128, index=True)
    channel_id: str | None = Field(default=None, max_length=32)
    kind: Kind = Field(sa_column=_enum_column(Kind, 48))
    created_at: datetime = Field(sa_column=_utc_column())
    not_before: datetime = Field(sa_column=_utc_column())
    claimed_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    attempts: int = Field(default=0)
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    slack_ts: str | None = Field(default=None, max_length=32)
    failed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    last_error: str | None = Field(default=None, max_length=200)
    invitation_id: int | None = Field(default=None)
    cancelled_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    # When a Slack post for this step was first attempted: the earliest moment it can have
    # reached Slack, so reconciliation reads the DM's history from there (minus a margin).
    first_post_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class SendingStop(SQLModel, table=True):
    """All sending is stopped because Slack refused the bot (uninstalled, token revoked, an auth
    error during a send). In the database, so every process stops at once and a restart does not
    forget it; the row is deleted when `auth.test` succeeds again. One row at most."""

    __tablename__ = "sending_stop"

    key: str = Field(primary_key=True, max_length=16)
    reason: str = Field(max_length=64)
    at: datetime = Field(sa_column=_utc_column())


class SendLock(SQLModel, table=True):
    """Who is sending to a person right now, until when. One send per person at a time keeps
    the order of messages honest: an opt-out's confirmation waits for an invitation already in
    flight, and nothing is sent after it. The row is deleted when the send is recorded."""

    __tablename__ = "send_lock"

    user_id: str = Field(primary_key=True, max_length=128)
    holder: str = Field(max_length=64)
    until: datetime = Field(sa_column=_utc_column())


class AppSecret(SQLModel, table=True):
    """Values Nudge keeps for itself once, shared by every process through the database: the key
    for hashing Slack ids when `NUDGE_SECRET` is unset, and the fingerprint of whichever key the
    stored hashes were made with (never the key itself), so a different key is refused at start."""

    __tablename__ = "app_secret"

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)
    created_at: datetime = Field(sa_column=_utc_column())


class OneTimeMessage(SQLModel, table=True):
    """Messages a person gets at most once, ever (the welcome DM, the opt-in request).

    Keyed by a keyed hash of the Slack id, so people who never join are remembered only as a hash.
    """

    __tablename__ = "one_time_message"

    kind: str = Field(primary_key=True, max_length=32)
    subject_hash: str = Field(primary_key=True, max_length=128)
    at: datetime = Field(sa_column=_utc_column())


class Role(SQLModel, table=True):
    """An opportunity a recruiter may invite people to talk about. Ids are shown as `#N`."""

    __tablename__ = "role"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    title: str = Field(max_length=150)
    company: str = Field(max_length=100)
    confidential: bool = Field(default=False)
    details: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    location: str | None = Field(default=None, max_length=100)
    remote: str | None = Field(default=None, max_length=50)
    pay_range: str | None = Field(default=None, max_length=100)
    pay_min: int | None = Field(default=None)  # `pay_range` read as numbers (bot.rules.pay), if it could be
    pay_max: int | None = Field(default=None)
    pay_currency: str | None = Field(default=None, max_length=3)
    remote_ok: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    status: RoleStatus = Field(
        default=RoleStatus.OPEN, sa_column=_enum_column(RoleStatus, 8, index=True, default=RoleStatus.OPEN)
    )
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=_utc_column())
    closed_by: str | None = Field(default=None, max_length=32)
    closed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class Invitation(SQLModel, table=True):
    """One recruiter's invitation of one candidate to talk about one role, from queue to stage.

    `status` is where delivery stands (queued, sent, cancelled, failed); `answer` is what the
    candidate did; `stage` is set after "Happy to chat" (accepted) and moved on by the recruiter.
    """

    __tablename__ = "invitation"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    role_id: int = Field(foreign_key="role.id", index=True)
    candidate_id: str = Field(max_length=128, index=True)
    recruiter_id: str = Field(max_length=32)
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    status: InvitationStatus = Field(
        default=InvitationStatus.QUEUED,
        sa_column=_enum_column(InvitationStatus, 12, index=True, default=InvitationStatus.QUEUED),
    )
    created_at: datetime = Field(sa_column=_utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    cancel_reason: str | None = Field(default=None, max_length=32)
    answer: Answer | None = Field(default=None, sa_column=_enum_column(Answer, 12, nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    details_asked_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    stage: Stage | None = Field(default=None, sa_column=_enum_column(Stage, 16, nullable=True))
    stage_changed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    followup_sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    expired_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    # The role's company was on the candidate's never-list when it "went out": recorded as sent and
    # expiring like any other (recruiters cannot tell), but nothing of it ever reaches Slack.
    withheld: bool = Field(default=False)


class Recruiter(SQLModel, table=True):
    """Recruiter settings, and recruiters added by an admin (`added`).

    Ids from `NUDGE_RECRUITERS` / `NUDGE_ADMINS` are recruiters without a row; they get a row
    (with `added` False) only to keep a booking link.
    """

    __tablename__ = "recruiter"

    user_id: str = Field(primary_key=True, max_length=32)
    added: bool = Field(default=False)
    added_by: str | None = Field(default=None, max_length=32)
    added_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    booking_link: str | None = Field(default=None, max_length=500)


class TeamSwitchEvent(SQLModel, table=True):
    """Each use of the team-wide sending switch: who, when, and which way (newest row wins)."""

    __tablename__ = "team_switch_event"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    paused: bool
    actor: str = Field(max_length=32)
    at: datetime = Field(sa_column=_utc_column())


class Suppression(SQLModel, table=True):
    """Someone who asked to be forgotten (or whose data retention erased): only a keyed hash
    of their Slack id, so they are never messaged or re-added by anyone else."""

    __tablename__ = "suppression"

    subject_hash: str = Field(primary_key=True, max_length=128)
    reason: Via = Field(sa_column=_enum_column(Via, 16))
    at: datetime = Field(sa_column=_utc_column())


class DailyRun(SQLModel, table=True):
    """One row per daily job per UTC day: whichever process inserts it first runs the job."""

    __tablename__ = "daily_run"

    job: str = Field(primary_key=True, max_length=32)
    day: str = Field(primary_key=True, max_length=10)
    started_at: datetime = Field(sa_column=_utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class Disclosure(SQLModel, table=True):
    """One profile given out by `/nudge profile`: which recruiter, which role and company, when.
    The candidate sees these; `forget` deletes them."""

    __tablename__ = "disclosure"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    candidate_id: str = Field(max_length=128, index=True)
    recruiter_id: str = Field(max_length=32)
    role_id: int
    company: str = Field(max_length=100)
    at: datetime = Field(sa_column=_utc_column())


class PrivateNote(SQLModel, table=True):
    """A candidate's private reflection after a step: theirs alone, never shown to recruiters,
    never logged; `forget` and retention delete it."""

    __tablename__ = "private_note"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    candidate_id: str = Field(max_length=128, index=True)
    invitation_id: int | None = Field(default=None)
    market_value: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    next_role: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    at: datetime = Field(sa_column=_utc_column())


class ErasureRequest(SQLModel, table=True):
    """An erasure asked for (`forget`, retention, an admin's purge) and not yet finished: it
    waits while a send to the person is in flight (a late send must not write their ids back).
    Committed with the opt-out, so a killed process loses nothing: the erasure tick finishes it.
    The raw Slack id is kept only until then; the row is deleted in the erasing transaction.
    `actor` is who asked (the admin of a purge, or the system), so the ledger's erasure row names
    them whichever process finishes it; None for the person's own `forget`."""

    __tablename__ = "erasure_request"

    slack_user_id: str = Field(primary_key=True, max_length=32)
    reason: Via = Field(sa_column=_enum_column(Via, 16))
    requested_at: datetime = Field(sa_column=_utc_column())
    actor: str | None = Field(default=None, max_length=128)


class WorkspacePurge(SQLModel, table=True):
    """Each `/nudge admin purge-workspace`: which admin, when it started and finished, and how
    many people it erased (the durable record of who did it and when)."""

    __tablename__ = "workspace_purge"

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    actor: str = Field(max_length=32)
    started_at: datetime = Field(sa_column=_utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    erased: int = Field(default=0)
