"""The `preview` catalogue's recruiting views: the invite modal (static and, past 100 roles,
external role select), matches with *Invite*, the pipeline with stage selects, *Close role* and
the one message of outcomes, each with ordinary and with the longest, most escaped role text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.copy import market, recruiter
from bot.copy import recruiting_views as views
from bot.copy.preview_shapes import SampleInviteOutcome, SampleRole, long_role, long_text
from bot.rules.eligibility import Refusal, RefusalReason
from bot.rules.market import Pulse, PulseTitle
from bot.rules.pay import PayRange
from bot.rules.recruiting import Match
from bot.rules.statuses import Stage

UNTIL = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class SampleAccepted:
    """The fields of an accepted invitation the pipeline reads."""

    id: int
    candidate_id: str
    stage: Stage | None


def _people(n: int) -> list[str]:
    return [f"U0CAND{k:04d}" for k in range(n)]


def recruiting_samples() -> list[tuple[str, dict]]:
    role, big = SampleRole(), long_role()
    many = [replace(big, id=n) for n in range(1, 102)]
    matches = [Match(user, ("python", "remote") if n % 2 else ()) for n, user in enumerate(_people(30))]
    stages = [*Stage, None]
    accepted = [SampleAccepted(n, f"U0CAND{n:04d}", stage) for n, stage in enumerate(stages)]
    accepted += [SampleAccepted(99, "a1b2c3d4e5f6", Stage.CONVERSATION)]  # erased: no select
    queued = SampleInviteOutcome(role=role, refusal=None)
    outcomes = [(person, recruiter.invite_queued(queued, person), False) for person in _people(4)]
    for n, reason in enumerate(RefusalReason):
        refused = SampleInviteOutcome(role=role, refusal=Refusal(reason, until=UNTIL))
        person = f"U0OUT{n:04d}"
        reply = recruiter.invite_refused(refused, person, role.id, command="/nudge")
        outcomes.append((person, reply, reason is RefusalReason.NOT_OPTED_IN))
    counts = [("invited", 3), ("happy to chat", 2)]
    titles = tuple(PulseTitle(long_text(150), None if n % 2 else long_text(100)) for n in range(5))
    ranges = tuple(PayRange(n * 1000, n * 1000 + 999_999, "CHF") for n in range(1, 40))
    pulses = [
        ("market pulse (no interests)", Pulse(has_interests=False)),
        ("market pulse (nothing matches)", Pulse(has_interests=True)),
        ("market pulse", Pulse(True, 2, titles[:2], (PayRange(80_000, 95_000, "EUR"),), 1)),
        ("market pulse (crowded)", Pulse(True, 400, titles, ranges, 200)),
    ]
    messages = [
        *[(name, market.market_pulse(pulse, command="/nudge")) for name, pulse in pulses],
        ("matches with Invite buttons", views.matches_message(big, matches, command="/nudge")),
        ("matches with Invite buttons (none)", views.matches_message(role, [], command="/nudge")),
        ("pipeline with stage selects", views.pipeline_message(big, counts, accepted, outcome="Moved.")),
        ("invite outcomes", views.invite_outcomes(outcomes)),
        ("no such role", views.no_role(7)),
        ("no invitation to that role", views.no_invitation("U0CAND0001", 7)),
        ("stage before happy to chat", views.stage_not_started("U0CAND0001", 7)),
        ("booking link not https", views.booking_link_not_https()),
    ]
    modals = [
        ("invite modal", views.invite_modal([role, big], role=big, people=tuple(_people(12)))),
        ("invite modal (101 roles: external select)", views.invite_modal(many, role=many[-1])),
        ("invite modal (no roles)", views.invite_modal([])),
        ("find matches: choose a role", views.pick_role_modal([role, big])),
        ("find matches (no roles)", views.pick_role_modal([])),
        ("matches modal", views.matches_view(big, matches)),
        ("matches modal (none)", views.matches_view(role, [])),
        ("pipeline modal", views.pipeline_view(big, counts, accepted, outcome="Moved.")),
        ("close role confirmation", views.close_role_modal(big)),
        ("role closed modal", views.role_closed_view(recruiter.role_closed(big, 3).text)),
        ("recruiters only (global shortcut)", views.recruiters_only_modal()),
        ("invitations checked", views.invitations_sent_view(10)),
    ]
    blocks = [
        (
            "market blocks",
            {"blocks": [b.to_dict() for b in market.market_blocks(pulses[-1][1], command="/n")], "text": "m"},
        ),
        ("match blocks", {"blocks": [b.to_dict() for b in views.match_blocks(big, matches)], "text": "m"}),
        (
            "pipeline blocks",
            {"blocks": [b.to_dict() for b in views.pipeline_people_blocks(big, accepted)], "text": "p"},
        ),
    ]
    return (
        [(name, message.as_kwargs()) for name, message in messages]
        + [(name, view.to_dict()) for name, view in modals]
        + blocks
    )
