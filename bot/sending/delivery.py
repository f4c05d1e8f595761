"""Putting a step's message in front of its person: a new DM, or an edit of the message already
sent. `chat.postMessage` has no idempotency key, so each post carries the step's opaque id in
message `metadata`, and a step whose earlier post may have reached Slack is reconciled against
the DM's history before anything is resent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from bot.copy.blocks import Message
from bot.rules.failures import CLAIM_RUNNING_OUT
from bot.rules.steps import EDITS, INTERNAL
from bot.sending.slack_calls import SendError, call
from bot.sending.slack_client import worst_case_call
from bot.sending.step import Step

log = logging.getLogger(__name__)

METADATA_EVENT_TYPE = "nudge_step"
# Reconciliation reads the DM's history from the first post attempt minus this much (Slack's
# clock and ours may differ a little).
RECONCILE_MARGIN = timedelta(minutes=10)
HISTORY_PAGE = 200


def step_id(message_id: int) -> str:
    """The opaque id carried in message metadata (ids only: other apps can read metadata)."""
    return f"step-{message_id}"


def deliver(
    client: WebClient,
    step: Step,
    content: Callable[[], Message],
    *,
    earlier_post: datetime | None,
    time_left: Callable[[], timedelta],
    lease: timedelta,
) -> tuple[str | None, str | None]:
    """Post (or edit) the message; returns (channel, ts). Reconciles before any resend (a post
    of this step was attempted at `earlier_post`), and posts only while the claim has time left
    for the post's own worst case: a post that could outlive the lease might be sent again by
    whoever takes the step over.

    A first DM to someone whose DM channel is not known yet goes to their user id: Slack
    delivers it to the app's DM with them and answers with the `D…` channel, which is stored
    (no `conversations.open`). Only a resend with no channel known needs `conversations.open`,
    to read that DM's history. A withheld step (the never-list) makes no call at all."""
    if step.kind in INTERNAL or step.withheld:
        return None, None
    message = content()
    if step.kind in EDITS:
        invitation, _ = step.invited()
        edited_channel, edited_ts = invitation.channel_id or "", invitation.message_ts or ""
        call(lambda: client.chat_update(channel=edited_channel, ts=edited_ts, **message.as_kwargs()))
        return invitation.channel_id, invitation.message_ts
    channel = step.row.channel_id or (step.candidate.dm_channel_id if step.candidate else None)
    if earlier_post is not None:
        if channel is None:
            channel = call(lambda: client.conversations_open(users=step.user_id))["channel"]["id"]
        found = reconcile(client, channel, step.row.id, since=earlier_post)
        if found is not None:
            log.warning(
                "step %s had reached Slack already; not sending it again",
                step.row.id,
                extra={"action": "outbox.reconciled"},
            )
            return channel, found
    if time_left() < worst_case_call(lease):
        raise SendError(CLAIM_RUNNING_OUT)
    metadata = {"event_type": METADATA_EVENT_TYPE, "event_payload": {"step": step_id(step.row.id)}}
    target = channel or step.user_id
    response = call(lambda: client.chat_postMessage(channel=target, metadata=metadata, **message.as_kwargs()))
    return response.get("channel") or channel, response.get("ts")


def reconcile(client: WebClient, channel: str, message_id: int, *, since: datetime) -> str | None:
    """The ts of this step's message if an earlier attempt posted it (found by metadata). Reads
    every message since the first post attempt (minus a margin for clock skew), page by page, so
    a busy DM cannot hide the earlier post and cause a second one."""
    wanted = step_id(message_id)
    oldest = f"{(since - RECONCILE_MARGIN).timestamp():.6f}"
    cursor: str | None = None
    while True:
        page = call(partial(_history_page, client, channel, oldest, cursor))
        messages: list[Any] = page.get("messages") or []
        for message in messages:
            if _step_of(message) == wanted:
                return message.get("ts")
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None


def _history_page(client: WebClient, channel: str, oldest: str, cursor: str | None) -> SlackResponse:
    return client.conversations_history(
        channel=channel, oldest=oldest, limit=HISTORY_PAGE, include_all_metadata=True, cursor=cursor
    )


def _step_of(message: Any) -> object:
    """The step id a message's metadata carries, if any."""
    metadata = message.get("metadata") if isinstance(message, dict) else None
    payload = metadata.get("event_payload") if isinstance(metadata, dict) else None
    return payload.get("step") if isinstance(payload, dict) else None
