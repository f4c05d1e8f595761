"""Pure recruiter rules: references, splitting, tags, role drafts, pressure language, stages,
matching and the funnel."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.recruiter_input import (
    MAX_ROLE_ID,
    InputError,
    RoleDraft,
    make_role_draft,
    parse_inline_role,
    parse_role_ref,
    parse_tags,
    parse_user_ref,
    split_outside_markup,
)
from bot.rules.recruiter_text import LIMITS, PRESSURE_PHRASES, check_recruiter_text, find_pressure_language
from bot.rules.recruiting import (
    Funnel,
    InvitationOutcome,
    Match,
    MatchCandidate,
    allowed_next_stages,
    funnel,
    parse_stage,
    rank_matches,
    stage_change_error,
)
from bot.rules.statuses import PROGRESSION, Stage

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


# --------------------------------------------------------------------------
# user and role references


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U123ABC|ann>", "U123ABC"),
        ("<@U123ABC>", "U123ABC"),
        ("<@W123>", "W123"),
        ("  <@U123ABC|Ann Lee>  ", "U123ABC"),
        ("U123ABC", "U123ABC"),
        (" W0AB12 ", "W0AB12"),
    ],
)
def test_parse_user_ref_accepts_mentions_and_bare_ids(text, expected):
    assert parse_user_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "@ann",
        "ann",
        "u123abc",  # Slack ids are upper case
        "<@u123>",
        "<#C123|general>",
        "<!channel>",
        "C123ABC",
        "<@U123ABC",
        "<@U123ABC|ann> extra",
        "<@U123ABC><@U456DEF>",
        "U1",  # too short to be an id
        "<@U123|a|b>x",
    ],
)
def test_parse_user_ref_rejects_everything_else(text):
    assert parse_user_ref(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", 7), ("#7", 7), (" #07 ", 7), ("1", 1), (str(MAX_ROLE_ID), MAX_ROLE_ID), ("#000000000000042", 42)],
)
def test_parse_role_ref(text, expected):
    assert parse_role_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "#",
        "0",
        "#0",
        "000",
        "-7",
        "+7",
        "7a",
        "a7",
        "# 7",
        "##7",
        "7.0",
        "1e3",
        str(MAX_ROLE_ID + 1),
        "9" * 5000,
        "\u0667",
    ],  # Arabic-Indic seven: not an ASCII digit
)
def test_parse_role_ref_rejects_non_ids(text):
    assert parse_role_ref(text) is None


@given(st.integers(min_value=1, max_value=MAX_ROLE_ID), st.sampled_from(["", "#"]), st.sampled_from(["", " ", "  "]))
def test_parse_role_ref_reads_back_any_valid_id(number, prefix, pad):
    assert parse_role_ref(f"{pad}{prefix}{number}{pad}") == number


# --------------------------------------------------------------------------
# split_outside_markup


def test_split_keeps_link_labels_together():
    assert split_outside_markup("A | <http://x|y> | c") == ["A ", " <http://x|y> ", " c"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [""]),
        ("a", ["a"]),
        ("a|b", ["a", "b"]),
        ("a||b", ["a", "", "b"]),
        ("|", ["", ""]),
        ("<@U1|ann>|<#C1|general>", ["<@U1|ann>", "<#C1|general>"]),
        ("see <https://a.example/?q=1|the page> | tags", ["see <https://a.example/?q=1|the page> ", " tags"]),
        # An unclosed "<" is not markup, so the split still happens after it.
        ("a < b | c", ["a < b ", " c"]),
        # "&lt;" is how Slack sends a typed "<" with should_escape; it is ordinary text.
        ("x &lt;y| z&gt;", ["x &lt;y", " z&gt;"]),
    ],
)
def test_split_outside_markup_cases(text, expected):
    assert split_outside_markup(text) == expected


def test_split_with_another_separator():
    assert split_outside_markup("a, <http://x|y,z>, b", ",") == ["a", " <http://x|y,z>", " b"]


@pytest.mark.parametrize("sep", ["", "<", ">", "a>"])
def test_split_refuses_separators_that_cannot_work(sep):
    with pytest.raises(ValueError):
        split_outside_markup("a|b", sep)


_plain = st.text(alphabet=st.characters(blacklist_characters="<>|"), max_size=8)
_markup = st.builds(lambda inner: f"<{inner}>", st.text(alphabet=st.characters(blacklist_characters="<>"), max_size=8))
_piece = st.one_of(_plain, _markup, st.just("|"))


@given(st.lists(_piece, max_size=12))
def test_split_never_splits_inside_markup_and_loses_nothing(pieces):
    text = "".join(pieces)
    parts = split_outside_markup(text)
    assert "|".join(parts) == text
    markups = _MARKUP.findall(text)
    # every markup piece lies whole inside one part
    assert [m for part in parts for m in _MARKUP.findall(part)] == markups
    # and the number of parts is one more than the bars outside markup
    assert len(parts) == _MARKUP.sub("", text).count("|") + 1


_MARKUP = re.compile(r"<[^<>]*>")


@given(st.lists(_plain, min_size=1, max_size=6))
def test_split_inverts_join_when_parts_have_no_bars(parts):
    assert split_outside_markup("|".join(parts)) == parts


# --------------------------------------------------------------------------
# tags


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ()),
        ("", ()),
        (" , ,, ", ()),
        ("Python", ("python",)),
        ("  Python ,  Go  ", ("python", "go")),
        ("Senior   Backend\tEngineer", ("senior backend engineer",)),
        ("go, Python, GO, python , rust", ("go", "python", "rust")),
        ("Straße", ("strasse",)),
        ("remote,REMOTE,Remote", ("remote",)),
    ],
)
def test_parse_tags(text, expected):
    assert parse_tags(text) == expected


def test_tags_at_the_limits_are_fine():
    assert parse_tags("x" * 40) == ("x" * 40,)
    twenty = ",".join(f"t{i}" for i in range(20))
    assert len(parse_tags(twenty)) == 20
    # duplicates don't count towards the limit
    assert len(parse_tags(twenty + ",T0,t1")) == 20


def test_a_tag_over_40_characters_is_refused_without_echoing_it():
    secret = "confidential-client-name-" + "z" * 30
    with pytest.raises(InputError) as err:
        parse_tags(f"python, {secret}")
    message = str(err.value)
    assert "40" in message and secret not in message and "\n" not in message


def test_length_counts_after_collapsing_whitespace():
    assert parse_tags("a" + " " * 50 + "b") == ("a b",)


def test_more_than_20_tags_is_refused():
    with pytest.raises(InputError, match="20"):
        parse_tags(",".join(f"t{i}" for i in range(21)))


_tag_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(_tag_text)
def test_parse_tags_is_idempotent(text):
    try:
        tags = parse_tags(text)
    except InputError:
        return
    assert parse_tags(", ".join(tags)) == tags
    assert all(tag and tag == tag.strip() and "," not in tag and "  " not in tag for tag in tags)
    assert len(set(tags)) == len(tags)


# --------------------------------------------------------------------------
# pressure language


def test_pressure_phrases_cover_the_spec_words():
    required = {
        "ASAP",
        "urgent",
        "urgently",
        "urgency",
        "last chance",
        "don't miss",
        "hurry",
        "today only",
        "act now",
        "limited time",
        "now or never",
        "final chance",
        "before it's too late",
        "immediately",
        "deadline",
    }
    assert required <= set(PRESSURE_PHRASES)
    assert len(set(PRESSURE_PHRASES)) == len(PRESSURE_PHRASES)


@pytest.mark.parametrize("phrase", PRESSURE_PHRASES)
def test_every_listed_phrase_is_found_as_written_and_in_upper_case(phrase):
    assert find_pressure_language(f"Hi there, {phrase}!") == [phrase]
    assert find_pressure_language(phrase.upper()) == [phrase]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please reply asap", ["ASAP"]),
        ("Please reply A.S.A.P.", ["ASAP"]),
        ("This is URGENT", ["urgent"]),
        ("We urgently need you", ["urgently"]),
        ("a sense of urgency", ["urgency"]),
        ("Dont miss this", ["don't miss"]),
        ("Don’t miss this", ["don't miss"]),  # curly apostrophe
        ("do not miss this", ["don't miss"]),
        ("It's your last-chance", ["last chance"]),
        ("last\n chance", ["last chance"]),
        ("no hurrying, honestly", ["hurry"]),
        ("Hurry up", ["hurry"]),
        ("before its too late", ["before it's too late"]),
        ("before it is too late", ["before it's too late"]),
        ("Deadlines are Friday", ["deadline"]),
        # listed order, each once, however many times and in whatever order they appear
        ("deadline! urgent! ASAP, asap, deadline", ["ASAP", "urgent", "deadline"]),
        # dodges: full-width letters, zero-width characters, look-alike letters, accents
        ("Reply ＡＳＡＰ", ["ASAP"]),
        ("ur\u200bgent", ["urgent"]),
        ("dead\u00adline", ["deadline"]),  # a soft hyphen
        ("h\u200durry", ["hurry"]),
        ("urgеnt", ["urgent"]),  # a Cyrillic е
        ("ùrgent", ["urgent"]),
    ],
)
def test_find_pressure_language_variants(text, expected):
    assert find_pressure_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A calm, specific note about a backend role.",
        "burgent",  # not a whole word
        "insurgent politics",
        "asapp is an app",
        "Hurrycane labs",
        "the actnow team",
        "immediate start is possible",  # not on the list
        "we ship daily",
        "lastchance",
        "my deadlinespec",
    ],
)
def test_find_pressure_language_leaves_calm_text_alone(text):
    assert find_pressure_language(text) == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_found_phrases_are_listed_phrases_in_order(text):
    found = find_pressure_language(text)
    assert all(p in PRESSURE_PHRASES for p in found)
    assert found == sorted(set(found), key=PRESSURE_PHRASES.index)


# --------------------------------------------------------------------------
# check_recruiter_text


def test_fine_text_passes_every_field():
    for field in LIMITS:
        assert check_recruiter_text(field, "A calm, specific line") is None


@pytest.mark.parametrize("field", sorted(LIMITS))
def test_exactly_at_the_limit_is_fine_one_more_is_not(field):
    limit = LIMITS[field]
    assert check_recruiter_text(field, "x" * limit) is None
    message = check_recruiter_text(field, "x" * (limit + 1))
    assert message is not None
    assert f"{limit + 1:,} characters" in message and f"{limit:,}" in message


def test_too_long_message_wording():
    assert check_recruiter_text("details", "x" * 2345) == (
        "The details are 2,345 characters; please keep them under 2,000."
    )
    assert check_recruiter_text("title", "x" * 151) == "The title is 151 characters; please keep it under 150."


def test_pressure_message_wording():
    assert check_recruiter_text("note", "Could you reply asap?") == (
        "Nudge keeps invitations low-pressure, so the note can't use “ASAP”. People we invite are "
        "happily employed; a calm, specific note gets more yeses than urgency. Please rephrase and try again."
    )


def test_pressure_message_lists_every_match_and_echoes_nothing_else():
    text = "Secret Project Falcon: urgent, apply ASAP <!channel>"
    message = check_recruiter_text("details", text)
    assert message is not None
    assert "“ASAP” or “urgent”" in message
    assert "the details can't use" in message
    for word in ("Secret", "Falcon", "apply", "<!channel>", "asap"):
        assert word not in message
    assert "\n" not in message


def test_length_is_reported_before_pressure():
    message = check_recruiter_text("note", "urgent " * 100)
    assert message is not None and "characters" in message and "urgent" not in message


def test_company_names_are_checked_for_length_only():
    # Real companies are called Urgently or Deadline Games; refusing them would block the role.
    assert check_recruiter_text("company", "Urgently") is None
    assert check_recruiter_text("company", "x" * 101) is not None


def test_tags_are_checked_for_pressure():
    assert check_recruiter_text("tags", "python, urgent") is not None


def test_unknown_field_is_a_programming_error():
    with pytest.raises(ValueError):
        check_recruiter_text("nickname", "x")


# --------------------------------------------------------------------------
# role drafts


def test_make_role_draft_trims_and_defaults():
    draft = make_role_draft(title="  Backend   Engineer ", company=" Acme  Corp ")
    assert draft == RoleDraft(title="Backend Engineer", company="Acme Corp", confidential=False)
    assert (draft.details, draft.tags, draft.location, draft.remote, draft.pay_range) == ("", (), None, None, None)


def test_make_role_draft_all_fields():
    draft = make_role_draft(
        title="Staff Engineer",
        company="Acme",
        details="  Line one\n\nLine two  ",
        tags="Python, Go, python",
        location=" Berlin ",
        remote=" hybrid ",
        pay_range=" €90k–110k ",
    )
    assert draft.details == "Line one\n\nLine two"  # details keep their line breaks
    assert draft.tags == ("python", "go")
    assert (draft.location, draft.remote, draft.pay_range) == ("Berlin", "hybrid", "€90k–110k")


def test_blank_optional_fields_become_none():
    draft = make_role_draft(title="T", company="C", location="   ", remote="", pay_range=None, details=None, tags=None)
    assert (draft.location, draft.remote, draft.pay_range, draft.details, draft.tags) == (None, None, None, "", ())


def test_tags_may_come_already_split():
    assert make_role_draft(title="T", company="C", tags=["Go", " go ", "SQL"]).tags == ("go", "sql")


@pytest.mark.parametrize(
    "company", ["(confidential) Acme", "(Confidential)Acme", "( CONFIDENTIAL )   Acme", " (confidential) Acme "]
)
def test_confidential_company_marker(company):
    draft = make_role_draft(title="T", company=company)
    assert (draft.company, draft.confidential) == ("Acme", True)


def test_confidential_flag_from_the_modal():
    draft = make_role_draft(title="T", company="Acme", confidential=True)
    assert (draft.company, draft.confidential) == ("Acme", True)


def test_marker_elsewhere_is_just_part_of_the_name():
    draft = make_role_draft(title="T", company="Acme (confidential)")
    assert (draft.company, draft.confidential) == ("Acme (confidential)", False)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"title": "", "company": "Acme"}, "title"),
        ({"title": "   ", "company": "Acme"}, "title"),
        ({"title": None, "company": "Acme"}, "title"),
        ({"title": "T", "company": ""}, "company"),
        ({"title": "T", "company": " \n "}, "company"),
        ({"title": "T", "company": "(confidential)"}, "company"),
        ({"title": "", "company": ""}, "title"),  # the first missing one is named
    ],
)
def test_title_and_company_are_required(kwargs, word):
    with pytest.raises(InputError, match=word):
        make_role_draft(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "expected_start"),
    [
        ({"title": "URGENT: Engineer", "company": "Acme"}, "Nudge keeps invitations low-pressure, so the title"),
        (
            {"title": "T", "company": "Acme", "details": "Apply asap"},
            "Nudge keeps invitations low-pressure, so the details",
        ),
        (
            {"title": "T", "company": "Acme", "tags": "python, hurry"},
            "Nudge keeps invitations low-pressure, so the tags",
        ),
        (
            {"title": "T", "company": "Acme", "location": "Berlin, act now"},
            "Nudge keeps invitations low-pressure, so the location",
        ),
        (
            {"title": "T", "company": "Acme", "remote": "remote, limited time"},
            "Nudge keeps invitations low-pressure, so the remote",
        ),
        (
            {"title": "T", "company": "Acme", "pay_range": "100k today only"},
            "Nudge keeps invitations low-pressure, so the pay range",
        ),
        ({"title": "T" * 151, "company": "Acme"}, "The title is 151 characters"),
        ({"title": "T", "company": "A" * 101}, "The company name is 101 characters"),
        ({"title": "T", "company": "(confidential) " + "A" * 101}, "The company name is 101 characters"),
        ({"title": "T", "company": "Acme", "details": "d" * 2001}, "The details are 2,001 characters"),
        ({"title": "T", "company": "Acme", "tags": "x" * 41}, "Tags can be at most 40"),
        ({"title": "T", "company": "Acme", "remote": "r" * 51}, "The remote setting is 51 characters"),
    ],
)
def test_every_field_is_checked(kwargs, expected_start):
    with pytest.raises(InputError) as err:
        make_role_draft(**kwargs)
    assert str(err.value).startswith(expected_start)


def test_fields_are_checked_in_order_title_first():
    with pytest.raises(InputError) as err:
        make_role_draft(title="urgent", company="Acme", details="asap")
    assert "the title" in str(err.value)


def test_the_draft_is_immutable():
    draft = make_role_draft(title="T", company="C")
    with pytest.raises(AttributeError):
        draft.title = "other"  # type: ignore[misc]


# --------------------------------------------------------------------------
# inline role add


def test_parse_inline_role_four_parts():
    draft = parse_inline_role(
        "Backend Engineer | (confidential) Acme | Small team, <https://acme.example/jobs|job page> | Python, Go"
    )
    assert draft == RoleDraft(
        title="Backend Engineer",
        company="Acme",
        confidential=True,
        details="Small team, <https://acme.example/jobs|job page>",
        tags=("python", "go"),
    )


@pytest.mark.parametrize(
    ("args", "details", "tags"),
    [("T | C", "", ()), ("T | C | some details", "some details", ()), ("T | C |  | go", "", ("go",))],
)
def test_parse_inline_role_optional_parts(args, details, tags):
    draft = parse_inline_role(args)
    assert (draft.title, draft.company, draft.details, draft.tags) == ("T", "C", details, tags)


@pytest.mark.parametrize("args", ["T | C | d | tags | extra", "a|b|c|d|e|f"])
def test_too_many_parts_explains_the_format(args):
    with pytest.raises(InputError) as err:
        parse_inline_role(args)
    message = str(err.value)
    assert "`/nudge role add Title | Company | details | tags`" in message
    assert "extra" not in message and "\n" not in message


@pytest.mark.parametrize("args", ["Just a title", ""])
def test_too_few_parts_explains_the_format(args):
    with pytest.raises(InputError, match=re.escape("role add Title | Company | details | tags")):
        parse_inline_role(args)


def test_the_format_names_the_configured_command():
    with pytest.raises(InputError, match=re.escape("`/jobs role add Title | Company")):
        parse_inline_role("a|b|c|d|e", command="/jobs")


def test_empty_company_part_is_named():
    with pytest.raises(InputError, match="company"):
        parse_inline_role("Engineer |  | details")


def test_a_bar_inside_a_link_label_is_not_a_separator():
    draft = parse_inline_role("T | C | <http://x|a|b> ok")
    assert draft.details == "<http://x|a|b> ok" and draft.tags == ()


# --------------------------------------------------------------------------
# stages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("conversation", Stage.CONVERSATION),
        ("Interviewing", Stage.INTERVIEWING),
        (" OFFER ", Stage.OFFER),
        ("closed", Stage.CLOSED),
        ("accepted", None),
        ("ACCEPTED", None),
        ("", None),
        ("interview", None),
        ("offered", None),
    ],
)
def test_parse_stage(text, expected):
    assert parse_stage(text) is expected


def test_allowed_next_stages_go_forward_only():
    assert allowed_next_stages(Stage.ACCEPTED) == (Stage.CONVERSATION, Stage.INTERVIEWING, Stage.OFFER, Stage.CLOSED)
    assert allowed_next_stages(Stage.CONVERSATION) == (Stage.INTERVIEWING, Stage.OFFER, Stage.CLOSED)
    assert allowed_next_stages(Stage.INTERVIEWING) == (Stage.OFFER, Stage.CLOSED)
    assert allowed_next_stages(Stage.OFFER) == (Stage.CLOSED,)
    assert allowed_next_stages(Stage.CLOSED) == ()


@pytest.mark.parametrize("current", list(PROGRESSION))
def test_closed_is_reachable_from_every_open_stage_and_nothing_goes_back(current):
    allowed = allowed_next_stages(current)
    assert (Stage.CLOSED in allowed) is (current is not Stage.CLOSED)
    assert Stage.ACCEPTED not in allowed and current not in allowed


def test_nothing_moves_on_after_the_candidate_stepped_back():
    assert allowed_next_stages(Stage.STEPPED_BACK) == ()
    assert parse_stage("stepped_back") is None  # not a stage a recruiter sets


def test_stage_change_error_none_when_allowed():
    assert stage_change_error(Stage.CONVERSATION, Stage.OFFER) is None  # skipping ahead
    assert stage_change_error(Stage.ACCEPTED, Stage.CLOSED) is None


def test_stage_change_error_going_back_names_current_and_options():
    message = stage_change_error(Stage.INTERVIEWING, Stage.CONVERSATION)
    assert message == "It's at the interviewing stage, and stages only move forward: it can move to offer or closed."


def test_stage_change_error_same_stage():
    assert stage_change_error(Stage.OFFER, Stage.OFFER) == "It's already at the offer stage; it can move on to closed."


def test_stage_change_error_lists_all_options():
    message = stage_change_error(Stage.OFFER, Stage.ACCEPTED)
    assert message is not None and "offer" in message and "closed" in message
    message = stage_change_error(Stage.CONVERSATION, Stage.ACCEPTED)
    assert message is not None and "interviewing, offer or closed" in message


def test_stage_change_error_when_closed():
    for wanted in Stage:
        message = stage_change_error(Stage.CLOSED, wanted)
        assert message is not None and "closed" in message


# --------------------------------------------------------------------------
# matching


def test_rank_matches_by_overlap_then_user_id():
    role_tags = ("python", "backend", "berlin")
    candidates = [
        MatchCandidate("U3", ("berlin",)),
        MatchCandidate("U1", ()),
        MatchCandidate("U2", ("berlin", "python", "golang")),
        MatchCandidate("U0", ("design",)),
        MatchCandidate("U4", ("python",)),
    ]
    assert rank_matches(role_tags, candidates) == [
        Match("U2", ("python", "berlin")),  # role order, not the candidate's
        Match("U3", ("berlin",)),
        Match("U4", ("python",)),
        Match("U0", ()),
        Match("U1", ()),
    ]


def test_a_role_without_tags_lists_everyone_by_id():
    assert rank_matches((), [MatchCandidate("U2", ("go",)), MatchCandidate("U1", ())]) == [
        Match("U1", ()),
        Match("U2", ()),
    ]


def test_rank_matches_compares_normalized_tags():
    assert rank_matches(("python",), [MatchCandidate("U1", (" Python ",))]) == [Match("U1", ("python",))]


def test_no_candidates_no_matches():
    assert rank_matches(("python",), []) == []


_ids = st.text(alphabet="UW0123456789ABC", min_size=2, max_size=5)
_tags = st.lists(st.sampled_from(["go", "python", "sql", "remote", "berlin"]), max_size=5).map(tuple)


@given(_tags, st.lists(st.builds(MatchCandidate, _ids, _tags), max_size=12))
def test_rank_matches_is_a_sorted_permutation(role_tags, candidates):
    ranked = rank_matches(role_tags, candidates)
    assert sorted(m.user_id for m in ranked) == sorted(c.user_id for c in candidates)
    keys = [(-len(m.shared_tags), m.user_id) for m in ranked]
    assert keys == sorted(keys)
    for m in ranked:
        assert all(tag in role_tags for tag in m.shared_tags)
        assert len(set(m.shared_tags)) == len(m.shared_tags)
        assert list(m.shared_tags) == sorted(m.shared_tags, key=role_tags.index)


# --------------------------------------------------------------------------
# funnel


def _outcome(answer, *, after=None, sent=True):
    sent_at = T0 if sent else None
    answered_at = T0 + after if after is not None else None
    return InvitationOutcome(sent_at, answered_at, answer)


def test_empty_funnel():
    f = funnel([], opted_out_in_period=0)
    assert f == Funnel(0, 0, 0, 0, 0, 0, None)
    assert f.rate("answered") is None and f.rate(0) is None


def test_funnel_counts():
    h = timedelta(hours=1)
    outcomes = [
        _outcome("accepted", after=1 * h),
        _outcome("accepted", after=5 * h),
        _outcome("declined", after=2 * h),
        _outcome("snoozed", after=3 * h),
        _outcome("stopped", after=10 * h),
        _outcome("details", after=h / 2),  # asked for details: not an answer
        _outcome("expired", after=240 * h),  # not an answer
        _outcome(None),  # delivered, no answer yet
        _outcome(None, sent=False),  # queued: not invited yet
        _outcome("accepted", sent=False),  # inconsistent row: not delivered, so ignored
    ]
    f = funnel(outcomes, opted_out_in_period=4)
    assert (f.invited, f.answered, f.interested, f.snoozed, f.declined, f.opted_out) == (8, 5, 2, 1, 1, 4)
    assert f.median_time_to_answer == 3 * h  # of 1, 2, 3, 5, 10 hours


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    outcomes = [_outcome("declined", after=timedelta(hours=n)) for n in (8, 1, 2, 30)]
    assert funnel(outcomes, opted_out_in_period=0).median_time_to_answer == timedelta(hours=5)


def test_median_ignores_answers_without_a_time_and_clamps_clock_skew():
    outcomes = [
        InvitationOutcome(T0, None, "accepted"),
        _outcome("accepted", after=timedelta(seconds=-3)),
        _outcome("accepted", after=timedelta(hours=2)),
    ]
    f = funnel(outcomes, opted_out_in_period=0)
    assert f.answered == 3
    assert f.median_time_to_answer == timedelta(hours=1)  # mean of 0 and 2 hours


def test_no_answers_no_median():
    f = funnel([_outcome(None), _outcome("details", after=timedelta(hours=1))], opted_out_in_period=0)
    assert (f.invited, f.answered, f.median_time_to_answer) == (2, 0, None)


def test_rates():
    f = Funnel(invited=8, answered=6, interested=2, snoozed=1, declined=3, opted_out=1, median_time_to_answer=None)
    assert f.rate(f.answered) == 0.75
    assert f.rate("interested") == 0.25
    assert f.rate(0) == 0.0
    with pytest.raises(ValueError):
        f.rate("median_time_to_answer")


_answers = st.sampled_from(["accepted", "declined", "snoozed", "details", "stopped", "expired", None])


@given(st.lists(st.tuples(st.booleans(), _answers, st.integers(min_value=0, max_value=10**6)), max_size=30))
def test_funnel_invariants(rows):
    outcomes = [
        InvitationOutcome(T0 if sent else None, T0 + timedelta(seconds=s) if answer else None, answer)
        for sent, answer, s in rows
    ]
    f = funnel(outcomes, opted_out_in_period=0)
    assert 0 <= f.interested + f.snoozed + f.declined <= f.answered <= f.invited <= len(outcomes)
    assert (f.median_time_to_answer is None) is (f.answered == 0)
    if f.invited:
        assert 0.0 <= f.rate("answered") <= 1.0
