"""The fake Slack Web API for the tests: the product's stand-in (`slackstandin.webapi`), plus
the pytest fixture. The stand-in lives in the product because `python app.py demo` runs the real
bot against it too; this module keeps the tests' imports as they were."""

from __future__ import annotations

import pytest

from slackstandin.webapi import *  # noqa: F403
from slackstandin.webapi import (  # noqa: F401  (names the tests import)
    BOT_USER_ID,
    Call,
    FakeSlack,
    block_kit_problems,
    default_spec_path,
    load_spec,
    message_problems,
    view_problems,
)


@pytest.fixture
def fake_slack():
    """A started FakeSlack; fails the test at teardown if any violation was seen."""
    fake = FakeSlack().start()
    yield fake
    fake.stop()
    fake.assert_clean()
