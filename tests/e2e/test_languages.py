"""End-to-end: a candidate whose Slack locale is German gets Nudge in German, from the welcome
to App Home; one who chooses Français in prefs gets French from then on, and `arrêter` opts
them out. The locale comes with the `users.info` call Nudge already makes before a send."""

from __future__ import annotations

import json

from bot.copy import journey as copy
from bot.rules.steps import Kind
from tests.support import records
from tests.support.journeys import CAND, RECRUITER, click, posted_to, run, setup_invitation, steps, wait_sent
from tests.support.slackreq import app_home_opened_event, im_message_event, member_joined_channel_event
from tests.support.waiting import wait_until

COMMUNITY = "CCOMMUNITY1"
APP_SETTINGS = {"NUDGE_COMMUNITY_CHANNEL": COMMUNITY}
SLACK_USERS = {CAND: {"locale": "de-DE"}, RECRUITER: {"locale": "en-US"}}


def everything(call) -> str:
    return call.args["text"] + json.dumps(call.decoded.get("blocks") or [], ensure_ascii=False)


def newest_post(app, contains: str):
    return wait_until(lambda: next((c for c in reversed(posted_to(app)) if contains in everything(c)), None))


def home_of(app, user, *needles) -> str:
    def newest():
        calls = [c for c in app.fake.calls_to("views.publish") if c.args.get("user_id") == user]
        view = json.dumps(calls[-1].decoded["view"], ensure_ascii=False) if calls else ""
        return view if view and all(n in view for n in needles) else None

    return wait_until(newest)


def test_a_german_slack_locale_gets_every_candidate_message_in_german(app, clock):
    app.slack.event(member_joined_channel_event(user_id=CAND, channel=COMMUNITY))
    welcome = newest_post(app, "Willkommen")
    assert "Ganz unverbindlich" in everything(welcome) and "Ich bin dabei" in everything(welcome)
    assert "No commitment" not in everything(welcome)

    role_id = setup_invitation(app)
    invitation = wait_sent(app)
    sent = newest_post(app, "fragt sich, ob du offen")
    buttons = [e["text"]["text"] for b in sent.decoded["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["Gern ein Gespräch", "Erzähl mir mehr", "Jetzt nicht – frag mich später", "Nichts für mich",
                       "Keine Einladungen mehr"]  # fmt: skip
    assert "ein Vorstellungsgespräch ist kein Jobangebot" in everything(sent)

    clock.advance(days=4, minutes=1)
    app.send_due()
    assert "Eine freundliche Erinnerung" in everything(newest_post(app, "Erinnerung"))

    click(app, copy.ACTION_ACCEPT, str(invitation.id))
    newest_post(app, "Dürfen dein Name und dein Profil")
    run(app, f"stage <@{CAND}|x> {role_id} conversation")
    checkin = newest_post(app, "Wie war das Gespräch")
    assert "Mich zurückziehen" in everything(checkin) and "Private Notiz schreiben" in everything(checkin)

    app.slack.event(app_home_opened_event(user_id=CAND))
    home = home_of(app, CAND, "Deine Einstellungen")
    assert "Du bist dabei" in home and "Sprache: Automatisch" in home and "Your preferences" not in home


def test_the_recruiter_keeps_their_own_language(app):
    setup_invitation(app)
    wait_sent(app)
    body = run(app, f"status <@{CAND}|x>")
    assert "Willkommen" not in json.dumps(body) and body


def _prefs_choosing(language: str) -> dict:
    chosen = {
        "type": "static_select",
        "selected_option": {"value": language, "text": {"type": "plain_text", "text": language}},
    }
    select = {
        "type": "static_select",
        "selected_option": {"value": "quarterly", "text": {"type": "plain_text", "text": "q"}},
    }
    days = [{"value": d, "text": {"type": "plain_text", "text": d}} for d in ("Mon", "Tue", "Wed", "Thu", "Fri")]
    hours = {
        "start": {
            "type": "static_select",
            "selected_option": {"value": "10:00", "text": {"type": "plain_text", "text": "10:00"}},
        },
        "end": {
            "type": "static_select",
            "selected_option": {"value": "17:00", "text": {"type": "plain_text", "text": "17:00"}},
        },
    }
    return {
        "cadence": {"value": select},
        "days": {"value": {"type": "checkboxes", "selected_options": days}},
        "start": {"value": hours["start"]},
        "end": {"value": hours["end"]},
        "language": {"value": chosen},
    }  # fmt: skip


def test_choosing_francais_in_prefs_speaks_french_from_then_on_and_arreter_opts_out(app):
    run(app, "join", user=CAND)
    assert "Du bist schon dabei" in run(app, "join", user=CAND)["text"]
    reply = app.slack.submit_view(user_id=CAND, callback_id="nudge.preferences", values=_prefs_choosing("fr"))
    assert reply.status == 200
    with app.sessions() as session:
        assert records.candidate(session, CAND).language == "fr"
        assert [(e.action, e.via) for e in records.consent_history(session, CAND)][-1] == ("updated", "modal")
    assert "Vous êtes déjà inscrit·e" in run(app, "join", user=CAND)["text"]
    app.slack.event(app_home_opened_event(user_id=CAND))
    assert "Langue : Français" in home_of(app, CAND, "Vos préférences")

    app.slack.event(im_message_event(user_id=CAND, text="  ARRÊTER ! "))
    wait_until(lambda: records.candidate_row(app, CAND).consent_status == "opted_out")
    confirmation = newest_post(app, "vous ne recevrez plus d’invitations")
    assert "`/nudge join`" in everything(confirmation)
    assert [s.kind for s in steps(app) if s.slack_user_id == CAND][-1] == Kind.REPLY_OPTED_OUT


def test_a_locale_nudge_does_not_speak_falls_back_to_the_default(app, fake_slack):
    fake_slack.users[CAND] = {"locale": "ja-JP"}
    run(app, "join", user=CAND)
    assert run(app, "join", user=CAND)["text"].startswith("You're already in")
    calls = [
        c for c in fake_slack.calls_to("users.info") if c.args.get("user") == CAND and c.args.get("include_locale")
    ]
    assert len(calls) == 1  # one read a day for the language, not one per reply


def test_a_pause_nudge_cannot_use_is_explained_in_the_persons_language(app):
    reply = run(app, "pause 3m", user=CAND)["text"]
    assert reply.startswith("Gib eine Pause bitte in Tagen oder Wochen an (Monate sind unterschiedlich lang).")
    assert "`/nudge pause 90d` (Tage)" in reply and "pause 3m" not in reply


def test_a_preferences_form_problem_is_shown_in_the_persons_language(app):
    run(app, "join", user=CAND)
    values = _prefs_choosing("de")
    values["days"] = {"value": {"type": "checkboxes", "selected_options": []}}
    reply = app.slack.submit_view(user_id=CAND, callback_id="nudge.preferences", values=values)
    assert reply.status == 200 and reply.json()["response_action"] == "errors"
    assert list(reply.json()["errors"].values()) == [
        "Wähle mindestens einen Tag (wenn du lieber gar nichts hören möchtest, kannst du stattdessen "
        "pausieren oder aufhören)."
    ]
