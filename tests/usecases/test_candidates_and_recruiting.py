"""Use cases against a real migrated database (SQLite and PostgreSQL), with an injected clock and
no Slack at all: load, ask the rules, store. Faster than end to end, and closer to the rules'
promises than the HTTP surface: what is stored, and what is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.rules.consent import ConsentStatus, Standing, Via
from bot.rules.eligibility import RefusalReason
from bot.rules.recruiter_input import RoleDraft
from bot.usecases.consent import Consent
from bot.usecases.erasure import erase
from bot.usecases.inflight import InFlight
from bot.usecases.recruiting import Recruiting
from storage import candidates, invitations, ledger
from tests.support.usecase_world import RECRUITER, START

CAND = "UCAND0042"


@pytest.fixture
def consent(ctx):
    return Consent(ctx)


@pytest.fixture
def recruiting(ctx):
    return Recruiting(ctx)


def _ledger(ctx, subject=CAND):
    with ctx.sessions() as session:
        return [(e.scope, e.action, e.via, e.at) for e in ledger.consent_history(session, subject=subject)]


def _stored(ctx, user_id=CAND):
    with ctx.sessions() as session:
        return candidates.get_candidate(session, slack_user_id=user_id)


def _role(recruiting, **fields) -> int:
    draft = RoleDraft(
        title="Backend Engineer", company=fields.pop("company", "Acme"), confidential=False, tags=("python",)
    )
    return recruiting.create_role(draft, by=RECRUITER, answer=lambda role: role.id)


def test_join_then_stop_is_an_append_only_ledger_at_the_clocks_time(ctx, consent, clock):
    consent.join(CAND, via=Via.COMMAND)
    clock.advance(hours=2)
    consent.stop(CAND, via=Via.KEYWORD)
    rows = _ledger(ctx)
    assert [(scope, action, via) for scope, action, via, _ in rows] == [
        ("invitations", "granted", "command"),
        ("invitations", "withdrawn", "keyword"),
    ]
    assert [at for *_, at in rows] == [START, START + timedelta(hours=2)]
    assert consent.status(CAND) is ConsentStatus.OPTED_OUT


def test_joining_twice_records_once(ctx, consent):
    consent.join(CAND, via=Via.COMMAND)
    second = consent.join(CAND, via=Via.BUTTON)
    assert not second.changed
    assert len(_ledger(ctx)) == 1


def test_invite_refusals_come_in_the_specs_order_and_store_nothing_for_strangers(ctx, recruiting):
    role_id = _role(recruiting)
    refused = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert refused.refusal.reason is RefusalReason.NOT_OPTED_IN and refused.opt_in_request_possible
    assert _stored(ctx) is None  # asking about someone stores nothing
    closed = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id + 99, note=None)
    assert closed.refusal.reason is RefusalReason.ROLE_NOT_OPEN


def test_a_pause_cancels_queued_invitations_and_refuses_new_ones_until_its_date(ctx, consent, recruiting):
    role_id = _role(recruiting)
    consent.join(CAND, via=Via.COMMAND)
    queued = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert queued.refusal is None and queued.invitation is not None
    until = START + timedelta(days=90)
    assert consent.pause(CAND, until=until, via=Via.COMMAND).standing is Standing.PAUSED
    with ctx.sessions() as session:
        assert invitations.get_invitation(session, invitation_id=queued.invitation.id).status == "cancelled"
    other = _role(recruiting, company="Globex")
    again = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=other, note=None)
    assert again.refusal.reason is RefusalReason.PAUSED
    assert again.refusal.until == until


def test_an_erased_person_cannot_be_invited_and_leaves_only_a_hash(ctx, consent, recruiting):
    role_id = _role(recruiting)
    consent.join(CAND, via=Via.COMMAND)
    erase(ctx, InFlight(ctx), CAND, reason=Via.COMMAND)
    result = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert result.refusal.reason is RefusalReason.OPTED_OUT
    assert _ledger(ctx) == []  # the ledger was re-keyed to the suppression hash
    assert _ledger(ctx, subject=ctx.hash_of(CAND))
    assert _stored(ctx) is None
