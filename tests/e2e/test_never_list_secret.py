"""End-to-end, over weeks: a recruiter cannot tell an invitation to a never-listed company from
one the candidate received and ignored, and nothing of it reaches the candidate.

Two people with the same preferences are invited to the same role at the same moment, outside
their window; one has the role's company (spelled differently) on their never-list. The clock
moves through delivery, the reminder, the expiry and a second invitation, and at each stop
everything a recruiter can ask (`status`, `pipeline`, `stats`, `match`, a new `invite`) reads
the same for both, with only the person's id differing.
"""

from __future__ import annotations

from tests.support import records
from tests.support.journeys import CAND, DM, SUNDAY_NOON, invitation_of, posted_to, run, steps
from tests.support.waiting import wait_until

START = SUNDAY_NOON
TWIN = "UTWIN0002"
TWIN_DM = "D" + TWIN[1:]


def _seen(app, role_id: int, other_role: int) -> dict[str, dict[str, object]]:
    """What the recruiter reads about each of the two, their ids made alike."""
    shared = {
        "pipeline": run(app, f"pipeline {role_id}", empty_ok=False),
        "stats": run(app, "stats 30d", empty_ok=False),
    }
    seen = {}
    for person in (CAND, TWIN):
        status = run(app, f"status <@{person}|x>", empty_ok=False)
        matches = run(app, f"match {other_role}", empty_ok=False)
        seen[person] = {
            "status": str(status).replace(person, "UPERSON"),
            "in_match": person in str(matches),
            "invitation": _recruiter_side(invitation_of(app, person)),
        }
    seen["shared"] = shared
    return seen


def _recruiter_side(invitation) -> tuple:
    return (invitation.status, invitation.sent_at, invitation.answer, invitation.expired_at, invitation.stage)


def _reached(app, person: str, dm: str) -> list:
    updates = [c for c in app.fake.calls_to("chat.update") if c.args["channel"] == dm]
    return [*posted_to(app, dm), *updates]


def _assert_alike(seen) -> None:
    assert seen[CAND] == seen[TWIN]
    assert "2" in str(seen["shared"]["pipeline"])  # both counted, in one stage


def test_a_never_listed_invitation_reads_as_one_ignored_through_delivery_reminder_expiry_and_cadence(app, clock):
    run(app, "role add Backend Engineer | ACME Europe, Inc. | Calm APIs | python")
    run(app, "role add Data Engineer | Initech | Pipelines | python")
    for person in (CAND, TWIN):
        run(app, "join", user=person)
        records.change_candidate(app, person, interests=["python"])
    records.change_candidate(app, CAND, never_companies=["Acme Europe"])
    records.change_candidate(app, TWIN, never_companies=["Globex"])

    replies = [run(app, f"invite <@{person}|x> 1")["text"].replace(person, "UPERSON") for person in (CAND, TWIN)]
    assert replies[0] == replies[1] and replies[0].startswith("Invitation queued")
    wait_until(lambda: all(s.last_error == "outside_window" for s in steps(app, "invitation")))
    _assert_alike(_seen(app, 1, 2))  # both queued

    clock.advance(days=1)  # Monday noon: inside the window
    app.send_due()
    wait_until(lambda: invitation_of(app, TWIN).status == "sent")
    assert invitation_of(app, CAND).status == "sent"  # "delivered" at the same moment, to no one
    _assert_alike(_seen(app, 1, 2))

    clock.advance(days=4)  # the reminder goes to the twin only
    app.send_due()
    assert len(_reached(app, TWIN, TWIN_DM)) == 2
    _assert_alike(_seen(app, 1, 2))

    clock.advance(days=6)  # the expiry edits the twin's message; both read "expired"
    app.send_due()
    assert invitation_of(app, CAND).answer == invitation_of(app, TWIN).answer == "expired"
    seen = _seen(app, 1, 2)
    _assert_alike(seen)
    assert "expired" in seen[CAND]["status"]

    cadence = [run(app, f"invite <@{person}|x> 2")["text"].replace(person, "UPERSON") for person in (CAND, TWIN)]
    assert cadence[0] == cadence[1] and not cadence[0].startswith("Invitation queued")  # counts toward cadence

    clock.advance(days=60)  # long after: still the same
    app.send_due()
    _assert_alike(_seen(app, 1, 2))
    assert _reached(app, CAND, DM) == [] and len(_reached(app, TWIN, TWIN_DM)) == 3
