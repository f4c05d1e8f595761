"""Who recruits is decided in one place: a recruiter an admin added by command is a recruiter on
every surface, the DM "help" included (it once listed only the environment's recruiters)."""

from __future__ import annotations

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
