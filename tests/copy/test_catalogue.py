"""The `preview` catalogue: every message and view the bot can send, each one free of anything
Slack would reject (the same Block Kit check the fake Web API runs on every call)."""

from __future__ import annotations

import inspect

import pytest

from bot.copy import admin, after_yes, candidate, journey, market, preview, recruiter, recruiting_views, views
from bot.copy.blocks import Message
from tests.support.fakeslack import message_problems, view_problems

CATALOGUE = preview.samples()
MODULES = (admin, after_yes, candidate, journey, market, recruiter, recruiting_views, views)


def _builders():
    """Every public function of the copy modules that returns a Message or a View."""
    for module in MODULES:
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            returns = inspect.signature(function).return_annotation
            if returns in ("Message", "View", Message) or (returns == "list" and name.endswith("_blocks")):
                yield module, name  # (a `…_blocks` function builds part of a view, e.g. App Home's recruiter section)


BUILDERS = sorted((m.__name__, n) for m, n in _builders())


def test_the_catalogue_has_unique_names():
    names = [name for name, _ in CATALOGUE]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("name", "payload"), CATALOGUE, ids=[name for name, _ in CATALOGUE])
def test_every_catalogue_entry_is_valid_block_kit(name, payload):
    problems = view_problems(payload) if "type" in payload else message_problems(payload)
    assert problems == [], f"{name}: {problems}"


def test_the_check_finds_a_violation_in_a_catalogue_entry():
    """The check above can fail: a catalogue entry with a doubled block is caught."""
    name, payload = next((n, p) for n, p in CATALOGUE if "type" not in p and p["blocks"])
    doubled = {**payload, "blocks": payload["blocks"] + [{**payload["blocks"][0], "block_id": "same"}] * 2}
    assert any("block_id 'same'" in p for p in message_problems(doubled)), name


def _text_objects(node):
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            yield node
        for value in node.values():
            yield from _text_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _text_objects(value)


@pytest.mark.parametrize(("name", "payload"), CATALOGUE, ids=[name for name, _ in CATALOGUE])
def test_every_mrkdwn_text_is_verbatim(name, payload):
    """Text a person wrote (role details, titles, notes, interests, a note for companies …) is in
    nearly every message, so every mrkdwn text object is `verbatim`: Slack then turns no bare URL
    or #channel in it into a link. Nudge's own links and mentions are explicit `<…>` markup,
    which Slack reads either way."""
    loose = [obj["text"][:60] for obj in _text_objects(payload) if obj["type"] == "mrkdwn" and not obj.get("verbatim")]
    assert loose == [], name


def test_the_check_finds_user_text_slack_would_link():
    """The fake Web API refuses mrkdwn that Slack would auto-link (a bare URL or #channel) unless
    it is verbatim; Nudge's own `<url|label>` links are fine."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "Details: see https://evil.example or #general"}}
    problems = message_problems({"text": "x", "blocks": [section]})
    assert any("verbatim" in p for p in problems)
    section["text"]["verbatim"] = True
    assert message_problems({"text": "x", "blocks": [section]}) == []
    linked = {"type": "context", "elements": [{"type": "mrkdwn", "text": "<https://x.example|privacy notice>, #7"}]}
    assert message_problems({"text": "x", "blocks": [linked]}) == []


def test_every_message_and_view_builder_appears_in_the_catalogue(monkeypatch):
    """A new message or view must be added to `preview` (and so to the Block Kit check)."""
    assert len(BUILDERS) > 50 and ("bot.copy.recruiter", "recruiter_home_blocks") in BUILDERS
    called: set[tuple[str, str]] = set()
    for module_name, name in BUILDERS:
        module = next(m for m in MODULES if m.__name__ == module_name)
        original = getattr(module, name)

        def wrapper(*args, __key=(module_name, name), __original=original, **kwargs):
            called.add(__key)
            return __original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)
    preview.samples()
    missing = sorted(set(BUILDERS) - called)
    assert missing == [], f"not in the preview catalogue: {missing}"


def test_an_overlong_line_is_split_outside_escaped_entities_and_mentions():
    from bot.copy.blocks import MAX_SECTION, chunks

    for unit in ("&amp;", "&lt;x&gt;", "<@U0CANDIDATE>", "<!date^1803859200^{date_long_pretty}|2027-03-01>"):
        text = unit * (3 * MAX_SECTION // len(unit))
        parts = chunks(text)
        assert len(parts) > 1 and all(len(p) <= MAX_SECTION for p in parts)
        assert "".join(parts) == text
        assert all(p.startswith(unit) and len(p) % len(unit) == 0 for p in parts), unit


def test_an_invitation_with_long_escaped_details_stays_inside_the_section_limit():
    """A defect the stricter check found: role details at their 2,000-character limit, escaped
    (`&` → `&amp;`), made the invitation's one section longer than Slack's 3,000 characters."""
    from bot.copy import journey

    role = preview.SampleRole(details="&" * 2000)
    payload = journey.invitation(
        invitation_id=1, role=role, recruiter_id="U0R", note=None, matched=(), with_details=True
    ).as_kwargs()
    assert message_problems(payload) == []
    shown = "".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    assert shown.count("&amp;") == 2000  # nothing lost in the split


def test_a_long_never_list_on_app_home_stays_inside_the_section_limit():
    home = next(p for n, p in CATALOGUE if n == "App Home (long preferences)")
    assert view_problems(home) == []
    shown = "".join(b["text"]["text"] for b in home["blocks"] if b["type"] == "section")
    assert shown.count("&amp;") >= 29 * 4 and "028" in shown


def test_a_fallback_text_over_slacks_limit_is_shortened():
    from bot.copy import blocks

    payload = blocks.plain("&amp; word " * 8000).as_kwargs()
    assert message_problems(payload) == [] and payload["text"].endswith("…")
