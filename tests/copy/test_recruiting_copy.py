"""The recruiting views: role options inside Slack's limits whatever the title, the role select
static up to 100 roles and external past that, and the invite form read back."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from bot.copy import recruiting_views as views
from bot.copy.preview_shapes import SampleRole
from bot.copy.recruiting_ids import RecruitingAction, RecruitingBlock
from bot.rules.text import escape
from tests.support.fakeslack import view_problems


@given(st.text(max_size=150), st.text(max_size=100))
def test_a_role_option_fits_slack_after_escaping(title, company):
    option = views.role_option(SampleRole(id=2_147_483_647, title=title, company=company)).to_dict()
    assert len(escape(option["text"]["text"])) <= views.MAX_OPTION_TEXT
    assert option["value"] == "2147483647"


def _role_select(count: int) -> dict:
    roles = [replace(SampleRole(), id=n) for n in range(1, count + 1)]
    view = views.invite_modal(roles, role=roles[-1], people=("U1", "U2")).to_dict()
    assert view_problems(view) == []
    return next(b for b in view["blocks"] if b["block_id"] == RecruitingBlock.ROLE)["element"]


def test_up_to_100_open_roles_are_a_static_select_and_more_an_external_one():
    static = _role_select(100)
    assert static["type"] == "static_select" and len(static["options"]) == 100
    assert static["initial_option"]["value"] == "100"
    external = _role_select(101)
    assert external["type"] == "external_select" and "options" not in external
    assert external["initial_option"]["value"] == "101" and external["min_query_length"] == 0


def test_suggestions_find_roles_by_id_title_or_company_and_stop_at_100():
    roles = [replace(SampleRole(), id=n, title=f"Engineer {n}") for n in range(1, 301)]
    assert [o.value for o in views.role_suggestions(roles, "#250")] == ["250"]
    assert len(views.role_suggestions(roles, "")) == 100
    assert len(views.role_suggestions(roles, "acme")) == 100


def test_the_invite_form_is_read_as_ids_and_typed_text():
    values = {
        RecruitingBlock.ROLE: {RecruitingAction.ROLE_CHOICE: {"selected_option": {"value": "7"}}},
        RecruitingBlock.PEOPLE: {RecruitingAction.PEOPLE: {"selected_users": ["U1", "U2", "U1"]}},
        RecruitingBlock.NOTE: {RecruitingAction.NOTE: {"value": "  Loved your talk  "}},
    }
    assert views.read_invite_form(values) == views.InviteForm(7, ("U1", "U2"), "Loved your talk")
    assert views.read_invite_form({}) == views.InviteForm(None, (), "")
