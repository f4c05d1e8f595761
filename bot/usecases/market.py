"""The market pulse a candidate sees (`/nudge market`, App Home): roles opened here lately that
match their interests. It reads roles only — never invitations, answers or other candidates —
so nothing in it can tell anyone about anyone else."""

from __future__ import annotations

from collections.abc import Sequence

from bot.rules.market import PULSE_WINDOW, MarketRole, Pulse, market_pulse
from bot.rules.pay import PayRange
from bot.usecases.context import AppContext
from storage import roles
from storage.models import Role


def market_role(role: Role) -> MarketRole:
    pay = None
    if role.pay_min is not None and role.pay_max is not None:
        pay = PayRange(role.pay_min, role.pay_max, role.pay_currency)
    return MarketRole(
        title=role.title,
        company=role.company,
        confidential=role.confidential,
        tags=tuple(role.tags or ()),
        created_at=role.created_at,
        pay=pay,
        remote=role.remote_ok,
    )


class Market:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def pulse(self, interests: Sequence[str], never_companies: Sequence[str] = ()) -> Pulse:
        """One read of the roles opened in the window, less those at companies the person never
        wants to hear about; nothing is read when there are no interests."""
        now = self.ctx.clock()
        if not any(i.strip() for i in interests):
            return market_pulse((), interests, now)
        with self.ctx.sessions() as session:
            opened = [market_role(role) for role in roles.roles_opened_since(session, since=now - PULSE_WINDOW)]
        return market_pulse(opened, interests, now, never_companies)
