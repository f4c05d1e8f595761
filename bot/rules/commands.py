"""The `/nudge` command grammar: which subcommand was asked for and who may use it.

Parsing is forgiving where people are (any case, extra spaces) and says nothing about state:
the handlers decide what happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.rules.said import N_, Said


class Audience(StrEnum):
    CANDIDATE = "candidate"
    RECRUITER = "recruiter"
    ADMIN = "admin"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CommandInfo:
    name: str
    usage: str
    summary: str
    available: bool


# Spec order; `available` marks what this build answers (the rest says so kindly).
CANDIDATE_COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo("join", "join", "opt in to occasional, no-commitment invitations", True),
    CommandInfo("stop", "stop", "opt out of all invitations, at once", True),
    CommandInfo("pause", "pause 90d|YYYY-MM-DD", "pause every invitation until then", True),
    CommandInfo("resume", "resume", "end a pause early", True),
    CommandInfo("prefs", "prefs", "cadence, interests, send window, companies to avoid", True),
    CommandInfo("market", "market", "roles opened here lately that match your interests", True),
    CommandInfo("sharing", "sharing", "which roles may see your profile, and when it was shared", True),
    CommandInfo("mydata", "mydata", "everything Nudge stores about you", True),
    CommandInfo("forget", "forget", "erase your data for good", True),
    CommandInfo("help", "help", "this help", True),
)

RECRUITER_COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo("role", "role add | role list | role close ID", "manage open roles", True),
    CommandInfo("invite", "invite @user ROLE_ID [note]", "queue an invitation", True),
    CommandInfo("match", "match ROLE_ID", "eligible candidates by interest overlap", True),
    CommandInfo("pipeline", "pipeline [ROLE_ID]", "candidates per stage", True),
    CommandInfo("status", "status @user", "one candidate's consent and invitations", True),
    CommandInfo("stage", "stage @user ROLE_ID STAGE", "move an accepted invitation on", True),
    CommandInfo("stats", "stats [30d]", "the invitation funnel", True),
    CommandInfo("team", "team pause | team resume", "team-wide switch for all sending", True),
    CommandInfo("recruiter", "recruiter add|remove @user | recruiter link URL", "who recruits, booking links", True),
    CommandInfo("audit", "audit @user", "one candidate's consent history", True),
    CommandInfo(
        "profile",
        "profile @user ROLE_ID",
        "a candidate's profile, only while they agree to share it for that role",
        True,
    ),
)

# Shown in help to admins only (`NUDGE_ADMINS`); everyone else is told "That's for admins only."
ADMIN_COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo(
        "admin",
        "admin export-consent [YYYY-MM-DD]",
        "the consent ledger since that day, as a CSV file in your DM",
        True,
    ),
    CommandInfo("admin", "admin purge-workspace", "erase every candidate as forget does (asks you to confirm)", True),
    CommandInfo("admin", "admin webhook test", "send a ping to the webhook endpoint and say what came back", True),
    CommandInfo(
        "admin", "admin webhook status", "the webhook endpoint's host, last success and failure, backlog", True
    ),
)

_BY_NAME = (
    {info.name: (Audience.CANDIDATE, info) for info in CANDIDATE_COMMANDS}
    | {info.name: (Audience.RECRUITER, info) for info in RECRUITER_COMMANDS}
    | {info.name: (Audience.ADMIN, info) for info in ADMIN_COMMANDS}
)


@dataclass(frozen=True)
class ParsedCommand:
    """A subcommand name (lower case) and the rest of the text, untouched."""

    name: str
    args: str

    @property
    def audience(self) -> Audience:
        return _BY_NAME.get(self.name, (Audience.UNKNOWN, None))[0]

    @property
    def info(self) -> CommandInfo | None:
        return _BY_NAME.get(self.name, (Audience.UNKNOWN, None))[1]


def parse_command(text: str | None) -> ParsedCommand:
    """Split `/nudge` text into its subcommand and arguments; no text means help."""
    words = (text or "").strip().split(maxsplit=1)
    if not words:
        return ParsedCommand("help", "")
    return ParsedCommand(words[0].casefold(), words[1].strip() if len(words) > 1 else "")


EXPORT_CONSENT = "export-consent"
PURGE_WORKSPACE = "purge-workspace"
WEBHOOK_TEST = "webhook test"
WEBHOOK_STATUS = "webhook status"


@dataclass(frozen=True)
class AdminRequest:
    """`/nudge admin …` understood: the action, and for the export the first day (None: all)."""

    action: str
    since: date | None = None


class AdminInputError(ValueError):
    """The admin command could not be understood; `args[0]` is a `Said` saying what is expected,
    which copy says in the admin's language (str() is the English)."""


_ADMIN_USAGE = N_(
    "The admin commands are `{command} admin export-consent [YYYY-MM-DD]`, `{command} admin purge-workspace`, "
    "`{command} admin webhook test` or `{command} admin webhook status`. Nothing was changed."
)
_ADMIN_DATE = N_(
    "That date isn't one I can read. Use a day like 2027-01-31 (year-month-day), or leave it out for the whole "
    "ledger: `{command} admin export-consent 2027-01-31`. Nothing was exported."
)


def parse_admin(args: str, *, command: str) -> AdminRequest:
    """`export-consent [YYYY-MM-DD]`, `purge-workspace`, `webhook test|status` (any case); anything else raises
    `AdminInputError` with a kind explanation. The date is a calendar day in UTC."""
    words = args.split()
    action = words[0].casefold() if words else ""
    if action == PURGE_WORKSPACE and len(words) == 1:
        return AdminRequest(PURGE_WORKSPACE)
    if action == "webhook" and len(words) == 2 and f"webhook {words[1].casefold()}" in (WEBHOOK_TEST, WEBHOOK_STATUS):
        return AdminRequest(f"webhook {words[1].casefold()}")
    if action == EXPORT_CONSENT and len(words) <= 2:
        if len(words) == 1:
            return AdminRequest(EXPORT_CONSENT)
        text = words[1]
        try:
            if len(text) != 10:
                raise ValueError(text)
            return AdminRequest(EXPORT_CONSENT, date.fromisoformat(text))
        except ValueError:
            raise AdminInputError(Said(_ADMIN_DATE, command=command)) from None
    raise AdminInputError(Said(_ADMIN_USAGE, command=command))
