"""End-to-end: what people type wrong is explained in their own language, and what recruiters
read about a pipeline names stages in theirs. A German recruiter's one-line role, tags and stage
moves, a Spanish recruiter's pressure words joined with "o", a German admin's command, and a
French candidate's hours and interests in the preferences form; the stored stage and the
`/nudge stage` grammar stay English."""

from __future__ import annotations

from bot.copy import journey as copy
from tests.support import records
from tests.support.journeys import CAND, RECRUITER, click, invitation_of, run, wait_sent

ADMIN = "UADMIN1"
SLACK_USERS = {RECRUITER: {"locale": "de-DE"}, CAND: {"locale": "fr-FR"}, ADMIN: {"locale": "de-DE"}}


def test_a_one_line_role_missing_its_company_is_explained_in_german(app):
    reply = run(app, "role add Backend Engineer")["text"]
    assert reply.startswith("Eine einzeilige Stelle braucht mindestens einen Titel und ein Unternehmen: Schreib ")
    assert "`/nudge role add Title | Company | details | tags`" in reply
    assert reply.endswith("Es wurde nichts geändert.") and "needs at least" not in reply


def test_a_role_without_a_title_and_a_tag_too_long_are_explained_in_german(app):
    assert run(app, "role add  | Acme")["text"] == (
        "Eine Stelle braucht einen Titel, zum Beispiel „Senior Backend Engineer“. Es wurde nichts geändert."
    )
    reply = run(app, f"role add Engineer | Acme | Calm | python, {'x' * 41}")["text"]
    assert reply.startswith("Ein Tag darf höchstens 40 Zeichen lang sein; einer hier hat 41.")


def test_several_pressure_phrases_are_joined_the_spanish_way(app, fake_slack):
    fake_slack.users[RECRUITER] = {"locale": "es-ES"}
    reply = run(app, "role add Engineer | Acme | ASAP: urgent, hurry")["text"]
    assert "“ASAP”, “urgent” o “hurry”" in reply
    assert " or “" not in reply


def test_an_admin_command_nudge_cannot_read_is_explained_in_german(app):
    assert run(app, "admin frobnicate", user=ADMIN)["text"].startswith("Die Admin-Befehle sind `/nudge admin ")
    dated = run(app, "admin export-consent 2027-13-01", user=ADMIN)["text"]
    assert dated.startswith("Dieses Datum kann ich nicht lesen.") and dated.endswith("Es wurde nichts exportiert.")


def test_the_pipeline_and_stage_moves_name_stages_in_german_while_storing_english(app):
    run(app, "role add Backend Engineer | Acme | Calm APIs | python")
    run(app, "join", user=CAND)
    records.change_candidate(app, CAND, interests=["python"])
    run(app, f"invite <@{CAND}|x> 1 Loved your talk")
    click(app, copy.ACTION_ACCEPT, str(wait_sent(app).id))
    assert "• gern ein Gespräch: 1" in run(app, "pipeline 1")["text"]
    moved = run(app, f"stage <@{CAND}|x> 1 interviewing")["text"]
    assert (
        moved == f"<@{CAND}> ist jetzt bei *Vorstellungsgespräche* für Stelle #1. Als Nächstes: Angebot, abgeschlossen."
    )
    assert invitation_of(app).stage == "interviewing"
    refused = run(app, f"stage <@{CAND}|x> 1 conversation")["text"]
    assert refused.startswith(
        "Das steht in der Phase „Vorstellungsgespräche“, und Phasen gehen nur vorwärts: Möglich ist Angebot oder "
        "abgeschlossen."
    )


def _prefs(start: str, end: str, interests: str = "") -> dict:
    def picked(value: str) -> dict:
        return {
            "type": "static_select",
            "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
        }

    days = [{"value": d, "text": {"type": "plain_text", "text": d}} for d in ("Mon", "Tue")]
    return {
        "cadence": {"value": picked("quarterly")},
        "interests": {"value": {"type": "plain_text_input", "value": interests}},
        "days": {"value": {"type": "checkboxes", "selected_options": days}},
        "start": {"value": picked(start)},
        "end": {"value": picked(end)},
    }


def test_a_french_candidate_typing_bad_hours_and_too_many_interests_reads_french(app):
    run(app, "join", user=CAND)
    interests = ", ".join(f"sujet {n}" for n in range(21))
    reply = app.slack.submit_view(
        user_id=CAND, callback_id="nudge.preferences", values=_prefs("10:00", "10:00", interests)
    )
    assert reply.status == 200 and reply.json()["response_action"] == "errors"
    assert sorted(reply.json()["errors"].values()) == [
        "L’heure de début et l’heure de fin sont identiques ; merci de choisir deux heures différentes.",
        "Merci d’utiliser au plus 20 tags ; cette liste en contient 21.",
    ]
