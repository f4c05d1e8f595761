"""Keyed hashes of Slack ids, for people Nudge must remember without knowing who they are
(welcome DMs to people who never joined, one-time requests, erased candidates)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

HASH_PREFIX = "h1:"


def subject_hash(secret: str, slack_user_id: str) -> str:
    """HMAC-SHA256 of the Slack id under the deployment's secret: stable, not reversible, and
    useless without the secret (a plain hash of a Slack id could be matched by guessing ids)."""
    digest = hmac.new(secret.encode(), slack_user_id.encode(), hashlib.sha256).hexdigest()
    return HASH_PREFIX + digest


# The fingerprint is an HMAC of this fixed label under the key: it names the key without
# revealing it, so the database can say which key its hashes were made with.
FINGERPRINT_LABEL = b"nudge suppression key fingerprint v1"


def key_fingerprint(secret: str) -> str:
    """A stable, non-reversible name for a hashing key (never the key itself)."""
    return "fp1:" + hmac.new(secret.encode(), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


KEY_UNDECIDED = (
    "NUDGE_SECRET is set and this database also holds a key Nudge generated, and Nudge cannot tell which "
    "one its hashes were made with (no record yet, no marker that tells); `python app.py doctor` says how to choose"
)


class KeyMismatch(Exception):
    """The configured hashing key is not the one the stored hashes were made with."""


def key_problem(
    *,
    configured: str | None,
    stored_key: str | None,
    stored_fingerprint: str | None,
    markers_matched: Callable[[str], int] | None = None,
) -> str | None:
    """Why this key must not be used on this database, or None when it may.

    `configured` is `NUDGE_SECRET` (None when unset); `stored_key` the key Nudge generated into
    the database (None when it never did); `stored_fingerprint` the fingerprint of the key the
    stored hashes were made with (None on a database that has not recorded one yet). Any other
    key would make every suppression hash and every once-ever marker unrecognisable: an erased
    person could be invited again and a welcome DM sent twice.

    A database from before fingerprints that holds a generated key while `NUDGE_SECRET` is set
    is ambiguous: the earlier version hashed with `NUDGE_SECRET` whenever it was set. There
    `markers_matched(key)` (how many once-ever markers of people still known by their Slack id
    that key reproduces) decides: the key the data show is kept, and with no such evidence the
    start is refused rather than guessed.
    """
    if configured is not None:
        made_with_stored = stored_key is not None and stored_fingerprint in (None, key_fingerprint(stored_key))
        if made_with_stored and stored_key is not None and stored_key != configured:
            if stored_fingerprint is None and markers_matched is not None:
                if markers_matched(configured):
                    return None  # the earlier version's hashes were made with NUDGE_SECRET: keep it
                if not markers_matched(stored_key):
                    return KEY_UNDECIDED
            return (
                "NUDGE_SECRET is set, but this database's hashes were made with a key Nudge generated into it; "
                "unset NUDGE_SECRET, or set it to that stored key — `python app.py doctor` says how"
            )
        if stored_fingerprint is not None and stored_fingerprint != key_fingerprint(configured):
            return (
                "NUDGE_SECRET differs from the key this database's suppression hashes were made with; "
                "set it back to that key — `python app.py doctor` says how"
            )
        return None
    if stored_key is None and stored_fingerprint is not None:
        return (
            "NUDGE_SECRET is unset, but this database's suppression hashes were made with a key set in NUDGE_SECRET; "
            "set it back to that key"
        )
    if stored_key is not None and stored_fingerprint is not None and stored_fingerprint != key_fingerprint(stored_key):
        return (
            "NUDGE_SECRET is unset, and the key stored in the database is not the one its hashes were made with; "
            "set NUDGE_SECRET to the key they were made with"
        )
    return None
