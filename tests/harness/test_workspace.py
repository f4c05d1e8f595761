"""The pretend workspace turns typing and clicks into what Slack would send, and applies the
bot's response_url replies as Slack would (tested here without the bot; the browser test and
tests/process/test_demo.py run it against the real one)."""

from __future__ import annotations

import pytest
from slack_sdk.webhook import WebhookClient

from slackstandin.workspace import COMMUNITY_CHANNEL, LiveSlack, Workspace, dm_of


@pytest.fixture
def workspace():
    fake = LiveSlack().start()
    yield Workspace(fake)
    fake.stop()
    fake.assert_clean()


def test_typed_text_is_escaped_and_mentions_become_slack_markup(workspace):
    typed = workspace.encode_typed("/x <b>&co</b> @amara @nobody #community https://example.com/a?b=1")
    assert typed == (
        "/x &lt;b&gt;&amp;co&lt;/b&gt; <@UAMARA|amara> @nobody "
        f"<#{COMMUNITY_CHANNEL}|community> <https://example.com/a?b=1>"
    )


def test_people_answer_users_info_with_their_own_time_zone(workspace):
    from slack_sdk import WebClient

    client = WebClient(token="xoxb-demo", base_url=workspace.fake.url)
    zones = {uid: client.users_info(user=uid)["user"]["tz"] for uid in ("UAMARA", "UKENJI", "ULUCIA")}
    assert zones == {"UAMARA": "Africa/Lagos", "UKENJI": "Asia/Tokyo", "ULUCIA": "America/Mexico_City"}
    assert client.users_info(user="UKENJI")["user"]["tz_offset"] == 9 * 3600


def test_people_have_slack_locales_given_only_when_asked_for_as_slack_does(workspace):
    """Lucía's Slack speaks Spanish (Nudge answers in Spanish), Kenji's Japanese (English, the
    default); like Slack, `users.info` tells the locale only with `include_locale=true`."""
    from slack_sdk import WebClient

    client = WebClient(token="xoxb-demo", base_url=workspace.fake.url)
    locales = {uid: client.users_info(user=uid, include_locale=True)["user"]["locale"] for uid in ("ULUCIA", "UKENJI")}
    assert locales == {"ULUCIA": "es-LA", "UKENJI": "ja-JP"}
    assert "locale" not in client.users_info(user="ULUCIA")["user"]


def test_a_response_url_reply_replaces_the_clicked_message_or_adds_an_ephemeral(workspace):
    from slack_sdk import WebClient

    fake = workspace.fake
    client = WebClient(token="xoxb-demo", base_url=fake.url)
    posted = client.chat_postMessage(
        channel="UAMARA", text="Pick one", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "Pick one"}}]
    )
    key = workspace._target({"user": "UAMARA", "kind": "message", "ts": posted["ts"]})
    WebhookClient(fake.response_url_for(key)).send(text="Chosen", replace_original=True)
    [message] = fake.messages_in(dm_of("UAMARA"))
    assert message["text"] == "Chosen" and "edited" in message
    command = workspace._target({"user": "UAMARA", "kind": "command"})
    WebhookClient(fake.response_url_for(command)).send(text="Only you see this")
    state = workspace.state("UAMARA")
    assert [(i["kind"], i["text"]) for i in state["dm"]] == [("message", "Chosen"), ("ephemeral", "Only you see this")]
    assert workspace.state("UKENJI")["dm"] == []


def test_modal_inputs_become_slacks_view_state(workspace):
    view = {
        "blocks": [
            {
                "type": "input",
                "block_id": "cadence",
                "label": {"type": "plain_text", "text": "How often"},
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [{"text": {"type": "plain_text", "text": "Monthly"}, "value": "monthly"}],
                },
            },
            {
                "type": "input",
                "block_id": "tags",
                "optional": True,
                "label": {"type": "plain_text", "text": "Interests"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            },
            {
                "type": "input",
                "block_id": "days",
                "label": {"type": "plain_text", "text": "Days"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "value",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Mon"}, "value": "mon"},
                        {"text": {"type": "plain_text", "text": "Tue"}, "value": "tue"},
                    ],
                },
            },
        ]
    }
    state = workspace._state_values(
        view, {"cadence": {"value": "monthly"}, "tags": {"value": ""}, "days": {"value": ["tue", "sun"]}}
    )
    assert state == {
        "cadence": {
            "value": {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": "Monthly"}, "value": "monthly"},
            }
        },
        "tags": {"value": {"type": "plain_text_input", "value": None}},
        "days": {
            "value": {
                "type": "checkboxes",
                "selected_options": [{"text": {"type": "plain_text", "text": "Tue"}, "value": "tue"}],
            }
        },
    }


def test_a_file_the_bot_shares_in_a_dm_is_shown_and_served_to_that_person_only(workspace):
    from slack_sdk import WebClient

    client = WebClient(token="xoxb-demo", base_url=workspace.fake.url)
    client.files_upload_v2(
        channel=dm_of("UAMARA"),
        filename="nudge-my-data.json",
        title="Your data",
        content='{"a": 1}',
        initial_comment="Here it is",
    )
    [item] = [i for i in workspace.state("UAMARA")["dm"] if i["kind"] == "file"]
    assert item["text"] == "Here it is" and item["file"]["name"] == "nudge-my-data.json" and item["file"]["size"] == 8
    assert workspace.file_bytes("UAMARA", item["file"]["id"]) == ("nudge-my-data.json", b'{"a": 1}')
    assert workspace.file_bytes("UKENJI", item["file"]["id"]) is None
    assert [i for i in workspace.state("UKENJI")["dm"] if i["kind"] == "file"] == []
