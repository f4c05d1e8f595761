"""`mydata` shows a confidential role's company as "(confidential)" until the candidate agreed to
share for it; whether their never-list withheld that invitation would name the company all the
same (only a role at a never-listed company is withheld), so it is not shown for such a role."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.usecases.mydata import _invitation_rows
from storage.models import Invitation, Role

AT = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)


def _row(*, withheld: bool, confidential: bool, shared: bool) -> dict:
    role = Role(id=3, title="Platform Engineer", company="Acme", confidential=confidential, created_at=AT)
    invitation = Invitation(id=9, role_id=3, candidate_id="UCAND0001", recruiter_id="UREC00001", withheld=withheld)
    (row,) = _invitation_rows([(invitation, role)], {3} if shared else set())
    return row


def test_a_hidden_company_is_not_named_by_the_withheld_flag():
    assert _row(withheld=True, confidential=True, shared=False) == _row(withheld=False, confidential=True, shared=False)


def test_the_flag_is_shown_where_the_company_is():
    assert _row(withheld=True, confidential=False, shared=False)["withheld_by_your_never_list"] is True
    assert _row(withheld=True, confidential=True, shared=True)["withheld_by_your_never_list"] is True
