"""Replies recruiters see. Every piece of user-written text (role fields, notes) is escaped;
people are shown as `<@U…>` mentions built from ids; dates use Slack's `<!date^…>` so each reader
sees their own time zone. Buttons carry ids only."""

from __future__ import annotations

from datetime import datetime

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
from bot.copy.i18n import N_, _, ngettext, number
from bot.copy.labels import count_rows, ledger_term, stage_counts, state_label
from bot.copy.preference_parts import cadence_text
from bot.copy.recruiting_ids import RecruitingAction, RecruitingBlock, RoleMenu, with_id
from bot.rules.consent import ConsentStatus, OptInRequest
from bot.rules.eligibility import RefusalReason
from bot.rules.recruiting import Match, allowed_next_stages
from bot.rules.statuses import Stage
from bot.rules.text import escape, slack_date
from bot.rules.webhooks import RECRUITING_SYSTEM

ACTION_SEND_OPT_IN_REQUEST = "nudge.optin_request.send"


def _day(moment: datetime) -> str:
    return slack_date(moment, f"{moment:%Y-%m-%d}")


def role_label(role) -> str:
    """`#7 Senior Engineer at Acme (confidential)`, escaped."""
    values = {"id": role.id, "title": escape(role.title), "company": escape(role.company)}
    if role.confidential:
        return _("#{id} {title} at {company} (confidential)", **values)
    return _("#{id} {title} at {company}", **values)


def role_created(role) -> Message:
    tags = ", ".join(escape(t) for t in role.tags) or _("no tags")
    return plain(_("Role #{id} created: {role} · {tags}", id=role.id, role=role_label(role), tags=tags))


def role_list(lines, *, command: str) -> Message:
    if not lines:
        return plain(_("No open roles yet. `{command} role add` creates one.", command=command))
    rows = []
    for line in lines:
        counts = stage_counts(line.stages) or _("no invitations yet")
        rows.append(f"• {role_label(line.role)} — {counts}")
    return plain(_("*Open roles*") + "\n" + "\n".join(rows))


def no_open_role(role_id: int, *, command: str) -> Message:
    return plain(_("No open role #{id}. `{command} role list` shows the open ones.", id=role_id, command=command))


def role_closed(role, cancelled: int) -> Message:
    if not cancelled:
        return plain(_("Role #{id} closed.", id=role.id))
    return plain(
        ngettext(
            "Role #{id} closed. {n} queued invitation was cancelled.",
            "Role #{id} closed. {n} queued invitations were cancelled.",
            cancelled,
            id=role.id,
        )
    )


def usage(line: str, *, command: str) -> Message:
    return plain(_("Usage: `{command} {line}`", command=command, line=line))


def problem(text: str) -> Message:
    return plain(_("{problem} Nothing was changed.", problem=text))


def invite_queued(result, candidate_id: str) -> Message:
    text = _(
        "Invitation queued for {person} to talk about {role}. Nudge sends it "
        "inside their own send window and tells you when they're happy to chat.",
        person=f"<@{candidate_id}>",
        role=role_label(result.role),
    )
    if result.team_paused:
        text += " " + _("Sending is paused for the whole team right now, so it waits until `team resume`.")
    return plain(text)


def invite_refused(result, candidate_id: str, role_id: int, *, command: str) -> Message:
    reason = result.refusal.reason
    who = f"<@{candidate_id}>"
    if reason is RefusalReason.ROLE_NOT_OPEN:
        return no_open_role(role_id, command=command)
    if reason is RefusalReason.OPTED_OUT:
        return plain(_("{person} has opted out of invitations. Nothing can be done: Nudge respects that.", person=who))
    if reason is RefusalReason.PAUSED:
        until = _day(result.refusal.until)
        return plain(
            _("{person} has paused invitations until {date}. You can invite them from then.", person=who, date=until)
        )
    if reason is RefusalReason.NOT_OPTED_IN:
        if not result.opt_in_request_possible:
            return plain(
                _(
                    "{person} hasn't opted in to invitations, and has already had their one-time opt-in request. "
                    "Nudge won't ask again; they can join any time themselves.",
                    person=who,
                )
            )
        text = _(
            "{person} hasn't opted in to invitations. You can send them a one-time opt-in request: "
            "one short DM with a *Count me in* button. Each person gets it at most once, ever, and "
            "nothing is sent unless you click.",
            person=who,
        )
        send = button(_("Send one-time opt-in request"), ACTION_SEND_OPT_IN_REQUEST, candidate_id)
        return Message(text=text, blocks=(section(text), ActionsBlock(elements=[send])))
    if reason is RefusalReason.ALREADY_INVITED:
        return plain(_("{person} has already been invited to role #{id}.", person=who, id=role_id))
    return plain(
        _(
            "{person} was invited recently. To respect how often they want to hear from us, the next "
            "invitation can go out from {date}.",
            person=who,
            date=_day(result.refusal.until),
        )
    )


def opt_in_request_outcome(outcome: OptInRequest, candidate_id: str) -> Message:
    who = f"<@{candidate_id}>"
    text = {
        OptInRequest.SENT: N_("One-time opt-in request on its way to {person}. If they join, you can invite them."),
        OptInRequest.ALREADY_REQUESTED: N_(
            "{person} has already had their one-time opt-in request; Nudge won't ask again."
        ),
        OptInRequest.ALREADY_JOINED: N_("{person} has opted in already; you can invite them now."),
        OptInRequest.OPTED_OUT: N_("{person} has opted out; Nudge won't contact them."),
    }[outcome]
    return plain(_(text, person=who))


def matches(role, found: list[Match], *, command: str, limit: int = 25) -> Message:
    if not found:
        return plain(nobody_to_invite(role))
    lines = []
    for n, match in enumerate(found[:limit], start=1):
        lines.append(f"{n}. <@{match.user_id}> — {match_reason(match.shared_tags)}")
    more = "\n" + and_more(len(found) - limit) if len(found) > limit else ""
    return plain(
        matches_head(role, len(found))
        + "\n"
        + "\n".join(lines)
        + more
        + "\n"
        + _("Invite with `{command} invite @user {id} [note]`.", command=command, id=role.id)
    )


def nobody_to_invite(role) -> str:
    return _("Nobody can be invited to {role} right now.", role=role_label(role))


def match_reason(shared_tags) -> str:
    """Why a candidate matches: the interests shared with the role (escaped) or none."""
    if not shared_tags:
        return _("no shared interests")
    return _("shares {tags}", tags=", ".join(escape(t) for t in shared_tags))


def and_more(n: int) -> str:
    return _("…and {n} more.", n=number(n))


def matches_head(role, n: int) -> str:
    return ngettext(
        "*{n} opted-in candidate could be invited to {role}*",
        "*{n} opted-in candidates could be invited to {role}*",
        n,
        role=role_label(role),
    )


def pipeline(role, counts: list[tuple[str, int]]) -> Message:
    scope = role_label(role) if role is not None else _("all roles")
    if not counts:
        return plain(_("No invitations yet for {scope}.", scope=scope))
    return plain(_("*Pipeline for {scope}*", scope=scope) + "\n" + count_rows(counts))


def candidate_status(report) -> Message:
    consent = {
        ConsentStatus.NOT_JOINED: N_("hasn't opted in"),
        ConsentStatus.OPTED_IN: N_("opted in"),
        ConsentStatus.OPTED_OUT: N_("opted out"),
    }[report.status]
    lines = [f"*<@{report.user_id}>* — {_(consent)}"]
    if report.paused_until:
        lines.append(_("Paused until {date}.", date=_day(report.paused_until)))
    if report.unreachable:
        why = escape(report.unreachable)
        lines.append(_("Slack can't deliver messages to them ({why}), so nothing more is sent.", why=why))
    if report.status is ConsentStatus.OPTED_IN:
        interests = ", ".join(escape(t) for t in report.interests) or _("none given")
        lines.append(_("{cadence}. Interests: {interests}.", cadence=cadence_text(report.cadence), interests=interests))
    if report.invitations:
        lines.append(_("Invitations:"))
        for _invitation, role, label in report.invitations:
            sharing = " · " + _("may share their details with the company") if role.id in report.shared_roles else ""
            shown = state_label(label) if label else _("cancelled")
            lines.append(f"• {role_label(role)} — {shown}{sharing}")
    else:
        lines.append(_("No invitations yet."))
    return plain("\n".join(lines))


def stage_set(invitation, stage: Stage, candidate_id: str) -> Message:
    nxt = ", ".join(state_label(s) for s in allowed_next_stages(stage))
    values = {"person": f"<@{candidate_id}>", "stage": state_label(stage), "id": invitation.role_id}
    text = _("{person} is now at *{stage}* for role #{id}.", **values)
    return plain(text + (" " + _("Next: {stages}.", stages=nxt) if nxt else ""))


def stage_refused(problem_text: str) -> Message:
    return problem(problem_text)


def team_state(state, *, command: str) -> Message:
    if state.paused:
        values = {"command": command}
        if state.actor:
            values.update(person=f"<@{state.actor}>", date=_day(state.at))
        text = {
            (False, False): N_(
                "Sending was already paused. Nothing goes out until `{command} team resume`; invitations still queue."
            ),
            (False, True): N_(
                "Sending was already paused by {person} on {date}. Nothing goes out until `{command} team resume`; invitations still queue."
            ),
            (True, False): N_(
                "Sending is paused for the whole team. Nothing goes out until `{command} team resume`; invitations still queue."
            ),
            (True, True): N_(
                "Sending is paused for the whole team by {person} on {date}. Nothing goes out until `{command} team resume`; invitations still queue."
            ),
        }[(bool(state.changed), bool(state.actor))]
        return plain(_(text, **values))
    if state.changed:
        return plain(
            _(
                "Sending is on again (resumed by {person}). Queued messages go out in each person's send window.",
                person=f"<@{state.actor}>",
            )
        )
    return plain(_("Sending is on; nothing is paused."))


def recruiter_changed(user_id: str, *, added: bool, changed: bool) -> Message:
    person = f"<@{user_id}>"
    if added:
        text = N_("{person} is now a recruiter.") if changed else N_("{person} is already a recruiter.")
    elif changed:
        text = N_("{person} is no longer a recruiter.")
    else:
        text = N_("{person} wasn't added by command, so there is nothing to remove.")
    return plain(_(text, person=person))


def permanent_recruiter(user_id: str) -> Message:
    return problem(
        _(
            "{person} is a recruiter through NUDGE_RECRUITERS or NUDGE_ADMINS; change the environment to remove them.",
            person=f"<@{user_id}>",
        )
    )


def admins_only() -> Message:
    return problem(_("Only admins (NUDGE_ADMINS) can add or remove recruiters."))


def link_saved(url: str) -> Message:
    return plain(_("Booking link saved: {url}. Candidates who are happy to chat get it from you.", url=escape(url)))


def audit(candidate_id: str, events, disclosures=()) -> Message:
    if not events and not disclosures:
        return plain(_("No consent history for {person}.", person=f"<@{candidate_id}>"))
    lines = [_("*Consent history of {person}* (oldest first)", person=f"<@{candidate_id}>")]
    for e in events:
        actor = f"<@{e.actor}>" if e.actor.startswith(("U", "W")) else escape(e.actor)
        terms = {"scope": ledger_term(e.scope), "action": ledger_term(e.action), "via": ledger_term(e.via)}
        line = N_("{when} UTC — {scope} {action} via {via} · wording {wording} · by {actor}")
        lines.append(
            "• " + _(line, when=f"{e.at:%Y-%m-%d %H:%M}", wording=escape(e.wording_version), actor=actor, **terms)
        )
    if disclosures:
        lines.append(_("*Profile disclosures*"))
        for d in disclosures:
            to = _("the team's recruiting system") if d.recruiter_id == RECRUITING_SYSTEM else f"<@{d.recruiter_id}>"
            given = _("profile for #{id} ({company}) given to {to}", id=d.role_id, company=escape(d.company), to=to)
            lines.append(f"• {d.at:%Y-%m-%d %H:%M} UTC — {given}")
    return plain("\n".join(lines))


def recruiter_home_blocks(lines, team, answers, *, command: str = "/nudge", shown: int = 30) -> list:
    """The *Recruiting* section of App Home: the three buttons, each open role with its counts
    and an overflow menu (*Find matches*, *Pipeline*, *Close role*), the team switch, recent
    answers. Role titles are escaped and shown verbatim."""
    switch = _("⏸ Sending is *paused* for the whole team.") if team.paused else _("▶️ Sending is on.")
    role_blocks: list[Block] = [
        verbatim_section(
            f"{role_label(line.role)} — " + (stage_counts(line.stages) or _("no invitations yet")),
            block_id=with_id(RecruitingBlock.ROLE_LINE, line.role.id),
            accessory=_role_menu(line.role.id),
        )
        for line in lines[:shown]
    ]
    if len(lines) > shown:
        more = _("…and {n} more: `{command} role list` shows them all.", n=number(len(lines) - shown), command=command)
        role_blocks.append(context(more))
    recent = "\n".join(
        f"• {candidate_mention(inv.candidate_id, start=True)} — {escape(state_label(inv.answer or ''))} — {role_label(role)}"
        for inv, role in answers
    ) or _("No answers yet.")
    return [
        section(_("*Recruiting*") + "\n" + switch),
        ActionsBlock(
            block_id=RecruitingBlock.HOME_BUTTONS,
            elements=[
                button(_("New role"), RecruitingAction.NEW_ROLE, "new", style="primary"),
                button(_("Invite candidates"), RecruitingAction.INVITE, "invite"),
                button(_("Find matches"), RecruitingAction.FIND_MATCHES, "matches"),
            ],
        ),
        section(_("*Open roles*") if lines else _("*Open roles*") + "\n" + _("No open roles.")),
        *role_blocks,
        *sections(_("*Recent answers*") + "\n" + recent, max_parts=4),
        ContextBlock(elements=[mrkdwn(_("Recruiters never see a candidate's list of companies to avoid."))]),
    ]


def _role_menu(role_id: int) -> OverflowMenuElement:
    return OverflowMenuElement(
        action_id=RecruitingAction.ROLE_MENU,
        options=[
            Option(value=f"{RoleMenu.MATCHES}:{role_id}", text=_("Find matches")),
            Option(value=f"{RoleMenu.PIPELINE}:{role_id}", text=_("Pipeline")),
            Option(value=f"{RoleMenu.CLOSE}:{role_id}", text=_("Close role")),
        ],
    )
