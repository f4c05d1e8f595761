"""Project files that deployments rely on: manifest, settings docs, migrations, logging."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import jsonschema
import yaml

from bot.logs import RedactSecrets
from bot.settings import SETTINGS_DOC

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "slack-reference"


def _manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_is_valid_against_slacks_schema():
    schema = json.loads((REFERENCE / "manifest-schema" / "manifest.schema.2.0.0.json").read_text())
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(_manifest())]
    assert errors == []


def test_schema_validation_would_catch_a_broken_manifest():
    schema = json.loads((REFERENCE / "manifest-schema" / "manifest.schema.2.0.0.json").read_text())
    broken = _manifest()
    del broken["display_information"]
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_manifest_declares_the_recruiter_shortcuts_the_app_listens_for():
    from bot.copy.recruiting_ids import Shortcut

    declared = {(s["callback_id"], s["type"], s["name"]) for s in _manifest()["features"]["shortcuts"]}
    assert declared == {
        (Shortcut.INVITE_AUTHOR.value, "message", "Invite to a conversation"),
        (Shortcut.NEW_ROLE.value, "global", "New role"),
    }


def test_manifest_has_what_the_spec_needs_and_nothing_more():
    manifest = _manifest()
    command = manifest["features"]["slash_commands"][0]
    assert command["command"] == "/nudge" and command["should_escape"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "message.im",
        "app_home_opened",
        "member_joined_channel",
        "app_uninstalled",
        "tokens_revoked",
    }
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "im:write",
        "im:history",
        "users:read",
        "dnd:read",
        "files:write",
        "channels:read",
        "groups:read",
    }


def test_every_scope_has_a_comment_saying_why():
    text = (ROOT / "manifest.yml").read_text()
    for scope in _manifest()["oauth_config"]["scopes"]["bot"]:
        assert re.search(rf"^\s*- {re.escape(scope)}\s+# \w", text, re.M), scope


def test_env_example_and_readme_list_every_setting():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for variable, _default, _meaning in SETTINGS_DOC:
        assert re.search(rf"^{variable}=", example, re.M), variable
        assert f"`{variable}`" in readme, variable


def test_migrations_match_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_migrations_are_at_head(engine):
    from storage.db import current_revision, head_revision

    assert current_revision(engine) == head_revision() is not None


def test_log_filter_masks_tokens_and_secrets():
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "token %s and app %s and secret %s",
        ("xoxb-123-456-abc", "xapp-1-A1-xyz", "s3cr3t-signing"),
        None,
    )
    RedactSecrets(["s3cr3t-signing"]).filter(record)
    text = record.getMessage()
    assert "xoxb-123" not in text and "xapp-1-A1" not in text and "s3cr3t-signing" not in text
    assert "[redacted]" in text


def test_log_filter_masks_secrets_inside_tracebacks():
    try:
        raise RuntimeError("bad token xoxb-777-888-zzz")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    RedactSecrets().filter(record)
    assert "xoxb-777" not in record.getMessage() and "RuntimeError" in record.getMessage()


def test_the_licence_file_is_the_mit_licence_the_package_declares():
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]["text"]
    licence = (ROOT / "LICENSE").read_text()
    assert declared == "MIT"
    assert licence.startswith("MIT License") and "Permission is hereby granted, free of charge" in licence
