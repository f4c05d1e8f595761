"""The end-to-end modules' app on a clock the test moves: `app` and `clock`.

A module changes what they give it with module-level names, read as each test starts:

- `START`: when the clock starts (default `MONDAY_NOON`, inside the default send window);
- `APP_SETTINGS`: setting overrides for the app, e.g. `{"NUDGE_SECRET": SECRET}`;
- `SLACK_USERS`: what the fake Slack's users.info says of some people from the start,
  `{user id: fields}`.

A module that needs more defines its own `app` fixture taking this one (`def app(app): ...`).
"""

from __future__ import annotations

import copy

import pytest

from tests.support.clocks import MovableClock
from tests.support.journeys import MONDAY_NOON


@pytest.fixture
def clock(request):
    return MovableClock(getattr(request.module, "START", MONDAY_NOON))


@pytest.fixture
def app(request, make_app, clock, fake_slack):
    for user_id, fields in getattr(request.module, "SLACK_USERS", {}).items():
        fake_slack.users[user_id] = copy.deepcopy(fields)
    return make_app(clock=clock, **getattr(request.module, "APP_SETTINGS", {}))
