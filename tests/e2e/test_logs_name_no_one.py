"""Logs name people by a keyed hash of their Slack id, never the id itself: `forget` cannot
reach a log, so an id written there would outlive the person's erasure."""

from __future__ import annotations

import logging

from tests.support import journeys
from tests.support.journeys import CAND, DM, RECRUITER, run
from tests.support.slackreq import im_message_event
from tests.support.waiting import wait_until

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


def _everything_logged(records) -> str:
    lines = []
    for record in records:
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        lines.append(f"{record.getMessage()} {extras}")
    return "\n".join(lines)


def test_a_journey_logs_no_slack_id_and_names_the_person_by_their_hash(app, caplog):
    with caplog.at_level(logging.DEBUG, logger="bot"), caplog.at_level(logging.INFO):
        journeys.accepted(app)
        run(app, "pause 2027-02-01", user=CAND)
        run(app, "resume", user=CAND)
        posts = len(journeys.posted_to(app))
        app.slack.event(im_message_event(user_id=CAND, text="help"))
        wait_until(lambda: len(journeys.posted_to(app)) > posts)
        run(app, "stop", user=CAND)
        run(app, "forget", user=CAND)
        wait_until(lambda: any(getattr(r, "action", "") == "candidate.erased" for r in caplog.records))
    logged = _everything_logged(caplog.records)
    for slack_id in (CAND, RECRUITER, DM, CAND[1:]):
        assert slack_id not in logged
    named = {getattr(r, "person", None) for r in caplog.records} - {None}
    assert named == {app.hash_of(CAND)}


def test_the_log_handler_names_anyone_left_in_a_message_by_their_hash():
    """The handler's filter is the safety net for text Nudge does not write itself (an error
    from a library quoting a request): user and DM channel ids become the keyed hash."""
    from bot import logs

    logs.name_people_with(lambda user_id: f"h1:{user_id.lower()}")
    try:
        redactor = logs.RedactSecrets([])
        text = redactor.redact("users.info for UCAND0007 in D0AB12CD3 failed; U024BE7LH too; not UTC or USD")
    finally:
        logs.name_people_with(None)
    assert text == "users.info for h1:ucand0007 in (a DM) failed; h1:u024be7lh too; not UTC or USD"
