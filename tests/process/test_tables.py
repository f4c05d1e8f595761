"""The tables that replace hand-kept branches stay complete: every command in the catalogue has a
route, and every kind of step that reaches Slack has a renderer."""

from __future__ import annotations

from bot.rules.commands import ADMIN_COMMANDS, CANDIDATE_COMMANDS, RECRUITER_COMMANDS
from bot.rules.steps import INTERNAL, Kind
from bot.sending.render import RENDERERS
from handlers.commands import ROUTES


def test_every_catalogued_command_has_a_route_and_every_route_is_catalogued():
    catalogue = {info.name for info in (*CANDIDATE_COMMANDS, *RECRUITER_COMMANDS, *ADMIN_COMMANDS)}
    assert set(ROUTES) == catalogue


def test_every_kind_that_reaches_slack_has_a_renderer():
    assert set(RENDERERS) == set(Kind) - INTERNAL
