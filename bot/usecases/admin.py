"""Admin tools: the consent ledger as CSV in the admin's DM, and the workspace purge.

Both run after the slash command's ack (an export or a purge can take longer than Slack's
3 seconds). The purge reuses `bot.usecases.erasure.erase`, one person per short transaction, so it erases
exactly as `forget` does (suppression hashes kept, ledger re-keyed, in-flight sends waited for)
and never holds a long write lock.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from slack_sdk import WebClient

from bot.copy import admin as copy
from bot.rules.consent import Via
from bot.usecases.context import AppContext
from bot.usecases.erasure import erase
from bot.usecases.inflight import InFlight
from storage import candidates, erasure, ledger, runs
from storage.models import ConsentEvent

log = logging.getLogger(__name__)

CSV_COLUMNS = ("time_utc", "subject", "scope", "action", "via", "wording_version", "actor")


def consent_csv(events: list[ConsentEvent]) -> str:
    """The ledger rows as CSV with exactly `CSV_COLUMNS`. The ledger holds ids and codes only
    (erased people already appear as their suppression hash); no note or free text is in it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow(
            (
                event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                event.subject,
                event.scope,
                event.action,
                event.via,
                event.wording_version,
                event.actor,
            )
        )
    return out.getvalue()


@dataclass(frozen=True)
class PurgeResult:
    erased: int
    waiting: int  # erasures recorded that finish once a message on its way has landed
    finished_at: datetime


@dataclass
class Admin:
    ctx: AppContext
    inflight: InFlight
    client: WebClient
    page_size: int = 500

    def ledger(self, since: date | None) -> list[ConsentEvent]:
        """Every ledger event from the start of `since` (UTC), read a page at a time."""
        start = datetime.combine(since, time(0), tzinfo=UTC) if since else None
        events: list[ConsentEvent] = []
        after = 0
        while True:
            with self.ctx.sessions() as session:
                page = ledger.ledger_page(session, since=start, after_id=after, limit=self.page_size)
            if not page:
                return events
            events += page
            after = page[-1].id

    def export_consent(self, admin_id: str, since: date | None) -> int:
        """Upload the ledger since `since` as a CSV file to the admin's DM (files upload v2);
        returns the number of rows."""
        events = self.ledger(since)
        channel = self.client.conversations_open(users=admin_id)["channel"]["id"]
        self.client.files_upload_v2(
            channel=channel,
            filename=copy.EXPORT_FILENAME,
            title=copy.export_title(),
            content=consent_csv(events),
            initial_comment=copy.export_comment(since=since, rows=len(events)),
        )
        log.info("consent ledger exported", extra={"action": "admin.export_consent", "rows": len(events)})
        return len(events)

    def confirmed(self) -> tuple[int, int]:
        """Who a purge confirmed now erases: everyone known up to the newest candidate and step
        at this moment (read at the click, so a purge that waits for a worker erases no one
        who joined meanwhile)."""
        with self.ctx.sessions() as session:
            return erasure.purge_horizon(session)

    def purge_workspace(self, admin_id: str, horizon: tuple[int, int] | None = None) -> PurgeResult:
        """Erase, as `forget` does, every candidate and everyone with a welcome DM or opt-in
        request still queued, as they stood at the confirmation (`horizon`, from `confirmed`;
        whoever joins after it is not erased), a page at a time, each person in their own
        transaction. The ledger names `admin_id` for every row the purge writes; the purge itself
        is recorded (who, when, how many) before and after."""
        clock = self.ctx.clock
        newest_candidate, newest_step = horizon or self.confirmed()
        with self.ctx.sessions() as session, session.begin():
            purge_id = runs.start_workspace_purge(session, actor=admin_id, now=clock())
        erased = waiting = 0
        for user_id in self._people_to_purge(newest_candidate, newest_step):
            finished = erase(self.ctx, self.inflight, user_id, reason=Via.PURGE, asked_by=admin_id, wait=False)
            erased += 1
            waiting += not finished
        finished_at = clock()
        with self.ctx.sessions() as session, session.begin():
            runs.finish_workspace_purge(session, purge_id=purge_id, erased=erased, now=finished_at)
        log.info("workspace purged", extra={"action": "admin.purge_workspace", "erased": erased, "waiting": waiting})
        return PurgeResult(erased, waiting, finished_at)

    def _people_to_purge(self, newest_candidate: int, newest_step: int) -> Iterator[str]:
        """The candidates up to `newest_candidate`, then the people never stored who have a
        one-time message queued by `newest_step`: a page read at a time, none held open."""
        after, size = 0, self.page_size
        while page := self._read(candidates.candidate_ids_after, after_id=after, limit=size, up_to_id=newest_candidate):
            after = page[-1][0]
            yield from (user_id for _, user_id in page)
        last = ""
        while strangers := self._read(erasure.pending_anonymous_people, up_to_step=newest_step, after=last, limit=size):
            last = strangers[-1]
            yield from strangers

    def _read(self, query: Callable[..., list[Any]], **where: Any) -> list[Any]:
        with self.ctx.sessions() as session:
            return query(session, **where)
