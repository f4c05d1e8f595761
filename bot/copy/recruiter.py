"""Replies recruiters see. Every piece of user-written text (role fields, notes) is escaped;
people are shown as `<@U…>` mentions built from ids; dates use Slack's `<!date^…>` so each reader
sees their own time zone. Buttons carry ids only."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    Option,
    OverflowMenuElement,
)

from bot.copy.blocks import (
    Message,
    button,
    candidate_mention,
    context,
    mrkdwn,
    plain,
    section,
    sections,
    verbatim_section,
)
from bot.copy.recruiting_ids import RecruitingAction, RecruitingBlock, RoleMenu, with_id
from bot.rules.consent import ConsentStatus, OptInRequest
from bot.rules.eligibility import RefusalReason
from bot.rules.recruiting import Funnel, Match, allowed_next_stages
from bot.rules.statuses import Stage
from bot.rules.text import escape, slack_date
from bot.rules.webhooks import RECRUITING_SYSTEM

ACTION_SEND_OPT_IN_REQUEST = "nudge.optin_request.send"


def _day(moment: datetime) -> str:
    return slack_date(moment, f"{moment:%Y-%m-%d}")


def role_label(role) -> str:
    """`#7 Senior Engineer at Acme (confidential)`, escaped."""
    company = escape(role.company) + (" (confidential)" if role.confidential else "")
    return f"#{role.id} {escape(role.title)} at {company}"


def role_created(role) -> Message:
    tags = ", ".join(escape(t) for t in role.tags) or "no tags"
    return plain(f"Role #{role.id} created: {role_label(role)} · {tags}")


def role_list(lines, *, command: str) -> Message:
    if not lines:
        return plain(f"No open roles yet. `{command} role add` creates one.")
    rows = []
    for line in lines:
        counts = ", ".join(f"{label} {n}" for label, n in line.stages) or "no invitations yet"
        rows.append(f"• {role_label(line.role)} — {counts}")
    return plain("*Open roles*\n" + "\n".join(rows))


def no_open_role(role_id: int, *, command: str) -> Message:
    return plain(f"No open role #{role_id}. `{command} role list` shows the open ones.")


def role_closed(role, cancelled: int) -> Message:
    extra = f" {cancelled} queued invitation{'s were' if cancelled != 1 else ' was'} cancelled." if cancelled else ""
    return plain(f"Role #{role.id} closed.{extra}")


def usage(line: str, *, command: str) -> Message:
    return plain(f"Usage: `{command} {line}`")


def problem(text: str) -> Message:
    return plain(f"{text} Nothing was changed.")


def invite_queued(result, candidate_id: str) -> Message:
    text = (
        f"Invitation queued for <@{candidate_id}> to talk about {role_label(result.role)}. Nudge sends it "
        "inside their own send window and tells you when they're happy to chat."
    )
    if result.team_paused:
        text += " Sending is paused for the whole team right now, so it waits until `team resume`."
    return plain(text)


def invite_refused(result, candidate_id: str, role_id: int, *, command: str) -> Message:
    reason = result.refusal.reason
    who = f"<@{candidate_id}>"
    if reason is RefusalReason.ROLE_NOT_OPEN:
        return no_open_role(role_id, command=command)
    if reason is RefusalReason.OPTED_OUT:
        return plain(f"{who} has opted out of invitations. Nothing can be done: Nudge respects that.")
    if reason is RefusalReason.PAUSED:
        return plain(f"{who} has paused invitations until {_day(result.refusal.until)}. You can invite them from then.")
    if reason is RefusalReason.NOT_OPTED_IN:
        if not result.opt_in_request_possible:
            return plain(
                f"{who} hasn't opted in to invitations, and has already had their one-time opt-in request. "
                "Nudge won't ask again; they can join any time themselves."
            )
        text = (
            f"{who} hasn't opted in to invitations. You can send them a one-time opt-in request: "
            "one short DM with a *Count me in* button. Each person gets it at most once, ever, and "
            "nothing is sent unless you click."
        )
        send = button("Send one-time opt-in request", ACTION_SEND_OPT_IN_REQUEST, candidate_id)
        return Message(text=text, blocks=(section(text), ActionsBlock(elements=[send])))
    if reason is RefusalReason.ALREADY_INVITED:
        return plain(f"{who} has already been invited to role #{role_id}.")
    return plain(
        f"{who} was invited recently. To respect how often they want to hear from us, the next "
        f"invitation can go out from {_day(result.refusal.until)}."
    )


def opt_in_request_outcome(outcome: OptInRequest, candidate_id: str) -> Message:
    who = f"<@{candidate_id}>"
    return plain(
        {
            OptInRequest.SENT: f"One-time opt-in request on its way to {who}. If they join, you can invite them.",
            OptInRequest.ALREADY_REQUESTED: f"{who} has already had their one-time opt-in request; Nudge won't ask again.",
            OptInRequest.ALREADY_JOINED: f"{who} has opted in already; you can invite them now.",
            OptInRequest.OPTED_OUT: f"{who} has opted out; Nudge won't contact them.",
        }[outcome]
    )


def matches(role, found: list[Match], *, command: str, limit: int = 25) -> Message:
    if not found:
        return plain(f"Nobody can be invited to {role_label(role)} right now.")
    lines = []
    for n, match in enumerate(found[:limit], start=1):
        reason = (
            "shares " + ", ".join(escape(t) for t in match.shared_tags) if match.shared_tags else "no shared interests"
        )
        lines.append(f"{n}. <@{match.user_id}> — {reason}")
    more = f"\n…and {len(found) - limit} more." if len(found) > limit else ""
    return plain(
        f"*{len(found)} opted-in candidate{'s' if len(found) != 1 else ''} could be invited to {role_label(role)}*\n"
        + "\n".join(lines)
        + more
        + f"\nInvite with `{command} invite @user {role.id} [note]`."
    )


def pipeline(role, counts: list[tuple[str, int]]) -> Message:
    scope = role_label(role) if role is not None else "all roles"
    if not counts:
        return plain(f"No invitations yet for {scope}.")
    return plain(f"*Pipeline for {scope}*\n" + "\n".join(f"• {label}: {n}" for label, n in counts))


def candidate_status(report) -> Message:
    consent = {
        ConsentStatus.NOT_JOINED: "hasn't opted in",
        ConsentStatus.OPTED_IN: "opted in",
        ConsentStatus.OPTED_OUT: "opted out",
    }[report.status]
    lines = [f"*<@{report.user_id}>* — {consent}"]
    if report.paused_until:
        lines.append(f"Paused until {_day(report.paused_until)}.")
    if report.unreachable:
        lines.append(f"Slack can't deliver messages to them ({escape(report.unreachable)}), so nothing more is sent.")
    if report.status is ConsentStatus.OPTED_IN:
        lines.append(
            f"At most {report.cadence.label}. Interests: {', '.join(escape(t) for t in report.interests) or 'none given'}."
        )
    if report.invitations:
        lines.append("Invitations:")
        for _, role, label in report.invitations:
            sharing = " · may share their details with the company" if role.id in report.shared_roles else ""
            lines.append(f"• {role_label(role)} — {label or 'cancelled'}{sharing}")
    else:
        lines.append("No invitations yet.")
    return plain("\n".join(lines))


def stage_set(invitation, stage: Stage, candidate_id: str) -> Message:
    nxt = ", ".join(s.value for s in allowed_next_stages(stage))
    text = f"<@{candidate_id}> is now at *{stage.value}* for role #{invitation.role_id}."
    return plain(text + (f" Next: {nxt}." if nxt else ""))


def stage_refused(problem_text: str) -> Message:
    return problem(problem_text)


def stats(result: Funnel, period: timedelta) -> Message:
    def pct(name: str) -> str:
        rate = result.rate(name)
        return "" if rate is None else f" ({rate:.0%})"

    median = result.median_time_to_answer
    median_text = "—" if median is None else _duration(median)
    days = period.days or 1
    return plain(
        f"*Last {days} days*\n"
        f"• Invited: {result.invited}\n"
        f"• Answered: {result.answered}{pct('answered')}\n"
        f"• Interested: {result.interested}{pct('interested')}\n"
        f"• Snoozed: {result.snoozed}{pct('snoozed')}\n"
        f"• Declined: {result.declined}{pct('declined')}\n"
        f"• Opted out: {result.opted_out}\n"
        f"• Median time to answer: {median_text}"
    )


def _duration(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def team_state(state, *, command: str) -> Message:
    if state.paused:
        who = f" by <@{state.actor}> on {_day(state.at)}" if state.actor else ""
        head = "Sending was already paused" if not state.changed else "Sending is paused for the whole team"
        return plain(f"{head}{who}. Nothing goes out until `{command} team resume`; invitations still queue.")
    if state.changed:
        return plain(
            f"Sending is on again (resumed by <@{state.actor}>). Queued messages go out in each person's send window."
        )
    return plain("Sending is on; nothing is paused.")


def recruiter_changed(user_id: str, *, added: bool, changed: bool) -> Message:
    if added:
        return plain(f"<@{user_id}> is now a recruiter." if changed else f"<@{user_id}> is already a recruiter.")
    return plain(
        f"<@{user_id}> is no longer a recruiter."
        if changed
        else f"<@{user_id}> wasn't added by command, so there is nothing to remove."
    )


def permanent_recruiter(user_id: str) -> Message:
    return problem(
        f"<@{user_id}> is a recruiter through NUDGE_RECRUITERS or NUDGE_ADMINS; change the environment to remove them."
    )


def admins_only() -> Message:
    return problem("Only admins (NUDGE_ADMINS) can add or remove recruiters.")


def link_saved(url: str) -> Message:
    return plain(f"Booking link saved: {escape(url)}. Candidates who are happy to chat get it from you.")


def audit(candidate_id: str, events, disclosures=()) -> Message:
    if not events and not disclosures:
        return plain(f"No consent history for <@{candidate_id}>.")
    lines = [f"*Consent history of <@{candidate_id}>* (oldest first)"]
    for e in events:
        actor = f"<@{e.actor}>" if e.actor.startswith(("U", "W")) else escape(e.actor)
        lines.append(
            f"• {e.at:%Y-%m-%d %H:%M} UTC — {e.scope} {e.action} via {e.via} · wording {escape(e.wording_version)} · by {actor}"
        )
    if disclosures:
        lines.append("*Profile disclosures*")
        for d in disclosures:
            to = "the team's recruiting system" if d.recruiter_id == RECRUITING_SYSTEM else f"<@{d.recruiter_id}>"
            lines.append(f"• {d.at:%Y-%m-%d %H:%M} UTC — profile for #{d.role_id} ({escape(d.company)}) given to {to}")
    return plain("\n".join(lines))


def recruiter_home_blocks(lines, team, answers, *, command: str = "/nudge", shown: int = 30) -> list:
    """The *Recruiting* section of App Home: the three buttons, each open role with its counts
    and an overflow menu (*Find matches*, *Pipeline*, *Close role*), the team switch, recent
    answers. Role titles are escaped and shown verbatim."""
    switch = "⏸ Sending is *paused* for the whole team." if team.paused else "▶️ Sending is on."
    role_blocks: list[Block] = [
        verbatim_section(
            f"{role_label(line.role)} — "
            + (", ".join(f"{label} {n}" for label, n in line.stages) or "no invitations yet"),
            block_id=with_id(RecruitingBlock.ROLE_LINE, line.role.id),
            accessory=_role_menu(line.role.id),
        )
        for line in lines[:shown]
    ]
    if len(lines) > shown:
        role_blocks.append(context(f"…and {len(lines) - shown} more: `{command} role list` shows them all."))
    recent = (
        "\n".join(
            f"• {candidate_mention(inv.candidate_id, start=True)} — {escape(inv.answer or '')} — {role_label(role)}"
            for inv, role in answers
        )
        or "No answers yet."
    )
    return [
        section("*Recruiting*\n" + switch),
        ActionsBlock(
            block_id=RecruitingBlock.HOME_BUTTONS,
            elements=[
                button("New role", RecruitingAction.NEW_ROLE, "new", style="primary"),
                button("Invite candidates", RecruitingAction.INVITE, "invite"),
                button("Find matches", RecruitingAction.FIND_MATCHES, "matches"),
            ],
        ),
        section("*Open roles*" if lines else "*Open roles*\nNo open roles."),
        *role_blocks,
        *sections("*Recent answers*\n" + recent, max_parts=4),
        ContextBlock(elements=[mrkdwn("Recruiters never see a candidate's list of companies to avoid.")]),
    ]


def _role_menu(role_id: int) -> OverflowMenuElement:
    return OverflowMenuElement(
        action_id=RecruitingAction.ROLE_MENU,
        options=[
            Option(value=f"{RoleMenu.MATCHES}:{role_id}", text="Find matches"),
            Option(value=f"{RoleMenu.PIPELINE}:{role_id}", text="Pipeline"),
            Option(value=f"{RoleMenu.CLOSE}:{role_id}", text="Close role"),
        ],
    )
