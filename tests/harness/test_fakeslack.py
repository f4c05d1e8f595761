"""Tests for tests/support/fakeslack.py, driven through the real slack_sdk WebClient.

Why: the rest of the suite trusts the fake to (a) answer like Slack and (b)
flag requests Slack would reject.  Each test here pins one of those promises.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from tests.support.fakeslack import Call, FakeSlack, default_spec_path, fake_slack  # noqa: F401  (fixture)

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "Fancy a *no-commitment* chat?"}}


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake_slack.url)


@pytest.fixture
def dirty_fake():
    """A fake for tests that provoke violations on purpose (no assert_clean at teardown)."""
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def _expect_violation(fake: FakeSlack, fragment: str) -> None:
    found = fake.pop_violations()
    assert any(fragment in v for v in found), f"expected a violation mentioning {fragment!r}, got {found}"


def test_post_message_with_blocks_is_clean_and_ts_increases(fake_slack, client):
    """A valid Block Kit message is accepted, recorded, and ts values strictly increase."""
    first = client.chat_postMessage(channel="C1", text="fallback", blocks=[SECTION])
    second = client.chat_postMessage(channel="C1", text="again")
    assert first["ok"] and first["message"]["blocks"] == [SECTION]
    assert first["message"]["user"] == "UBOT" and first["message"]["bot_id"] == "BBOT"
    assert float(second["ts"]) > float(first["ts"])
    call = fake_slack.calls_to("chat.postMessage")[0]
    assert call.decoded["blocks"] == [SECTION]
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert [m["text"] for m in fake_slack.messages_in("C1")] == ["fallback", "again"]
    assert fake_slack.violations == []


def test_form_encoded_blocks_stay_strings_in_args(fake_slack, client):
    """Form-encoded JSON args are left as sent in `args` but decoded into `decoded`."""
    client.api_call("chat.postMessage", data={"channel": "C1", "text": "t", "blocks": json.dumps([SECTION])})
    call = fake_slack.calls_to("chat.postMessage")[0]
    assert isinstance(call.args["blocks"], str)
    assert call.decoded["blocks"] == [SECTION]


def test_missing_required_argument_is_a_violation(dirty_fake):
    """chat.postMessage without `channel` is rejected like Slack would."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.postMessage", json={"text": "no channel"})
    assert err.value.response["error"] == "invalid_arguments"
    _expect_violation(dirty_fake, "missing required argument 'channel'")


def test_unknown_method_is_a_violation(dirty_fake):
    """Typos in method names must not silently succeed."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.postMesage", json={"channel": "C1", "text": "x"})
    assert err.value.response["error"] == "unknown_method"
    _expect_violation(dirty_fake, "chat.postMesage")


def test_stale_spec_methods_are_allowed(fake_slack):
    """apps.connections.open (missing from the 2021 spec) works with an app-level token."""
    client = WebClient(base_url=fake_slack.url)
    assert client.apps_connections_open(app_token="xapp-1-test")["url"].startswith("ws://")


def test_wrong_token_type_is_a_violation(dirty_fake):
    """Bot methods need xoxb-; a user token is flagged."""
    client = WebClient(token="xoxp-user", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError) as err:
        client.auth_test()
    assert err.value.response["error"] == "not_allowed_token_type"
    _expect_violation(dirty_fake, "xoxb-")


@pytest.mark.parametrize(
    ("blocks", "fragment"),
    [
        ([{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "150"),
        ([SECTION] * 51, "at most 50"),
        ([{"type": "no_such_block"}], "unknown block type"),
    ],
    ids=["long-header", "51-blocks", "unknown-type"],
)
def test_invalid_blocks_are_violations(dirty_fake, blocks, fragment):
    """Slack's Block Kit limits (via slack_sdk models) are enforced."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="fallback", blocks=blocks)
    assert err.value.response["error"] == "invalid_blocks"
    _expect_violation(dirty_fake, fragment)
    assert dirty_fake.messages_in("C1") == []


def test_blocks_without_text_fallback_is_a_violation(dirty_fake):
    """Notifications and screen readers need `text` whenever blocks are sent."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError), pytest.warns(UserWarning, match="text"):
        client.chat_postMessage(channel="C1", blocks=[SECTION])
    _expect_violation(dirty_fake, "fallback")


def test_modal_with_long_title_is_a_violation(dirty_fake):
    """Modal titles are capped at 24 characters."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 30}, "blocks": [SECTION]}
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id="123.456", view=view)
    assert err.value.response["error"] == "invalid_arguments"
    _expect_violation(dirty_fake, "24")


def test_views_open_update_and_publish(fake_slack, client):
    """Valid views get ids; views.update keeps the id; views.publish stores the home tab per user."""
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Say hi"}, "blocks": [SECTION]}
    opened = client.views_open(trigger_id="123.456", view=view)["view"]
    assert opened["id"].startswith("V") and opened["title"]["text"] == "Say hi"
    updated = client.views_update(view_id=opened["id"], view={**view, "blocks": [SECTION, {"type": "divider"}]})
    assert updated["view"]["id"] == opened["id"] and len(updated["view"]["blocks"]) == 2
    home = {"type": "home", "blocks": [SECTION]}
    client.views_publish(user_id="U1", view=home)
    assert fake_slack.home_tabs["U1"]["blocks"] == [SECTION]


def test_fail_next_then_success(fake_slack, client):
    """fail_next makes the client raise exactly `times` times, then calls succeed again."""
    fake_slack.fail_next("chat.postMessage", "channel_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            client.chat_postMessage(channel="C1", text="hi")
        assert err.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    assert len(fake_slack.messages_in("C1")) == 1


def test_rate_limit_is_retried_after_retry_after(fake_slack, client):
    """With RateLimitErrorRetryHandler the client waits >= Retry-After and then succeeds."""
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    first, second = fake_slack.calls_to("chat.postMessage")
    assert second.at - first.at >= 1.0


def test_rate_limit_without_handler_raises(fake_slack, client):
    """Without a retry handler the 429 surfaces as SlackApiError carrying Retry-After."""
    fake_slack.rate_limit_next("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client.users_info(user="U1")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"


def test_dm_round_trip_with_metadata(fake_slack, client):
    """open DM -> post with metadata -> update -> history; metadata only with include_all_metadata."""
    dm = client.conversations_open(users="U123")["channel"]["id"]
    assert dm == "D123"
    meta = {"event_type": "nudge_sent", "event_payload": {"candidate": "U123"}}
    posted = client.chat_postMessage(channel=dm, text="v1", metadata=meta)
    assert posted["message"]["metadata"] == meta
    later = client.chat_postMessage(channel=dm, text="second")
    client.chat_update(channel=dm, ts=posted["ts"], text="v2")

    plain = client.conversations_history(channel=dm)["messages"]
    assert [m["text"] for m in plain] == ["second", "v2"]  # newest first, edit applied
    assert all("metadata" not in m for m in plain)

    with_meta = client.conversations_history(channel=dm, include_all_metadata=True)["messages"]
    assert with_meta[1]["metadata"] == meta

    limited = client.conversations_history(channel=dm, limit=1)
    assert [m["ts"] for m in limited["messages"]] == [later["ts"]] and limited["has_more"]
    newer = client.conversations_history(channel=dm, oldest=posted["ts"])["messages"]
    assert [m["ts"] for m in newer] == [later["ts"]]
    assert fake_slack.messages_in("U123")[0]["text"] == "v2"  # user id maps to the DM


def test_bad_metadata_is_a_violation(dirty_fake):
    """metadata needs event_type and an event_payload object."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x", metadata={"event_type": "x", "event_payload": "nope"})
    _expect_violation(dirty_fake, "event_payload")


def test_users_info_and_dnd_defaults_and_overrides(fake_slack, client):
    """Unknown users get a London default; overrides deep-merge and recompute tz_offset."""
    default = client.users_info(user="U9")["user"]
    assert default["tz"] == "Europe/London" and default["is_bot"] is False
    assert default["profile"]["status_text"] == "" and default["profile"]["status_expiration"] == 0
    fake_slack.users["U2"] = {"tz": "Asia/Tokyo", "profile": {"status_emoji": ":palm_tree:"}}
    tokyo = client.users_info(user="U2")["user"]
    assert tokyo["tz_offset"] == 9 * 3600 and tokyo["profile"]["status_emoji"] == ":palm_tree:"
    assert tokyo["profile"]["status_text"] == ""
    fake_slack.dnd["U2"] = {"dnd_enabled": True}
    assert client.dnd_info(user="U2")["dnd_enabled"] is True
    team = client.dnd_teamInfo(users="U2,U9")["users"]
    assert team["U2"]["dnd_enabled"] is True and team["U9"]["dnd_enabled"] is False


def test_files_upload_v2(fake_slack, client):
    """The three-step upload flow works and the bytes land on the fake."""
    result = client.files_upload_v2(channel="D123", content="hello, file", filename="notes.txt", title="Notes")
    file_id = result["file"]["id"]
    assert fake_slack.uploads[file_id] == b"hello, file"
    assert result["file"]["title"] == "Notes" and result["file"]["channels"] == ["D123"]
    assert [c.method for c in fake_slack.calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]


def test_legacy_files_upload_is_flagged(dirty_fake):
    """files.upload (multipart) was retired by Slack in 2025 even though the 2021 spec lists it."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError) as err, pytest.warns(UserWarning):
        client.files_upload(channels="C1", file=b"\x00bytes", filename="a.bin")
    assert err.value.response["error"] == "method_deprecated"
    assert dirty_fake.calls[0].args["file"] == b"\x00bytes"  # multipart body was parsed
    _expect_violation(dirty_fake, "files_upload_v2")


def test_response_url_is_recorded_and_validated(dirty_fake):
    """Posts to a response_url are recorded as method 'response_url' and Block-Kit checked."""
    url = dirty_fake.response_url_for("cmd-1")
    ok = WebhookClient(url).send(text="done", blocks=[SECTION], replace_original=True)
    assert ok.status_code == 200
    (call,) = dirty_fake.calls_to("response_url")
    assert call.args["text"] == "done" and call.decoded["blocks"] == [SECTION]
    assert call.path.endswith("/cmd-1")
    assert dirty_fake.violations == []
    bad = WebhookClient(url).send(blocks=[SECTION])  # no text fallback
    assert bad.status_code == 400
    _expect_violation(dirty_fake, "fallback")


def test_wait_for_and_delay(fake_slack, client):
    """wait_for sees calls made from other threads; delay() slows answers; timeouts name what was seen."""
    fake_slack.delay("chat.postMessage", 0.3)
    started = time.monotonic()
    worker = threading.Thread(target=lambda: client.chat_postMessage(channel="C1", text="bg"))
    worker.start()
    assert len(fake_slack.wait_for("chat.postMessage", timeout=2)) == 1
    worker.join(5)
    assert time.monotonic() - started >= 0.3
    with pytest.raises(AssertionError, match=r"chat\.postMessage"):
        fake_slack.wait_for("users.info", timeout=0.1)


def test_garbage_body_does_not_crash_server(dirty_fake):
    """Malformed JSON gets a 400 and a violation; the server keeps serving."""
    req = urllib.request.Request(
        dirty_fake.url + "chat.postMessage",
        data=b"{not json",
        headers={"Content-Type": "application/json", "Authorization": "Bearer xoxb-test"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=5)
    assert err.value.code == 400
    err.value.close()
    _expect_violation(dirty_fake, "unparseable")
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    assert client.auth_test()["user_id"] == "UBOT"


def test_get_request_is_recorded_with_query_args(fake_slack):
    """GET methods (users.info per the spec) take args from the query string.

    slack_sdk's sync WebClient always POSTs, even with http_verb="GET", so use urllib.
    """
    before = time.monotonic()
    req = urllib.request.Request(fake_slack.url + "users.info?user=U5", headers={"Authorization": "Bearer xoxb-test"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert json.load(resp)["user"]["id"] == "U5"
    (call,) = fake_slack.calls
    assert isinstance(call, Call) and call.verb == "GET"
    assert call.args == {"user": "U5"} and call.at >= before


def test_spec_location_honours_env(monkeypatch, tmp_path):
    """NUDGE_SLACK_REFERENCE points at a reference folder; otherwise ../shared is used."""
    monkeypatch.setenv("NUDGE_SLACK_REFERENCE", str(tmp_path))
    assert default_spec_path() == tmp_path / "web-api" / "slack_web_openapi_v2.json"
    monkeypatch.delenv("NUDGE_SLACK_REFERENCE")
    assert default_spec_path().parts[-3:] == ("slack-reference", "web-api", "slack_web_openapi_v2.json")
    assert default_spec_path().is_file()


# ---- Block Kit limits Slack enforces ----------------------------------------------------------


def _button(action_id="b", text="Go", value="1"):
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, "value": value}


def _actions(*elements, block_id=None):
    block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def _mrkdwn(text, block_id=None):
    block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        block["block_id"] = block_id
    return block


def _fields(n, size=10):
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * size} for _ in range(n)]}


def _context(n):
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"} for _ in range(n)]}


def _select(n):
    options = [{"text": {"type": "plain_text", "text": f"o{i}"}, "value": str(i)} for i in range(n)]
    return {**_mrkdwn("pick"), "accessory": {"type": "static_select", "action_id": "pick", "options": options}}


def _escaped_section(raw_length: int, ampersands: int):
    """A section whose text is `raw_length` characters as typed, escaped the way the bot sends it."""
    from bot.rules.text import escape

    typed = "&" * ampersands + "x" * (raw_length - ampersands)
    return _mrkdwn(escape(typed))


# (name, a payload Slack rejects, the same at the limit, a fragment of the violation)
BLOCK_LIMITS = [
    (
        "duplicate-action-id",
        [_actions(_button("same"), _button("same"))],
        [_actions(_button("same.1"), _button("same.3"))],
        "action_id 'same'",
    ),
    (
        "duplicate-block-id",
        [_mrkdwn("a", "one"), _mrkdwn("b", "one")],
        [_mrkdwn("a", "one"), _mrkdwn("b", "two")],
        "block_id 'one'",
    ),
    ("section-text-3001", [_mrkdwn("x" * 3001)], [_mrkdwn("x" * 3000)], "3001 chars as sent"),
    (
        "section-text-over-after-escaping",
        [_escaped_section(2990, 3)],
        [_escaped_section(2988, 3)],
        "3002 chars as sent",
    ),
    ("section-11-fields", [_fields(11)], [_fields(10)], "11 fields"),
    ("section-field-2001", [_fields(1, 2001)], [_fields(1, 2000)], "fields[0] is 2001"),
    ("button-text-76", [_actions(_button(text="t" * 76))], [_actions(_button(text="t" * 75))], "button text is 76"),
    (
        "button-value-2001",
        [_actions(_button(value="v" * 2001))],
        [_actions(_button(value="v" * 2000))],
        "button value is 2001",
    ),
    ("action-id-256", [_actions(_button("a" * 256))], [_actions(_button("a" * 255))], "action_id is 256"),
    ("block-id-256", [_mrkdwn("x", "b" * 256)], [_mrkdwn("x", "b" * 255)], "block_id is 256"),
    (
        "actions-26-elements",
        [_actions(*[_button(f"b{i}") for i in range(26)])],
        [_actions(*[_button(f"b{i}") for i in range(25)])],
        "26 elements",
    ),
    ("context-11-elements", [_context(11)], [_context(10)], "11 elements"),
    (
        "header-151",
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 150}}],
        "header text is 151",
    ),
    ("select-101-options", [_select(101)], [_select(100)], "101 options"),
    ("51-blocks", [_mrkdwn(f"{i}") for i in range(51)], [_mrkdwn(f"{i}") for i in range(50)], "51 blocks"),
]


@pytest.mark.parametrize(("bad", "good", "fragment"), [c[1:] for c in BLOCK_LIMITS], ids=[c[0] for c in BLOCK_LIMITS])
def test_block_kit_limits_reject_what_slack_rejects_and_accept_the_limit(dirty_fake, bad, good, fragment):
    """Each limit: one past it is answered invalid_blocks and recorded; exactly at it is accepted."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="fallback", blocks=bad)
    assert err.value.response["error"] == "invalid_blocks"
    _expect_violation(dirty_fake, fragment)
    assert dirty_fake.messages_in("C1") == []
    assert client.chat_postMessage(channel="C1", text="fallback", blocks=good)["ok"]
    assert dirty_fake.pop_violations() == []


def test_the_validator_is_a_function_of_the_blocks():
    """block_kit_problems / view_problems / message_problems: the same checks, usable without a server."""
    from tests.support.fakeslack import block_kit_problems, message_problems, view_problems

    for _, bad, good, fragment in BLOCK_LIMITS:
        assert any(fragment in p for p in block_kit_problems(bad)), fragment
        assert block_kit_problems(good) == []
    assert any("40001" in p for p in message_problems({"text": "t" * 40_001}))
    assert message_problems({"text": "t" * 40_000, "blocks": [SECTION]}) == []
    assert view_problems({"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": []})
    assert view_problems({"type": "home", "blocks": [SECTION]}) == []


DUPLICATE_IDS = [
    [_actions(_button("same"), _button("same"))],
    [_mrkdwn("a", "one"), _actions(_button(), block_id="one")],
]


@pytest.mark.parametrize("blocks", DUPLICATE_IDS, ids=["action_id", "block_id"])
@pytest.mark.parametrize("method", ["chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"])
def test_duplicate_ids_are_rejected_by_every_message_method(dirty_fake, method, blocks):
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    posted = client.chat_postMessage(channel="C1", text="first", blocks=[SECTION])
    if method == "response_url":
        reply = WebhookClient(dirty_fake.response_url_for("r1")).send(text="t", blocks=blocks, replace_original=True)
        assert reply.status_code == 400 and reply.body == "invalid_blocks"
    else:
        args = {
            "chat.postMessage": {"channel": "C1"},
            "chat.update": {"channel": "C1", "ts": posted["ts"]},
            "chat.postEphemeral": {"channel": "C1", "user": "U1"},
        }[method]
        with pytest.raises(SlackApiError) as err:
            client.api_call(method, json={**args, "text": "t", "blocks": blocks})
        assert err.value.response["error"] == "invalid_blocks"
    _expect_violation(dirty_fake, "unique")
    assert dirty_fake.messages_in("C1")[0]["text"] == "first"  # nothing changed in place


def _modal(**extra):
    return {"type": "modal", "title": {"type": "plain_text", "text": "Preferences"}, "blocks": [SECTION], **extra}


def _text_input(max_length):
    return {
        "type": "input",
        "block_id": "i",
        "label": {"type": "plain_text", "text": "Note"},
        "element": {"type": "plain_text_input", "action_id": "note", "max_length": max_length},
    }


def _plain(text):
    return {"type": "plain_text", "text": text}


VIEW_LIMITS = [
    ("modal-title-25", _modal(title=_plain("t" * 25)), _modal(title=_plain("t" * 24)), "modal title is 25"),
    ("modal-submit-25", _modal(submit=_plain("s" * 25)), _modal(submit=_plain("s" * 24)), "modal submit is 25"),
    ("modal-close-25", _modal(close=_plain("c" * 25)), _modal(close=_plain("c" * 24)), "modal close is 25"),
    (
        "private-metadata-3001",
        _modal(private_metadata="m" * 3001),
        _modal(private_metadata="m" * 3000),
        "private_metadata is 3001",
    ),
    ("callback-id-256", _modal(callback_id="c" * 256), _modal(callback_id="c" * 255), "callback_id is 256"),
    (
        "input-max-length-3001",
        _modal(blocks=[_text_input(3001)], submit=_plain("Save")),
        _modal(blocks=[_text_input(3000)], submit=_plain("Save")),
        "max_length is 3001",
    ),
    (
        "view-101-blocks",
        _modal(blocks=[_mrkdwn(f"{i}") for i in range(101)]),
        _modal(blocks=[_mrkdwn(f"{i}") for i in range(100)]),
        "101 blocks",
    ),
    (
        "view-duplicate-block-id",
        _modal(blocks=[_mrkdwn("a", "x"), _mrkdwn("b", "x")]),
        _modal(blocks=[_mrkdwn("a", "x"), _mrkdwn("b", "y")]),
        "block_id 'x'",
    ),
    (
        "view-duplicate-action-id",
        _modal(blocks=[_actions(_button("a"), _button("a"))]),
        _modal(blocks=[_actions(_button("a"), _button("b"))]),
        "action_id 'a'",
    ),
]


@pytest.mark.parametrize(("bad", "good", "fragment"), [c[1:] for c in VIEW_LIMITS], ids=[c[0] for c in VIEW_LIMITS])
@pytest.mark.parametrize("method", ["views.open", "views.update"])
def test_view_limits_reject_what_slack_rejects_and_accept_the_limit(dirty_fake, method, bad, good, fragment):
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    opened = client.views_open(trigger_id="1.2", view=_modal())["view"]
    args = {"trigger_id": "1.2"} if method == "views.open" else {"view_id": opened["id"]}
    with pytest.raises(SlackApiError) as err:
        client.api_call(method, json={**args, "view": bad})
    assert err.value.response["error"] == "invalid_arguments"
    _expect_violation(dirty_fake, fragment)
    assert client.api_call(method, json={**args, "view": good})["ok"]
    assert dirty_fake.pop_violations() == []


@pytest.mark.parametrize(
    ("bad", "good", "fragment"),
    [
        ([_mrkdwn("a", "x"), _mrkdwn("b", "x")], [_mrkdwn("a", "x"), _mrkdwn("b", "y")], "block_id 'x'"),
        ([_mrkdwn(f"{i}") for i in range(101)], [_mrkdwn(f"{i}") for i in range(100)], "101 blocks"),
        ([_mrkdwn("x" * 3001)], [_mrkdwn("x" * 3000)], "3001 chars as sent"),
    ],
    ids=["duplicate-block-id", "101-blocks", "section-3001"],
)
def test_home_views_are_checked_too(dirty_fake, bad, good, fragment):
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    with pytest.raises(SlackApiError):
        client.views_publish(user_id="U1", view={"type": "home", "blocks": bad})
    _expect_violation(dirty_fake, fragment)
    assert "U1" not in dirty_fake.home_tabs
    assert client.views_publish(user_id="U1", view={"type": "home", "blocks": good})["ok"]
    assert dirty_fake.pop_violations() == []


def test_ack_bodies_are_checked_like_messages_and_views(dirty_fake):
    """What the app answers Slack directly is held to the same Block Kit rules."""
    assert dirty_fake.check_ack({"text": "ok", "blocks": [SECTION]}) == []
    assert dirty_fake.check_ack({"response_action": "update", "view": _modal()}) == []
    assert dirty_fake.check_ack({"response_action": "errors", "errors": {"b": "Please fix"}}) == []
    assert dirty_fake.pop_violations() == []
    assert dirty_fake.check_ack({"text": "t", "blocks": DUPLICATE_IDS[0]})
    _expect_violation(dirty_fake, "ack: blocks[0]: action_id 'same'")
    assert dirty_fake.check_ack({"response_action": "update", "view": _modal(title=_plain("t" * 25))})
    _expect_violation(dirty_fake, "ack: modal title is 25")
    assert dirty_fake.check_ack({"blocks": [SECTION]})
    _expect_violation(dirty_fake, "fallback")


def test_views_open_after_the_trigger_window_is_refused(dirty_fake):
    """Slack honours a trigger_id for 3 s: a modal opened later fails with expired_trigger_id."""
    client = WebClient(token="xoxb-test", base_url=dirty_fake.url)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": [SECTION]}
    dirty_fake.issued_trigger("1.fresh")
    assert client.views_open(trigger_id="1.fresh", view=view)["ok"]
    dirty_fake.issued_trigger("2.stale")
    dirty_fake.trigger_times["2.stale"] -= 3.5  # as if the request had been sent 3.5 s ago
    with pytest.raises(SlackApiError) as refused:
        client.views_open(trigger_id="2.stale", view=view)
    assert refused.value.response["error"] == "expired_trigger_id"
    _expect_violation(dirty_fake, "after the trigger")
