"""Use cases: each one loads what it needs, asks the pure rules, and stores the result in one
transaction. No Slack calls here: replies are rendered by handlers, and anything that must reach
a person is queued in the outbox in the same transaction as the change that caused it. After a
commit that changes a person's state, the `on_change` listeners hear about it (the App Home tab
refreshes that way, whichever surface made the change).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime

from bot.copy import candidate as messages
from bot.rules import consent
from bot.rules.clock import Clock
from bot.rules.consent import (
    INVITATIONS_SCOPE,
    PREFERENCES_SCOPE,
    Action,
    ConsentChange,
    ConsentStatus,
    Standing,
    Via,
)
from bot.rules.eligibility import Cadence
from bot.rules.grammar import parse_send_window
from bot.rules.keywords import DmIntent, classify_dm
from bot.rules.preferences import CandidateSnapshot, Preferences
from bot.rules.steps import ENDED_BY_OPT_OUT, HELD_BY_PAUSE, Kind
from bot.rules.suppression import KeyMismatch, key_fingerprint, key_problem, subject_hash
from bot.settings import Settings
from storage import queries
from storage import recruiting as recruiting_queries
from storage.db import SessionFactory

log = logging.getLogger(__name__)

# Outbox kinds (rendered by `bot.delivery.render`).
REPLY_OPTED_OUT = Kind.REPLY_OPTED_OUT
REPLY_ALREADY_OPTED_OUT = Kind.REPLY_ALREADY_OPTED_OUT
REPLY_HELP = Kind.REPLY_HELP
REPLY_POINTER = Kind.REPLY_POINTER
WELCOME = Kind.WELCOME
OPT_IN_REQUEST = Kind.OPT_IN_REQUEST

SECRET_NAME = "suppression_key"
# The fingerprint of the key the stored hashes were made with (generated or NUDGE_SECRET).
FINGERPRINT_NAME = "suppression_key_fingerprint"


@dataclass(frozen=True)
class DirectMessage:
    """The parts of a `message.im` event Nudge acts on."""

    event_id: str | None
    channel_id: str
    ts: str
    user_id: str
    text: str


@dataclass(frozen=True)
class PauseResult:
    """`applied` is False when there was nothing to pause or resume (the reply says why)."""

    applied: bool
    standing: Standing
    paused_until: datetime | None


def _record_pause_event(session, user_id: str, action: Action, *, via: Via, actor: str, now: datetime) -> None:
    queries.record_ledger_event(
        session,
        subject=user_id,
        scope=INVITATIONS_SCOPE,
        action=action.value,
        via=via.value,
        wording_version=messages.PAUSE_WORDING_VERSION,
        actor=actor,
        now=now,
    )


def markers_matched(session, key: str, *, page: int = 1000) -> int:
    """Evidence of which key a database's hashes were made with: once-ever markers of people
    still known by their Slack id that `key` reproduces. Stops at the first page with a match
    (one is proof enough); read only, and only on a database that has no fingerprint yet."""
    after = 0
    while True:
        people = queries.candidate_ids_after(session, after_id=after, limit=page)
        if not people:
            return 0
        found = queries.once_ever_markers_among(
            session, subject_hashes=[subject_hash(key, user_id) for _, user_id in people]
        )
        if found:
            return found
        after = people[-1][0]


@dataclass
class Candidates:
    """The application's use cases, assembled once with settings, a clock and sessions."""

    settings: Settings
    clock: Clock
    sessions: SessionFactory
    on_change: list[Callable[[str], None]] = field(default_factory=list)
    background: Executor | None = None  # for work that must wait (see `when_quiet`)
    metrics: object | None = None  # bot.metrics.Metrics, set by the assembly
    _secret: str | None = field(default=None, init=False, repr=False)
    _secret_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    # --- who is who ----------------------------------------------------------------------------

    def is_recruiter(self, user_id: str) -> bool:
        """Environment ids, plus people an admin added by command."""
        if user_id in self.settings.all_recruiters:
            return True
        with self.sessions() as session:
            return recruiting_queries.is_added_recruiter(session, user_id=user_id)

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admins

    def secret(self) -> str:
        """The key for hashing Slack ids: `NUDGE_SECRET`, or a key generated once into the
        database and shared by every process. The first call (app.build makes it at start)
        checks the key against the fingerprint stored with the hashes and records it on a fresh
        database; a different key raises `KeyMismatch` and changes nothing, because every
        suppression hash and once-ever marker made with the old key would stop matching."""
        with self._secret_lock:
            if self._secret is None:
                with self.sessions() as session, session.begin():
                    configured = self.settings.secret
                    stored_key = queries.stored_secret(session, name=SECRET_NAME)
                    recorded = queries.stored_secret(session, name=FINGERPRINT_NAME)
                    problem = key_problem(
                        configured=configured,
                        stored_key=stored_key,
                        stored_fingerprint=recorded,
                        markers_matched=lambda key: markers_matched(session, key),
                    )
                    if problem:
                        raise KeyMismatch(problem)
                    key = configured or queries.get_or_create_secret(
                        session, name=SECRET_NAME, new_value=secrets.token_urlsafe(32), now=self.clock()
                    )
                    fingerprint = key_fingerprint(key)
                    # Insert-if-absent: two processes starting together agree on one fingerprint.
                    if (
                        queries.get_or_create_secret(
                            session, name=FINGERPRINT_NAME, new_value=fingerprint, now=self.clock()
                        )
                        != fingerprint
                    ):
                        raise KeyMismatch(
                            "NUDGE_SECRET differs from the key another Nudge process just recorded for this database; "
                            "give every process the same NUDGE_SECRET"
                        )
                self._secret = key
            return self._secret

    def hash_of(self, user_id: str) -> str:
        return subject_hash(self.secret(), user_id)

    def lock_candidate(self, session, user_id: str, now: datetime):
        """The person's row, created if new and locked; None for someone erased (see
        `queries.lock_candidate`: nothing stores them again until they `join`)."""
        return queries.lock_candidate(session, slack_user_id=user_id, subject_hash=self.hash_of(user_id), now=now)

    def _changed(self, user_id: str) -> None:
        for listener in self.on_change:
            listener(user_id)

    notify_changed = _changed

    # --- consent -------------------------------------------------------------------------------

    def consent_status(self, user_id: str) -> ConsentStatus:
        with self.sessions() as session:
            return queries.consent_status(session, slack_user_id=user_id)

    def join(self, user_id: str, *, via: Via) -> ConsentChange:
        """Opt in at once; joining twice changes nothing and writes nothing. Someone who asked
        to be forgotten may come back this way (only they can: nobody else can re-add them)."""
        subject = self.hash_of(user_id)  # may create the key: its own write, once per database

        def come_back(session) -> None:
            # An erasure still pending (a send was in flight) is finished first: they asked for
            # it, and coming back starts afresh. The late send cannot matter to someone rejoining.
            queries.lock_existing_candidate(session, slack_user_id=user_id)  # the row, then the request
            request = queries.lock_erasure_request(session, slack_user_id=user_id)
            if request is not None:
                self._erase_in(session, user_id, request.reason, self.clock())
            queries.lift_suppression(session, subject_hash=subject)

        return self._change_consent(user_id, consent.opt_in, via, messages.OPT_IN_WORDING_VERSION, before=come_back)

    def is_suppressed(self, user_id: str) -> bool:
        with self.sessions() as session:
            return queries.is_suppressed(session, subject_hash=self.hash_of(user_id))

    def erase(self, user_id: str, *, reason: str, wait: bool = True) -> bool:
        """Forget a person: their personal data goes, a keyed-hash suppression record stays.

        One transaction opts them out, cancels everything still owed to them, suppresses them
        and records the erasure as pending; the erasure itself then runs at once, or, while a
        send to them is in flight (a late send must not write their ids back), once it has
        landed. The pending record is durable: if this process dies first, the erasure tick of
        any process finishes it. True when the erasure is finished now."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            candidate = queries.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is not None:
                change = consent.opt_out(ConsentStatus(candidate.consent_status))
                self.apply_in(
                    session,
                    candidate,
                    change,
                    via=Via(reason),
                    wording_version=messages.OPT_OUT_WORDING_VERSION,
                    actor=user_id,
                    now=now,
                )
            queries.request_erasure(
                session, slack_user_id=user_id, subject_hash=self.hash_of(user_id), reason=reason, now=now
            )
        if self.finish_erasure(user_id):
            return True
        if not wait:  # a purge goes on to the next person: the erasure tick finishes this one
            return False
        if self.background is None:
            self.wait_until_quiet(user_id)
            return self.finish_erasure(user_id)

        def later() -> None:
            self.wait_until_quiet(user_id, timeout=self.settings.claim_lease.total_seconds() + 10)
            self.finish_erasure(user_id)

        self.background.submit(later)  # a quick path only: the erasure tick is the guarantee
        return False

    def finish_erasure(self, user_id: str) -> bool:
        """Run a pending erasure unless a send to the person is in flight; True when nothing is
        left pending. Their row is locked first (as the sender and `erase` lock it), so a sender
        recording its send either finished before (its lock is gone) or finds them erased."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            # One lock order everywhere an erasure is touched: the person's row, then the request.
            queries.lock_existing_candidate(session, slack_user_id=user_id)
            request = queries.lock_erasure_request(session, slack_user_id=user_id)
            if request is None:
                return True
            if queries.send_in_flight(session, user_id=user_id, now=now):
                return False
            self._erase_in(session, user_id, request.reason, now)
        log.info("person erased", extra={"action": "candidate.erased", "reason": request.reason})
        self._changed(user_id)
        return True

    def finish_pending_erasures(self, batch: int = 100) -> int:
        """The erasure tick: finish every pending erasure whose person has no send in flight
        (each its own short transaction); returns how many were finished."""
        with self.sessions() as session:
            pending = queries.pending_erasures(session, limit=batch)
        return sum(self.finish_erasure(user_id) for user_id in pending)

    def _erase_in(self, session, user_id: str, reason: str, now: datetime) -> None:
        queries.erase_person(session, slack_user_id=user_id, subject_hash=self.hash_of(user_id), reason=reason, now=now)
        queries.delete_erasure_request(session, slack_user_id=user_id)
        session.flush()

    def renew_consent(self, user_id: str, *, keep: bool) -> bool:
        """The answer to the consent-renewal question; False when nothing was asked."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            candidate = queries.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None or ConsentStatus(candidate.consent_status) is not ConsentStatus.OPTED_IN:
                return False
            candidate.renewal_asked_at = None
            session.add(candidate)
            if keep:
                queries.record_ledger_event(
                    session,
                    subject=user_id,
                    scope=INVITATIONS_SCOPE,
                    action=Action.RENEWED.value,
                    via=Via.BUTTON.value,
                    wording_version=messages.RENEWAL_WORDING_VERSION,
                    actor=user_id,
                    now=now,
                )
            else:
                self.apply_in(
                    session,
                    candidate,
                    consent.opt_out(ConsentStatus.OPTED_IN),
                    via=Via.BUTTON,
                    wording_version=messages.RENEWAL_WORDING_VERSION,
                    actor=user_id,
                    now=now,
                )
        self._changed(user_id)
        return True

    def stop(self, user_id: str, *, via: Via) -> ConsentChange:
        """Opt out at once; stopping twice changes nothing and writes nothing."""
        return self._change_consent(user_id, consent.opt_out, via, messages.OPT_OUT_WORDING_VERSION)

    def _change_consent(self, user_id: str, rule, via: Via, wording_version: str, before=None) -> ConsentChange:
        """One transaction (one commit) per request: `before` runs inside it, ahead of the change."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            if before is not None:
                before(session)
            change = self._apply(session, user_id, rule, via, wording_version, now)
        self._log_change(user_id, change, via)
        if change.changed:
            self._changed(user_id)
        return change

    def _apply(self, session, user_id, rule, via, wording_version, now) -> ConsentChange:
        candidate = self.lock_candidate(session, user_id, now)
        if candidate is None:  # erased: they are opted out already, and stay unstored
            return rule(ConsentStatus.OPTED_OUT)
        change = rule(ConsentStatus(candidate.consent_status))
        self.apply_in(session, candidate, change, via=via, wording_version=wording_version, actor=user_id, now=now)
        return change

    @staticmethod
    def apply_in(session, candidate, change: ConsentChange, *, via: Via, wording_version: str, actor: str, now) -> None:
        """Store a consent change inside the caller's transaction, with what it cancels."""
        user_id = candidate.slack_user_id
        if change.changed and change.after is ConsentStatus.OPTED_OUT:
            # Same transaction: nothing queued before the opt-out can go out after it.
            recruiting_queries.cancel_queued(session, now=now, reason="opted_out", candidate_id=user_id)
            queries.cancel_steps(session, now=now, reason="opted_out", slack_user_id=user_id, kinds=ENDED_BY_OPT_OUT)
        if change.after is ConsentStatus.OPTED_OUT:
            # `stop` and `forget` end every sharing grant that still stands.
            from bot.usecases.after_yes import withdraw_all_grants_in

            withdraw_all_grants_in(session, candidate_id=user_id, via=via, actor=actor, now=now)
        queries.apply_consent_change(
            session,
            candidate=candidate,
            change=change,
            via=via.value,
            wording_version=wording_version,
            actor=actor,
            now=now,
        )

    def _log_change(self, user_id: str, change: ConsentChange, via: Via) -> None:
        action = f"consent.{change.action.value}" if change.changed else "consent.unchanged"
        if change.changed and self.metrics is not None:
            self.metrics.consent(change.action.value)
        log.info(
            "consent %s -> %s via %s",
            change.before.value,
            change.after.value,
            via.value,
            extra={"action": action, "slack_user_id": user_id},
        )

    # --- pause and resume --------------------------------------------------------------------

    def pause(self, user_id: str, *, until: datetime, via: Via) -> PauseResult:
        """Pause every invitation until `until`; only someone opted in has anything to pause."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            candidate = queries.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None:  # asking changes nothing, and stores nothing about them
                return PauseResult(False, Standing.NOT_JOINED, None)
            status = ConsentStatus(candidate.consent_status)
            if status is not ConsentStatus.OPTED_IN:
                return PauseResult(False, consent.standing(status, candidate.paused_until, now), None)
            self.pause_in(session, candidate, until=until, via=via, actor=user_id, now=now)
        self._changed(user_id)
        return PauseResult(True, Standing.PAUSED, until)

    @staticmethod
    def pause_in(session, candidate, *, until: datetime, via: Via, actor: str, now: datetime) -> None:
        """Pause inside the caller's transaction: every role, queued invitations cancelled."""
        user_id = candidate.slack_user_id
        candidate.paused_until = until
        candidate.updated_at = now
        session.add(candidate)
        recruiting_queries.cancel_queued(session, now=now, reason="paused", candidate_id=user_id)
        queries.cancel_steps(session, now=now, reason="paused", slack_user_id=user_id, kinds=HELD_BY_PAUSE)
        _record_pause_event(session, user_id, Action.PAUSED, via=via, actor=actor, now=now)
        log.info("paused", extra={"action": "candidate.paused", "slack_user_id": user_id})

    def resume(self, user_id: str, *, via: Via) -> PauseResult:
        """End a pause early; without a running pause nothing changes."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            candidate = queries.lock_existing_candidate(session, slack_user_id=user_id)
            if candidate is None:
                return PauseResult(False, Standing.NOT_JOINED, None)
            status = ConsentStatus(candidate.consent_status)
            current = consent.standing(status, candidate.paused_until, now)
            if current is not Standing.PAUSED:
                return PauseResult(False, current, None)
            candidate.paused_until = None
            candidate.updated_at = now
            session.add(candidate)
            _record_pause_event(session, user_id, Action.RESUMED, via=via, actor=user_id, now=now)
        log.info("resumed", extra={"action": "candidate.resumed", "slack_user_id": user_id})
        self._changed(user_id)
        return PauseResult(True, Standing.JOINED, None)

    # --- preferences -----------------------------------------------------------------------------

    def snapshot(self, user_id: str) -> CandidateSnapshot:
        """A person's own state and preferences (defaults for people Nudge has not stored)."""
        now = self.clock()
        with self.sessions() as session:
            candidate = queries.get_candidate(session, slack_user_id=user_id)
        default_window = self.settings.send_window
        if candidate is None:
            return CandidateSnapshot(
                user_id,
                ConsentStatus.NOT_JOINED,
                Standing.NOT_JOINED,
                None,
                Cadence.QUARTERLY,
                (),
                default_window,
                True,
                None,
                None,
                (),
            )
        status = ConsentStatus(candidate.consent_status)
        window = parse_send_window(candidate.send_window) if candidate.send_window else default_window
        return CandidateSnapshot(
            user_id=user_id,
            status=status,
            standing=consent.standing(status, candidate.paused_until, now),
            paused_until=candidate.paused_until,
            cadence=Cadence(candidate.cadence),
            interests=tuple(candidate.interests or ()),
            send_window=window,
            window_is_default=candidate.send_window is None,
            tz_override=candidate.tz_override,
            slack_tz=candidate.slack_tz,
            never_companies=tuple(candidate.never_companies or ()),
            slack_tz_checked_at=candidate.slack_tz_checked_at,
            company_note=candidate.company_note,
        )

    def save_preferences(self, user_id: str, preferences: Preferences) -> bool:
        """Store all preferences at once and note the change in the ledger (no values there:
        interests and companies are personal data that `forget` must be able to erase).
        False, storing nothing, for someone erased who has not come back with `join`."""
        now = self.clock()
        with self.sessions() as session, session.begin():
            candidate = self.lock_candidate(session, user_id, now)
            if candidate is None:
                return False
            candidate.cadence = preferences.cadence.value
            candidate.interests = list(preferences.interests)
            candidate.send_window = str(preferences.send_window) if preferences.send_window else None
            candidate.tz_override = preferences.tz_override
            candidate.never_companies = list(preferences.never_companies)
            candidate.company_note = preferences.company_note
            candidate.updated_at = now
            session.add(candidate)
            queries.record_ledger_event(
                session,
                subject=user_id,
                scope=PREFERENCES_SCOPE,
                action=Action.UPDATED.value,
                via=Via.MODAL.value,
                wording_version=messages.PREFERENCES_WORDING_VERSION,
                actor=user_id,
                now=now,
            )
        log.info("preferences saved", extra={"action": "candidate.preferences", "slack_user_id": user_id})
        self._changed(user_id)
        return True

    def send_in_flight(self, user_id: str) -> bool:
        with self.sessions() as session:
            return queries.send_in_flight(session, user_id=user_id, now=self.clock())

    def wait_until_quiet(self, user_id: str, timeout: float = 60.0) -> bool:
        """Wait until no send to this person is in flight; True when quiet. A sender that died
        holding the lock stops counting when its lease ends."""
        import time

        deadline = time.monotonic() + timeout
        while self.send_in_flight(user_id):
            if time.monotonic() >= deadline:
                log.warning("a send to this person is still in flight", extra={"action": "quiet.timeout"})
                return False
            time.sleep(0.05)
        return True

    def when_quiet(self, user_id: str, action: Callable[[], None]) -> bool:
        """Run `action` now if no send to this person is in flight (True), else in the
        background once the send has finished (False). Confirmations of an opt-out go this
        way, so they never overtake a message already on its way, and never hold up an ack."""
        if not self.send_in_flight(user_id) or self.background is None:
            if self.background is None:
                self.wait_until_quiet(user_id)
            action()
            return True

        def later() -> None:
            self.wait_until_quiet(user_id, timeout=self.settings.claim_lease.total_seconds() + 10)
            action()

        self.background.submit(later)
        return False

    def remember_slack_tz(self, user_id: str, tz: str | None) -> None:
        with self.sessions() as session, session.begin():
            queries.remember_slack_tz(session, slack_user_id=user_id, tz=tz, now=self.clock())

    # --- events ----------------------------------------------------------------------------------

    def receive_dm(self, dm: DirectMessage) -> list[int] | None:
        """Act on a direct message once: returns the outbox ids to send, or None for a repeat.

        The dedupe keys, the consent change and the queued reply commit together, so a retried
        event (same `event_id`, or same channel and `ts`) has no second effect, and a crash after
        the commit still leaves the reply queued.
        """
        now = self.clock()
        # Keyed, like every other trace of a person: the key outlives an erasure by Slack's retry
        # window, and a DM channel names its person.
        keys = [f"message:{subject_hash(self.secret(), f'{dm.channel_id}:{dm.ts}')}"]
        if dm.event_id:
            keys.insert(0, f"event:{dm.event_id}")
        intent = classify_dm(dm.text)
        change = None
        with self.sessions() as session, session.begin():
            if not queries.claim_slack_event(session, keys=keys, now=now):
                # Keys that were new are kept: they name this same delivery.
                log.info("repeated event ignored", extra={"action": "event.duplicate", "keys": keys})
                return None
            if dm.channel_id.startswith("D"):
                queries.remember_dm_channel(session, slack_user_id=dm.user_id, channel_id=dm.channel_id)
            if intent is DmIntent.STOP and queries.is_suppressed(session, subject_hash=self.hash_of(dm.user_id)):
                kind = REPLY_ALREADY_OPTED_OUT  # erased: confirm, and store nothing about them
            elif intent is DmIntent.STOP:
                change = self._apply(
                    session, dm.user_id, consent.opt_out, Via.KEYWORD, messages.OPT_OUT_WORDING_VERSION, now
                )
                kind = REPLY_OPTED_OUT if change.changed else REPLY_ALREADY_OPTED_OUT
            elif intent is DmIntent.HELP:
                kind = REPLY_HELP
            else:
                kind = REPLY_POINTER
            message_id = queries.enqueue_message(
                session, slack_user_id=dm.user_id, channel_id=dm.channel_id, kind=kind, now=now
            )
        if change is not None:
            self._log_change(dm.user_id, change, Via.KEYWORD)
            if change.changed:
                self._changed(dm.user_id)
        return [message_id]

    def welcome(self, *, user_id: str, event_id: str | None) -> list[int]:
        """Queue the welcome DM for someone who joined the community channel: once per person,
        ever, and never to someone who already joined or opted out."""
        now = self.clock()
        person = self.hash_of(user_id)
        with self.sessions() as session, session.begin():
            if event_id and not queries.claim_slack_event(session, keys=[f"event:{event_id}"], now=now):
                return []
            if queries.consent_status(session, slack_user_id=user_id) is not ConsentStatus.NOT_JOINED:
                return []
            if queries.is_suppressed(session, subject_hash=person):
                return []
            if not queries.claim_one_time_message(session, kind=WELCOME, subject_hash=person, now=now):
                log.info("welcome already sent once", extra={"action": "welcome.repeat"})
                return []
            message_id = queries.enqueue_message(session, slack_user_id=user_id, channel_id=None, kind=WELCOME, now=now)
        log.info("welcome queued", extra={"action": "welcome.queued", "message_id": message_id})
        return [message_id]
