"""`python app.py doctor` and `python app.py preview`, run as an operator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

from slack_sdk.models.blocks import Block

from tests.support.slackreq import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path, *args, **values):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NUDGE_", "DATABASE_URL", "PORT"))}
    env.update(values)
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)


def _env(fake, tmp_path, **extra):
    return {
        "SLACK_BOT_TOKEN": "xoxb-5-6-doctor",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}",
        "NUDGE_RECRUITERS": "URECRUIT1",
        "NUDGE_PRIVACY_URL": "https://example.com/privacy",
        "NUDGE_SECRET": "a-long-enough-secret-value",
    } | extra


def test_doctor_says_everything_is_right_when_it_is(fake_slack, tmp_path):
    assert _run(tmp_path, "db", "upgrade", **_env(fake_slack, tmp_path)).returncode == 0
    result = _run(tmp_path, "doctor", **_env(fake_slack, tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK   SLACK_BOT_TOKEN" in result.stdout and "OK   scopes: every scope" in result.stdout
    assert "migrations at the newest level" in result.stdout
    assert result.stdout.strip().endswith("Everything looks right.")
    assert "xoxb-5-6-doctor" not in result.stdout + result.stderr


def test_doctor_names_missing_scopes_a_refused_token_and_an_unmigrated_database(fake_slack, tmp_path):
    fake_slack.granted_scopes = ["commands", "chat:write", "users:read", "channels:write"]
    env = _env(fake_slack, tmp_path, NUDGE_SECRET="", NUDGE_PRIVACY_URL="")
    result = _run(tmp_path, "doctor", **env)
    assert result.returncode == 1
    assert "FAIL scopes: missing channels:read, dnd:read, files:write, groups:read, im:history, im:write" in result.stdout
    assert "WARN scopes: granted but not needed: channels:write" in result.stdout
    assert "at migration none of" in result.stdout and "db upgrade" in result.stdout
    assert "WARN NUDGE_SECRET" in result.stdout and "WARN NUDGE_PRIVACY_URL" in result.stdout
    fake_slack.fail_next("auth.test", "invalid_auth")
    refused = _run(tmp_path, "doctor", **env)
    assert "FAIL SLACK_BOT_TOKEN: Slack said invalid_auth" in refused.stdout and refused.returncode == 1


def test_preview_prints_every_message_as_valid_block_kit_with_builder_links(tmp_path):
    result = _run(tmp_path, "preview")  # no Slack settings needed to review the copy
    assert result.returncode == 0, result.stderr
    sections = [s for s in result.stdout.split("## ") if s.strip()]
    assert len(sections) >= 25
    names = [s.split("\n", 1)[0] for s in sections]
    assert {"invitation", "welcome DM", "App Home", "preferences modal", "follow-up", "consent renewal"} <= set(names)
    for section in sections:
        body, link = section.split("\n", 1)[1].rsplit("Block Kit Builder: ", 1)
        payload = json.loads(body)
        for block in payload["blocks"]:
            Block.parse(block).to_dict()
        assert link.startswith("https://app.slack.com/block-kit-builder/#")
        assert json.loads(unquote(link.strip().split("#", 1)[1]))["blocks"] == payload["blocks"]
