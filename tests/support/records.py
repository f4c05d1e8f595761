"""What the database holds, read (and, for setting a scene, written) the way the tests need it.

The storage layer's functions are named here and nowhere else in the tests: when `storage`
changes, these helpers change and the tests that use them stay as they are.

Two kinds of helper:
- on an open session (`with app.sessions() as session:`), for a test that reads several things
  in one go: `candidate`, `consent_status`, `consent_history`, `invitation`, `sending_stop`,
  `send_in_flight`;
- on anything with a `sessions` factory (a `RunningApp`, an `AppContext`), opening its
  own session: `candidate_row`, `change_candidate`, `note_a_post_attempt`,
  `queue_invitation_directly`.
"""

from __future__ import annotations

from bot.rules.steps import Kind
from storage import candidates, invitations, ledger, runs, send_locks, steps

# --- on an open session ---------------------------------------------------------------------------


def candidate(session, user_id: str):
    """The stored candidate `user_id`, or None."""
    return candidates.get_candidate(session, slack_user_id=user_id)


def consent_status(session, user_id: str):
    """`user_id`'s consent status, as stored (a `ConsentStatus`)."""
    return candidates.consent_status(session, slack_user_id=user_id)


def consent_history(session, subject: str):
    """The consent ledger of `subject` (a Slack id, or the hash of an erased person), oldest first."""
    return ledger.consent_history(session, subject=subject)


def invitation(session, invitation_id: int):
    """The stored invitation `invitation_id`, or None."""
    return invitations.get_invitation(session, invitation_id=invitation_id)


def sending_stop(session):
    """The stored stop of all sending (its `reason`), or None."""
    return runs.sending_stop(session)


def send_in_flight(session, user_id: str, *, now):
    """Whether a send to `user_id` holds its send lock at `now`, as stored."""
    return send_locks.send_in_flight(session, user_id=user_id, now=now)


# --- opening their own session ----------------------------------------------------------------------


def candidate_row(app, user_id: str):
    """The stored candidate `user_id`, or None, read in a session of its own."""
    with app.sessions() as session:
        return candidate(session, user_id)


def change_candidate(app, user_id: str, **fields) -> None:
    """Set the stored candidate's `fields` directly (e.g. `interests=["python"]`), in one
    transaction: a scene the commands cannot set up as quickly."""
    with app.sessions() as session, session.begin():
        found = candidate(session, user_id)
        for name, value in fields.items():
            setattr(found, name, value)
        session.add(found)


def note_a_post_attempt(app, step_id: int, *, now) -> None:
    """Record, as a sender does just before posting, that step `step_id` is being posted at `now`
    (one attempt counted): what a sender that then died leaves behind."""
    with app.sessions() as session, session.begin():
        steps.count_attempt(session, message_id=step_id)
        steps.note_post_attempt(session, message_id=step_id, now=now)


def queue_invitation_directly(app, *, role_id: int, candidate_id: str, recruiter_id: str, now) -> int:
    """An invitation and its first step stored directly, due at `now` (no checks, no command):
    the step's id."""
    with app.sessions() as session, session.begin():
        queued = invitations.create_invitation(
            session, role_id=role_id, candidate_id=candidate_id, recruiter_id=recruiter_id, note=None, now=now
        )
        return steps.enqueue_step_once(
            session, invitation_id=queued.id, kind=Kind.INVITATION, slack_user_id=candidate_id, now=now, not_before=now
        )
