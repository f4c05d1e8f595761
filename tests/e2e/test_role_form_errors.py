"""End-to-end: the `role add` form shows each problem under the field it is about, so a
recruiter fixing tags is not sent to look at the company."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Role

RECRUITER = "URECRUIT1"


def field(value: str) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def submit(app, **fields: str) -> dict:
    values = {name: field(value) for name, value in fields.items()}
    return app.slack.submit_view(user_id=RECRUITER, callback_id="nudge.role.add", values=values).json()


@pytest.mark.parametrize(
    ("fields", "block"),
    [
        ({"title": "Platform Engineer", "company": "Acme", "tags": "x" * 41}, "tags"),
        ({"title": "Platform Engineer", "company": "Acme", "tags": ",".join(f"t{n}" for n in range(21))}, "tags"),
        ({"title": "Platform Engineer", "company": "  "}, "company"),
        ({"title": "Platform Engineer", "company": "(confidential)"}, "company"),
        ({"title": "  ", "company": "Acme"}, "title"),
        ({"title": "Platform Engineer", "company": "Acme", "pay_range": "€80k, urgent"}, "pay_range"),
        ({"title": "Platform Engineer", "company": "Acme", "remote": "remote, hurry"}, "remote"),
        ({"title": "Platform Engineer", "company": "Acme", "location": "Berlin, ASAP"}, "location"),
    ],
)
def test_each_problem_is_shown_under_its_own_field_and_nothing_is_created(app, fields, block):
    body = submit(app, **fields)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {block}
    with app.sessions() as session:
        assert session.exec(select(Role)).all() == []
