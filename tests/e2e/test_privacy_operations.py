"""End-to-end: privacy operations and the erasure defects of issue 13 (an erased person is never
stored again, an erasure is never lost, the recruiter never sees a hash as a mention, strangers
are not kept by their Slack id, admin export and purge)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from sqlalchemy import text
from sqlmodel import select

from bot.copy import candidate as candidate_copy
from bot.copy import journey as journey_copy
from bot.copy import views
from tests.support import journeys, records
from tests.support.waiting import dump_database, wait_until

CAND = "UCAND0013"
DM = "D" + CAND[1:]
START = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)  # the clock's start: a Monday, inside the default window


run = partial(journeys.run, user=CAND)  # commands come from the candidate unless a test says otherwise


def dump(app) -> str:
    return dump_database(app.engine)


def stored(app, user=CAND):
    return records.candidate_row(app, user)


def forget(app, user=CAND) -> None:
    run(app, "join", user=user)
    run(app, "forget", user=user)
    wait_until(lambda: user not in dump(app))


# --- defect 2: an erased person is never stored again --------------------------------------------


def test_an_erased_person_who_runs_stop_is_told_they_are_opted_out_and_not_stored_again(app):
    forget(app)
    assert "already opted out" in run(app, "stop")["text"]
    assert stored(app) is None and CAND not in dump(app)


def test_an_erased_person_who_clicks_a_stop_button_is_not_stored_again(app):
    forget(app)
    app.slack.click(user_id=CAND, action_id=candidate_copy.ACTION_STOP, value="stop")
    (reply,) = app.fake.wait_for("response_url")
    assert "already opted out" in reply.args["text"]
    app.slack.click(
        user_id=CAND, action_id=candidate_copy.ACTION_STOP, value="stop", container={"type": "view", "view_id": "V1"}
    )  # the App Home button
    assert stored(app) is None and CAND not in dump(app)


def test_an_erased_person_who_answers_still_welcome_is_not_stored_again(app):
    forget(app)
    for action_id in (journey_copy.ACTION_STILL_WELCOME_YES, journey_copy.ACTION_STILL_WELCOME_PAUSE):
        posted = app.bot_client.chat_postMessage(channel=DM, text="Are invitations still welcome?")
        app.slack.click(
            user_id=CAND,
            action_id=action_id,
            value="keep",
            container={"type": "message", "message_ts": posted["ts"], "channel_id": DM, "is_ephemeral": False},
        )
        wait_until(lambda ts=posted["ts"]: any(c.args.get("ts") == ts for c in app.fake.calls_to("chat.update")))
    updates = app.fake.calls_to("chat.update")
    assert all("already opted out" in c.args["text"] for c in updates) and len(updates) == 2
    assert stored(app) is None and CAND not in dump(app)


def test_an_erased_person_who_saves_preferences_is_not_stored_again(app):
    forget(app)
    reply = app.slack.submit_view(
        user_id=CAND,
        callback_id=views.PREFERENCES_CALLBACK,
        values={
            "days": {"value": {"type": "checkboxes", "selected_options": [{"value": "Mon"}]}},
            "start": {"value": {"type": "static_select", "selected_option": {"value": "10:00"}}},
            "end": {"value": {"type": "static_select", "selected_option": {"value": "12:00"}}},
            "interests": {"value": {"type": "plain_text_input", "value": "rust"}},
        },
    )
    assert reply.json()["response_action"] == "errors" and "forget you" in str(reply.json()["errors"])
    assert stored(app) is None and CAND not in dump(app) and "rust" not in dump(app)


def test_an_erased_person_can_still_come_back_on_their_own(app):
    forget(app)
    assert "You're in" in run(app, "join")["text"]
    assert stored(app).consent_status == "opted_in"


# --- defect 3: an erasure is never lost -------------------------------------------------------------


class _DyingExecutor:
    """Accepts work and never runs it: what a process killed (or out of memory) does with the
    erasure it was holding in memory."""

    def submit(self, *_args, **_kwargs):
        return None

    def shutdown(self, wait: bool = True) -> None:
        return None


def _send_in_flight_to(app, user, clock) -> None:
    """A send to `user` in flight in another process (its lock taken, its Slack call not back)."""
    from datetime import timedelta

    from storage.models import SendLock

    with app.sessions() as session, session.begin():
        session.add(SendLock(user_id=user, holder="other-process:1", until=clock() + timedelta(seconds=45)))


def test_an_erasure_waiting_for_an_in_flight_send_survives_a_kill_and_a_fresh_start_finishes_it(make_app, clock):
    first = make_app(clock=clock)
    run(first, "join")
    _send_in_flight_to(first, CAND, clock)
    first.run_background_work_with(_DyingExecutor())
    reply = first.slack.command("forget", user_id=CAND)
    assert reply.status == 200
    with first.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_out"  # at once
    assert CAND in dump(first)  # the erasure waits for the send
    first.shutdown()  # the process dies; the in-memory job is gone with it
    clock.advance(minutes=2)  # the dead sender's lock has run out
    second = make_app(clock=clock)
    erasures = second.scheduled_job("nudge-erasures")
    assert erasures is not None
    erasures.func()
    assert CAND not in dump(second) and CAND[1:] not in dump(second)
    run(second, "role add Engineer | Acme", user="URECRUIT1")
    assert "opted out" in run(second, f"invite <@{CAND}> 1", user="URECRUIT1")["text"]
    assert CAND not in dump(second)


def test_joining_again_while_an_erasure_waits_finishes_the_erasure_first(app, clock):
    run(app, "join")
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    run(app, f"invite <@{CAND}> 1 a note about your talk", user="URECRUIT1")
    app.fake.wait_for("chat.postMessage")
    wait_until(lambda: not app.send_in_flight(CAND))
    _send_in_flight_to(app, CAND, clock)
    app.run_background_work_with(_DyingExecutor())
    app.slack.command("forget", user_id=CAND)
    assert "You're in" in run(app, "join")["text"]
    everything = dump(app)
    assert "a note about your talk" not in everything
    with app.sessions() as session:
        assert records.consent_status(session, CAND).value == "opted_in"
        assert [e.action for e in records.consent_history(session, CAND)] == ["granted"]  # afresh
    assert app.finish_pending_erasures() == 0  # nothing left to erase them later


# --- defect 10: no hash as a mention, no raw ids of strangers -----------------------------------------


def test_a_recruiter_told_about_a_candidate_erased_meanwhile_sees_no_hash_as_a_mention(app, clock):
    from storage.models import Invitation

    run(app, "join")
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    run(app, f"invite <@{CAND}> 1", user="URECRUIT1")

    def delivered():
        with app.sessions() as session:
            found = session.exec(select(Invitation)).one()
        return found if found.status == "sent" else None

    invitation = wait_until(delivered)
    wait_until(lambda: not app.send_in_flight(CAND))

    def recruiter_step_waits_for_a_retry():
        with app.sessions() as session:
            rows = session.execute(
                text("SELECT last_error FROM outgoing_message WHERE slack_user_id = 'URECRUIT1'")
            ).all()
        return any(row.last_error == "internal_error" for row in rows)

    app.fake.fail_next("chat.postMessage", "internal_error", times=10)  # every post fails for now
    app.slack.click(
        user_id=CAND,
        action_id=journey_copy.ACTION_ACCEPT,
        value=str(invitation.id),
        container={
            "type": "message",
            "message_ts": invitation.message_ts,
            "channel_id": invitation.channel_id,
            "is_ephemeral": False,
        },
    )
    wait_until(recruiter_step_waits_for_a_retry)  # the recruiter's DM waits to be retried
    app.fake.reset()  # Slack answers again
    failed_posts = len(app.fake.calls_to("chat.postMessage"))
    run(app, "forget")
    wait_until(lambda: CAND not in dump(app))
    clock.advance(minutes=5)
    app.send_due()
    told = [
        c
        for c in app.fake.calls_to("chat.postMessage")[failed_posts:]
        if "happy to chat about" in c.args.get("text", "")
    ]
    assert len(told) == 1
    assert "A candidate who asked to be forgotten is happy to chat" in told[0].args["text"]
    assert "h1:" not in told[0].args["text"] + str(told[0].args.get("blocks"))


def test_a_reply_to_a_stranger_that_fails_keeps_only_a_hash(app):
    from tests.support.slackreq import im_message_event

    app.fake.fail_next("chat.postMessage", "channel_not_found")
    app.slack.event(im_message_event(user_id="USTRANGE2", text="hello?"))
    app.fake.wait_for("chat.postMessage")
    wait_until(lambda: "channel_not_found" in dump(app))
    with app.sessions() as session:
        (row,) = session.execute(text("SELECT * FROM outgoing_message")).all()
    assert row.failed_at is not None and row.slack_user_id.startswith("h1:") and row.channel_id is None
    assert [line for line in dump(app).splitlines() if "STRANGE2" in line] == []  # not even in a dedupe key


def test_a_dm_from_an_erased_person_leaves_neither_their_id_nor_their_dm_channel(app):
    """The event dedupe keys are kept for Slack's retry window; they must not name the person
    (or their DM channel), or an erased person's DM would store them again for days."""
    from tests.support.slackreq import im_message_event

    forget(app)
    posts = len(app.fake.calls_to("chat.postMessage"))
    app.slack.event(im_message_event(user_id=CAND, text="hello again"))
    wait_until(lambda: len(app.fake.calls_to("chat.postMessage")) > posts)  # the one short pointer
    wait_until(lambda: not app.send_in_flight(CAND))
    assert [line for line in dump(app).splitlines() if CAND[1:] in line] == []


# --- admin tools -----------------------------------------------------------------------------------

ADMIN = "UADMIN1"
OTHER = "UCAND0014"


def _uploaded_csv(app) -> list[list[str]]:
    import csv
    import io

    complete = app.fake.wait_for("files.completeUploadExternal")[0]
    (file_id,) = [entry["id"] for entry in complete.decoded["files"]]
    assert complete.args["channel_id"] == "D" + ADMIN[1:]
    return list(csv.reader(io.StringIO(app.fake.uploads[file_id].decode())))


def test_export_consent_uploads_the_ledger_as_csv_to_the_admins_dm_with_erased_people_as_hashes(app, clock):
    run(app, "join", user=OTHER)
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    run(app, f"invite <@{OTHER}> 1 a private word about your blog", user="URECRUIT1")
    forget(app)  # CAND joined and asked to be forgotten
    clock.advance(days=3)
    run(app, "stop", user=OTHER)
    reply = run(app, "admin export-consent", user=ADMIN)
    assert "on its way to your DM" in reply["text"]
    rows = _uploaded_csv(app)
    assert rows[0] == ["time_utc", "subject", "scope", "action", "via", "wording_version", "actor"]
    body = rows[1:]
    subjects = {row[1] for row in body}
    erased_hash = app.hash_of(CAND)
    assert erased_hash in subjects and OTHER in subjects and CAND not in str(rows)
    assert [row[3] for row in body if row[1] == erased_hash] == ["granted", "withdrawn", "erased"]
    assert all(row[0].endswith("Z") and row[0].startswith("2027-01-") for row in body)
    assert "a private word" not in str(rows)
    since = (START.date().replace(day=START.day + 1)).isoformat()
    clock.advance(minutes=1)  # one export a minute
    run(app, f"admin export-consent {since}", user=ADMIN)
    app.fake.wait_for("files.completeUploadExternal", count=2)
    last = app.fake.calls_to("files.completeUploadExternal")[-1]
    later = app.fake.uploads[last.decoded["files"][0]["id"]].decode().splitlines()
    assert len(later) == 2 and f",{OTHER},invitations,withdrawn," in later[1]


def test_admin_tools_are_for_admins_only_and_bad_dates_upload_nothing(app):
    for user in ("URECRUIT1", CAND):
        for text_ in ("admin export-consent", "admin purge-workspace", "admin"):
            reply = run(app, text_, user=user)
            assert reply["text"] == "That's for admins only."
    for bad in ("2027-13-01", "yesterday", "20270101", "2027-01-01 extra"):
        reply = run(app, f"admin export-consent {bad}", user=ADMIN)
        assert "Nothing was exported" in reply["text"] or "Nothing was changed" in reply["text"]
    assert app.fake.calls_to("files.getUploadURLExternal") == [] and app.fake.uploads == {}


def test_help_lists_the_admin_tools_to_admins_only(app):
    assert "admin export-consent" in str(run(app, "help", user=ADMIN)) and "admin purge-workspace" in str(
        run(app, "help", user=ADMIN)
    )
    assert "admin export-consent" not in str(run(app, "help", user="URECRUIT1"))
    assert "admin" not in str(run(app, "help", user=CAND)).replace("NUDGE_ADMINS", "")


def test_purge_workspace_asks_first_then_erases_every_candidate_and_records_who_and_when(app, clock):
    from storage.models import WorkspacePurge

    people = [CAND, OTHER, "UCAND0015"]
    for person in people:
        run(app, "join", user=person)
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    run(app, f"invite <@{OTHER}> 1 remember our chat at the meetup", user="URECRUIT1")
    app.fake.wait_for("chat.postMessage")
    wait_until(lambda: not app.send_in_flight(OTHER))  # (a send in flight: see below)
    asked = run(app, "admin purge-workspace", user=ADMIN)
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Erase every candidate", "Cancel"]
    assert [b["value"] for b in buttons] == ["purge-workspace", "cancel"]
    assert all(person in dump(app) for person in people)  # nothing happens before the click
    refused = app.slack.click(user_id="URECRUIT1", action_id=buttons[0]["action_id"], value="purge-workspace")
    assert refused.status == 200
    wait_until(lambda: any("admins only" in c.args.get("text", "") for c in app.fake.calls_to("response_url")))
    assert all(person in dump(app) for person in people)
    app.slack.click(user_id=ADMIN, action_id=buttons[0]["action_id"], value="purge-workspace")
    done = wait_until(
        lambda: next((c for c in app.fake.calls_to("response_url") if c.args.get("text", "").startswith("Done")), None)
    )
    assert "3 candidates erased" in done.args["text"]
    everything = dump(app)
    for personal in (*people, *(p[1:] for p in people), "remember our chat"):
        assert personal not in everything
    with app.sessions() as session:
        (purge,) = session.exec(select(WorkspacePurge)).all()
        hashes = session.execute(text("SELECT subject_hash FROM suppression")).scalars().all()
    assert (purge.actor, purge.erased, purge.started_at, purge.finished_at is not None) == (ADMIN, 3, clock(), True)
    assert sorted(hashes) == sorted(app.hash_of(p) for p in people)
    assert "opted out" in run(app, f"invite <@{OTHER}> 1", user="URECRUIT1")["text"]


def test_a_purge_leaves_an_erasure_waiting_for_a_send_in_flight_to_the_erasure_tick(app, clock):
    run(app, "join")
    run(app, "join", user=OTHER)
    _send_in_flight_to(app, OTHER, clock)
    asked = run(app, "admin purge-workspace", user=ADMIN)
    (confirm,) = [
        e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"] if e["value"] == "purge-workspace"
    ]
    app.slack.click(user_id=ADMIN, action_id=confirm["action_id"], value=confirm["value"])
    done = wait_until(
        lambda: next((c for c in app.fake.calls_to("response_url") if c.args.get("text", "").startswith("Done")), None)
    )
    assert "2 candidates erased" in done.args["text"] and "1 of them had a message on its way" in done.args["text"]
    assert CAND not in dump(app) and OTHER in dump(app)
    run(app, "role add Engineer | Acme", user="URECRUIT1")
    assert "opted out" in run(app, f"invite <@{OTHER}> 1", user="URECRUIT1")["text"]  # suppressed at once
    clock.advance(minutes=2)  # the send has landed (its lock ran out)
    app.scheduled_job("nudge-erasures").func()
    assert OTHER not in dump(app) and OTHER[1:] not in dump(app)


def test_a_failed_export_is_logged_under_its_own_name(app, caplog):
    """The export runs after the ack, with no one to tell if it fails: the log says so, under the
    action an operator would alert on."""
    app.fake.fail_next("conversations.open", "ratelimited")
    with caplog.at_level("ERROR"):
        assert "on its way" in run(app, "admin export-consent", user=ADMIN)["text"]
        wait_until(lambda: any(getattr(r, "action", "") == "admin.export_consent_failed" for r in caplog.records))
