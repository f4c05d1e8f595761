"""End-to-end: `/nudge mydata`, `/nudge forget`, consent renewal and retention (daily jobs)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import text

from bot.copy import journey as copy
from tests.support import journeys, records
from tests.support.slackreq import member_joined_channel_event
from tests.support.waiting import dump_database, wait_until

CAND = "UCAND0009"
DM = "D" + CAND[1:]
START = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)  # the clock's start: a Monday, inside the default window


APP_SETTINGS = {"NUDGE_COMMUNITY_CHANNEL": "CCOMMUNITY1"}

run = partial(journeys.run, user=CAND)  # commands come from the candidate unless a test says otherwise


def dump(app) -> str:
    return dump_database(app.engine)


def test_forget_erases_personal_data_and_keeps_only_a_suppression_hash(app):
    run(app, "join")
    app.slack.submit_view(
        user_id=CAND,
        callback_id="nudge.preferences",
        values={
            "days": {"value": {"type": "checkboxes", "selected_options": [{"value": "Mon"}]}},
            "start": {"value": {"type": "static_select", "selected_option": {"value": "10:00"}}},
            "end": {"value": {"type": "static_select", "selected_option": {"value": "12:00"}}},
            "interests": {"value": {"type": "plain_text_input", "value": "rust, kernels"}},
            "never_companies": {"value": {"type": "plain_text_input", "value": "Initrode"}},
        },
    )
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    run(app, f"invite <@{CAND}> 1 Saw your secret side project", user="URECRUIT1")
    reply = run(app, "forget")
    assert "erased" in reply["text"] and "/nudge join" in reply["text"]
    wait_until(lambda: CAND not in dump(app))
    everything = dump(app)
    for personal in (CAND, CAND[1:], "rust", "Initrode", "secret side project"):
        assert personal not in everything
    with app.sessions() as session:
        ledger = session.execute(text("SELECT subject, action FROM consent_event ORDER BY id")).all()
    assert all(subject.startswith("h1:") for subject, _ in ledger)
    assert ledger[-1][1] == "erased"


def test_after_forget_nobody_can_message_or_re_add_them(app):
    run(app, "join")
    run(app, "forget")
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    refused = run(app, f"invite <@{CAND}> 1", user="URECRUIT1")
    assert "opted out" in refused["text"] and "Nothing can be done" in refused["text"]
    app.slack.event(member_joined_channel_event(user_id=CAND, channel="CCOMMUNITY1"))
    from tests.support.slackreq import im_message_event

    app.slack.event(im_message_event(user_id="UMARKER01", text="hello"))
    posted = app.fake.wait_for("chat.postMessage")
    assert [c.args["channel"] for c in posted] == ["DMARKER01"]
    assert CAND not in dump(app)


def test_they_can_come_back_on_their_own(app):
    run(app, "join")
    run(app, "forget")
    assert "You're in" in run(app, "join")["text"]
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_in"


def test_mydata_sends_everything_as_a_json_file_in_their_dm(app):
    run(app, "join")
    run(app, "role add Data Lead | (confidential) Globex | x | data", user="URECRUIT1")
    run(app, f"invite <@{CAND}> 1 Hello &amp; welcome", user="URECRUIT1")
    reply = run(app, "mydata")
    assert "arrives as a file" in reply["text"]
    complete = app.fake.wait_for("files.completeUploadExternal")[0]
    assert complete.args.get("channel_id") == DM or DM in json.dumps(complete.args)
    uploaded = json.loads(next(iter(app.fake.uploads.values())))
    assert uploaded["slack_user_id"] == CAND and uploaded["status"] == "opted_in"
    assert [e["action"] for e in uploaded["consent_history"]] == ["granted"]
    (invitation,) = uploaded["invitations"]
    assert invitation["role"] == "Data Lead" and invitation["company"] == "(confidential)"
    assert invitation["note"] == "Hello & welcome"
    assert uploaded["preferences"]["cadence"] == "quarterly"


def test_consent_renewal_is_asked_once_after_the_period_and_lapses_after_30_days(app, clock):
    run(app, "join")
    clock.set(START + timedelta(days=364))
    assert app.run_daily() is True
    assert app.fake.calls_to("chat.postMessage") == []
    clock.set(START + timedelta(days=365))  # Tuesday 11 January 2028, 12:00
    assert app.run_daily() is True
    assert app.run_daily() is False  # once a day
    app.send_due()
    (ask,) = app.fake.calls_to("chat.postMessage")
    assert "keep them" in ask.args["text"]
    labels = [e["text"]["text"] for b in ask.decoded["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Keep my opt-in", "End it"]
    clock.advance(days=1)
    app.run_daily()
    app.send_due()
    assert len(app.fake.calls_to("chat.postMessage")) == 1  # not asked twice
    clock.advance(days=30)
    app.run_daily()
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_out"
        last = records.consent_history(session, CAND)[-1]
    assert (last.action, last.via, last.actor) == ("withdrawn", "system", "nudge")


def test_keeping_the_opt_in_renews_it(app, clock):
    run(app, "join")
    clock.set(START + timedelta(days=365))
    app.run_daily()
    app.send_due()
    ts = wait_until(lambda: next((m["ts"] for m in app.fake.messages_in(DM) if "keep them" in m.get("text", "")), None))
    app.slack.click(
        user_id=CAND,
        action_id=copy.ACTION_RENEW_KEEP,
        value="keep",
        container={"type": "message", "message_ts": ts, "channel_id": DM, "is_ephemeral": False},
    )
    wait_until(lambda: app.fake.calls_to("chat.update"))
    clock.advance(days=40)
    app.run_daily()
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_in"
        actions = [e.action for e in records.consent_history(session, CAND)]
    assert actions == ["granted", "renewed"]


def test_retention_erases_people_with_no_contact_for_the_period(app, clock):
    run(app, "join")
    run(app, "join", user="URECENT01")
    clock.set(START + timedelta(days=700))
    run(app, "pause 7d", user="URECENT01")  # contact
    clock.set(START + timedelta(days=731))
    assert app.run_daily() is True
    everything = dump(app)
    assert CAND not in everything and "URECENT01" in everything
    with app.sessions() as session:
        assert session.execute(text("SELECT reason FROM suppression")).scalars().all() == ["retention"]


def test_the_daily_jobs_stream_candidates_in_pages_smaller_than_the_crowd(app, clock):
    people = [f"UPAGE{n:04d}" for n in range(7)]
    for person in people:
        run(app, "join", user=person)
    clock.set(START + timedelta(days=365))
    small = app.daily_jobs(batch_size=2)
    assert small.consent_renewal() == len(people)  # everyone, across four pages
    assert small.consent_renewal() == 0  # asked once
    clock.set(START + timedelta(days=365 + 700))
    run(app, "pause 7d", user=people[3])  # contact
    clock.set(START + timedelta(days=365 + 731))
    assert small.retention() == len(people) - 1
    gone = [person for person in people if person != people[3]]
    wait_until(lambda: not any(person in dump(app) for person in gone))
    assert people[3] in dump(app)


def test_the_daily_jobs_run_once_a_day_whoever_asks(app, clock):
    other = app.daily_jobs()
    assert [app.run_daily(), other.run()] == [True, False]
    clock.advance(days=1)
    assert [other.run(), app.run_daily()] == [True, False]


def test_an_erased_person_who_types_stop_is_answered_and_nothing_is_stored(app):
    from tests.support.slackreq import im_message_event

    run(app, "join")
    run(app, "forget")
    wait_until(lambda: CAND not in dump(app))
    app.slack.event(im_message_event(user_id=CAND, text="stop"))
    (reply,) = app.fake.wait_for("chat.postMessage")
    assert "already opted out" in reply.args["text"]
    wait_until(lambda: all(CAND not in line for line in dump(app).splitlines() if "dm." in line))
    with app.sessions() as session:
        assert records.candidate(session, CAND) is None


def test_replies_to_people_who_never_joined_keep_only_a_hash(app):
    from tests.support.slackreq import im_message_event

    app.slack.event(im_message_event(user_id="USTRANGER", text="hi there"))
    app.fake.wait_for("chat.postMessage")
    wait_until(lambda: all("USTRANGER" not in line for line in dump(app).splitlines() if "dm.pointer" in line))
    with app.sessions() as session:
        assert records.candidate(session, "USTRANGER") is None


def test_the_daily_jobs_read_a_page_of_people_in_a_few_statements_not_several_per_person(app, clock):
    """At 100k candidates, per-person lookups were 300k statements: minutes of one thread's CPU
    taken from the acks. What each page needs is read for the whole page at once."""
    import threading

    from sqlalchemy import event

    people = [f"UREAD{n:04d}" for n in range(40)]
    for person in people:
        run(app, "join", user=person)
    clock.set(START + timedelta(days=30))  # nobody due for renewal, retention or a lapse
    jobs = app.daily_jobs(batch_size=10, pause=0)
    statements = []
    engine = app.engine
    here = threading.get_ident()  # the App Home worker reads too, on its own thread

    def listener(_conn, _cursor, statement, *_args):
        if threading.get_ident() == here and not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert (jobs.consent_renewal(), jobs.renewal_lapses(), jobs.retention()) == (0, 0, 0)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    reads = 5  # 40 people in pages of 10, then an empty page, for each of the three jobs
    # per page: one grouped lookup for renewal, two for retention (per person, it was 3 x 40)
    assert len(statements) <= reads * 3 + 4 * 3


def test_the_daily_job_rests_between_pages_in_proportion_to_the_work_of_each(app, clock):
    """The job shares the interpreter and the machine with the acks: after each page it rests
    `share` times as long as the page took (never less than `pause`), so on any machine it takes
    at most a quarter of the time and `/nudge help` stays quick while it runs."""
    for n in range(25):
        run(app, "join", user=f"UPACE{n:04d}")
    clock.set(START + timedelta(days=30))
    readings = iter([0.0, 0.2, 1.0, 1.001, 2.0, 2.05])  # three pages: 0.2 s, 1 ms and 50 ms of work
    rests: list[float] = []
    jobs = app.daily_jobs(
        batch_size=10,
        pause=0.02,
        share=3.0,
        timer=lambda: next(readings),
        rest=rests.append,
    )
    slices = [piece for _now, piece in jobs._slices()]
    assert [piece.scanned for piece in slices] == [10, 10, 5]
    # After the first two pages (the last, short page ends the job without a rest):
    assert rests == pytest.approx([0.6, 0.02])


def test_one_walk_does_all_three_daily_jobs_and_hands_on_only_the_people_who_may_be_due(app, clock):
    """Issue 22 at a million candidates: three walks, each handing every candidate to Python,
    were most of the job's cost. One walk reads each slice once, narrowed to who may be due."""
    import threading

    from sqlalchemy import event

    early = [f"UEARLY{n:03d}" for n in range(25)]
    late = [f"ULATE{n:04d}" for n in range(15)]
    for person in early:
        run(app, "join", user=person)
    clock.set(START + timedelta(days=200))
    for person in late:
        run(app, "join", user=person)
    clock.set(START + timedelta(days=365))  # the early ones are due for renewal, the late ones not
    jobs = app.daily_jobs(batch_size=10, pause=0)
    handed_on = [row.slack_user_id for _now, piece in jobs._slices() for row in piece.rows]
    assert handed_on == early
    statements = []
    here = threading.get_ident()

    def listener(_conn, _cursor, statement, *_args):
        if threading.get_ident() == here and "FROM candidate" in statement:
            statements.append(statement)

    event.listen(app.engine, "before_cursor_execute", listener)
    try:
        assert jobs.run() is True
    finally:
        event.remove(app.engine, "before_cursor_execute", listener)
    slices = [s for s in statements if "OVER ()" in s]
    assert len(slices) == 5  # 40 people in slices of 10, then an empty one: once, for all three jobs
    with app.sessions() as session:
        asked = session.execute(text("SELECT slack_user_id FROM outgoing_message WHERE kind = 'consent_renewal'"))
        assert sorted(asked.scalars()) == sorted(early)
