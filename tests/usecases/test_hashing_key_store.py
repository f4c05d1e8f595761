"""The hashing key against a real database (SQLite and PostgreSQL): a fresh database records the
fingerprint, a different key is refused and writes nothing, the same key is accepted again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.rules.suppression import KeyMismatch, key_fingerprint
from bot.settings import load_settings
from bot.usecases.keys import HashingKeys
from tests.support.clocks import MovableClock

START = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
KEY, OTHER_KEY = "the-first-key-0123456789", "another-key-0123456789"


def _settings(database_url, secret: str | None):
    env = {"SLACK_BOT_TOKEN": "xoxb-1-2-keys", "SLACK_SIGNING_SECRET": "s" * 32, "DATABASE_URL": database_url}
    if secret:
        env["NUDGE_SECRET"] = secret
    return load_settings(env)


def _keys(sessions, database_url, secret: str | None) -> HashingKeys:
    configured = _settings(database_url, secret).secret
    return HashingKeys(configured=configured, sessions=sessions, clock=MovableClock(START))


def _stored(sessions) -> dict:
    with sessions() as session:
        return dict(session.execute(text("SELECT name, value FROM app_secret")).all())


def test_a_fresh_database_records_the_fingerprint_of_nudge_secret_and_never_the_key(sessions, database_url):
    assert _keys(sessions, database_url, KEY).secret() == KEY
    assert _stored(sessions) == {"suppression_key_fingerprint": key_fingerprint(KEY)}
    assert KEY not in str(_stored(sessions))


def test_a_second_process_with_another_key_is_refused_and_writes_nothing(sessions, database_url):
    first = _keys(sessions, database_url, KEY)
    person = first.hash_of("UCAND0001")
    before = _stored(sessions)
    with pytest.raises(KeyMismatch, match=r"^NUDGE_SECRET differs"):
        _keys(sessions, database_url, OTHER_KEY).secret()
    with pytest.raises(KeyMismatch, match=r"^NUDGE_SECRET is unset"):
        _keys(sessions, database_url, None).secret()  # unsetting it is a change too (no key is generated)
    assert _stored(sessions) == before
    assert _keys(sessions, database_url, KEY).hash_of("UCAND0001") == person


def test_a_generated_key_stays_the_key(sessions, database_url):
    generated = _keys(sessions, database_url, None).secret()
    assert _stored(sessions)["suppression_key_fingerprint"] == key_fingerprint(generated)
    with pytest.raises(KeyMismatch, match=r"^NUDGE_SECRET is set"):
        _keys(sessions, database_url, OTHER_KEY).secret()
    assert _keys(sessions, database_url, generated).secret() == generated  # the same key, moved to the environment
    assert _keys(sessions, database_url, None).secret() == generated


def _legacy_database(sessions, *, generated: str, markers_made_with: str | None) -> None:
    """A database from before fingerprints: a generated key, no fingerprint, one candidate who
    got a welcome DM whose once-ever marker was hashed with `markers_made_with`."""
    from bot.rules.suppression import subject_hash

    with sessions() as session, session.begin():
        session.execute(
            text("INSERT INTO app_secret (name, value, created_at) VALUES ('suppression_key', :v, :t)"),
            {"v": generated, "t": START},
        )
        session.execute(
            text(
                "INSERT INTO candidate (slack_user_id, consent_status, created_at, updated_at, cadence, interests, never_companies)"
                " VALUES ('UCAND0007', 'opted_in', :t, :t, 'quarterly', '[]', '[]')"
            ),
            {"t": START},
        )
        if markers_made_with:
            session.execute(
                text("INSERT INTO one_time_message (kind, subject_hash, at) VALUES ('welcome', :h, :t)"),
                {"h": subject_hash(markers_made_with, "UCAND0007"), "t": START},
            )


GENERATED = "a-key-nudge-generated-0123456789"


def test_an_upgrade_keeps_the_nudge_secret_the_earlier_version_hashed_with(sessions, database_url):
    """The earlier version used NUDGE_SECRET whenever it was set, over a generated key: its
    hashes say so, and switching back to the generated key would make them unrecognisable."""
    _legacy_database(sessions, generated=GENERATED, markers_made_with=KEY)
    assert _keys(sessions, database_url, KEY).secret() == KEY
    assert _stored(sessions)["suppression_key_fingerprint"] == key_fingerprint(KEY)


def test_an_upgrade_refuses_a_nudge_secret_the_hashes_were_not_made_with(sessions, database_url):
    _legacy_database(sessions, generated=GENERATED, markers_made_with=GENERATED)
    with pytest.raises(
        KeyMismatch, match=r"^NUDGE_SECRET is set, but this database's hashes were made with a key Nudge generated"
    ):
        _keys(sessions, database_url, KEY).secret()
    assert "suppression_key_fingerprint" not in _stored(sessions)


def test_an_upgrade_with_nothing_to_tell_the_keys_apart_asks_instead_of_guessing(sessions, database_url):
    _legacy_database(sessions, generated=GENERATED, markers_made_with=None)
    with pytest.raises(KeyMismatch, match="cannot tell which"):
        _keys(sessions, database_url, KEY).secret()
    assert "suppression_key_fingerprint" not in _stored(sessions)


def test_doctor_reads_the_same_evidence_and_says_how_to_choose_when_there_is_none(sessions, database_url, engine):
    from bot.doctor import CHOOSE_KEY, hashing_key_check

    settings = _settings(database_url, KEY)
    _legacy_database(sessions, generated=GENERATED, markers_made_with=None)
    undecided = hashing_key_check(settings, engine)
    assert undecided.level == "fail" and CHOOSE_KEY in undecided.detail
    with sessions() as session, session.begin():
        from bot.rules.suppression import subject_hash

        session.execute(
            text("INSERT INTO one_time_message (kind, subject_hash, at) VALUES ('welcome', :h, :t)"),
            {"h": subject_hash(KEY, "UCAND0007"), "t": START},
        )
    assert hashing_key_check(settings, engine).level == "ok"
