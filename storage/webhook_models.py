"""The webhook tables: the durable queue of events for the team's endpoint (`storage.webhooks`
owns its queries) and the 410 stop."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.columns import utc_column as _utc_column

PENDING_WEBHOOK = "delivered_at IS NULL AND given_up_at IS NULL"


class WebhookDelivery(SQLModel, table=True):
    """One event for the team's webhook endpoint, written in the transaction of the change it
    reports; `webhook_id` is the same on every attempt. Pending until delivered or given up;
    a sender holds it while `claimed_until` lies ahead. `data` is the event's body data."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.Index("ix_webhook_delivery_pending", "not_before", "id", sqlite_where=sa.text(PENDING_WEBHOOK),
                 postgresql_where=sa.text(PENDING_WEBHOOK)),
    )  # fmt: skip

    id: int = Field(default=None, primary_key=True)  # set by the database on insert
    webhook_id: str = Field(max_length=64, sa_column_kwargs={"unique": True, "nullable": False})
    event_type: str = Field(max_length=32)
    candidate: str | None = Field(default=None, max_length=128, index=True)
    data: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(sa_column=_utc_column())
    not_before: datetime = Field(sa_column=_utc_column())
    claimed_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    attempts: int = Field(default=0)
    last_status: str | None = Field(default=None, max_length=32)
    last_attempt_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    last_failed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    last_failure: str | None = Field(default=None, max_length=32)
    delivered_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    given_up_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class WebhookStop(SQLModel, table=True):
    """The endpoint answered 410 Gone: no deliveries to it until the settings change (a new
    endpoint fingerprint). One row at most."""

    __tablename__ = "webhook_stop"

    key: str = Field(primary_key=True, max_length=16)
    endpoint: str = Field(max_length=64)
    at: datetime = Field(sa_column=_utc_column())
