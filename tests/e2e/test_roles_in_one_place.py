"""Who recruits is decided in one place: a recruiter an admin added by command is a recruiter on
every surface, the DM "help" included (it once listed only the environment's recruiters)."""

from __future__ import annotations

import threading

from sqlalchemy import event

from tests.support.slackreq import im_message_event

ADMIN = "UADMIN1"
ADDED = "URECRUIT7"


def test_the_dm_help_of_a_recruiter_added_by_command_lists_recruiter_commands(running_app):
    added = running_app.slack.command(f"recruiter add <@{ADDED}|rina>", user_id=ADMIN)
    assert added.status == 200 and "recruiter" in added.json()["text"]
    reply = running_app.slack.event(im_message_event(user_id=ADDED, text="help"))
    assert reply.status == 200
    posted = running_app.fake.wait_for("chat.postMessage")
    help_text = str(posted[0].decoded.get("blocks"))
    assert "Recruiter commands" in help_text
    assert "/nudge invite @user ROLE_ID [note]" in help_text


def test_the_dm_help_of_someone_who_does_not_recruit_lists_only_their_own_commands(running_app):
    reply = running_app.slack.event(im_message_event(user_id="UCAND0099", text="help"))
    assert reply.status == 200
    posted = running_app.fake.wait_for("chat.postMessage")
    help_text = str(posted[0].decoded.get("blocks"))
    assert "Recruiter commands" not in help_text and "/nudge join" in help_text


def _statements_on_the_request_thread(app, act) -> list[str]:
    """SQL run on the request's own (waitress) thread while `act` runs."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread().name.startswith("waitress"):
            seen.append(statement)

    event.listen(app.engine, "before_cursor_execute", count)
    try:
        act()
    finally:
        event.remove(app.engine, "before_cursor_execute", count)
    return seen


def test_a_command_that_needs_no_role_reads_nothing_before_its_answer_but_their_language(running_app):
    """Who someone is is read only when the answer depends on it: an unknown subcommand and
    `mydata` (its work runs after the ack) read no roles. Their answer is in the person's own
    language, so that is the one thing read: one look at their row, when the reply is built."""
    for text in ("whatever", "mydata"):
        reply = []
        seen = _statements_on_the_request_thread(
            running_app,
            lambda text=text, reply=reply: reply.append(running_app.slack.command(text, user_id="UCAND0098")),
        )
        assert reply[0].status == 200 and reply[0].json()["text"]
        reads = [s for s in seen if s.split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK")]
        assert len(reads) <= 1 and all("FROM candidate" in s for s in reads), (text, reads)
