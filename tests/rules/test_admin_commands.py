"""`/nudge admin …` grammar (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.rules.commands import (
    EXPORT_CONSENT,
    PURGE_WORKSPACE,
    WEBHOOK_STATUS,
    WEBHOOK_TEST,
    AdminInputError,
    AdminRequest,
    parse_admin,
    parse_command,
)


def test_admin_is_its_own_audience():
    assert parse_command("admin export-consent").audience.value == "admin"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("export-consent", AdminRequest(EXPORT_CONSENT)),
        ("EXPORT-CONSENT 2027-01-31", AdminRequest(EXPORT_CONSENT, date(2027, 1, 31))),
        ("  export-consent   2024-02-29 ", AdminRequest(EXPORT_CONSENT, date(2024, 2, 29))),
        ("purge-workspace", AdminRequest(PURGE_WORKSPACE)),
        ("Purge-Workspace", AdminRequest(PURGE_WORKSPACE)),
        ("webhook test", AdminRequest(WEBHOOK_TEST)),
        ("Webhook  STATUS", AdminRequest(WEBHOOK_STATUS)),
    ],
)
def test_admin_commands_are_understood(args, expected):
    assert parse_admin(args, command="/nudge") == expected


@pytest.mark.parametrize(
    "bad", ["2027-13-01", "2023-02-29", "20270131", "2027-1-31", "yesterday", "0000-01-01", "2027-01-31T00:00"]
)
def test_a_date_that_is_not_a_calendar_day_gets_a_kind_explanation(bad):
    with pytest.raises(AdminInputError, match="year-month-day") as error:
        parse_admin(f"export-consent {bad}", command="/nudge")
    assert "Nothing was exported" in str(error.value) and bad not in str(error.value)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "export",
        "purge-workspace now",
        "export-consent 2027-01-01 2027-02-01",
        "delete-everything",
        "webhook",
        "webhook ping",
        "webhook test now",
    ],
)
def test_anything_else_lists_the_admin_commands(bad):
    with pytest.raises(AdminInputError, match="admin export-consent"):
        parse_admin(bad, command="/nudge")
