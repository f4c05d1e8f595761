"""The copy for each kind of step, built at send time from ids and current state only: one
renderer per kind in `RENDERERS` (a test checks every kind that posts has one)."""

from __future__ import annotations

from collections.abc import Callable

from bot.copy import after_yes, journey
from bot.copy import candidate as messages
from bot.copy.blocks import Message
from bot.copy.i18n import speaking
from bot.rules.consent import ConsentStatus
from bot.rules.language import Language, resolve_language
from bot.rules.recruiting import matched_interests
from bot.rules.statuses import Answer
from bot.rules.steps import STAGE_OF_CHECKIN, Kind
from bot.sending.step import Step
from bot.settings import Settings

Renderer = Callable[[Settings, Step], Message]


def _help(settings: Settings, step: Step) -> Message:
    return messages.help_message(
        command=settings.command,
        is_recruiter=step.recipient_recruits,
        opted_in_now=step.facts.consent is ConsentStatus.OPTED_IN,
        privacy_url=settings.privacy_url,
    )


def _invitation(settings: Settings, step: Step) -> Message:
    invitation, role = step.invited()
    return journey.invitation(
        invitation_id=invitation.id,
        role=role,
        recruiter_id=invitation.recruiter_id,
        note=invitation.note,
        matched=matched_interests(role.tags, step.candidate.interests if step.candidate else ()),
    )


def _checkin(settings: Settings, step: Step) -> Message:
    invitation, role = step.invited()
    stage = STAGE_OF_CHECKIN[step.kind]
    return journey.checkin(role=role, stage=stage, recruiter_id=invitation.recruiter_id, invitation_id=invitation.id)


def _followup(settings: Settings, step: Step) -> Message:
    invitation, role = step.invited()
    return journey.followup(role=role, recruiter_id=invitation.recruiter_id)


def _expiry(settings: Settings, step: Step) -> Message:
    _, role = step.invited()
    return journey.answered(role=role, answer=Answer.EXPIRED, command=settings.command)


def _recruiter_accepted(settings: Settings, step: Step) -> Message:
    invitation, role = step.invited()
    has_link = bool(step.booking_link)
    return journey.recruiter_accepted(
        candidate_id=invitation.candidate_id, role=role, has_link=has_link, command=settings.command
    )


def _admin_accepted(settings: Settings, step: Step) -> Message:
    invitation, role = step.invited()
    return journey.admin_accepted(
        candidate_id=invitation.candidate_id, role=role, recruiter_id=invitation.recruiter_id, command=settings.command
    )


def _booking_link(settings: Settings, step: Step) -> Message:
    invitation, _ = step.invited()
    return journey.booking_link(recruiter_id=invitation.recruiter_id, url=step.booking_link or "")


def _share_ask(settings: Settings, step: Step) -> Message:
    invitation, role = step.invited()
    return journey.share_ask(invitation_id=invitation.id, role=role, command=settings.command)


def _recruiter_stepped_back(settings: Settings, step: Step) -> Message:
    invitation, _ = step.invited()
    return after_yes.recruiter_stepped_back(candidate_id=invitation.candidate_id, role_id=invitation.role_id)


def _stay_in_touch(settings: Settings, step: Step) -> Message:
    invitation, role = step.invited()
    return after_yes.stay_in_touch(role=role, invitation_id=invitation.id)


RENDERERS: dict[Kind, Renderer] = {
    Kind.REPLY_OPTED_OUT: lambda s, step: messages.opted_out(command=s.command, already=False),
    Kind.REPLY_ALREADY_OPTED_OUT: lambda s, step: messages.opted_out(command=s.command, already=True),
    Kind.REPLY_HELP: _help,
    Kind.REPLY_POINTER: lambda s, step: messages.dm_pointer(command=s.command),
    Kind.WELCOME: lambda s, step: messages.welcome(
        command=s.command, privacy_url=s.privacy_url, channel_id=s.community_channel
    ),
    Kind.OPT_IN_REQUEST: lambda s, step: messages.opt_in_request(command=s.command, privacy_url=s.privacy_url),
    Kind.INVITATION: _invitation,
    Kind.FOLLOWUP: _followup,
    Kind.EXPIRE: _expiry,
    Kind.RECRUITER_ACCEPTED: _recruiter_accepted,
    Kind.BOOKING_LINK: _booking_link,
    Kind.ADMIN_ACCEPTED: _admin_accepted,
    Kind.SHARE_ASK: _share_ask,
    Kind.CHECKIN_CONVERSATION: _checkin,
    Kind.CHECKIN_INTERVIEWING: _checkin,
    Kind.CHECKIN_OFFER: _checkin,
    Kind.RECRUITER_STEPPED_BACK: _recruiter_stepped_back,
    Kind.STAY_IN_TOUCH: _stay_in_touch,
    Kind.STILL_WELCOME: lambda s, step: journey.still_welcome(command=s.command),
    Kind.CONSENT_RENEWAL: lambda s, step: journey.consent_renewal(command=s.command, privacy_url=s.privacy_url),
}


def language_of(settings: Settings, step: Step) -> Language:
    """The recipient's language: their choice, else their Slack locale, else the default."""
    person = step.candidate if step.candidate and step.candidate.slack_user_id == step.user_id else None
    return resolve_language(
        choice=person.language if person else None,
        slack_locale=step.slack_locale or (person.slack_locale if person else None),
        default=settings.default_language,
    )


def render(settings: Settings, step: Step, language: Language | None = None) -> Message:
    """The message for a step, in its recipient's language (`language` when the caller knows it
    better; every kind that reaches Slack has a renderer)."""
    with speaking(language or language_of(settings, step)):
        return RENDERERS[step.kind](settings, step)
