"""The second half of the `preview` catalogue: every variant of each message, and the longest
and most escaped text Nudge accepts in each (so Block Kit's limits are checked on the worst case)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.copy import candidate as messages
from bot.copy import journey, recruiter, stats, views
from bot.copy.i18n import say
from bot.copy.preview_shapes import (
    SampleAnswered,
    SampleEvent,
    SampleInviteOutcome,
    SampleReport,
    SampleRole,
    SampleRoleLine,
    SampleTeam,
    long_role,
    long_text,
)
from bot.rules.consent import ConsentStatus, OptInRequest, Standing
from bot.rules.eligibility import Cadence, Refusal, RefusalReason
from bot.rules.pipeline import PipelineLabel
from bot.rules.preferences import N_, PauseInputError
from bot.rules.recruiter_input import InputError, make_role_draft
from bot.rules.recruiting import Funnel, Match, stage_change_error
from bot.rules.statuses import Answer, Stage


def _role_problem(*, details: str) -> str:
    """What a recruiter is told about a role with these details, worded by the rules as the handler
    gets it, so the sample is in the language asked for."""
    try:
        make_role_draft(title="Platform Engineer", company="Acme", details=details)
    except InputError as error:
        return say(error.args[0])
    raise ValueError("those details make a valid role")


def more_samples(command, privacy_url, role, snapshot, until) -> list[tuple[str, dict]]:
    """Every other message and view, with ordinary and with extreme sample values."""

    big = long_role()
    when = until - timedelta(days=30)
    items = [
        ("answered: not for me", journey.answered(role=role, answer=Answer.DECLINED, command=command)),
        (
            "answered: not now, paused",
            journey.answered(role=role, answer=Answer.SNOOZED, command=command, until_text="Monday 1 March 2027"),
        ),
        ("answered: stop all invitations", journey.answered(role=role, answer=Answer.STOPPED, command=command)),
        ("answered: happy to chat (long role)", journey.answered(role=big, answer=Answer.ACCEPTED, command=command)),
        (
            "invitation with details (long role and note)",
            journey.invitation(
                invitation_id=2_147_483_647,
                role=big,
                recruiter_id="U0RECRUITER",
                note=long_text(500),
                matched=tuple(big.tags),
                with_details=True,
            ),
        ),
        ("not now: how long (long role)", journey.later_choices(invitation_id=2_147_483_647, role=big)),
        ("follow-up (long role)", journey.followup(role=big, recruiter_id="U0RECRUITER")),
        (
            "to the recruiter: happy to chat, no link",
            journey.recruiter_accepted(candidate_id="U0CANDIDATE", role=big, has_link=False, command=command),
        ),
        (
            "booking link (tricky url)",
            journey.booking_link(recruiter_id="U0RECRUITER", url="https://cal.example.com/r?a=1&b=<2>"),
        ),
        (
            "may we share your details? (confidential)",
            journey.share_ask(invitation_id=43, role=SampleRole(confidential=True), command=command),
        ),
        ("share answered: yes (long role)", journey.share_answered(role=big, yes=True, command=command)),
        ("share answered: not yet", journey.share_answered(role=big, yes=False, command=command)),
        (
            "check-in: interviewing (long role)",
            journey.checkin(
                role=big, stage=Stage.INTERVIEWING, recruiter_id="U0RECRUITER", invitation_id=2_147_483_647
            ),
        ),
        ("still welcome: keep", journey.still_welcome_answered(keep=True, until_text=None, command=command)),
        (
            "still welcome: paused",
            journey.still_welcome_answered(keep=False, until_text="Monday 1 March 2027", command=command),
        ),
        ("consent renewal (no privacy notice)", journey.consent_renewal(command=command, privacy_url=None)),
        ("consent renewal: kept", journey.consent_renewal_answered(keep=True, command=command)),
        ("consent renewal: ended", journey.consent_renewal_answered(keep=False, command=command)),
        ("opt-in confirmation (already)", messages.opted_in(command=command, privacy_url=None, already=True)),
        ("opt-out confirmation (already)", messages.opted_out(command=command, already=True)),
        ("unknown command", messages.unknown_command(command=command)),
        ("recruiters only", messages.recruiters_only(command=command, privacy_url=privacy_url, opted_in_now=False)),
        ("not available yet", messages.not_available_yet(command=command, name="export")),
        ("resumed", messages.resumed(command=command)),
        ("nothing to pause: opted out", messages.nothing_to_pause(command=command, standing=Standing.OPTED_OUT)),
        ("nothing to pause: not joined", messages.nothing_to_pause(command=command, standing=Standing.NOT_JOINED)),
        ("nothing to resume", messages.nothing_to_pause(command=command, standing=Standing.JOINED)),
        ("input problem", messages.input_problem(problem="“" + long_text(300) + "” isn't a date Nudge understands.")),
        (
            "pause not understood",
            messages.pause_problem(PauseInputError(N_("That date is not in the future."), command=command)),
        ),
        ("welcome DM (no channel)", messages.welcome(command=command, privacy_url=None, channel_id=None)),
        ("your data is on its way", messages.mydata_on_its_way()),
        ("your data, asked again within a minute", messages.mydata_asked_a_moment_ago()),
        ("role created", recruiter.role_created(role)),
        ("role created (long role)", recruiter.role_created(big)),
        (
            "role list",
            recruiter.role_list(
                [SampleRoleLine(role), SampleRoleLine(SampleRole(id=8, confidential=True, company="Globex"), ())],
                command=command,
            ),
        ),
        (
            "role list (20 long roles)",
            recruiter.role_list([SampleRoleLine(replace(big, id=n)) for n in range(20)], command=command),
        ),
        ("role list (none)", recruiter.role_list([], command=command)),
        ("no open role", recruiter.no_open_role(99, command=command)),
        ("role closed", recruiter.role_closed(role, 2)),
        ("role closed (one cancelled)", recruiter.role_closed(role, 1)),
        ("role closed (none cancelled)", recruiter.role_closed(role, 0)),
        ("usage", recruiter.usage("invite @user ROLE_ID [note]", command=command)),
        ("problem", recruiter.problem(_role_problem(details="x" * 2345))),
        ("invite queued", recruiter.invite_queued(SampleInviteOutcome(role=big, refusal=None), "U0CANDIDATE")),
        (
            "invite queued (team paused)",
            recruiter.invite_queued(SampleInviteOutcome(role=role, refusal=None, team_paused=True), "U0CANDIDATE"),
        ),
        *[
            (
                f"invite refused: {reason.value}",
                recruiter.invite_refused(
                    SampleInviteOutcome(role=role, refusal=Refusal(reason, until=until)),
                    "U0CANDIDATE",
                    7,
                    command=command,
                ),
            )
            for reason in RefusalReason
        ],
        (
            "invite refused: not opted in, already asked",
            recruiter.invite_refused(
                SampleInviteOutcome(
                    role=role, refusal=Refusal(RefusalReason.NOT_OPTED_IN), opt_in_request_possible=False
                ),
                "U0CANDIDATE",
                7,
                command=command,
            ),
        ),
        *[
            (f"opt-in request: {outcome}", recruiter.opt_in_request_outcome(outcome, "U0CANDIDATE"))
            for outcome in OptInRequest
        ],
        ("matches", recruiter.matches(role, [Match("U0CAND1", ("python",)), Match("U0CAND2", ())], command=command)),
        (
            "matches (many, long tags)",
            recruiter.matches(big, [Match(f"U0CAND{n:04d}", tuple(big.tags)) for n in range(40)], command=command),
        ),
        ("matches (none)", recruiter.matches(role, [], command=command)),
        ("pipeline", recruiter.pipeline(role, [("invited", 4), ("happy to chat", 2)])),
        ("pipeline (all roles, empty)", recruiter.pipeline(None, [])),
        (
            "candidate status",
            recruiter.candidate_status(
                SampleReport(
                    "U0CANDIDATE",
                    ConsentStatus.OPTED_IN,
                    until,
                    "account_inactive & <gone>",
                    Cadence.QUARTERLY,
                    tuple(big.tags),
                    [
                        (SampleAnswered("U0CANDIDATE", Answer.ACCEPTED), replace(big, id=n), PipelineLabel.CONVERSATION)
                        for n in range(20)
                    ]
                    + [(SampleAnswered("U0CANDIDATE", None), role, None)],
                    {0, 7},
                )
            ),
        ),
        (
            "candidate status (not joined)",
            recruiter.candidate_status(
                SampleReport("U0CANDIDATE", ConsentStatus.NOT_JOINED, None, None, Cadence.QUARTERLY, (), [], set())
            ),
        ),
        (
            "stage set",
            recruiter.stage_set(SampleAnswered("U0CANDIDATE", Answer.ACCEPTED), Stage.INTERVIEWING, "U0CANDIDATE"),
        ),
        (
            "stage set (closed)",
            recruiter.stage_set(SampleAnswered("U0CANDIDATE", Answer.ACCEPTED), Stage.CLOSED, "U0CANDIDATE"),
        ),
        ("stage refused", recruiter.stage_refused(say(stage_change_error(Stage.OFFER, Stage.CONVERSATION) or ""))),
        ("stats", stats.stats(Funnel(40, 30, 12, 6, 8, 2, timedelta(hours=30)), timedelta(days=90))),
        ("stats (no answers)", stats.stats(Funnel(0, 0, 0, 0, 0, 0, None), timedelta(days=30))),
        ("team paused", recruiter.team_state(SampleTeam(paused=True), command=command)),
        ("team already paused", recruiter.team_state(SampleTeam(paused=True, changed=False), command=command)),
        ("team resumed", recruiter.team_state(SampleTeam(paused=False), command=command)),
        ("team sending", recruiter.team_state(SampleTeam(paused=False, changed=False), command=command)),
        ("recruiter added", recruiter.recruiter_changed("U0NEW", added=True, changed=True)),
        ("recruiter already", recruiter.recruiter_changed("U0NEW", added=True, changed=False)),
        ("recruiter removed", recruiter.recruiter_changed("U0NEW", added=False, changed=True)),
        ("recruiter not removable", recruiter.recruiter_changed("U0NEW", added=False, changed=False)),
        ("permanent recruiter", recruiter.permanent_recruiter("U0BOSS")),
        ("admins only", recruiter.admins_only()),
        ("booking link saved", recruiter.link_saved("https://cal.example.com/r?a=1&b=<2>")),
        (
            "audit",
            recruiter.audit(
                "U0CANDIDATE",
                [
                    SampleEvent(when, "invitations", "opted_in", "command", "v1", "U0CANDIDATE"),
                    SampleEvent(when, "sharing", "granted", "button", "v2 & <draft>", "system & <retention>"),
                ]
                * 60,
            ),
        ),
        ("audit (empty)", recruiter.audit("U0CANDIDATE", [])),
    ]
    payloads = [(name, message.as_kwargs()) for name, message in items]
    answers = [
        (SampleAnswered(f"U0CAND{n}", a), big)
        for n, a in enumerate((Answer.ACCEPTED, Answer.DECLINED, Answer.SNOOZED, Answer.STOPPED, Answer.EXPIRED))
    ]
    home_blocks = recruiter.recruiter_home_blocks(
        [SampleRoleLine(replace(big, id=n)) for n in range(20)], SampleTeam(paused=True), answers
    )
    crowded = replace(
        snapshot,
        interests=tuple(big.tags),
        never_companies=tuple(long_text(97) + f"{n:03d}" for n in range(29)),  # what a 3,000-character form field holds
        tz_override="America/Argentina/ComodRivadavia",
    )
    payloads += [
        (
            "App Home (recruiter)",
            views.home_view(
                snapshot,
                zone_name="Europe/Berlin",
                now=when,
                command=command,
                privacy_url=privacy_url,
                recruiter_blocks=home_blocks,
            ).to_dict(),
        ),
        (
            "App Home (recruiter, quiet)",
            views.home_view(
                snapshot,
                zone_name="Europe/Berlin",
                now=when,
                command=command,
                privacy_url=None,
                recruiter_blocks=recruiter.recruiter_home_blocks([], SampleTeam(paused=False), []),
            ).to_dict(),
        ),
        (
            "App Home (long preferences)",
            views.home_view(
                crowded,
                zone_name="America/Argentina/ComodRivadavia",
                now=when,
                command=command,
                privacy_url=privacy_url,
            ).to_dict(),
        ),
        *[
            (
                f"App Home ({standing.value})",
                views.home_view(
                    replace(snapshot, standing=standing, paused_until=until if standing is Standing.PAUSED else None),
                    zone_name="Europe/Berlin",
                    now=when,
                    command=command,
                    privacy_url=privacy_url,
                ).to_dict(),
            )
            for standing in Standing
        ],
        ("preferences modal (long values)", views.preferences_modal(crowded, slack_tz=None).to_dict()),
        ("role created modal", views.role_created_modal(recruiter.role_created(big).text).to_dict()),
    ]
    return payloads
