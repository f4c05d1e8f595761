"""Requests into the app, shaped and signed exactly as Slack sends them: the product's stand-in
(`slackstandin.signing`), which `python app.py demo` uses too. Kept so the tests' imports stay."""

from slackstandin.signing import *  # noqa: F403
from slackstandin.signing import (  # noqa: F401  (names the tests import)
    BOT_USER_ID,
    SIGNING_SECRET,
    TEAM_ID,
    Reply,
    SlackSender,
    app_home_opened_event,
    block_actions_body,
    event_callback_body,
    get,
    home_click_body,
    im_message_event,
    member_joined_channel_event,
    post,
    sign,
    slash_command_body,
    view_submission_body,
)
