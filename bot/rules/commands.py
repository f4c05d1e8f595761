"""The `/nudge` command grammar: which subcommand was asked for and who may use it.

Parsing is forgiving where people are (any case, extra spaces) and says nothing about state:
the handlers decide what happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    CANDIDATE = "candidate"
    RECRUITER = "recruiter"
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
    CommandInfo("profile", "profile @user ROLE_ID", "a candidate's profile, only while they agree to share it for that role", True),
)

_BY_NAME = {info.name: (Audience.CANDIDATE, info) for info in CANDIDATE_COMMANDS} | {
    info.name: (Audience.RECRUITER, info) for info in RECRUITER_COMMANDS
}


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
