"""The ids of everything recruiters click and submit outside `/nudge`: App Home buttons, the
per-role overflow menu, the invite and role-choice modals, the shortcuts declared in
`manifest.yml`, and the blocks whose values the listeners read. The shortcut callback ids are
part of the public contract (SPEC: "Recruiters work in Slack's own way")."""

from __future__ import annotations

from enum import StrEnum


class Shortcut(StrEnum):
    INVITE_AUTHOR = "nudge_invite_author"  # message shortcut *Invite to a conversation*
    NEW_ROLE = "nudge_new_role"  # global shortcut *New role*


class RecruitingAction(StrEnum):
    NEW_ROLE = "nudge.rec.new_role"
    INVITE = "nudge.rec.invite"
    FIND_MATCHES = "nudge.rec.find_matches"
    ROLE_MENU = "nudge.rec.role_menu"  # the overflow beside each open role
    INVITE_PERSON = "nudge.rec.invite_person"  # *Invite* beside a match
    STAGE = "nudge.rec.stage"  # the stage select beside an accepted candidate
    ROLE_CHOICE = "nudge.rec.role_choice"  # the role select (static, or external past 100 roles)
    PEOPLE = "nudge.rec.people"
    NOTE = "nudge.rec.note"


class RoleMenu(StrEnum):
    """What each option of a role's overflow menu asks for (its value is `<choice>:<role id>`)."""

    MATCHES = "matches"
    PIPELINE = "pipeline"
    CLOSE = "close"


class RecruitingCallback(StrEnum):
    INVITE = "nudge.invite"
    PICK_ROLE = "nudge.match.pick"  # *Find matches* without a role: choose one first
    CLOSE_ROLE = "nudge.role.close"  # the confirmation of *Close role*
    MATCHES = "nudge.matches"
    PIPELINE = "nudge.pipeline"


class RecruitingBlock(StrEnum):
    ROLE = "invite_role"
    PEOPLE = "invite_people"
    NOTE = "invite_note"
    HOME_BUTTONS = "recruiting_buttons"
    ROLE_LINE = "recruiting_role"  # one per open role: `recruiting_role:<id>`
    MATCH_LINE = "match"  # one per match: `match:<user id>`
    PIPELINE_LINE = "pipeline"  # one per accepted candidate: `pipeline:<invitation id>`
    OUTCOME = "outcome"  # one per person invited from the modal: `outcome:<user id>`


# A static select holds at most 100 options; past that the role select is an external one.
MAX_STATIC_OPTIONS = 100


def with_id(block: RecruitingBlock, key: object) -> str:
    """A block id made unique per role, person or invitation (Slack needs each unique in a view)."""
    return f"{block}:{key}"
