"""The committed extract of Slack's Web API spec (`slackstandin/methods.json`) is the official
spec's own word for every method Nudge calls, so the stand-in checks the same things with or
without the spec beside the repository (a fresh clone running the demo has no ../shared)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slackstandin import extract
from slackstandin.spec import EXTRACT_FILE, default_spec_path, load_spec

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_extract_is_what_the_script_derives_from_the_official_spec():
    spec = default_spec_path()
    if not spec.is_file():
        pytest.skip(f"the official spec is not at {spec} (set NUDGE_SLACK_REFERENCE); nothing to compare with")
    assert EXTRACT_FILE.read_text(encoding="utf-8") == extract.render(spec), "run python -m slackstandin.extract"


def test_the_extract_and_the_official_spec_require_the_same_arguments():
    spec = default_spec_path()
    if not spec.is_file():
        pytest.skip(f"the official spec is not at {spec}")
    official, committed = load_spec(spec), load_spec()
    for method in extract.METHODS:
        assert committed[method] == official[method], method


def _methods_called_by_nudge() -> set[str]:
    """`client.chat_postMessage(` → chat.postMessage, for every call in the bot's code."""
    called = set()
    sources = [ROOT / "app.py", *(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]
    for source in sources:
        for family, name in re.findall(
            r"client\.(auth|chat|conversations|dnd|files|users|views|apps)_(\w+)\(", source.read_text()
        ):
            called.add(f"{family}.{name.replace('_', '.')}")
    return called


def test_every_method_nudge_calls_is_in_the_extract():
    called = _methods_called_by_nudge()
    assert {"chat.postMessage", "views.publish", "users.info"} <= called  # the scan finds calls at all
    # files_upload_v2 is slack_sdk's pair of calls; apps.connections.open needs no spec entry.
    expected = {m for m in called if m not in ("files.upload.v2", "apps.connections.open")}
    assert expected <= set(load_spec()), sorted(expected - set(load_spec()))
    assert {"files.getUploadURLExternal", "files.completeUploadExternal", "apps.connections.open"} <= set(load_spec())


def test_the_extract_answers_unknown_methods_as_unknown():
    spec = load_spec()
    assert "chat.postMesage" not in spec
    assert spec["chat.postMessage"].required == frozenset({"channel"})
    assert spec["users.info"].verbs == frozenset({"get"})
