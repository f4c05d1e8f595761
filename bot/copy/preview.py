"""`python app.py preview`: every message the bot can send, as Block Kit JSON with a Block Kit
Builder link, built from sample data (so copy can be reviewed without a Slack workspace)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from bot.copy import admin, after_yes, journey, recruiter, views
from bot.copy import candidate as messages
from bot.copy.blocks import Message
from bot.copy.i18n import day_and_date, say
from bot.copy.preview_edges import more_samples
from bot.copy.preview_recruiting import recruiting_samples
from bot.copy.preview_shapes import (
    SampleRole,
    notes_sample,
    refused_sample,
    sharing_sample,
)
from bot.rules.commands import AdminInputError, parse_admin
from bot.rules.consent import ConsentStatus, Standing
from bot.rules.eligibility import Cadence
from bot.rules.grammar import parse_send_window
from bot.rules.preferences import CandidateSnapshot
from bot.rules.statuses import Answer, Stage

BUILDER = "https://app.slack.com/block-kit-builder/#"


def _admin_problem(args: str, command: str) -> str:
    """What an admin is told for `args`, worded by the rules as the handler gets it, so the sample
    is in the language asked for."""
    try:
        parse_admin(args, command=command)
    except AdminInputError as error:
        return say(error.args[0])
    raise ValueError(f"{args!r} is not an admin problem")


def samples(command: str = "/nudge", privacy_url: str | None = "https://example.com/privacy") -> list[tuple[str, dict]]:
    """(name, payload) for every message and view; payloads are what Slack receives."""

    role, hidden = SampleRole(), SampleRole(confidential=True, company="Globex")
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
        (
            "pause confirmation",
            messages.paused(command=command, until_text=day_and_date(until, ZoneInfo("Europe/Berlin"))),
        ),
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
        ("answered: happy to chat", journey.answered(role=role, answer=Answer.ACCEPTED, command=command)),
        (
            "answered: happy to chat, recruiter since removed",
            journey.answered(role=role, answer=Answer.ACCEPTED, command=command, recruiter_left=True),
        ),
        ("follow-up", journey.followup(role=role, recruiter_id="U0RECRUITER")),
        ("expired", journey.answered(role=role, answer=Answer.EXPIRED, command=command)),
        (
            "to the recruiter: happy to chat",
            journey.recruiter_accepted(candidate_id="U0CANDIDATE", role=role, has_link=True, command=command),
        ),
        (
            "to the recruiter: happy to chat, candidate since erased",
            journey.recruiter_accepted(candidate_id="h1:" + "0" * 64, role=role, has_link=True, command=command),
        ),
        (
            "to the admins: happy to chat on a removed recruiter's invitation",
            journey.admin_accepted(candidate_id="U0CANDIDATE", role=role, recruiter_id="U0RECRUITER", command=command),
        ),
        ("booking link", journey.booking_link(recruiter_id="U0RECRUITER", url="https://cal.example.com/rita")),
        ("may we share your details?", journey.share_ask(invitation_id=42, role=role)),
        ("check-in", journey.checkin(role=role, stage=Stage.CONVERSATION, recruiter_id="U0RECRUITER")),
        ("still welcome?", journey.still_welcome(command=command)),
        ("consent renewal", journey.consent_renewal(command=command, privacy_url=privacy_url)),
        ("forgotten", messages.forgotten(command=command)),
        (
            "invite refused: not opted in",
            recruiter.invite_refused(refused_sample("not_opted_in"), "U0CANDIDATE", 7, command=command),
        ),
    ]

    items.append(
        (
            "check-in: interviewing",
            journey.checkin(role=role, stage=Stage.INTERVIEWING, recruiter_id="U0RECRUITER", invitation_id=42),
        )
    )
    items.append(
        ("check-in: offer", journey.checkin(role=role, stage=Stage.OFFER, recruiter_id="U0RECRUITER", invitation_id=42))
    )
    items.append(("sharing overview", after_yes.sharing(*sharing_sample(role, hidden, until), command=command)))
    items.append(("sharing changed", after_yes.sharing_changed(role=role, yes=False, command=command)))
    items.append(("share answered: yes", journey.share_answered(role=role, yes=True, command=command)))
    items.append(("share answered: question closed", journey.share_closed(role=role, command=command)))
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

    items.append(("admin: admins only", admin.admins_only()))
    items.append(("admin: export on its way", admin.export_on_its_way(until.date())))
    items.append(("admin: export asked again within a minute", admin.export_asked_a_moment_ago()))
    items.append(
        ("admin: export date not understood", admin.input_problem(_admin_problem("export-consent 2027-13-45", command)))
    )
    items.append(("admin: confirm the purge", admin.purge_confirmation()))
    items.append(("admin: purge started", admin.purge_started()))
    items.append(("admin: purge cancelled", admin.purge_cancelled()))
    items.append(("admin: purge done", admin.purge_done(erased=1200, waiting=2, at=until)))
    items += _webhook_items(until)
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
                    *after_yes.sharing_blocks(*sharing_sample(role, hidden, until), command=command),
                    *after_yes.notes_blocks(notes_sample(until)),
                ],
            ).to_dict(),
        )
    )
    payloads += more_samples(command, privacy_url, role, snapshot, until)
    payloads += recruiting_samples()
    return payloads


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


def _webhook_items(until: datetime) -> list[tuple[str, Message]]:
    host = "ats.example.com"
    ping = admin.webhook_ping_result
    status = admin.webhook_status(
        host,
        last_success=until,
        last_failure=until,
        last_failure_status="503",
        waiting=3,
        oldest_waiting=until,
        stopped_at=until,
    )
    return [
        ("admin: webhooks off", admin.webhooks_off()),
        ("admin: webhook ping on its way", admin.webhook_ping_on_its_way(host)),
        ("admin: webhook ping delivered", ping(host, status=200, seconds=0.12, delivered=True)),
        ("admin: webhook ping refused", ping(host, status=410, seconds=0.05, delivered=False)),
        ("admin: webhook ping unanswered", ping(host, status=None, seconds=10.0, delivered=False)),
        ("admin: webhook status", status),
    ]
