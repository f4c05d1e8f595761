"""`python app.py` as an operator runs it: start-up errors, a real start, clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.environment import free_port, own_env
from tests.support.slackreq import SIGNING_SECRET, SlackSender
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-9999-8888-secretvalue"


def _run(tmp_path, args=(), timeout=60, **values):
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *args],
        cwd=tmp_path,
        env=own_env(**values),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_no_token_exits_with_one_clear_line(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SLACK_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NUDGE_TICK", "soon"),
        ("NUDGE_SEND_WINDOW", "Mon-Fri 17:00-17:00"),
        ("PORT", "http"),
        ("NUDGE_EXPIRE_AFTER", "1d"),
    ],
)
def test_malformed_setting_names_the_variable(tmp_path, variable, value):
    result = _run(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], result.stderr
    assert TOKEN not in result.stderr


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text(f"SLACK_BOT_TOKEN={TOKEN}\nNUDGE_TICK=whenever\n")
    result = _run(tmp_path, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    assert result.returncode == 2
    assert "NUDGE_TICK" in result.stderr  # the token came from .env, so the next problem is named


def test_token_refused_by_slack_is_one_line(tmp_path, fake_slack):
    fake_slack.fail_next("auth.test", "invalid_auth")
    result = _run(
        tmp_path,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'n.db'}",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("nudge: SLACK_BOT_TOKEN") and "invalid_auth" in lines[-1], result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr


def test_db_upgrade_migrates_and_exits(tmp_path):
    result = _run(
        tmp_path,
        ["db", "upgrade"],
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'n.db'}",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "n.db").exists()


def test_starts_serves_healthz_and_signed_commands_then_stops_cleanly(tmp_path, fake_slack):
    process, port = _start_bot(tmp_path, fake_slack)
    try:
        sender = SlackSender(f"http://127.0.0.1:{port}", fake_slack)

        _wait_until_healthy(port)
        reply = sender.command("join", user_id="UPROC0001")
        assert reply.status == 200 and "You're in" in reply.json()["text"]
        assert sender.command("join", user_id="UPROC0001", secret="wrong").status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "listening on port" in err
    assert TOKEN not in err and SIGNING_SECRET not in err
    assert (tmp_path / "nudge.db").exists()


def test_sigterm_exits_promptly(tmp_path, fake_slack):
    """A liveness check, not a benchmark: a stopped service must not wait out a timeout (a
    service manager kills it after its own grace period, and a restart waits for the port)."""
    import time

    process, port = _start_bot(tmp_path, fake_slack)
    try:
        _wait_until_healthy(port)
    finally:
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=20)
        took = time.monotonic() - signalled
    assert process.returncode == 0, err
    assert took < 3, f"took {took:.1f} s to exit after SIGTERM"


def _start_bot(tmp_path, fake_slack) -> tuple[subprocess.Popen, int]:
    """`python app.py` in HTTP mode on a free port, against the fake Web API, SQLite in tmp_path."""
    port = free_port()
    env = own_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'nudge.db'}",
        PORT=str(port),
    )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, port


def _wait_until_healthy(port: int) -> None:
    from tests.support.slackreq import get

    def healthy():
        try:
            return get(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
        except OSError:
            return False

    wait_until(healthy, timeout=30, interval=0.1)


def test_json_log_format_writes_one_object_per_line_with_the_action_and_no_token(tmp_path):
    import json

    result = _run(
        tmp_path,
        ["db", "upgrade"],
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'nudge.db'}",
        NUDGE_LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert any(entry.get("action") == "db.migrated" for entry in entries), entries
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    assert TOKEN not in result.stderr and SIGNING_SECRET not in result.stderr


def test_json_log_fields_are_redacted_too():
    import json
    import logging

    from bot.logs import JsonFormatter, RedactSecrets

    redactor = RedactSecrets([SIGNING_SECRET])
    record = logging.LogRecord("nudge", logging.INFO, __file__, 1, "token %s", (TOKEN,), None)
    record.action = "test.action"
    record.detail = f"secret {SIGNING_SECRET} and {TOKEN}"
    redactor.filter(record)
    entry = json.loads(JsonFormatter(redactor.redact).format(record))
    assert entry["action"] == "test.action"
    assert TOKEN not in json.dumps(entry) and SIGNING_SECRET not in json.dumps(entry)


def test_bad_log_format_is_refused_in_one_line(tmp_path):
    result = _run(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, NUDGE_LOG_FORMAT="xml")
    assert result.returncode == 2
    assert "NUDGE_LOG_FORMAT" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_nudge_console_script_is_python_app_py(tmp_path):
    script = Path(sys.executable).parent / "nudge"
    assert script.exists(), "pip install -e . installs the `nudge` script"
    env = own_env(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, DATABASE_URL=f"sqlite:///{tmp_path / 'nudge.db'}"
    )
    by_script = subprocess.run(
        [str(script), "db", "upgrade"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    by_file = _run(
        tmp_path,
        ["db", "upgrade"],
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'nudge.db'}",
    )
    assert by_script.returncode == by_file.returncode == 0, by_script.stderr
    assert by_script.stdout == by_file.stdout == "database is up to date\n"
    unknown = subprocess.run([str(script), "bogus"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2 and "unknown command" in unknown.stderr
