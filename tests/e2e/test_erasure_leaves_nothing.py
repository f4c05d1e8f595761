"""Done when (issue 13): after `forget`, and after `/nudge admin purge-workspace`, no text column
of any table on either database holds a Slack id, name or note of the people concerned — also
after a restart attempt with a changed NUDGE_SECRET, which is refused and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, String, Text, inspect, text

from bot.copy import after_yes as ay
from bot.copy import journey as copy
from bot.copy.views import PREFERENCES_CALLBACK
from tests.support.journeys import CAND, accepted, click, posted_to, run, ts_of
from tests.support.slackreq import im_message_event
from tests.support.waiting import dump_database, wait_until

SECRET = "the-original-secret-0123456789"
NAME, TITLE = "Ada Lovelace", "Staff Engineer"
NOTE_FOR_COMPANIES = "Happy to hear about compilers"
PRIVATE = "Secret reflection: my market value is 140k zebra"
RECRUITER_NOTE = "Loved your talk at RustConf"
OTHER = "UOTHER0042"
BYSTANDER = "UKEEP00001"  # not concerned by a forget (a purge erases them too)
NEWCOMER = "UNEW000001"  # joins after the erasure: stored as usual, so the check does see ids


APP_SETTINGS = {"NUDGE_SECRET": SECRET}


def text_columns(engine) -> str:
    """Every value of every text, varchar and JSON column of every table, one per line."""
    inspector = inspect(engine)
    values = []
    with engine.connect() as connection:
        for table in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(table) if isinstance(c["type"], (String, Text, JSON))]
            if not columns:
                continue
            select = ", ".join(f'"{c}"' for c in columns)
            for row in connection.execute(text(f'SELECT {select} FROM "{table}"')):
                values += [f"{table}.{c}={v!r}" for c, v in zip(columns, row, strict=False) if v is not None]
    return "\n".join(values)


def personal(user: str) -> tuple[str, ...]:
    return (user, user[1:], "D" + user[1:])


# What each person typed or is known by, besides their Slack and DM ids.
PERSONAL = {
    CAND: (
        NAME,
        "Lovelace",
        TITLE,
        NOTE_FOR_COMPANIES,
        PRIVATE,
        "zebra",
        RECRUITER_NOTE,
        "Initrode",
        "kernels",
        "Europe/Paris",
    ),
    OTHER: ("Other notes about golang", "golang", "Umbrella"),
}


def prefs(
    app, user: str, *, interests="python, kernels", never="Initrode", note=NOTE_FOR_COMPANIES, zone="Europe/Paris"
) -> None:
    values = {
        "cadence": {"value": {"type": "static_select", "selected_option": {"value": "quarterly"}}},
        "interests": {"value": {"type": "plain_text_input", "value": interests}},
        "days": {"value": {"type": "checkboxes", "selected_options": [{"value": "Mon"}]}},
        "start": {"value": {"type": "static_select", "selected_option": {"value": "10:00"}}},
        "end": {"value": {"type": "static_select", "selected_option": {"value": "17:00"}}},
        "tz_override": {"value": {"type": "plain_text_input", "value": zone}},
        "never_companies": {"value": {"type": "plain_text_input", "value": never}},
        "company_note": {"value": {"type": "plain_text_input", "value": note}},
    }
    assert app.slack.submit_view(user_id=user, callback_id=PREFERENCES_CALLBACK, values=values).status == 200


def rich_history(app, fake_slack) -> None:
    """Everything Nudge can store about a candidate: preferences and a note for companies, an
    invitation with a recruiter's note, a yes, a sharing grant, a profile given out (their
    name read from Slack), a check-in, a private note, DM keywords."""
    fake_slack.users[CAND] = {"real_name": NAME, "profile": {"real_name": NAME, "display_name": "ada", "title": TITLE}}
    role_id, invitation_id = accepted(app, note=RECRUITER_NOTE)
    prefs(app, CAND)
    click(app, copy.ACTION_SHARE_YES, str(invitation_id), message_ts=ts_of(app, "may your name and profile"))
    wait_until(lambda: NAME in str(run(app, f"profile <@{CAND}> {role_id}")))
    run(app, f"stage <@{CAND}> {role_id} conversation")
    wait_until(lambda: any("How did the conversation" in c.args["text"] for c in posted_to(app)))
    app.slack.click(user_id=CAND, action_id=ay.ACTION_WRITE_NOTE, value=str(invitation_id))
    app.fake.wait_for("views.open")
    app.slack.submit_view(
        user_id=CAND,
        callback_id=ay.NOTE_CALLBACK,
        values={
            "market_value": {"value": {"type": "plain_text_input", "value": PRIVATE}},
            "next_role": {"value": {"type": "plain_text_input", "value": None}},
        },
    )
    app.slack.event(im_message_event(user_id=CAND, text="help"))
    wait_until(lambda: PRIVATE in text_columns(app.engine))
    wait_until(lambda: "D" + CAND[1:] in text_columns(app.engine))
    for user in (OTHER, BYSTANDER):
        run(app, "join", user=user)
    prefs(app, OTHER, interests="golang", never="Umbrella", note="Other notes about golang", zone=None)
    app.slack.event(im_message_event(user_id=OTHER, text="what is this?"))
    wait_until(
        lambda: all(s in text_columns(app.engine) for s in (CAND, OTHER, NOTE_FOR_COMPANIES, RECRUITER_NOTE, "golang"))
    )  # (names are read live, never stored)


def assert_nothing_left(app, concerned: list[str]) -> None:
    columns = text_columns(app.engine)
    for user in concerned:
        for value in (*personal(user), *PERSONAL.get(user, ())):
            assert value not in columns, value
    assert NEWCOMER in columns  # the dump does show ids that are stored


def erase_by_forget(app) -> list[str]:
    run(app, "forget", user=CAND)
    return [CAND]


def erase_by_purge(app) -> list[str]:
    asked = run(app, "admin purge-workspace", user="UADMIN1")
    (confirm,) = [
        e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"] if e["value"] == "purge-workspace"
    ]
    app.slack.click(user_id="UADMIN1", action_id=confirm["action_id"], value=confirm["value"])
    wait_until(lambda: any(c.args.get("text", "").startswith("Done") for c in app.fake.calls_to("response_url")))
    return [CAND, OTHER, BYSTANDER]


@pytest.mark.parametrize("erase", [erase_by_forget, erase_by_purge], ids=["forget", "purge-workspace"])
def test_no_text_column_keeps_the_erased_people_also_after_a_restart_with_a_changed_secret(
    app, make_app, clock, fake_slack, database_url, erase
):
    from app import StartupError, build
    from bot.settings import load_settings
    from tests.support.environment import base_env

    rich_history(app, fake_slack)
    concerned = erase(app)
    wait_until(lambda: all(u not in text_columns(app.engine) for u in concerned))
    run(app, "join", user=NEWCOMER)
    assert_nothing_left(app, concerned)

    app.shutdown()
    before = sorted(dump_database(app.engine).splitlines())  # rows in any order
    changed = load_settings(base_env(fake_slack, database_url) | {"NUDGE_SECRET": "a-changed-secret-0123456789"})
    with pytest.raises(StartupError, match=r"^NUDGE_SECRET"):
        build(changed, clock=clock)
    assert sorted(dump_database(app.engine).splitlines()) == before  # the refused start changed nothing
    again = make_app(clock=clock, NUDGE_SECRET=SECRET)
    assert_nothing_left(again, concerned)
    run(again, "role add Engineer | Acme", user="URECRUIT1")
    for user in concerned:
        assert "opted out" in run(again, f"invite <@{user}> 1", user="URECRUIT1")["text"]
    assert_nothing_left(again, concerned)
