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
from bot.copy.candidate import no_commitment, nothing_committed, privacy_line, stop_button, value_line
from bot.copy.i18n import _, ngettext
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


def role_at_company(role) -> str:
    """The role and its company as one phrase (the company hidden while confidential)."""
    if role.confidential:
        return _("*{title}* at a company that prefers to stay unnamed for now", title=escape(role.title))
    return _("*{title}* at *{company}*", title=escape(role.title), company=escape(role.company))


def _role_lines(role, *, with_details: bool) -> list[str]:
    lines = [role_at_company(role)]
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
    recruiter = f"<@{recruiter_id}>"
    lines = [
        _("Hi! {recruiter} wondered whether you'd be open to a relaxed conversation about a role:", recruiter=recruiter)
    ]
    lines += _role_lines(role, with_details=with_details)
    if matched:
        lines.append(
            _("Why you: it matches your interests in {interests}.", interests=", ".join(escape(t) for t in matched))
        )
    if note:
        lines.append(_("A note from {recruiter}: “{note}”", recruiter=recruiter, note=escape(note)))
    lines.append(
        _(
            "*No commitment:* a conversation is not an application, an interview is not a job offer, "
            "and an offer need not be accepted. Saying no, or not now, is completely fine."
        )
    )
    value = str(invitation_id)
    buttons = [
        ButtonElement(text=_("Happy to chat"), action_id=ACTION_ACCEPT, value=value, style="primary"),
        ButtonElement(text=_("Tell me more"), action_id=ACTION_DETAILS, value=value),
        ButtonElement(text=_("Not now — ask me later"), action_id=ACTION_LATER, value=value),
        ButtonElement(text=_("Not for me"), action_id=ACTION_DECLINE, value=value),
        ButtonElement(text=_("Stop all invitations"), action_id=ACTION_STOP_FROM_INVITATION, value=value),
    ]
    fallback = _(
        "An invitation to a no-commitment conversation about {title}. {no_commitment}",
        title=role.title,
        no_commitment=no_commitment(),
    )
    return Message(
        text=escape(fallback),
        blocks=(
            *sections("\n".join(lines)),
            ActionsBlock(block_id="invitation", elements=buttons),
            context(value_line()),
        ),
    )


def snooze_action(months: int) -> str:
    """Each month choice has its own action_id: Slack rejects two equal ids in one block."""
    return f"{ACTION_SNOOZE}.{months}"


def later_choices(*, invitation_id: int, role) -> Message:
    """After *Not now*: how long to wait (every role, not only this one)."""
    text = _(
        "No problem. When should Nudge check in again? (This pauses invitations for every role, not just *{title}*.)",
        title=escape(role.title),
    )
    buttons = [
        ButtonElement(
            text=ngettext("In {n} month", "In {n} months", m), action_id=snooze_action(m), value=str(invitation_id)
        )
        for m in SNOOZE_MONTHS
    ]
    buttons.append(ButtonElement(text=_("Back"), action_id=ACTION_BACK, value=str(invitation_id)))
    return Message(text=escape(text), blocks=(section(text), ActionsBlock(block_id="later", elements=buttons)))


def answered(
    *, role, answer: Answer, command: str, until_text: str | None = None, recruiter_left: bool = False
) -> Message:
    """The invitation as it reads after a click: what was chosen, and what happens next
    (`recruiter_left`: the inviting recruiter no longer is one, so the team takes it over)."""
    title = role_at_company(role)
    if answer == Answer.ACCEPTED:
        accepted = (
            _(
                "You said you're happy to chat about {role}. Someone from the recruiting team will be in touch; "
                "a separate message asks whether your details may be shared.",
                role=title,
            )
            if recruiter_left
            else _(
                "You said you're happy to chat about {role}. The recruiter will be in touch; a separate message "
                "asks whether your details may be shared.",
                role=title,
            )
        )
        change = _("Changed your mind? `{command} sharing` lets you step back at any time.", command=command)
        text = f"{accepted} {nothing_committed()} {change}"
    elif answer == Answer.DECLINED:
        text = _(
            "You said {role} isn't for you. Thanks for letting us know — that's a perfectly good answer.", role=title
        )
    elif answer == Answer.SNOOZED:
        text = _(
            "Got it: Nudge won't send invitations until {date}. `{command} resume` ends the pause early.",
            date=until_text,
            command=command,
        )
    elif answer == Answer.STOPPED:
        text = _(
            "Done — you won't get any more invitations from Nudge. `{command} join` brings you back if you ever want.",
            command=command,
        )
    else:
        text = _(
            "This invitation about {role} has expired — no answer needed. You're still opted in; "
            "`{command} stop` stops invitations.",
            role=title,
            command=command,
        )
    return Message(text=text, blocks=(section(text),))


def followup(*, role, recruiter_id: str) -> Message:
    """The one gentle reminder."""
    text = _(
        "A gentle reminder about {recruiter}'s invitation to chat about *{title}*. "
        "*Not now* and *Not for me* are perfectly good answers too, and if you don't answer, Nudge lets it go.",
        recruiter=f"<@{recruiter_id}>",
        title=escape(role.title),
    )
    return Message(text=text, blocks=(section(text), context(no_commitment())))


def _happy_to_chat(who: str, role) -> str:
    return _(
        "{who} is happy to chat about #{id} *{title}* at {company}.",
        who=who,
        id=role.id,
        title=escape(role.title),
        company=escape(role.company),
    )


def _shared_only_after_yes(*, candidate_id: str, command: str) -> str:
    return _(
        "Their details may only be shared with the company once they say yes; `{command} status {candidate}` shows it.",
        command=command,
        candidate=f"<@{candidate_id}>",
    )


def recruiter_accepted(*, candidate_id: str, role, has_link: bool, command: str) -> Message:
    """To the inviting recruiter, when the candidate is happy to chat."""
    who = candidate_mention(candidate_id, start=True)
    parts = [_happy_to_chat(who, role)]
    if who == f"<@{candidate_id}>":
        if has_link:
            parts.append(_("They have your booking link."))
        else:
            parts.append(
                _(
                    "Reach out to them directly (tip: `{command} recruiter link URL` lets Nudge share your booking link).",
                    command=command,
                )
            )
        parts.append(_shared_only_after_yes(candidate_id=candidate_id, command=command))
    else:
        parts.append(_("Nudge keeps nothing about them any more, so there is nobody to contact and nothing to do."))
    text = " ".join(parts)
    return Message(text=text, blocks=(section(text),))


def admin_accepted(*, candidate_id: str, role, recruiter_id: str, command: str) -> Message:
    """To each admin, when a candidate is happy to chat on the invitation of someone who is no
    longer a recruiter: nobody else would hear of the yes."""
    who = candidate_mention(candidate_id, start=True)
    parts = [
        _happy_to_chat(who, role),
        _(
            "{recruiter} invited them and is no longer a recruiter, so nobody else has been told: "
            "please reach out to them or ask a recruiter to.",
            recruiter=f"<@{recruiter_id}>",
        ),
    ]
    if who == f"<@{candidate_id}>":
        parts.append(_shared_only_after_yes(candidate_id=candidate_id, command=command))
    text = " ".join(parts)
    return Message(text=text, blocks=(section(text),))


def booking_link(*, recruiter_id: str, url: str) -> Message:
    label = _("pick a time")
    text = _(
        "If it's easier, you can {pick_a_time} with {recruiter} — entirely optional.",
        pick_a_time=link(url, label),
        recruiter=f"<@{recruiter_id}>",
    )
    return Message(text=text, blocks=(section(text),))


def share_ask(*, invitation_id: int, role, command: str = "/nudge") -> Message:
    """A separate question: may your details go to the company for this role?"""
    if role.confidential:
        question = _(
            "One separate question about *{title}*: may your name and profile be shared with the company?",
            title=escape(role.title),
        )
    else:
        question = _(
            "One separate question about *{title}*: may your name and profile be shared with *{company}*?",
            title=escape(role.title),
            company=escape(role.company),
        )
    text = (
        question
        + " "
        + _(
            "Nothing is shared unless you say yes, and you can change it any time with `{command} sharing`.",
            command=command,
        )
    )
    buttons = [
        ButtonElement(
            text=_("Yes, share my profile"), action_id=ACTION_SHARE_YES, value=str(invitation_id), style="primary"
        ),
        ButtonElement(text=_("Not yet"), action_id=ACTION_SHARE_NO, value=str(invitation_id)),
    ]
    return Message(text=text, blocks=(section(text), ActionsBlock(elements=buttons)))


def share_answered(*, role, yes: bool, command: str = "/nudge") -> Message:
    if yes:
        text = _(
            "Thanks — you agreed to share your details with *{company}* for *{title}*. "
            "You can change it any time with `{command} sharing`.",
            company=escape(role.company),
            title=escape(role.title),
            command=command,
        )
    else:
        text = _(
            "Understood — nothing about you is shared for *{title}*. You can still chat with the recruiter, "
            "and change it any time with `{command} sharing`.",
            title=escape(role.title),
            command=command,
        )
    return Message(text=text, blocks=(section(text),))


def share_closed(*, role, command: str = "/nudge") -> Message:
    """A yes to sharing that can no longer count (they stopped invitations or stepped back)."""
    text = _(
        "This question has closed, so nothing about you is shared for *{title}*: you stopped "
        "invitations or stepped back from this role since it was asked. `{command} sharing` shows where each "
        "role stands.",
        title=escape(role.title),
        command=command,
    )
    return Message(text=text, blocks=(section(text),))


REFLECTION_STAGES = (Stage.CONVERSATION, Stage.INTERVIEWING)


def checkin(*, role, stage: Stage, recruiter_id: str, invitation_id: int = 0) -> Message:
    """One short check-in after a stage: nothing committed, *Step back* always one click away,
    and after a conversation or interviews a private note of their own."""

    title, recruiter = escape(role.title), f"<@{recruiter_id}>"
    if stage == Stage.CONVERSATION:
        question = _("How did the conversation about *{title}* go?", title=title)
    elif stage == Stage.INTERVIEWING:
        question = _("How are the interviews for *{title}* going?", title=title)
    else:
        question = _("How are you feeling about the offer for *{title}*?", title=title)
    warmth = _(
        "Whatever happens, it's time well spent. If you'd like to share anything, {recruiter} is happy to hear it.",
        recruiter=recruiter,
    )
    text = f"{question} {warmth} {nothing_committed()}"
    if stage == Stage.OFFER:
        text += " " + _("Staying where you are is a fine outcome too.")
    buttons = [step_back_button(invitation_id)]
    if stage in REFLECTION_STAGES:
        buttons.insert(0, note_button(invitation_id))
    return Message(
        text=text,
        blocks=(
            section(text),
            ActionsBlock(block_id="checkin", elements=buttons),
            context(_("This is the only check-in for this step; Nudge won't ask again.")),
        ),
    )


def still_welcome(*, command: str) -> Message:
    text = _(
        "Quick question: the last two invitations went unanswered, which is completely fine. "
        "Are invitations still welcome? If we don't hear back, Nudge simply pauses them for a while "
        "(you can `{command} resume` any time).",
        command=command,
    )
    buttons = [
        ButtonElement(
            text=_("Yes, keep them coming"), action_id=ACTION_STILL_WELCOME_YES, value="keep", style="primary"
        ),
        ButtonElement(text=_("Pause for 6 months"), action_id=ACTION_STILL_WELCOME_PAUSE, value="6"),
        stop_button(),
    ]
    return Message(text=text, blocks=(section(text), ActionsBlock(elements=buttons)))


def still_welcome_answered(*, keep: bool, until_text: str | None, command: str) -> Message:
    text = (
        _("Great — invitations stay on, within your preferences.")
        if keep
        else _("Paused until {date}. `{command} resume` ends the pause early.", date=until_text, command=command)
        if until_text
        else _("Paused until later. `{command} resume` ends the pause early.", command=command)
    )
    return Message(text=text, blocks=(section(text),))


def consent_renewal(*, command: str, privacy_url: str | None) -> Message:
    """Once a consent period: keep the opt-in, or end it. No answer in 30 days ends it."""
    text = _(
        "It's been a while since you opted in to occasional invitations from Nudge. Would you like "
        "to keep them? If we don't hear from you within 30 days, Nudge simply opts you out."
    )
    if privacy_url:
        text += " " + privacy_line(privacy_url)
    buttons = [
        ButtonElement(text=_("Keep my opt-in"), action_id=ACTION_RENEW_KEEP, value="keep", style="primary"),
        ButtonElement(text=_("End it"), action_id=ACTION_RENEW_END, value="end"),
    ]
    return Message(text=text, blocks=(section(text), ActionsBlock(elements=buttons), context(no_commitment())))


def consent_renewal_answered(*, keep: bool, command: str) -> Message:
    text = (
        _("Thanks — your opt-in continues, within your preferences.")
        if keep
        else _(
            "Done — you won't get any more invitations from Nudge. `{command} join` brings you back.", command=command
        )
    )
    return Message(text=text, blocks=(section(text),))
