"""Recruiter subcommands of `/nudge`: parse the arguments, call the use case, render the reply.

Text arrives escaped by Slack (`should_escape`); free text is unescaped to what was typed before
it is checked and stored, and escaped again whenever it is shown.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.copy import recruiter as replies
from bot.copy.blocks import Message
from bot.rules.commands import ParsedCommand
from bot.rules.grammar import parse_duration
from bot.rules.recruiting import (
    InputError,
    check_recruiter_text,
    make_role_draft,
    parse_inline_role,
    parse_role_ref,
    parse_stage,
    parse_user_ref,
    split_outside_markup,
)
from bot.rules.text import unescape_slack
from bot.usecases.recruiting import Recruiting

MAX_STATS_PERIOD_DAYS = 3650


def answer(recruiting: Recruiting, *, user_id: str, parsed: ParsedCommand, kick=lambda ids: None) -> Message:
    """The reply to a recruiter command from someone already known to be a recruiter. `kick`
    starts sending steps the command queued (after the reply is decided, off the request)."""
    command = recruiting.candidates.settings.command
    handler = _HANDLERS[parsed.name]
    reply = handler(recruiting, user_id, parsed.args.strip(), command)
    if isinstance(reply, tuple):
        reply, step_ids = reply
        kick([i for i in step_ids if i is not None])
    return reply


def _words(args: str, count: int) -> list[str]:
    return args.split(maxsplit=count - 1) if args else []


def _role(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    words = _words(args, 2)
    action = words[0].casefold() if words else ""
    rest = words[1] if len(words) > 1 else ""
    if action == "add" and rest:
        try:
            draft = _inline_role(rest, command)
        except InputError as error:
            return replies.problem(str(error))
        return recruiting.create_role(draft, by=user_id, answer=_rendered(replies.role_created))
    if action == "list" and not rest:
        return replies.role_list(recruiting.open_roles(), command=command)
    if action == "close":
        role_id = parse_role_ref(rest)
        if role_id is None:
            return replies.usage("role close ID", command=command)
        role, cancelled, steps = recruiting.close_role_with_steps(role_id, by=user_id)
        return (replies.role_closed(role, cancelled), steps) if role else replies.no_open_role(role_id, command=command)
    return replies.usage(
        "role add | role add Title | Company | details | tags | role list | role close ID", command=command
    )


def _rendered(reply):
    """`reply(role)`, serialised once to prove it can be sent (the role is stored only if so)."""

    def answer(role) -> Message:
        message = reply(role)
        message.as_kwargs()  # slack_sdk checks Slack's limits here; raises before the commit
        return message

    return answer


def _inline_role(args: str, command: str):
    """`Title | Company | details | tags`: split on the text as Slack sent it (so `|` inside
    `<…>` links stays), then check each part as the recruiter typed it."""
    parts = split_outside_markup(args)
    if not 2 <= len(parts) <= 4:
        parse_inline_role(args, command=command)  # raises the explanation of the format
    title, company, *rest = (unescape_slack(part) for part in parts)
    return make_role_draft(
        title=title, company=company, details=rest[0] if rest else "", tags=rest[1] if len(rest) > 1 else ""
    )


def _invite(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    words = _words(args, 3)
    candidate = parse_user_ref(words[0]) if words else None
    role_id = parse_role_ref(words[1]) if len(words) > 1 else None
    if candidate is None or role_id is None:
        return replies.usage("invite @user ROLE_ID [note]", command=command)
    note = unescape_slack(words[2]).strip() if len(words) > 2 else None
    if note:
        problem = check_recruiter_text("note", note)
        if problem:
            if not recruiting.role_is_open(role_id):  # the spec's first refusal comes first
                return replies.no_open_role(role_id, command=command)
            return replies.problem(problem)
    result = recruiting.invite(recruiter_id=user_id, candidate_id=candidate, role_id=role_id, note=note or None)
    if result.refusal is not None:
        return replies.invite_refused(result, candidate, role_id, command=command)
    return replies.invite_queued(result, candidate), [result.step_id]


def _match(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    role_id = parse_role_ref(args)
    if role_id is None:
        return replies.usage("match ROLE_ID", command=command)
    role, found = recruiting.match(role_id)
    return replies.matches(role, found, command=command) if role else replies.no_open_role(role_id, command=command)


def _pipeline(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    role_id = None
    if args:
        role_id = parse_role_ref(args)
        if role_id is None:
            return replies.usage("pipeline [ROLE_ID]", command=command)
    role, counts = recruiting.pipeline(role_id)
    if role_id is not None and role is None:
        return replies.problem(f"There is no role #{role_id}.")
    return replies.pipeline(role, counts)


def _status(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    candidate = parse_user_ref(args)
    if candidate is None:
        return replies.usage("status @user", command=command)
    return replies.candidate_status(recruiting.candidate_report(candidate))


def _stage(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    words = args.split()
    if len(words) != 3:
        return replies.usage("stage @user ROLE_ID conversation|interviewing|offer|closed", command=command)
    candidate, role_id, stage = parse_user_ref(words[0]), parse_role_ref(words[1]), parse_stage(words[2])
    if candidate is None or role_id is None or stage is None:
        return replies.usage("stage @user ROLE_ID conversation|interviewing|offer|closed", command=command)
    invitation, problem, step = recruiting.set_stage(candidate_id=candidate, role_id=role_id, stage=stage)
    if problem == "no_invitation":
        return replies.problem(f"<@{candidate}> has no invitation to role #{role_id}.")
    if problem == "not_accepted":
        return replies.problem(
            f"Stages start once <@{candidate}> says they're happy to chat; their invitation to role #{role_id} isn't there yet."
        )
    if problem == "stepped_back":
        from bot.copy.after_yes import stage_after_step_back

        return stage_after_step_back(candidate)
    if problem:
        return replies.stage_refused(problem)
    return replies.stage_set(invitation, stage, candidate), [step]


def _stats(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    text = args or "30d"
    try:
        period = parse_duration(text)
    except ValueError:
        period = None
    if period is None or not text.strip().endswith("d") or not 0 < period.days <= MAX_STATS_PERIOD_DAYS:
        return replies.usage("stats [30d] (a number of days, up to 3650d)", command=command)
    return replies.stats(recruiting.stats(period), period)


def _team(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    action = args.casefold()
    if action not in ("pause", "resume"):
        return replies.usage("team pause | team resume", command=command)
    state = recruiting.set_team_paused(paused=action == "pause", actor=user_id)
    return replies.team_state(state, command=command)


def _recruiter(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    words = _words(args, 2)
    action = words[0].casefold() if words else ""
    rest = words[1].strip() if len(words) > 1 else ""
    settings = recruiting.candidates.settings
    if action == "link":
        url = _link_target(rest)
        if url is None:
            return replies.problem(
                "A booking link must be a full https:// address, like `https://cal.example.com/ann`."
            )
        recruiting.set_booking_link(user_id=user_id, url=url)
        return replies.link_saved(url)
    if action in ("add", "remove"):
        target = parse_user_ref(rest)
        if target is None:
            return replies.usage("recruiter add|remove @user", command=command)
        if not recruiting.candidates.is_admin(user_id):
            return replies.admins_only()
        if action == "add":
            if target in settings.all_recruiters:
                return replies.recruiter_changed(target, added=True, changed=False)
            return replies.recruiter_changed(
                target, added=True, changed=recruiting.add_recruiter(user_id=target, by=user_id)
            )
        if target in settings.all_recruiters:
            return replies.permanent_recruiter(target)
        return replies.recruiter_changed(target, added=False, changed=recruiting.remove_recruiter(user_id=target))
    return replies.usage("recruiter add|remove @user | recruiter link URL", command=command)


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


def _audit(recruiting: Recruiting, user_id: str, args: str, command: str) -> Message:
    candidate = parse_user_ref(args)
    if candidate is None:
        return replies.usage("audit @user", command=command)
    return replies.audit(candidate, recruiting.audit(candidate), recruiting.disclosures(candidate))


_HANDLERS = {
    "role": _role,
    "invite": _invite,
    "match": _match,
    "pipeline": _pipeline,
    "status": _status,
    "stage": _stage,
    "stats": _stats,
    "team": _team,
    "recruiter": _recruiter,
    "audit": _audit,
}
