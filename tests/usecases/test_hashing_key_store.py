"""The hashing key against a real database (SQLite and PostgreSQL): a fresh database records the
fingerprint, a different key is refused and writes nothing, the same key is accepted again."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from bot.rules.suppression import KeyMismatch, key_fingerprint
from bot.settings import load_settings
from bot.usecases.candidates import Candidates
from tests.support.clocks import MovableClock

START = datetime(2027, 1, 11, 12, 0, tzinfo=timezone.utc)
KEY, OTHER_KEY = "the-first-key-0123456789", "another-key-0123456789"


def _candidates(sessions, database_url, secret: str | None) -> Candidates:
    env = {"SLACK_BOT_TOKEN": "xoxb-1-2-keys", "SLACK_SIGNING_SECRET": "s" * 32, "DATABASE_URL": database_url}
    if secret:
        env["NUDGE_SECRET"] = secret
    return Candidates(settings=load_settings(env), clock=MovableClock(START), sessions=sessions)


def _stored(sessions) -> dict:
    with sessions() as session:
        return dict(session.execute(text("SELECT name, value FROM app_secret")).all())


def test_a_fresh_database_records_the_fingerprint_of_nudge_secret_and_never_the_key(sessions, database_url):
    assert _candidates(sessions, database_url, KEY).secret() == KEY
    assert _stored(sessions) == {"suppression_key_fingerprint": key_fingerprint(KEY)}
    assert KEY not in str(_stored(sessions))


def test_a_second_process_with_another_key_is_refused_and_writes_nothing(sessions, database_url):
    first = _candidates(sessions, database_url, KEY)
    person = first.hash_of("UCAND0001")
    before = _stored(sessions)
    with pytest.raises(KeyMismatch, match="^NUDGE_SECRET differs"):
        _candidates(sessions, database_url, OTHER_KEY).secret()
    with pytest.raises(KeyMismatch, match="^NUDGE_SECRET is unset"):
        _candidates(sessions, database_url, None).secret()  # unsetting it is a change too (no key is generated)
    assert _stored(sessions) == before
    assert _candidates(sessions, database_url, KEY).hash_of("UCAND0001") == person


def test_a_generated_key_stays_the_key(sessions, database_url):
    generated = _candidates(sessions, database_url, None).secret()
    assert _stored(sessions)["suppression_key_fingerprint"] == key_fingerprint(generated)
    with pytest.raises(KeyMismatch, match="^NUDGE_SECRET is set"):
        _candidates(sessions, database_url, OTHER_KEY).secret()
    assert _candidates(sessions, database_url, generated).secret() == generated  # the same key, moved to the environment
    assert _candidates(sessions, database_url, None).secret() == generated
