"""What candidates and recruiters see after the first yes: the sharing overview, the profile card
and its refusal, stepping back, the private-note modal, and the stay-in-touch DM.

Everything a person typed is escaped; button values and `private_metadata` carry ids only.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.copy.blocks import Message, candidate_mention, context, section, sections
from bot.copy.candidate import nothing_committed, stop_button
from bot.copy.i18n import N_, _, long_date
from bot.rules.statuses import Stage
from bot.rules.text import escape
from bot.rules.webhooks import RECRUITING_SYSTEM

ACTION_SHARE_ON = "nudge.sharing.share"
ACTION_SHARE_OFF = "nudge.sharing.stop"
ACTION_STEP_BACK = "nudge.step_back"
ACTION_WRITE_NOTE = "nudge.note.write"
ACTION_STAY_IN_TOUCH = "nudge.stay.keep"
ACTION_STAY_PAUSE = "nudge.stay.pause"
NOTE_CALLBACK = "nudge.note"
NOTE_MAX = 2000
COMPANY_NOTE_MAX = 500
MARKET_VALUE_QUESTION = N_("What did you learn about your market value?")
NEXT_ROLE_QUESTION = N_("What do you want, or not want, in a next role?")


def _day(moment: datetime) -> str:
    return long_date(moment)


def _role(role, shared: bool = True) -> str:
    if role.confidential and not shared:
        return _(
            "#{id} *{title}* at a company that prefers to stay unnamed for now", id=role.id, title=escape(role.title)
        )
    return _("#{id} *{title}* at {company}", id=role.id, title=escape(role.title), company=escape(role.company))


def step_back_button(invitation_id: int) -> ButtonElement:
    return ButtonElement(text=_("Step back"), action_id=ACTION_STEP_BACK, value=str(invitation_id))


def note_button(invitation_id: int) -> ButtonElement:
    return ButtonElement(text=_("Write a private note"), action_id=ACTION_WRITE_NOTE, value=str(invitation_id))


def sharing_blocks(rows, disclosures, *, command: str) -> list:
    """One section and buttons per role the person said *Happy to chat* to, then the disclosures.
    `rows` are (invitation, role, shared_since or None, in_progress); `disclosures` are
    (disclosure, role or None)."""
    blocks: list = []
    if not rows:
        blocks.append(
            section(
                _("*Sharing your details*\nYou haven't said *Happy to chat* to any role yet, so nothing is shared.")
            )
        )
    else:
        blocks.append(
            section(
                _(
                    "*Sharing your details*, role by role. Change it any time; only a recruiter's `profile` "
                    "request ever sends anything."
                )
            )
        )
    for invitation, role, since, in_progress in rows[:20]:
        state = _("shared since {date}", date=_day(since)) if since else _("not shared")
        stage = " · " + _("you stepped back") if invitation.stage == Stage.STEPPED_BACK else ""
        blocks.append(section(f"{_role(role, bool(since))} — {state}{stage}"))
        buttons = []
        if since:
            buttons.append(ButtonElement(text=_("Stop sharing"), action_id=ACTION_SHARE_OFF, value=str(role.id)))
        elif invitation.stage != Stage.STEPPED_BACK:  # stepping back ended sharing for that role
            buttons.append(ButtonElement(text=_("Share my profile"), action_id=ACTION_SHARE_ON, value=str(role.id)))
        if in_progress:
            buttons.append(step_back_button(invitation.id))
        if buttons:
            blocks.append(ActionsBlock(block_id=f"sharing_{invitation.id}", elements=buttons))
    if disclosures:
        lines = [_disclosure_line(d) for d, _role_shown in disclosures[-15:]]
        blocks.extend(sections(_("*When your profile was shared*") + "\n" + "\n".join(lines), max_parts=5))
    else:
        blocks.append(context(_("Your profile has never been shared.")))
    return blocks


def _disclosure_line(d) -> str:
    if d.recruiter_id == RECRUITING_SYSTEM:
        return "• " + _(
            "{date} — sent to the team's recruiting system for {company} #{role_id}",
            date=_day(d.at),
            company=escape(d.company),
            role_id=d.role_id,
        )
    return "• " + _(
        "{date} — {recruiter} shared your profile with {company} for #{role_id}",
        date=_day(d.at),
        recruiter=f"<@{d.recruiter_id}>",
        company=escape(d.company),
        role_id=d.role_id,
    )


def sharing(rows, disclosures, *, command: str) -> Message:
    text = _("Your sharing choices, role by role. `{command} sharing` shows them any time.", command=command)
    return Message(text=text, blocks=tuple(sharing_blocks(rows, disclosures, command=command)))


def sharing_changed(*, role, yes: bool, command: str) -> Message:
    if yes:
        text = _(
            "Done — recruiters may now share your profile with {company} for *{title}*. "
            "Each time they do, you'll see it in `{command} sharing`. You can stop sharing any time.",
            company=escape(role.company),
            title=escape(role.title),
            command=command,
        )
    else:
        text = _(
            "Done — your details are no longer shared for *{title}*. You can change this any time with "
            "`{command} sharing`.",
            title=escape(role.title),
            command=command,
        )
    return Message(text=text, blocks=(section(text),))


def profile_card(*, candidate_id: str, role, name: str, title: str | None, interests, note: str | None) -> Message:
    """For the recruiter: what the candidate agreed to share for this role, and nothing else."""
    who = {"person": f"<@{candidate_id}>", "id": role.id}
    head = _(
        "*Profile of {person} for #{id} {title} at {company}*",
        title=escape(role.title),
        company=escape(role.company),
        **who,
    )
    lines = [
        head,
        "• " + _("Name: {name}", name=escape(name)),
        "• " + _("Title: {title}", title=escape(title) if title else _("_not set in Slack_")),
        "• " + _("Interests: {interests}", interests=", ".join(escape(t) for t in interests) or _("_none given_")),
    ]
    if note:
        lines.append("• " + _("Note for companies: “{note}”", note=escape(note)))
    lines.append(_("_Shared with their permission for this role only; they can see that you asked._"))
    text = "\n".join(lines)
    return Message(text=_("Profile of {person} for #{id}", **who), blocks=tuple(sections(text)))


def profile_refused(*, candidate_id: str, role_id: int) -> Message:
    text = _("{person} hasn't agreed to share their details for role #{id}.", person=f"<@{candidate_id}>", id=role_id)
    return Message(text=text, blocks=(section(text),))


def no_role(role_id: int) -> Message:
    text = _("No role #{id}.", id=role_id)
    return Message(text=text, blocks=(section(text),))


def stepped_back(*, role, already: bool, command: str) -> Message:
    if already:
        text = _("You've already stepped back from *{title}*. Nothing else to do.", title=escape(role.title))
    else:
        text = _(
            "You've stepped back from *{title}*. That's completely fine, and no reason is needed. "
            "Nothing else changes: you're still opted in, and your other choices stay as they are "
            "(`{command} sharing`).",
            title=escape(role.title),
            command=command,
        )
    return Message(text=text, blocks=(section(text),))


def recruiter_stepped_back(*, candidate_id: str, role_id: int) -> Message:
    text = _(
        "{who} has stepped back from #{role_id}. No reason needed.",
        who=candidate_mention(candidate_id, start=True),
        role_id=role_id,
    )
    return Message(text=text, blocks=(section(text),))


def stage_after_step_back(candidate_id: str) -> Message:
    text = _(
        "{person} has stepped back from this role, so its stage stays as it is and Nudge sends them "
        "no more check-ins for it. Thanks for respecting that.",
        person=f"<@{candidate_id}>",
    )
    return Message(text=text, blocks=(section(text),))


def note_modal(*, invitation_id: int) -> View:
    """The private note: two optional questions; only the invitation id travels along."""
    return View(
        type="modal",
        callback_id=NOTE_CALLBACK,
        private_metadata=str(invitation_id),
        title=_("A private note"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=[
            section(_("Just for you: recruiters never see this. Both questions are optional.")),
            InputBlock(
                block_id="market_value",
                label=_(MARKET_VALUE_QUESTION),
                optional=True,
                element=PlainTextInputElement(action_id="value", multiline=True, max_length=NOTE_MAX),
            ),
            InputBlock(
                block_id="next_role",
                label=_(NEXT_ROLE_QUESTION),
                optional=True,
                element=PlainTextInputElement(action_id="value", multiline=True, max_length=NOTE_MAX),
            ),
        ],
    )


def read_note_form(state_values: dict) -> tuple[str | None, str | None]:
    def value(block: str) -> str | None:
        text = (state_values.get(block, {}).get("value", {}).get("value") or "").strip()
        return text[:NOTE_MAX] or None

    return value("market_value"), value("next_role")


def notes_blocks(notes) -> list:
    """The candidate's own notes on their App Home ("Your notes")."""
    if not notes:
        return [
            section(
                _(
                    "*Your notes*\nNothing yet. After a conversation or an interview, *Write a private note* "
                    "keeps your thoughts here, for you alone."
                )
            )
        ]
    lines = []
    for note in notes[-10:]:
        parts = []
        if note.market_value:
            parts.append(f"_{_(MARKET_VALUE_QUESTION)}_ {escape(note.market_value)}")
        if note.next_role:
            parts.append(f"_{_(NEXT_ROLE_QUESTION)}_ {escape(note.next_role)}")
        lines.append(f"• {_day(note.at)}: " + " · ".join(parts))
    text = _("*Your notes* (only you see these)") + "\n" + "\n".join(lines)
    return sections(text, max_parts=6)


def stay_in_touch(*, role, invitation_id: int) -> Message:
    """After `closed` (or a role closed while they were talking): thanks, value, and what next."""
    text = _(
        "Thank you for taking the time to talk about *{title}*. This process has closed, and that's fine: "
        "the conversation still had value — a clearer view of your market value, practice at telling your story, "
        "and the people you met along the way. What would you like from here?",
        title=escape(role.title),
    )
    buttons = [
        ButtonElement(
            text=_("Stay in touch (twice a year)"),
            action_id=ACTION_STAY_IN_TOUCH,
            value=str(invitation_id),
            style="primary",
        ),
        ButtonElement(text=_("Pause for 6 months"), action_id=ACTION_STAY_PAUSE, value=str(invitation_id)),
        stop_button(),
    ]
    return Message(
        text=text,
        blocks=(
            section(text),
            ActionsBlock(block_id="stay_in_touch", elements=buttons),
            ActionsBlock(block_id="reflection", elements=[note_button(invitation_id)]),
            context(nothing_committed()),
        ),
    )


def stay_in_touch_answered(*, command: str) -> Message:
    text = _(
        "Lovely — Nudge will write at most twice a year from now on. `{command} prefs` changes that any time.",
        command=command,
    )
    return Message(text=text, blocks=(section(text),))


def note_saved() -> Message:
    text = _("Saved — your note is on your Nudge Home tab, for you alone.")
    return Message(text=text, blocks=(section(text),))
