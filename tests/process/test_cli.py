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
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


def _env(fake, tmp_path, **extra):
    return {
        "SLACK_BOT_TOKEN": "xoxb-5-6-doctor",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}",
        "NUDGE_RECRUITERS": "URECRUIT1",
        "NUDGE_PRIVACY_URL": "https://example.com/privacy",
        "NUDGE_SECRET": "a-long-enough-secret-value",
        "NUDGE_METRICS_TOKEN": "a-metrics-token-for-scrapers",
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
    assert (
        "FAIL scopes: missing channels:read, dnd:read, files:write, groups:read, im:history, im:write" in result.stdout
    )
    assert "WARN scopes: granted but not needed: channels:write" in result.stdout
    assert "at migration none of" in result.stdout and "db upgrade" in result.stdout
    assert "WARN NUDGE_SECRET" in result.stdout and "WARN NUDGE_PRIVACY_URL" in result.stdout
    fake_slack.fail_next("auth.test", "invalid_auth")
    refused = _run(tmp_path, "doctor", **env)
    assert "FAIL SLACK_BOT_TOKEN: Slack said invalid_auth" in refused.stdout and refused.returncode == 1


def test_doctor_warns_in_http_mode_when_metrics_are_open_to_anyone(fake_slack, tmp_path):
    assert _run(tmp_path, "db", "upgrade", **_env(fake_slack, tmp_path)).returncode == 0
    result = _run(tmp_path, "doctor", **_env(fake_slack, tmp_path, NUDGE_METRICS_TOKEN=""))
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [line for line in result.stdout.splitlines() if "NUDGE_METRICS_TOKEN" in line]
    assert line.startswith("WARN NUDGE_METRICS_TOKEN: unset") and "/metrics" in line


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


def _start_once(env: dict) -> None:
    """Assemble the app once in this process (as a first start does) and stop it."""
    from app import build
    from bot.settings import load_settings

    build(load_settings(env)).shutdown()


def test_a_start_with_a_different_nudge_secret_stops_with_one_line_and_doctor_says_how_to_keep_the_key(
    fake_slack, tmp_path
):
    env = _env(fake_slack, tmp_path)
    _start_once(env)  # a fresh database records the fingerprint of NUDGE_SECRET
    changed = _env(fake_slack, tmp_path, NUDGE_SECRET="another-long-enough-secret")
    result = _run(tmp_path, **changed)
    assert result.returncode == 1
    said = [line for line in result.stderr.splitlines() if line.startswith("nudge:")]  # the rest is the log
    assert len(said) == 1 and said[0].startswith("nudge: NUDGE_SECRET differs") and "Traceback" not in result.stderr
    assert "another-long-enough-secret" not in result.stderr + result.stdout
    doctor = _run(tmp_path, "doctor", **changed)
    assert doctor.returncode == 1
    assert "FAIL NUDGE_SECRET: differs from the key this database's hashes were made with" in doctor.stdout
    assert "set NUDGE_SECRET back to the key used before" in doctor.stdout
    unset = _run(tmp_path, **_env(fake_slack, tmp_path, NUDGE_SECRET=""))  # unsetting it is a change too
    assert unset.returncode == 1 and "\nnudge: NUDGE_SECRET is unset" in "\n" + unset.stderr
    assert "OK   NUDGE_SECRET" in _run(tmp_path, "doctor", **env).stdout


def test_setting_nudge_secret_on_a_database_with_a_generated_key_is_refused_unless_it_is_that_key(fake_slack, tmp_path):
    import sqlite3

    _start_once(_env(fake_slack, tmp_path, NUDGE_SECRET=""))  # the key is generated into the database
    doctor = _run(tmp_path, "doctor", **_env(fake_slack, tmp_path, NUDGE_SECRET=""))
    assert "WARN NUDGE_SECRET: unset: the key generated into the database is used" in doctor.stdout
    assert "any other value is refused at start" in doctor.stdout
    chosen = _env(fake_slack, tmp_path, NUDGE_SECRET="a-brand-new-secret-value")
    result = _run(tmp_path, **chosen)
    assert result.returncode == 1 and "\nnudge: NUDGE_SECRET is set, but this database's hashes" in "\n" + result.stderr
    advice = _run(tmp_path, "doctor", **chosen).stdout
    assert "FAIL NUDGE_SECRET" in advice and "SELECT value FROM app_secret WHERE name = 'suppression_key'" in advice
    with sqlite3.connect(tmp_path / "n.db") as connection:
        (stored,) = connection.execute("SELECT value FROM app_secret WHERE name = 'suppression_key'").fetchone()
    kept = _env(fake_slack, tmp_path, NUDGE_SECRET=stored)  # moving the same key into the environment is fine
    _start_once(kept)
    assert "OK   NUDGE_SECRET" in _run(tmp_path, "doctor", **kept).stdout


def test_admin_purge_workspace_from_a_shell_needs_yes_and_erases_everyone_without_slack(fake_slack, tmp_path):
    """After an uninstall there is no Slack to confirm in: the shell purges alone, recorded as
    the system's doing (no candidate as actor), and asks for `--yes` first."""
    import sqlite3

    from app import build
    from bot.rules.consent import Via
    from bot.settings import load_settings
    from tests.support.waiting import dump_database

    env = _env(fake_slack, tmp_path)
    assembled = build(load_settings(env))
    assembled.services.consent.join("UCANDSH01", via=Via.COMMAND)
    assembled.services.direct_messages.welcome(user_id="UWELCSH02", event_id=None)
    assembled.shutdown()
    no_slack = _env(fake_slack, tmp_path, SLACK_API_URL="http://127.0.0.1:9/api/")
    refused = _run(tmp_path, "admin", "purge-workspace", **no_slack)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    with sqlite3.connect(tmp_path / "n.db") as connection:
        assert connection.execute("SELECT count(*) FROM candidate").fetchone() == (1,)
    done = _run(tmp_path, "admin", "purge-workspace", "--yes", **no_slack)
    assert done.returncode == 0, done.stderr
    assert "2 people erased" in done.stdout
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'n.db'}")
    everything = dump_database(engine)
    assert "CANDSH01" not in everything and "WELCSH02" not in everything
    with engine.connect() as connection:
        purges = connection.exec_driver_sql("SELECT actor, erased FROM workspace_purge").all()
        actors = connection.exec_driver_sql("SELECT DISTINCT actor FROM consent_event WHERE via = 'admin_purge'").all()
    engine.dispose()
    assert [tuple(row) for row in purges] == [("system:shell", 2)]
    assert [tuple(row) for row in actors] == [("system:shell",)]


def test_doctor_never_prints_the_credentials_in_a_url(fake_slack, tmp_path):
    env = _env(
        fake_slack,
        tmp_path,
        SLACK_API_URL="http://proxyuser:apis3cretpw@127.0.0.1:9/api/",
        DATABASE_URL="postgresql://nudge:dbs3cretpw@127.0.0.1:1/nudge",
    )
    result = _run(tmp_path, "doctor", **env)
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "FAIL SLACK_API_URL" in said and "FAIL DATABASE_URL" in said
    assert "apis3cretpw" not in said and "dbs3cretpw" not in said
    assert "http://proxyuser:***@127.0.0.1:9/api/" in said
