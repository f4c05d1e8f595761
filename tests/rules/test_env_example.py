""".env.example is rendered from the settings table, so it cannot drift from what Nudge reads."""

from __future__ import annotations

import io
from pathlib import Path

from dotenv import dotenv_values

from bot.settings import SETTINGS_DOC, env_example, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_env_example_is_the_rendered_one():
    """Regenerate with `python -c "from bot.settings import env_example; print(env_example(), end='')" > .env.example`."""
    assert (ROOT / ".env.example").read_text() == env_example()


def test_the_env_example_documents_every_variable_once_in_table_order():
    assigned = [line.split("=", 1)[0] for line in env_example().splitlines() if line and not line.startswith("#")]
    assert assigned == [name for name, _default, _meaning in SETTINGS_DOC]


def test_every_variable_has_a_comment_line_above_it():
    lines = env_example().splitlines()
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[index - 1].startswith("# "), line


def test_the_env_example_filled_with_the_required_tokens_loads_the_defaults():
    """Its values are the defaults themselves, so copying it to .env changes nothing by accident."""
    required = {"SLACK_BOT_TOKEN": "xoxb-1-2-example", "SLACK_SIGNING_SECRET": "signing-secret-example"}
    example = {name: value or "" for name, value in dotenv_values(stream=io.StringIO(env_example())).items()}
    assert load_settings(example | required) == load_settings(required)
