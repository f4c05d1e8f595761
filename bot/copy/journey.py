"""What candidates see along an invitation's way: the invitation and its states after a click,
the gentle reminder, the expiry, the sharing question, check-ins, and "still welcome?".

Everything recruiter-written is escaped; button values carry invitation ids only.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
)

from bot.copy.after_yes import note_button, step_back_button
from bot.copy.blocks import Message, candidate_mention, context, section, sections
from bot.copy.candidate import NO_COMMITMENT, NOTHING_COMMITTED, VALUE_LINE, stop_button
from bot.rules.statuses import Answer, Stage
from bot.rules.text import escape, link

ACTION_ACCEPT = "nudge.invitation.accept"
ACTION_DETAILS = "nudge.invitation.details"
ACTION_LATER = "nudge.invitation.later"
ACTION_SNOOZE = "nudge.invitation.snooze"  # one button per choice: ACTION_SNOOZE + ".<months>"
ACTION_SNOOZE_PATTERN = r"^nudge\.invitation\.snooze\.(\d+)$"
ACTION_BACK = "nudge.invitation.back"
ACTION_DECLINE = "nudge.invitation.decline"
ACTION_STOP_FROM_INVITATION = "nudge.invitation.stop"
ACTION_SHARE_YES = "nudge.share.yes"
ACTION_SHARE_NO = "nudge.share.no"
ACTION_STILL_WELCOME_YES = "nudge.still_welcome.yes"
ACTION_STILL_WELCOME_PAUSE = "nudge.still_welcome.pause"
ACTION_RENEW_KEEP = "nudge.renewal.keep"
ACTION_RENEW_END = "nudge.renewal.end"

SNOOZE_MONTHS = (1, 3, 6)
HIDDEN_COMPANY = "a company that prefers to stay unnamed for now"


def company_shown(role) -> str:
    return HIDDEN_COMPANY if role.confidential else f"*{escape(role.company)}*"


def _role_lines(role, *, with_details: bool) -> list[str]:
    lines = [f"*{escape(role.title)}* at {company_shown(role)}"]
    facts = [escape(v) for v in (role.location, role.remote, role.pay_range) if v]
    if facts:
        lines.append(" · ".join(facts))
    if with_details and role.details:
        lines.append(f">{escape(role.details)}".replace("\n", "\n>"))
    return lines


def invitation(
    *,
    invitation_id: int,
    role,
    recruiter_id: str,
    note: str | None,
    matched: tuple[str, ...],
    with_details: bool = False,
) -> Message:
    """The invitation DM: role, why them, the recruiter's note, no commitment, five ways to answer."""
    lines = [f"Hi! <@{recruiter_id}> wondered whether you'd be open to a relaxed conversation about a role:"]
    lines += _role_lines(role, with_details=with_details)
    if matched:
        lines.append(f"Why you: it matches your interests in {', '.join(escape(t) for t in matched)}.")
    if note:
        lines.append(f"A note from <@{recruiter_id}>: “{escape(note)}”")
    lines.append(f"*{NO_COMMITMENT}* Saying no, or not now, is completely fine.")
    lines.append(NOTHING_COMMITTED)
    value = str(invitation_id)
    buttons = [
        ButtonElement(text="Happy to chat", action_id=ACTION_ACCEPT, value=value, style="primary"),
        ButtonElement(text="Tell me more", action_id=ACTION_DETAILS, value=value),
        ButtonElement(text="Not now — ask me later", action_id=ACTION_LATER, value=value),
        ButtonElement(text="Not for me", action_id=ACTION_DECLINE, value=value),
        ButtonElement(text="Stop all invitations", action_id=ACTION_STOP_FROM_INVITATION, value=value),
    ]
    fallback = f"An invitation to a no-commitment conversation about {role.title}. {NO_COMMITMENT}"
    return Message(
        text=escape(fallback),
        blocks=(
            *sections("\n".join(lines)),
            ActionsBlock(block_id="invitation", elements=buttons),
            context(VALUE_LINE),
        ),
    )


def snooze_action(months: int) -> str:
    """Each month choice has its own action_id: Slack rejects two equal ids in one block."""
    return f"{ACTION_SNOOZE}.{months}"


def later_choices(*, invitation_id: int, role) -> Message:
    """After *Not now*: how long to wait (every role, not only this one)."""
    text = f"No problem. When should Nudge check in again? (This pauses invitations for every role, not just *{escape(role.title)}*.)"
    buttons = [
        ButtonElement(text=f"In {m} month{'s' if m > 1 else ''}", action_id=snooze_action(m), value=str(invitation_id))
        for m in SNOOZE_MONTHS
    ]
    buttons.append(ButtonElement(text="Back", action_id=ACTION_BACK, value=str(invitation_id)))
    return Message(text=escape(text), blocks=(section(text), ActionsBlock(block_id="later", elements=buttons)))


def answered(
    *, role, answer: Answer, command: str, until_text: str | None = None, recruiter_left: bool = False
) -> Message:
    """The invitation as it reads after a click: what was chosen, and what happens next
    (`recruiter_left`: the inviting recruiter no longer is one, so the team takes it over)."""
    title = f"*{escape(role.title)}* at {company_shown(role)}"
    who = "Someone from the recruiting team" if recruiter_left else "The recruiter"
    text = {
        Answer.ACCEPTED: (
            f"You said you're happy to chat about {title}. {who} will be in touch; a separate message asks "
            f"whether your details may be shared. {NOTHING_COMMITTED}"
        ),
        Answer.DECLINED: f"You said {title} isn't for you. Thanks for letting us know — that's a perfectly good answer.",
        Answer.SNOOZED: f"Got it: Nudge won't send invitations until {until_text}. `{command} resume` ends the pause early.",
        Answer.STOPPED: f"Done — you won't get any more invitations from Nudge. `{command} join` brings you back if you ever want.",
        Answer.EXPIRED: f"This invitation about {title} has expired — no answer needed. You're still opted in; `{command} stop` stops invitations.",
    }[answer]
    return Message(text=text, blocks=(section(text),))


def followup(*, role, recruiter_id: str) -> Message:
    """The one gentle reminder."""
    text = (
        f"A gentle reminder about <@{recruiter_id}>'s invitation to chat about *{escape(role.title)}*. "
        "No pressure at all: *Not now* and *Not for me* are perfectly good answers too, and if you "
        "don't answer, Nudge lets it go."
    )
    return Message(text=text, blocks=(section(text), context(NO_COMMITMENT)))


def recruiter_accepted(*, candidate_id: str, role, has_link: bool, command: str) -> Message:
    """To the inviting recruiter, when the candidate is happy to chat."""
    who = candidate_mention(candidate_id, start=True)
    text = f"{who} is happy to chat about #{role.id} *{escape(role.title)}* at {escape(role.company)}."
    if who == f"<@{candidate_id}>":
        if has_link:
            text += " They have your booking link."
        else:
            text += (
                f" Reach out to them directly (tip: `{command} recruiter link URL` lets Nudge share your booking link)."
            )
        text += (
            " Their details may only be shared with the company once they say yes; `"
            + command
            + f" status <@{candidate_id}>` shows it."
        )
    else:
        text += " Nudge keeps nothing about them any more, so there is nobody to contact and nothing to do."
    return Message(text=text, blocks=(section(text),))


def admin_accepted(*, candidate_id: str, role, recruiter_id: str, command: str) -> Message:
    """To each admin, when a candidate is happy to chat on the invitation of someone who is no
    longer a recruiter: nobody else would hear of the yes."""
    who = candidate_mention(candidate_id, start=True)
    text = (
        f"{who} is happy to chat about #{role.id} *{escape(role.title)}* at {escape(role.company)}. "
        f"<@{recruiter_id}> invited them and is no longer a recruiter, so nobody else has been told: "
        "please reach out to them or ask a recruiter to."
    )
    if who == f"<@{candidate_id}>":
        text += (
            " Their details may only be shared with the company once they say yes; `"
            + command
            + f" status <@{candidate_id}>` shows it."
        )
    return Message(text=text, blocks=(section(text),))


def booking_link(*, recruiter_id: str, url: str) -> Message:
    text = f"If it's easier, you can {link(url, 'pick a time')} with <@{recruiter_id}> — entirely optional."
    return Message(text=text, blocks=(section(text),))


def share_ask(*, invitation_id: int, role, command: str = "/nudge") -> Message:
    """A separate question: may your details go to the company for this role?"""
    company = "the company" if role.confidential else f"*{escape(role.company)}*"
    text = (
        f"One separate question about *{escape(role.title)}*: may your name and profile be shared with {company}? "
        f"Nothing is shared unless you say yes, and you can change it any time with `{command} sharing`."
    )
    buttons = [
        ButtonElement(
            text="Yes, share my profile", action_id=ACTION_SHARE_YES, value=str(invitation_id), style="primary"
        ),
        ButtonElement(text="Not yet", action_id=ACTION_SHARE_NO, value=str(invitation_id)),
    ]
    return Message(text=text, blocks=(section(text), ActionsBlock(elements=buttons)))


def share_answered(*, role, yes: bool, command: str = "/nudge") -> Message:
    if yes:
        text = (
            f"Thanks — you agreed to share your details with *{escape(role.company)}* for *{escape(role.title)}*. "
            f"You can change it any time with `{command} sharing`."
        )
    else:
        text = (
            f"Understood — nothing about you is shared for *{escape(role.title)}*. You can still chat with the recruiter, "
            f"and change it any time with `{command} sharing`."
        )
    return Message(text=text, blocks=(section(text),))


def share_closed(*, role, command: str = "/nudge") -> Message:
    """A yes to sharing that can no longer count (they stopped invitations or stepped back)."""
    text = (
        f"This question has closed, so nothing about you is shared for *{escape(role.title)}*: you stopped "
        f"invitations or stepped back from this role since it was asked. `{command} sharing` shows where each "
        "role stands."
    )
    return Message(text=text, blocks=(section(text),))


REFLECTION_STAGES = (Stage.CONVERSATION, Stage.INTERVIEWING)
OFFER_FINE_OUTCOME = "Staying where you are is a fine outcome too."


def checkin(*, role, stage: Stage, recruiter_id: str, invitation_id: int = 0) -> Message:
    """One short check-in after a stage: nothing committed, *Step back* always one click away,
    and after a conversation or interviews a private note of their own."""

    text = {
        Stage.CONVERSATION: f"How did the conversation about *{escape(role.title)}* go?",
        Stage.INTERVIEWING: f"How are the interviews for *{escape(role.title)}* going?",
        Stage.OFFER: f"How are you feeling about the offer for *{escape(role.title)}*?",
    }[stage]
    text += f" Whatever happens, it's time well spent. If you'd like to share anything, <@{recruiter_id}> is happy to hear it."
    text += f" {NOTHING_COMMITTED}"
    if stage == Stage.OFFER:
        text += f" {OFFER_FINE_OUTCOME}"
    buttons = [step_back_button(invitation_id)]
    if stage in REFLECTION_STAGES:
        buttons.insert(0, note_button(invitation_id))
    return Message(
        text=text,
        blocks=(
            section(text),
            ActionsBlock(block_id="checkin", elements=buttons),
            context("This is the only check-in for this step; Nudge won't ask again."),
        ),
    )


def still_welcome(*, command: str) -> Message:
    text = (
        "Quick question: the last two invitations went unanswered, which is completely fine. "
        "Are invitations still welcome? If we don't hear back, Nudge simply pauses them for a while "
        f"(you can `{command} resume` any time)."
    )
    buttons = [
        ButtonElement(text="Yes, keep them coming", action_id=ACTION_STILL_WELCOME_YES, value="keep", style="primary"),
        ButtonElement(text="Pause for 6 months", action_id=ACTION_STILL_WELCOME_PAUSE, value="6"),
        stop_button(),
    ]
    return Message(text=text, blocks=(section(text), ActionsBlock(elements=buttons)))


def still_welcome_answered(*, keep: bool, until_text: str | None, command: str) -> Message:
    text = (
        "Great — invitations stay on, within your preferences."
        if keep
        else f"Paused until {until_text}. `{command} resume` ends the pause early."
    )
    return Message(text=text, blocks=(section(text),))


def consent_renewal(*, command: str, privacy_url: str | None) -> Message:
    """Once a consent period: keep the opt-in, or end it. No answer in 30 days ends it."""
    text = (
        "It's been a while since you opted in to occasional invitations from Nudge. Would you like "
        "to keep them? If we don't hear from you within 30 days, Nudge simply opts you out."
    )
    if privacy_url:
        text += f" How Nudge handles your data: {link(privacy_url, 'privacy notice')}."
    buttons = [
        ButtonElement(text="Keep my opt-in", action_id=ACTION_RENEW_KEEP, value="keep", style="primary"),
        ButtonElement(text="End it", action_id=ACTION_RENEW_END, value="end"),
    ]
    return Message(text=text, blocks=(section(text), ActionsBlock(elements=buttons), context(NO_COMMITMENT)))


def consent_renewal_answered(*, keep: bool, command: str) -> Message:
    text = (
        "Thanks — your opt-in continues, within your preferences."
        if keep
        else f"Done — you won't get any more invitations from Nudge. `{command} join` brings you back."
    )
    return Message(text=text, blocks=(section(text),))
