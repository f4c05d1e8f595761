"""What Slack knows about a person that Nudge needs: their time zone and their locale.

The zone Slack reports is cached on the candidate row for a day; the person's own override in
their preferences always wins. Unknown zones fall back to UTC, and the reply says which zone it
used, so a date is never silently shown in the wrong one.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.rules.language import Language, chosen_language, resolve_language
from bot.rules.preferences import CandidateSnapshot, zone_named
from bot.usecases.context import AppContext
from bot.usecases.known_languages import KnownLanguages
from bot.usecases.locale_writes import LocaleWrites
from storage import candidates

log = logging.getLogger(__name__)

TZ_CACHE_FOR = timedelta(days=1)
LOCALE_CACHE_FOR = timedelta(days=1)
LOCALE_READ_WAIT = 10.0  # seconds one asker waits for another's users.info (the client's timeout is at most 10)


@dataclass
class People:
    ctx: AppContext
    client: WebClient
    known: KnownLanguages = field(default_factory=KnownLanguages)
    locales: LocaleWrites = field(init=False)
    # Locales read from Slack in this process, so one person costs at most one read a day.
    _unstored: dict[str, tuple[datetime, str | None]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _reading: dict[str, threading.Event] = field(default_factory=dict)  # a users.info under way, per person

    def __post_init__(self) -> None:
        self.locales = LocaleWrites(self.ctx)

    def language_of(self, user_id: str | None) -> Language:
        """The language to answer this person in: their choice, else their Slack locale, else the
        default. Kept a short while in this process (`KnownLanguages` says why that is safe)."""
        if not user_id:
            return self.ctx.settings.default_language
        known = self.known.get(user_id)
        if known is not None:
            return known
        with self.known.reading(user_id) as keep:
            language = self._language_from_row(user_id)
            keep(language)
        return language

    def _language_from_row(self, user_id: str) -> Language:
        """The locale is kept on their row (or here, for people without one) and read with
        `users.info` at most once a day per person."""
        default = self.ctx.settings.default_language
        with self.ctx.sessions() as session:
            stored = candidates.language_inputs(session, slack_user_id=user_id)
        if stored is None:
            return resolve_language(choice=None, slack_locale=self._recent_locale(user_id)[0], default=default)
        choice, locale, checked = stored
        now = self.ctx.clock()
        if chosen_language(choice) is None and (checked is None or now - checked > LOCALE_CACHE_FOR):
            locale, read_now = self._recent_locale(user_id)
            if read_now:  # kept on their row for the other processes
                self.locales.remember(user_id, locale, now)
        return resolve_language(choice=choice, slack_locale=locale, default=default)

    def _recent_locale(self, user_id: str) -> tuple[str | None, bool]:
        """The Slack locale read within the last day, and whether it was read just now. A reply
        and the App Home publisher may ask at once: one of them reads, the other waits for it."""
        now = self.ctx.clock()
        with self._lock:
            known = self._unstored.get(user_id)
            if known is not None and now - known[0] <= LOCALE_CACHE_FOR:
                return known[1], False
            reading = self._reading.get(user_id)
            if reading is None:
                self._reading[user_id] = threading.Event()
        if reading is not None:
            reading.wait(timeout=LOCALE_READ_WAIT)
            with self._lock:
                known = self._unstored.get(user_id)
            return (known[1] if known is not None else None), False
        locale = None
        try:
            locale = self._slack_locale(user_id)
        finally:
            with self._lock:
                self._unstored[user_id] = (now, locale)
                self._reading.pop(user_id).set()
        return locale, True

    def _slack_locale(self, user_id: str) -> str | None:
        """The locale `users.info` reports; None when Slack cannot tell (or answers oddly)."""
        try:
            answer = self.client.users_info(user=user_id, include_locale=True).data
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("users.info failed: %s", error, extra={"action": "people.locale_unknown"})
            return None
        user = answer.get("user") if isinstance(answer, dict) else None
        locale = user.get("locale") if isinstance(user, dict) else None
        return locale if isinstance(locale, str) else None

    def slack_tz(self, user_id: str) -> str | None:
        """The time zone name from `users.info`, or None if Slack cannot tell us."""
        try:
            user = self.client.users_info(user=user_id)["user"]
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("users.info failed: %s", error, extra={"action": "people.tz_unknown"})
            return None
        return user.get("tz")

    def zone_name(self, snapshot: CandidateSnapshot) -> str:
        """The zone to show and schedule in: override, else Slack's (cached a day), else UTC."""
        if snapshot.tz_override and zone_named(snapshot.tz_override):
            return snapshot.tz_override
        tz = snapshot.slack_tz
        if tz is None or self._stale(snapshot):
            tz = self.slack_tz(snapshot.user_id)
            self.remember_slack_tz(snapshot.user_id, tz)
        return tz if tz and zone_named(tz) else "UTC"

    def zone(self, snapshot: CandidateSnapshot) -> ZoneInfo:
        return ZoneInfo(self.zone_name(snapshot))

    def _stale(self, snapshot: CandidateSnapshot) -> bool:
        checked = snapshot.slack_tz_checked_at
        return checked is None or self.ctx.clock() - checked > TZ_CACHE_FOR

    def remember_slack_tz(self, user_id: str, tz: str | None) -> None:
        """Cache the zone Slack reports, for people Nudge already stores (no row is created)."""
        with self.ctx.sessions() as session, session.begin():
            candidates.remember_slack_tz(session, slack_user_id=user_id, tz=tz, now=self.ctx.clock())
