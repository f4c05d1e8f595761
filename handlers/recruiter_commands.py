"""Recruiter subcommands of `/nudge`: parse the arguments, call the use case, render the reply.
The router has checked that the person recruits before any of these runs.

Text arrives escaped by Slack (`should_escape`); free text is unescaped to what was typed before
it is checked and stored, and escaped again whenever it is shown.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.copy import recruiter as replies
from bot.copy import recruiting_views, views
from bot.copy import stats as stats_copy
from bot.copy.after_yes import stage_after_step_back
from bot.copy.blocks import Message
from bot.copy.i18n import say
from bot.rules.grammar import parse_duration
from bot.rules.recruiter_input import (
    InputError,
    RoleDraft,
    check_recruiter_text,
    make_role_draft,
    parse_inline_role,
    parse_role_ref,
    parse_user_ref,
    role_extras,
    split_outside_markup,
)
from bot.rules.recruiting import parse_stage, stage_change_error
from bot.rules.statuses import Stage
from bot.rules.text import unescape_slack
from bot.usecases.recruiting import InviteResult, StageRefusal
from handlers.after_yes import profile_reply
from handlers.replies import Answer, CommandRequest, OpenModal, Reply, Route
from handlers.services import Services

MAX_STATS_PERIOD_DAYS = 3650
STAGE_USAGE = "stage @user ROLE_ID conversation|interviewing|offer|closed"


def _words(args: str, count: int) -> list[str]:
    return args.split(maxsplit=count - 1) if args else []


def role(services: Services, request: CommandRequest) -> Answer:
    command = services.command
    words = _words(request.args, 2)
    action = words[0].casefold() if words else ""
    rest = words[1] if len(words) > 1 else ""
    if action == "add" and not rest:
        return OpenModal(views.role_modal())
    if action == "add":
        try:
            draft = _inline_role(rest, command)
        except InputError as error:
            return Reply(replies.problem(say(error.args[0])))
        return Reply(services.recruiting.create_role(draft, by=request.user_id, answer=_rendered(replies.role_created)))
    if action == "list" and not rest:
        return Reply(replies.role_list(services.recruiting.open_roles(), command=command))
    if action == "close":
        role_id = parse_role_ref(rest)
        if role_id is None:
            return Reply(replies.usage("role close ID", command=command))
        closed = services.recruiting.close_role(role_id, by=request.user_id)
        if closed.role is None:
            return Reply(replies.no_open_role(role_id, command=command))
        return Reply.queued(replies.role_closed(closed.role, closed.cancelled), list(closed.steps))
    usage = "role add | role add Title | Company | details | tags | role list | role close ID"
    return Reply(replies.usage(usage, command=command))


def _rendered(reply):
    """`reply(role)`, serialised once to prove it can be sent (the role is stored only if so)."""

    def answer(role) -> Message:
        message = reply(role)
        message.as_kwargs()  # slack_sdk checks Slack's limits here; raises before the commit
        return message

    return answer


def _inline_role(args: str, command: str) -> RoleDraft:
    """`Title | Company | details | tags [| pay: … | remote: …]`: split on the text as Slack sent it (so `|` inside
    `<…>` links stays), then check each part as the recruiter typed it."""
    parts, extras = role_extras(split_outside_markup(args))
    if not 2 <= len(parts) <= 4:
        parse_inline_role(args, command=command)  # raises the explanation of the format
    title, company, *rest = (unescape_slack(part) for part in parts)
    return make_role_draft(
        title=title,
        company=company,
        details=rest[0] if rest else "",
        tags=rest[1] if len(rest) > 1 else "",
        pay_range=unescape_slack(extras["pay"]) if "pay" in extras else None,
        remote=unescape_slack(extras["remote"]) if "remote" in extras else None,
    )


def invite(services: Services, request: CommandRequest) -> Reply:
    command = services.command
    words = _words(request.args, 3)
    candidate = parse_user_ref(words[0]) if words else None
    role_id = parse_role_ref(words[1]) if len(words) > 1 else None
    if candidate is None or role_id is None:
        return Reply(replies.usage("invite @user ROLE_ID [note]", command=command))
    note = unescape_slack(words[2]).strip() if len(words) > 2 else None
    problem = check_recruiter_text("note", note) if note else None
    if problem:
        if not services.recruiting.role_is_open(role_id):  # the spec's first refusal comes first
            return Reply(replies.no_open_role(role_id, command=command))
        return Reply(replies.problem(say(problem)))
    result = services.recruiting.invite(
        recruiter_id=request.user_id, candidate_id=candidate, role_id=role_id, note=note or None
    )
    return Reply.queued(invite_reply(services, result, candidate, role_id), [result.step_id])


def invite_reply(services: Services, result: InviteResult, candidate: str, role_id: int) -> Message:
    """What `/nudge invite` (and the invite modal, per person) says of one invitation."""
    if result.refusal is not None:
        return replies.invite_refused(result, candidate, role_id, command=services.command)
    return replies.invite_queued(result, candidate)


def match(services: Services, request: CommandRequest) -> Reply:
    role_id = parse_role_ref(request.args)
    if role_id is None:
        return Reply(replies.usage("match ROLE_ID", command=services.command))
    found_role, found = services.reports.match(role_id)
    if found_role is None:
        return Reply(replies.no_open_role(role_id, command=services.command))
    return Reply(recruiting_views.matches_message(found_role, found, command=services.command))


def pipeline(services: Services, request: CommandRequest) -> Reply:
    role_id = None
    if request.args:
        role_id = parse_role_ref(request.args)
        if role_id is None:
            return Reply(replies.usage("pipeline [ROLE_ID]", command=services.command))
    if role_id is None:
        return Reply(replies.pipeline(*services.reports.pipeline(None)))
    found_role, counts, accepted = services.reports.pipeline_people(role_id)
    if found_role is None:
        return Reply(recruiting_views.no_role(role_id))
    return Reply(recruiting_views.pipeline_message(found_role, counts, accepted))


def status(services: Services, request: CommandRequest) -> Reply:
    candidate = parse_user_ref(request.args)
    if candidate is None:
        return Reply(replies.usage("status @user", command=services.command))
    return Reply(replies.candidate_status(services.reports.candidate_report(candidate)))


def stage(services: Services, request: CommandRequest) -> Reply:
    words = request.args.split()
    if len(words) != 3:
        return Reply(replies.usage(STAGE_USAGE, command=services.command))
    candidate, role_id, wanted = parse_user_ref(words[0]), parse_role_ref(words[1]), parse_stage(words[2])
    if candidate is None or role_id is None or wanted is None:
        return Reply(replies.usage(STAGE_USAGE, command=services.command))
    return Reply.queued(*set_stage(services, candidate, role_id, wanted))


def set_stage(services: Services, candidate: str, role_id: int, wanted: Stage) -> tuple[Message, list[int | None]]:
    """Move a candidate's stage as `/nudge stage` does (the stage select does the same): the
    reply, and the check-in step it queued."""
    result = services.recruiting.set_stage(candidate_id=candidate, role_id=role_id, stage=wanted)
    if result.refusal is StageRefusal.NO_INVITATION:
        return recruiting_views.no_invitation(candidate, role_id), []
    if result.refusal is StageRefusal.NOT_ACCEPTED:
        return recruiting_views.stage_not_started(candidate, role_id), []
    if result.refusal is StageRefusal.STEPPED_BACK:
        return stage_after_step_back(candidate), []
    if result.refusal is StageRefusal.OUT_OF_ORDER and result.current is not None:
        return replies.stage_refused(say(stage_change_error(result.current, wanted) or "")), []
    return replies.stage_set(result.invitation, wanted, candidate), [result.step_id]


def stats(services: Services, request: CommandRequest) -> Reply:
    text = request.args or "30d"
    try:
        period = parse_duration(text)
    except ValueError:
        period = None
    if period is None or not text.strip().endswith("d") or not 0 < period.days <= MAX_STATS_PERIOD_DAYS:
        return Reply(stats_copy.usage(command=services.command))
    return Reply(stats_copy.stats(services.reports.stats(period), period))


def team(services: Services, request: CommandRequest) -> Reply:
    action = request.args.casefold()
    if action not in ("pause", "resume"):
        return Reply(replies.usage("team pause | team resume", command=services.command))
    state = services.team.set_paused(paused=action == "pause", actor=request.user_id)
    return Reply(replies.team_state(state, command=services.command))


def recruiter(services: Services, request: CommandRequest) -> Reply:
    words = _words(request.args, 2)
    action = words[0].casefold() if words else ""
    rest = words[1].strip() if len(words) > 1 else ""
    if action == "link":
        url = _link_target(rest)
        if url is None:
            return Reply(recruiting_views.booking_link_not_https())
        services.team.set_booking_link(user_id=request.user_id, url=url)
        return Reply(replies.link_saved(url))
    if action in ("add", "remove"):
        return Reply(_add_or_remove(services, request, action, parse_user_ref(rest)))
    return Reply(replies.usage("recruiter add|remove @user | recruiter link URL", command=services.command))


def _add_or_remove(services: Services, request: CommandRequest, action: str, target: str | None) -> Message:
    if target is None:
        return replies.usage("recruiter add|remove @user", command=services.command)
    if not request.roles.admin:
        return replies.admins_only()
    permanent = target in services.ctx.settings.all_recruiters
    if action == "add":
        changed = not permanent and services.team.add_recruiter(user_id=target, by=request.user_id)
        return replies.recruiter_changed(target, added=True, changed=changed)
    if permanent:
        return replies.permanent_recruiter(target)
    return replies.recruiter_changed(target, added=False, changed=services.team.remove_recruiter(user_id=target))


def _link_target(text: str) -> str | None:
    """An https URL as typed or as Slack auto-links it (`<https://x|label>`), else None."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].split("|", 1)[0]
    value = unescape_slack(value)
    if len(value) > 500 or any(ch.isspace() for ch in value) or "<" in value or ">" in value:
        return None
    parts = urlsplit(value)
    return value if parts.scheme == "https" and parts.netloc and "." in parts.netloc else None


def audit(services: Services, request: CommandRequest) -> Reply:
    candidate = parse_user_ref(request.args)
    if candidate is None:
        return Reply(replies.usage("audit @user", command=services.command))
    return Reply(replies.audit(candidate, services.reports.audit(candidate), services.reports.disclosures(candidate)))


def profile(services: Services, request: CommandRequest) -> Reply:
    return Reply(profile_reply(services, request.client, recruiter_id=request.user_id, args=request.args))


ROUTES: dict[str, Route] = {
    "role": role,
    "invite": invite,
    "match": match,
    "pipeline": pipeline,
    "status": status,
    "stage": stage,
    "stats": stats,
    "team": team,
    "recruiter": recruiter,
    "audit": audit,
    "profile": profile,
}
