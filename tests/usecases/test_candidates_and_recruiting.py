"""Use cases against a real migrated database (SQLite and PostgreSQL), with an injected clock and
no Slack at all: load, ask the rules, store. Faster than end to end, and closer to the rules'
promises than the HTTP surface: what is stored, and what is refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.rules.consent import ConsentStatus, Standing, Via
from bot.rules.eligibility import RefusalReason
from bot.rules.recruiting import RoleDraft
from bot.settings import load_settings
from bot.usecases.candidates import Candidates
from bot.usecases.recruiting import Recruiting
from tests.support import records
from tests.support.clocks import MovableClock

START = datetime(2027, 1, 11, 12, 0, tzinfo=timezone.utc)
RECRUITER = "URECRUIT1"
CAND = "UCAND0042"


@pytest.fixture
def clock():
    return MovableClock(START)


@pytest.fixture
def candidates(sessions, database_url, clock):
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1-2-usecases",
            "SLACK_SIGNING_SECRET": "s" * 32,
            "DATABASE_URL": database_url,
            "NUDGE_RECRUITERS": RECRUITER,
        }
    )
    candidates = Candidates(settings=settings, clock=clock, sessions=sessions)
    candidates.secret()  # as app.build does: the hashing key is read once, before any request
    return candidates


@pytest.fixture
def recruiting(candidates):
    return Recruiting(candidates=candidates)


def _ledger(candidates, subject=CAND):
    with candidates.sessions() as session:
        return [(e.scope, e.action, e.via, e.at) for e in records.consent_history(session, subject)]


def _role(recruiting, **fields) -> int:
    draft = RoleDraft(
        title="Backend Engineer", company=fields.pop("company", "Acme"), confidential=False, tags=("python",)
    )
    return recruiting.create_role(draft, by=RECRUITER, answer=lambda role: role.id)


def test_join_then_stop_is_an_append_only_ledger_at_the_clocks_time(candidates, clock):
    candidates.join(CAND, via=Via.COMMAND)
    clock.advance(hours=2)
    candidates.stop(CAND, via=Via.KEYWORD)
    ledger = _ledger(candidates)
    assert [(scope, action, via) for scope, action, via, _ in ledger] == [
        ("invitations", "granted", "command"),
        ("invitations", "withdrawn", "keyword"),
    ]
    assert [at for *_, at in ledger] == [START, START + timedelta(hours=2)]
    assert candidates.consent_status(CAND) is ConsentStatus.OPTED_OUT


def test_joining_twice_records_once(candidates):
    candidates.join(CAND, via=Via.COMMAND)
    second = candidates.join(CAND, via=Via.BUTTON)
    assert not second.changed
    assert len(_ledger(candidates)) == 1


def test_invite_refusals_come_in_the_specs_order_and_store_nothing_for_strangers(candidates, recruiting):
    role_id = _role(recruiting)
    refused = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert refused.refusal.reason is RefusalReason.NOT_OPTED_IN and refused.opt_in_request_possible
    with candidates.sessions() as session:
        assert records.candidate(session, CAND) is None  # asking about someone stores nothing
    closed = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id + 99, note=None)
    assert closed.refusal.reason is RefusalReason.ROLE_NOT_OPEN


def test_a_pause_cancels_queued_invitations_and_refuses_new_ones_until_its_date(candidates, recruiting, clock):
    role_id = _role(recruiting)
    candidates.join(CAND, via=Via.COMMAND)
    queued = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert queued.refusal is None and queued.invitation is not None
    until = START + timedelta(days=90)
    assert candidates.pause(CAND, until=until, via=Via.COMMAND).standing is Standing.PAUSED
    with candidates.sessions() as session:
        assert records.invitation(session, queued.invitation.id).status == "cancelled"
    other = _role(recruiting, company="Globex")
    again = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=other, note=None)
    assert again.refusal.reason is RefusalReason.PAUSED
    assert again.refusal.until == until


def test_an_erased_person_cannot_be_invited_and_leaves_only_a_hash(candidates, recruiting):
    role_id = _role(recruiting)
    candidates.join(CAND, via=Via.COMMAND)
    candidates.erase(CAND, reason=Via.COMMAND.value)
    result = recruiting.invite(recruiter_id=RECRUITER, candidate_id=CAND, role_id=role_id, note=None)
    assert result.refusal.reason is RefusalReason.OPTED_OUT
    assert _ledger(candidates) == []  # the ledger was re-keyed to the suppression hash
    assert _ledger(candidates, subject=candidates.hash_of(CAND))
    with candidates.sessions() as session:
        assert records.candidate(session, CAND) is None
