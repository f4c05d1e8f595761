"""Nudge in German, French and Spanish: complete catalogs whose placeholders match the English,
and every message of the `preview` catalogue valid Block Kit in every language, with the
principles kept (no urgency words in any language, a way out in every message)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.copy import admin, after_yes, candidate, journey, market, recruiter, recruiting_views, stats, views
from bot.copy.i18n import LOCALE_DIR, _, catalog_path, say, speaking
from bot.copy.preview import samples
from bot.copy.preview_shapes import SampleEvent, SampleReport, SampleRole
from bot.rules.consent import ConsentStatus
from bot.rules.eligibility import Cadence
from bot.rules.language import Language
from bot.rules.pay import PayRange
from bot.rules.preferences import parse_companies
from bot.rules.recruiter_input import InputError
from bot.rules.recruiter_text import check_recruiter_text, find_pressure_language
from bot.rules.recruiting import Funnel, stage_change_error
from bot.rules.statuses import Stage
from tests.support.fakeslack import message_problems, view_problems

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [language for language in Language if language is not Language.ENGLISH]
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None, "CommandInfo": (3,)}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _extracted_patterns() -> list[str]:
    """The file patterns `babel.cfg` extracts (its `[python: …]` sections)."""
    text = (ROOT / "babel.cfg").read_text(encoding="utf-8")
    return re.findall(r"^\[python:\s*(.+?)\s*\]", text, flags=re.MULTILINE)


def _source_msgids() -> set:
    """Every msgid the code marks for translation, extracted as `babel.cfg` says."""
    method_map = [(pattern, "python") for pattern in _extracted_patterns()]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


SOURCE = _source_msgids()


def _catalog(language: Language):
    with catalog_path(language).open("rb") as po:
        return read_po(po, locale=language.value)


def test_extraction_finds_the_copy():
    assert "Happy to chat" in SOURCE and ("In {n} month", "In {n} months") in SOURCE
    assert len(SOURCE) > 150


def test_extraction_covers_every_module_that_words_a_problem_for_people():
    """A rule module that marks msgids with N_ but is missing from babel.cfg would leave its texts
    out of the catalogs, and English for everyone; this lists every such module."""
    marking = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "bot" / "rules").glob("*.py")
        if re.search(r"\bN_\(\s*[\"']", path.read_text(encoding="utf-8"))
    }
    assert marking >= {"bot/rules/recruiter_input.py", "bot/rules/recruiter_text.py", "bot/rules/commands.py"}
    assert marking <= set(_extracted_patterns())


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_is_translated_not_fuzzy_with_the_same_placeholders(language):
    catalog = _catalog(language)
    problems = []
    for msgid in sorted(SOURCE, key=str):
        message = catalog.get(msgid if isinstance(msgid, str) else msgid[0])
        if message is None:
            problems.append(f"missing: {msgid!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        english = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
        wanted = set(PLACEHOLDER.findall(english[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text or "")) != wanted:
                problems.append(f"placeholders differ: {msgid!r} -> {text!r}")
    assert problems == []


def test_the_check_would_catch_a_placeholder_a_translator_renamed():
    wanted, got = "Paused until {date}.", "Pausiert bis {datum}."
    assert set(PLACEHOLDER.findall(wanted)) != set(PLACEHOLDER.findall(got))


def test_each_catalog_header_records_its_tone_decision():
    for language in TRANSLATED:
        header = catalog_path(language).read_text(encoding="utf-8").split("msgid", 1)[0]
        assert "Tone:" in header, language
    assert (LOCALE_DIR / "nudge.pot").exists()


def _catalogue_in(language: Language):
    with speaking(language):
        return samples()


@pytest.mark.parametrize("language", list(Language))
def test_every_message_renders_as_valid_block_kit_in_every_language(language):
    problems = []
    for name, payload in _catalogue_in(language):
        found = view_problems(payload) if "type" in payload else message_problems(payload)
        problems += [f"{name}: {problem}" for problem in found]
    assert problems == []


# The messages Nudge sends a candidate of its own accord: each needs an easy way out.
UNASKED = (
    "welcome DM", "welcome DM (no channel)", "one-time opt-in request", "invitation", "invitation (confidential)",
    "follow-up", "may we share your details?", "check-in", "check-in: interviewing", "check-in: offer",
    "still welcome?", "consent renewal", "stay in touch", "answered: happy to chat",
)  # fmt: skip


@pytest.mark.parametrize("language", list(Language))
def test_no_urgency_words_in_any_message_and_a_way_out_in_every_unasked_one(language):
    """A way out: a command, a button, or the invitation's own *Not for me* named in the text."""
    with speaking(language):
        not_for_me = _("Not for me")
    catalogue = dict(_catalogue_in(language))
    for name, payload in catalogue.items():
        found = find_pressure_language(json.dumps(payload, ensure_ascii=False))
        if name.startswith("invite modal"):  # tells recruiters that a calm note beats urgency
            found = [phrase for phrase in found if phrase != "urgency"]
        assert found == [], (language, name)
    for name in UNASKED:
        text = json.dumps(catalogue[name], ensure_ascii=False)
        assert "/nudge" in text or '"type": "button"' in text or not_for_me in text, (language, name)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_invitation_is_translated_and_says_plainly_it_is_not_an_offer(language):
    not_an_offer = {
        Language.GERMAN: "ein Vorstellungsgespräch ist kein Jobangebot",
        Language.FRENCH: "un entretien n’est pas une offre d’emploi",
        Language.SPANISH: "una entrevista no es una oferta de trabajo",
    }[language]
    with speaking(language):
        message = journey.invitation(invitation_id=1, role=SampleRole(), recruiter_id="UR", note=None, matched=())
    text = json.dumps(message.as_kwargs(), ensure_ascii=False)
    assert not_an_offer in text
    assert "Happy to chat" not in text and "Stop all invitations" not in text


def test_translations_run_longer_and_still_fit_after_escaping():
    """A long title full of `&` (five characters each once escaped) in the wordiest language."""
    role = SampleRole(title="R&D " * 40, details="&<>" * 600)
    for language in Language:
        with speaking(language):
            message = journey.invitation(
                invitation_id=1, role=role, recruiter_id="UR", note="&" * 500, matched=("a&b",) * 30, with_details=True
            )
        assert message_problems(message.as_kwargs()) == [], language


def test_a_text_the_rules_worded_is_said_in_the_readers_language():
    with pytest.raises(InputError) as refused:
        parse_companies(",".join(f"Company {n}" for n in range(60)))
    assert str(refused.value) == "Up to 50 companies, please."
    with speaking(Language.GERMAN):
        assert say(refused.value.args[0]) == "Bitte höchstens 50 Unternehmen."
        assert say("typed by a person {braces}") == "typed by a person {braces}"


def test_several_pressure_phrases_are_joined_as_each_language_joins_alternatives():
    problem = check_recruiter_text("note", "ASAP, it's urgent, hurry")
    assert problem is not None and "“ASAP”, “urgent” or “hurry”" in problem
    expected = {
        Language.ENGLISH: "“ASAP”, “urgent”, or “hurry”",
        Language.GERMAN: "“ASAP”, “urgent” oder “hurry”",
        Language.FRENCH: "“ASAP”, “urgent” ou “hurry”",
        Language.SPANISH: "“ASAP”, “urgent” o “hurry”",
    }
    for language, joined in expected.items():
        with speaking(language):
            said = say(problem)
        assert joined in said, language
    with speaking(Language.SPANISH):
        assert " or “" not in say(problem)


def test_counts_in_a_rules_message_are_written_the_readers_way():
    problem = check_recruiter_text("details", "x" * 2345)
    assert problem is not None and "2,345" in problem
    with speaking(Language.GERMAN):
        assert "2.345" in say(problem) and "2.000" in say(problem)


def test_the_pipeline_names_its_labels_and_numbers_in_the_readers_language():
    counts = [("accepted", 1234), ("offer", 2), ("not delivered", 1)]
    with speaking(Language.GERMAN):
        text = recruiter.pipeline(SampleRole(), counts).text
    assert text.endswith("• gern ein Gespräch: 1.234\n• Angebot: 2\n• nicht zugestellt: 1")
    with speaking(Language.FRENCH):
        assert "• offre : 2" in recruiter.pipeline(SampleRole(), counts).text
    assert recruiter.pipeline(SampleRole(), counts).text.endswith("• accepted: 1,234\n• offer: 2\n• not delivered: 1")


def test_stats_write_counts_and_shares_as_the_readers_locale_does():
    funnel = Funnel(1200, 900, 300, 100, 500, 2, timedelta(hours=30))
    with speaking(Language.FRENCH):
        text = stats.stats(funnel, timedelta(days=90)).text
    assert "Intéressés : 300 (25\u00a0%)" in text and "1\u202f200" in text and "30,0" in text
    assert "Invited: 1,200" in stats.stats(funnel, timedelta(days=90)).text


def test_a_stage_refusal_names_the_stages_in_the_readers_language():
    problem = stage_change_error(Stage.INTERVIEWING, Stage.CONVERSATION)
    assert problem == "It's at the interviewing stage, and stages only move forward: it can move to offer or closed."
    with speaking(Language.SPANISH):
        assert say(problem) == (
            "Está en la etapa «entrevistas», y las etapas solo avanzan: puede pasar a oferta o cerrado."
        )


def test_the_consent_history_names_ledger_terms_in_the_readers_language():
    at = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    events = [SampleEvent(at, scope="share:role:7", action="granted", via="button", wording_version="v1", actor="U1")]
    with speaking(Language.GERMAN):
        text = recruiter.audit("U0CANDIDATE", events).text
    assert "— Weitergabe für Stelle #7: erteilt per Button · Wortlaut" in text
    assert "share:role:7 granted via button · wording" in recruiter.audit("U0CANDIDATE", events).text


def test_the_role_form_and_the_profile_card_are_in_the_readers_language():
    with speaking(Language.GERMAN):
        form = json.dumps(views.role_modal().to_dict(), ensure_ascii=False)
        card = after_yes.profile_card(
            candidate_id="UC", role=SampleRole(), name="Ann", title=None, interests=(), note="Gern remote"
        )
    assert "Gehaltsspanne" in form and "Komplett remote" in form and "Pay range" not in form
    text = json.dumps(card.as_kwargs(), ensure_ascii=False)
    assert "Profil von <@UC> für #7 Senior Backend Engineer bei Acme" in text
    assert "Titel: _in Slack nicht angegeben_" in text and "Notiz für Unternehmen: „Gern remote“" in text
    assert "Shared with their permission" not in text


def test_pay_ranges_in_the_market_pulse_are_written_as_the_locale_writes_money():
    pay = PayRange(low=80000, high=95000, currency="EUR")
    assert market.pay_shown(pay) == "€80k–95k"
    with speaking(Language.GERMAN):
        assert market.pay_shown(pay) == "80.000\u00a0€ – 95.000\u00a0€"
    with speaking(Language.FRENCH):
        assert market.pay_shown(PayRange(low=120000, high=120000, currency="CHF")) == "120\u202f000\u00a0CHF"


def test_the_mydata_summary_is_in_the_persons_language():
    with speaking(Language.SPANISH):
        comment = candidate.mydata_comment(status="opted_in", consents=3, invitations=1, shared=0)
    assert comment.startswith("Aquí tienes todo lo que Nudge guarda sobre ti. Estado: ")
    assert "3 registros de consentimiento" in comment and "Status:" not in comment


def test_a_candidates_status_names_cadence_and_pipeline_label_in_the_recruiters_language():
    report = SampleReport(
        "UC", ConsentStatus.OPTED_IN, None, None, Cadence.QUARTERLY, ("python",), [(None, SampleRole(), "offer")], set()
    )
    with speaking(Language.GERMAN):
        text = recruiter.candidate_status(report).text
    assert "Höchstens vierteljährlich. Interessen: python." in text and "— Angebot" in text
    assert "At most quarterly. Interests: python." in recruiter.candidate_status(report).text


def test_a_count_in_a_plural_sentence_is_written_the_readers_way():
    with speaking(Language.GERMAN):
        closed = recruiter.role_closed(SampleRole(), 1500).text
    assert "1.500" in closed and "1500" not in closed
    assert "1,500" in recruiter.role_closed(SampleRole(), 1500).text


def test_a_webhook_ping_s_duration_is_written_as_the_reader_s_locale_writes_decimals():
    with speaking(Language.GERMAN):
        german = admin.webhook_ping_result("ats.example.com", status=200, seconds=0.12, delivered=True).text
    english = admin.webhook_ping_result("ats.example.com", status=200, seconds=0.1, delivered=True).text
    assert "in 0,12 s " in german and "in 0.10 s." in english


def test_the_forgotten_person_s_form_error_names_the_team_s_own_command():
    """A workspace may rename the slash command (`NUDGE_COMMAND`); a fixed "/nudge join" would
    point an erased person to a command that does not exist there."""
    for language in Language:
        with speaking(language):
            text = views.forgotten_preferences_not_saved(command="/recruit")
        assert "/recruit join" in text and "/nudge" not in text, language


def test_the_preview_shows_dates_and_admin_problems_in_the_language_asked_for():
    """`app.py preview --lang de` is how a translator reads every message; a sample built from an
    English literal would show English there that no person ever gets."""
    with speaking(Language.GERMAN):
        shown = dict(samples())
    assert "1. März 2027" in json.dumps(shown["pause confirmation"], ensure_ascii=False)
    assert "Dieses Datum kann ich nicht lesen" in shown["admin: export date not understood"]["text"]
    assert shown["problem"]["text"].startswith("Die Details haben 2.345 Zeichen; bitte bleib unter 2.000.")


def test_every_modal_s_title_and_close_button_are_in_the_reader_s_language():
    with speaking(Language.GERMAN):
        form = views.role_modal().to_dict()
        created = views.role_created_modal("Stelle #7 angelegt").to_dict()
        invite = recruiting_views.invite_modal([SampleRole()]).to_dict()
    assert form["close"]["text"] == "Abbrechen" and invite["close"]["text"] == "Abbrechen"
    assert (created["title"]["text"], created["close"]["text"]) == ("Stelle angelegt", "Fertig")
