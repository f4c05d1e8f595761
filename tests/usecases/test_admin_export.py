"""The consent ledger export's exact shape."""

from __future__ import annotations

from datetime import UTC, datetime


def test_the_consent_csv_has_exactly_the_spec_columns_and_utc_times():
    from bot.usecases.admin import consent_csv
    from storage.models import ConsentEvent

    event = ConsentEvent(
        id=1,
        subject="h1:abc",
        scope="invitations",
        action="erased",
        via="command",
        wording_version="erasure",
        actor="h1:abc",
        at=datetime(2027, 1, 11, 12, 30, 5, tzinfo=UTC),
    )
    lines = consent_csv([event]).splitlines()
    assert lines == [
        "time_utc,subject,scope,action,via,wording_version,actor",
        "2027-01-11T12:30:05Z,h1:abc,invitations,erased,command,erasure,h1:abc",
    ]
