"""What the listeners are given: the use cases, the sender and the App Home publisher, built
once by the assembly. Listeners get no database session and no settings object of their own."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

from bot.sending.home import HomeTab
from bot.sending.outbox import Outbox
from bot.sending.replies import AfterAck, Inline
from bot.sending.webhooks import WebhookSender
from bot.usecases.admin import Admin
from bot.usecases.after_yes import AfterYes
from bot.usecases.consent import Consent
from bot.usecases.context import AppContext
from bot.usecases.direct_messages import DirectMessages
from bot.usecases.exports import ExportGate
from bot.usecases.inflight import InFlight
from bot.usecases.journey import Journey
from bot.usecases.market import Market
from bot.usecases.mydata import MyData
from bot.usecases.people import People
from bot.usecases.preferences import Preferences
from bot.usecases.recruiting import Recruiting
from bot.usecases.reports import Reports
from bot.usecases.team import Team


@dataclass(frozen=True)
class Services:
    ctx: AppContext
    inflight: InFlight
    consent: Consent
    preferences: Preferences
    direct_messages: DirectMessages
    journey: Journey
    after_yes: AfterYes
    recruiting: Recruiting
    reports: Reports
    team: Team
    admin: Admin
    mydata: MyData
    market: Market
    people: People
    outbox: Outbox
    home: HomeTab
    replies: AfterAck | Inline
    background: Executor  # slow work after an ack (an export, a purge, `mydata`): never the sending pool
    exports: ExportGate  # at most one export per person per minute
    webhooks: WebhookSender

    @property
    def command(self) -> str:
        return self.ctx.settings.command

    @property
    def privacy_url(self) -> str | None:
        return self.ctx.settings.privacy_url
