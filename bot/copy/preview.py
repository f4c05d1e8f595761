"""`python app.py preview`: every message the bot can send, as Block Kit JSON with a Block Kit
Builder link, built from sample data (so copy can be reviewed without a Slack workspace)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from bot.copy import candidate as messages
from bot.copy import journey, recruiter, views

BUILDER = "https://app.slack.com/block-kit-builder/#"


@dataclass
class _Role:
    id: int = 7
    title: str = "Senior Backend Engineer"
    company: str = "Acme"
    confidential: bool = False
    details: str = "A small platform team; calm on-call; Python and Postgres."
    tags: list = field(default_factory=lambda: ["python", "remote"])
    location: str | None = "Berlin"
    remote: str | None = "hybrid"
    pay_range: str | None = "€85–100k"


def samples(command: str = "/nudge", privacy_url: str | None = "https://example.com/privacy") -> list[tuple[str, dict]]:
    """(name, payload) for every message and view; payloads are what Slack receives."""
    from bot.rules.consent import ConsentStatus, Standing
    from bot.rules.eligibility import Cadence
    from bot.rules.grammar import parse_send_window
    from bot.rules.preferences import CandidateSnapshot

    role, hidden = _Role(), _Role(confidential=True, company="Globex")
    until = datetime(2027, 3, 1, tzinfo=UTC)
    snapshot = CandidateSnapshot(
        "U0CANDIDATE",
        ConsentStatus.OPTED_IN,
        Standing.JOINED,
        None,
        Cadence.QUARTERLY,
        ("python", "remote"),
        parse_send_window("Mon-Fri 10:00-17:00"),
        True,
        None,
        "Europe/Berlin",
        ("Initech",),
    )
    items = [
        ("opt-in confirmation", messages.opted_in(command=command, privacy_url=privacy_url, already=False)),
        ("opt-out confirmation", messages.opted_out(command=command, already=False)),
        (
            "help (candidate)",
            messages.help_message(command=command, is_recruiter=False, opted_in_now=False, privacy_url=privacy_url),
        ),
        (
            "help (recruiter)",
            messages.help_message(command=command, is_recruiter=True, opted_in_now=True, privacy_url=privacy_url),
        ),
        ("DM pointer", messages.dm_pointer(command=command)),
        ("welcome DM", messages.welcome(command=command, privacy_url=privacy_url, channel_id="C0COMMUNITY")),
        ("one-time opt-in request", messages.opt_in_request(command=command, privacy_url=privacy_url)),
        ("pause confirmation", messages.paused(command=command, until_text="Monday 1 March 2027")),
        (
            "invitation",
            journey.invitation(
                invitation_id=42,
                role=role,
                recruiter_id="U0RECRUITER",
                note="Loved your talk on queues.",
                matched=("python",),
            ),
        ),
        (
            "invitation (confidential)",
            journey.invitation(invitation_id=43, role=hidden, recruiter_id="U0RECRUITER", note=None, matched=()),
        ),
        ("not now: how long", journey.later_choices(invitation_id=42, role=role)),
        ("answered: happy to chat", journey.answered(role=role, answer="accepted", command=command)),
        ("follow-up", journey.followup(role=role, recruiter_id="U0RECRUITER")),
        ("expired", journey.answered(role=role, answer="expired", command=command)),
        (
            "to the recruiter: happy to chat",
            journey.recruiter_accepted(candidate_id="U0CANDIDATE", role=role, has_link=True, command=command),
        ),
        (
            "to the recruiter: happy to chat, candidate since erased",
            journey.recruiter_accepted(candidate_id="h1:" + "0" * 64, role=role, has_link=True, command=command),
        ),
        ("booking link", journey.booking_link(recruiter_id="U0RECRUITER", url="https://cal.example.com/rita")),
        ("may we share your details?", journey.share_ask(invitation_id=42, role=role)),
        ("check-in", journey.checkin(role=role, stage="conversation", recruiter_id="U0RECRUITER")),
        ("still welcome?", journey.still_welcome(command=command)),
        ("consent renewal", journey.consent_renewal(command=command, privacy_url=privacy_url)),
        ("forgotten", messages.forgotten(command=command)),
        (
            "invite refused: not opted in",
            recruiter.invite_refused(_refused("not_opted_in"), "U0CANDIDATE", 7, command=command),
        ),
    ]
    from bot.copy import after_yes

    items.append(
        (
            "check-in: interviewing",
            journey.checkin(role=role, stage="interviewing", recruiter_id="U0RECRUITER", invitation_id=42),
        )
    )
    items.append(
        ("check-in: offer", journey.checkin(role=role, stage="offer", recruiter_id="U0RECRUITER", invitation_id=42))
    )
    items.append(("sharing overview", after_yes.sharing(*_sharing_sample(role, hidden, until), command=command)))
    items.append(("sharing changed", after_yes.sharing_changed(role=role, yes=False, command=command)))
    items.append(("share answered: yes", journey.share_answered(role=role, yes=True, command=command)))
    items.append(
        (
            "to the recruiter: profile",
            after_yes.profile_card(
                candidate_id="U0CANDIDATE",
                role=role,
                name="Ada Lovelace",
                title="Staff Engineer",
                interests=("python", "remote"),
                note="Happy to talk about platform work.",
            ),
        )
    )
    items.append(
        ("to the recruiter: profile refused", after_yes.profile_refused(candidate_id="U0CANDIDATE", role_id=7))
    )
    items.append(("stepped back", after_yes.stepped_back(role=role, already=False, command=command)))
    items.append(
        ("to the recruiter: stepped back", after_yes.recruiter_stepped_back(candidate_id="U0CANDIDATE", role_id=7))
    )
    items.append(("to the recruiter: stage after a step back", after_yes.stage_after_step_back("U0CANDIDATE")))
    items.append(("stay in touch", after_yes.stay_in_touch(role=role, invitation_id=42)))
    items.append(("stay in touch: answered", after_yes.stay_in_touch_answered(command=command)))
    items.append(("private note saved", after_yes.note_saved()))
    items.append(("to the recruiter: no such role", after_yes.no_role(99)))
    from bot.copy import admin

    items.append(("admin: admins only", admin.admins_only()))
    items.append(("admin: export on its way", admin.export_on_its_way(until.date())))
    items.append(("admin: export date not understood", admin.input_problem("That date isn't one I can read.")))
    items.append(("admin: confirm the purge", admin.purge_confirmation()))
    items.append(("admin: purge started", admin.purge_started()))
    items.append(("admin: purge cancelled", admin.purge_cancelled()))
    items.append(("admin: purge done", admin.purge_done(erased=1200, waiting=2, at=until)))
    items.append(
        (
            "help for an admin",
            messages.help_message(
                command=command, is_recruiter=True, opted_in_now=False, privacy_url=privacy_url, is_admin=True
            ),
        )
    )
    payloads = [(name, message.as_kwargs()) for name, message in items]
    payloads.append(
        (
            "App Home",
            views.home_view(
                snapshot,
                zone_name="Europe/Berlin",
                now=until - timedelta(days=30),
                command=command,
                privacy_url=privacy_url,
            ).to_dict(),
        )
    )
    payloads.append(("preferences modal", views.preferences_modal(snapshot, slack_tz="Europe/Berlin").to_dict()))
    payloads.append(("new role modal", views.role_modal().to_dict()))
    payloads.append(("private note modal", after_yes.note_modal(invitation_id=42).to_dict()))
    payloads.append(
        (
            "App Home (sharing and notes)",
            views.home_view(
                snapshot,
                zone_name="Europe/Berlin",
                now=until,
                command=command,
                privacy_url=privacy_url,
                candidate_blocks=[
                    *after_yes.sharing_blocks(*_sharing_sample(role, hidden, until), command=command),
                    *after_yes.notes_blocks(_notes_sample(until)),
                ],
            ).to_dict(),
        )
    )
    payloads += _more_samples(command, privacy_url, role, snapshot, until)
    return payloads


# User text at the limits Nudge accepts, full of the characters Slack escapes, so the catalogue
# exercises escaping and Block Kit's length limits (see bot/rules/recruiting.py LIMITS).
_TRICKY = 'R&D <ops> & "data" '


def _long(limit: int) -> str:
    return (_TRICKY * (limit // len(_TRICKY) + 1))[:limit]


def _long_role():
    return _Role(
        id=2_147_483_647,
        title=_long(150),
        company=_long(100),
        details=_long(2000),
        tags=[f"t{n}-" + "&" * 36 for n in range(20)],
        location=_long(100),
        remote=_long(50),
        pay_range=_long(100),
    )


@dataclass(frozen=True)
class _RoleLine:
    role: _Role
    stages: tuple = (("invited", 3), ("happy to chat", 1), ("conversation", 1))


@dataclass(frozen=True)
class _Team:
    paused: bool
    changed: bool = True
    actor: str | None = "U0ADMIN"
    at: datetime = datetime(2027, 1, 11, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class _Answered:
    candidate_id: str
    answer: str | None
    role_id: int = 7


@dataclass(frozen=True)
class _Report:
    user_id: str
    status: object
    paused_until: datetime | None
    unreachable: str | None
    cadence: object
    interests: tuple
    invitations: list
    shared_roles: set


@dataclass(frozen=True)
class _Event:
    at: datetime
    scope: str
    action: str
    via: str
    wording_version: str
    actor: str


def _more_samples(command, privacy_url, role, snapshot, until) -> list[tuple[str, dict]]:
    """Every other message and view, with ordinary and with extreme sample values."""
    from dataclasses import replace

    from bot.rules.consent import ConsentStatus, Standing
    from bot.rules.eligibility import Cadence, Refusal, RefusalReason
    from bot.rules.recruiting import Funnel, Match, Stage

    big = _long_role()
    when = until - timedelta(days=30)
    items = [
        ("answered: not for me", journey.answered(role=role, answer="declined", command=command)),
        (
            "answered: not now, paused",
            journey.answered(role=role, answer="snoozed", command=command, until_text="Monday 1 March 2027"),
        ),
        ("answered: stop all invitations", journey.answered(role=role, answer="stopped", command=command)),
        ("answered: happy to chat (long role)", journey.answered(role=big, answer="accepted", command=command)),
        (
            "invitation with details (long role and note)",
            journey.invitation(
                invitation_id=2_147_483_647,
                role=big,
                recruiter_id="U0RECRUITER",
                note=_long(500),
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
            journey.share_ask(invitation_id=43, role=_Role(confidential=True), command=command),
        ),
        ("share answered: yes (long role)", journey.share_answered(role=big, yes=True, command=command)),
        ("share answered: not yet", journey.share_answered(role=big, yes=False, command=command)),
        (
            "check-in: interviewing (long role)",
            journey.checkin(role=big, stage="interviewing", recruiter_id="U0RECRUITER", invitation_id=2_147_483_647),
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
        ("nothing to pause: opted out", messages.nothing_to_pause(command=command, standing="opted_out")),
        ("nothing to pause: not joined", messages.nothing_to_pause(command=command, standing="not_joined")),
        ("nothing to resume", messages.nothing_to_pause(command=command, standing="joined")),
        ("input problem", messages.input_problem(problem="“" + _long(300) + "” isn't a date Nudge understands.")),
        ("welcome DM (no channel)", messages.welcome(command=command, privacy_url=None, channel_id=None)),
        ("your data is on its way", messages.mydata_on_its_way()),
        ("role created", recruiter.role_created(role)),
        ("role created (long role)", recruiter.role_created(big)),
        (
            "role list",
            recruiter.role_list(
                [_RoleLine(role), _RoleLine(_Role(id=8, confidential=True, company="Globex"), ())],
                command=command,
            ),
        ),
        (
            "role list (20 long roles)",
            recruiter.role_list([_RoleLine(replace(big, id=n)) for n in range(20)], command=command),
        ),
        ("role list (none)", recruiter.role_list([], command=command)),
        ("no open role", recruiter.no_open_role(99, command=command)),
        ("role closed", recruiter.role_closed(role, 2)),
        ("role closed (one cancelled)", recruiter.role_closed(role, 1)),
        ("role closed (none cancelled)", recruiter.role_closed(role, 0)),
        ("usage", recruiter.usage("invite @user ROLE_ID [note]", command=command)),
        ("problem", recruiter.problem("The details are 2,345 characters; please keep them under 2,000.")),
        ("invite queued", recruiter.invite_queued(_InviteOutcome(role=big, refusal=None), "U0CANDIDATE")),
        (
            "invite queued (team paused)",
            recruiter.invite_queued(_InviteOutcome(role=role, refusal=None, team_paused=True), "U0CANDIDATE"),
        ),
        *[
            (
                f"invite refused: {reason.value}",
                recruiter.invite_refused(
                    _InviteOutcome(role=role, refusal=Refusal(reason, until=until)), "U0CANDIDATE", 7, command=command
                ),
            )
            for reason in RefusalReason
        ],
        (
            "invite refused: not opted in, already asked",
            recruiter.invite_refused(
                _InviteOutcome(role=role, refusal=Refusal(RefusalReason.NOT_OPTED_IN), opt_in_request_possible=False),
                "U0CANDIDATE",
                7,
                command=command,
            ),
        ),
        *[
            (f"opt-in request: {outcome}", recruiter.opt_in_request_outcome(outcome, "U0CANDIDATE"))
            for outcome in ("sent", "already_requested", "already_joined", "opted_out")
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
                _Report(
                    "U0CANDIDATE",
                    ConsentStatus.OPTED_IN,
                    until,
                    "account_inactive & <gone>",
                    Cadence.QUARTERLY,
                    tuple(big.tags),
                    [(_Answered("U0CANDIDATE", "accepted"), replace(big, id=n), "conversation") for n in range(20)]
                    + [(_Answered("U0CANDIDATE", None), role, None)],
                    {0, 7},
                )
            ),
        ),
        (
            "candidate status (not joined)",
            recruiter.candidate_status(
                _Report("U0CANDIDATE", ConsentStatus.NOT_JOINED, None, None, Cadence.QUARTERLY, (), [], set())
            ),
        ),
        ("stage set", recruiter.stage_set(_Answered("U0CANDIDATE", "accepted"), Stage.INTERVIEWING, "U0CANDIDATE")),
        ("stage set (closed)", recruiter.stage_set(_Answered("U0CANDIDATE", "accepted"), Stage.CLOSED, "U0CANDIDATE")),
        ("stage refused", recruiter.stage_refused("Stage *offer* can't follow *accepted*.")),
        ("stats", recruiter.stats(Funnel(40, 30, 12, 6, 8, 2, timedelta(hours=30)), timedelta(days=90))),
        ("stats (no answers)", recruiter.stats(Funnel(0, 0, 0, 0, 0, 0, None), timedelta(days=30))),
        ("team paused", recruiter.team_state(_Team(paused=True), command=command)),
        ("team already paused", recruiter.team_state(_Team(paused=True, changed=False), command=command)),
        ("team resumed", recruiter.team_state(_Team(paused=False), command=command)),
        ("team sending", recruiter.team_state(_Team(paused=False, changed=False), command=command)),
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
                    _Event(when, "invitations", "opted_in", "command", "v1", "U0CANDIDATE"),
                    _Event(when, "sharing", "granted", "button", "v2 & <draft>", "system & <retention>"),
                ]
                * 60,
            ),
        ),
        ("audit (empty)", recruiter.audit("U0CANDIDATE", [])),
    ]
    payloads = [(name, message.as_kwargs()) for name, message in items]
    answers = [
        (_Answered(f"U0CAND{n}", a), big)
        for n, a in enumerate(("accepted", "declined", "snoozed", "stopped", "expired"))
    ]
    home_blocks = recruiter.recruiter_home_blocks(
        [_RoleLine(replace(big, id=n)) for n in range(20)], _Team(paused=True), answers
    )
    crowded = replace(
        snapshot,
        interests=tuple(big.tags),
        never_companies=tuple(_long(97) + f"{n:03d}" for n in range(29)),  # what a 3,000-character form field holds
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
                recruiter_blocks=recruiter.recruiter_home_blocks([], _Team(paused=False), []),
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


@dataclass
class _Sample:
    id: int = 42
    stage: str | None = "conversation"
    recruiter_id: str = "U0RECRUITER"
    role_id: int = 7
    company: str = "Acme"
    at: datetime | None = None
    market_value: str | None = "Offers in my area start higher than I thought."
    next_role: str | None = "A smaller team; no on-call every week."


def _sharing_sample(role, hidden, at):
    rows = [(_Sample(id=42), role, at, True), (_Sample(id=43, stage="stepped_back"), hidden, None, False)]
    return rows, [(_Sample(at=at), role)]


def _notes_sample(at):
    return [_Sample(at=at)]


@dataclass(frozen=True)
class _InviteOutcome:
    """The fields of a use case's invite result that the refusal copy reads."""

    role: _Role
    refusal: object
    opt_in_request_possible: bool = True
    team_paused: bool = False


def _refused(reason: str) -> _InviteOutcome:
    from bot.rules.eligibility import Refusal, RefusalReason

    return _InviteOutcome(role=_Role(), refusal=Refusal(RefusalReason(reason)))


def builder_link(payload: dict) -> str:
    body = (
        {k: v for k, v in payload.items() if k in ("blocks", "type")}
        if "type" in payload
        else {"blocks": payload["blocks"]}
    )
    return BUILDER + quote(json.dumps(body, separators=(",", ":")))


def render(command: str = "/nudge", privacy_url: str | None = "https://example.com/privacy") -> str:
    out = []
    for name, payload in samples(command, privacy_url):
        out.append(
            f"## {name}\n{json.dumps(payload, indent=2, ensure_ascii=False)}\nBlock Kit Builder: {builder_link(payload)}\n"
        )
    return "\n".join(out)
