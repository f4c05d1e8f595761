"""The key Nudge hashes Slack ids with (suppression records, once-ever markers): `NUDGE_SECRET`,
or a key generated once into the database and shared by every process.

The first use (the assembly makes it at start) checks the key against the fingerprint stored with
the hashes and records it on a fresh database; a different key raises `KeyMismatch` and changes
nothing, because every suppression hash and once-ever marker made with the old key would stop
matching, and an erased person could be messaged again.
"""

from __future__ import annotations

import secrets
import threading

from bot.rules.clock import Clock
from bot.rules.suppression import KeyMismatch, key_fingerprint, key_problem, subject_hash
from storage import candidates, markers
from storage.db import SessionFactory

SECRET_NAME = "suppression_key"
# The fingerprint of the key the stored hashes were made with (generated or NUDGE_SECRET).
FINGERPRINT_NAME = "suppression_key_fingerprint"
RACE_LOST = (
    "NUDGE_SECRET differs from the key another Nudge process just recorded for this database; "
    "give every process the same NUDGE_SECRET"
)


def markers_matched(session, key: str, *, page: int = 1000) -> int:
    """Evidence of which key a database's hashes were made with: once-ever markers of people
    still known by their Slack id that `key` reproduces. Stops at the first page with a match
    (one is proof enough); read only, and only on a database that has no fingerprint yet."""
    after = 0
    while True:
        people = candidates.candidate_ids_after(session, after_id=after, limit=page)
        if not people:
            return 0
        hashes = [subject_hash(key, user_id) for _, user_id in people]
        found = markers.once_ever_markers_among(session, subject_hashes=hashes)
        if found:
            return found
        after = people[-1][0]


class HashingKeys:
    """The hashing key, checked and settled once per process, then kept in memory."""

    def __init__(self, *, configured: str | None, sessions: SessionFactory, clock: Clock) -> None:
        self._configured = configured
        self._sessions = sessions
        self._clock = clock
        self._key: str | None = None
        self._lock = threading.Lock()

    def secret(self) -> str:
        with self._lock:
            if self._key is None:
                self._key = self._settle()
            return self._key

    def hash_of(self, user_id: str) -> str:
        return subject_hash(self.secret(), user_id)

    def _settle(self) -> str:
        with self._sessions() as session, session.begin():
            stored_key = markers.stored_secret(session, name=SECRET_NAME)
            problem = key_problem(
                configured=self._configured,
                stored_key=stored_key,
                stored_fingerprint=markers.stored_secret(session, name=FINGERPRINT_NAME),
                markers_matched=lambda key: markers_matched(session, key),
            )
            if problem:
                raise KeyMismatch(problem)
            key = self._configured or markers.get_or_create_secret(
                session, name=SECRET_NAME, new_value=secrets.token_urlsafe(32), now=self._clock()
            )
            fingerprint = key_fingerprint(key)
            # Insert-if-absent: two processes starting together agree on one fingerprint.
            recorded = markers.get_or_create_secret(
                session, name=FINGERPRINT_NAME, new_value=fingerprint, now=self._clock()
            )
            if recorded != fingerprint:
                raise KeyMismatch(RACE_LOST)
        return key
