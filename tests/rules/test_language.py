"""Which language Nudge speaks: the person's choice, else their Slack locale, else the default."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.rules.keywords import DmIntent, classify_dm
from bot.rules.language import Language, language_of_locale, resolve_language

LOCALES = st.sampled_from(["de-DE", "es-LA", "fr-CA", "en-US", "ja-JP", "pt-BR", "", None])


def test_slack_locales_map_to_the_languages_nudge_speaks():
    assert language_of_locale("de-DE") is Language.GERMAN
    assert language_of_locale("es-LA") is Language.SPANISH
    assert language_of_locale("fr-CA") is Language.FRENCH
    assert language_of_locale("en-GB") is Language.ENGLISH
    assert language_of_locale("ja-JP") is None
    assert language_of_locale(None) is None


@given(choice=st.sampled_from([*Language, None, "auto"]), locale=LOCALES, default=st.sampled_from(Language))
def test_a_choice_wins_then_the_locale_then_the_default(choice, locale, default):
    got = resolve_language(choice=choice, slack_locale=locale, default=default)
    if choice in tuple(Language):
        assert got == choice
    elif language_of_locale(locale) is not None:
        assert got is language_of_locale(locale)
    else:
        assert got is default


def test_japanese_falls_back_to_the_default():
    assert resolve_language(choice=None, slack_locale="ja-JP", default=Language.ENGLISH) is Language.ENGLISH
    assert resolve_language(choice="auto", slack_locale="ja-JP", default=Language.GERMAN) is Language.GERMAN


def test_opt_out_keywords_work_in_every_language():
    for word in ("stop", "unsubscribe", "stopp", "abmelden", "arrêter", "désinscrire", "parar", "baja"):
        assert classify_dm(word) is DmIntent.STOP, word
        assert classify_dm(f"  {word.upper()}! ") is DmIntent.STOP, word
    assert classify_dm("ARRÊTER") is DmIntent.STOP
    assert classify_dm("arreter") is DmIntent.STOP
    assert classify_dm("ＳＴＯＰＰ") is DmIntent.STOP
    assert classify_dm("ne pas arrêter") is DmIntent.OTHER
    for word in ("help", "hilfe", "aide", "ayuda"):
        assert classify_dm(word) is DmIntent.HELP, word


def test_the_preferences_form_records_a_language_or_automatic():
    from bot.rules.grammar import parse_send_window
    from bot.rules.preferences import PreferencesForm, validate_preferences

    window = parse_send_window("Mon-Fri 10:00-17:00")

    def chosen(value):
        form = PreferencesForm("quarterly", None, ("Mon",), "10:00", "17:00", None, None, None, value)
        return validate_preferences(form, default_window=window).language

    assert chosen("fr") is Language.FRENCH
    assert chosen("auto") is None and chosen(None) is None and chosen("ja") is None
