"""Nudge: entry point and the one function that assembles the app.

    python app.py              run the bot (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT),
                               sending from a second process it starts (`python app.py sender`)
    python app.py db upgrade   apply database migrations and exit
    python app.py doctor       check settings, token, scopes and database, and say what to fix
    python app.py preview      print every message as Block Kit JSON with a Block Kit Builder link
    python app.py demo         the real bot against a local Slack stand-in, in the browser
    python app.py admin purge-workspace --yes
                               erase every candidate without Slack (after an uninstall)

Nothing is built at import time: `build()` takes settings, a clock and (optionally) an engine and
returns the assembled parts, so tests build the same app against a fake Slack and their own
database. The command line, the HTTP surface and the scheduled jobs live in `bot.entry`; this
file assembles and passes in what only it knows (`build`, the demo).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import Engine

import handlers
from bot import logs
from bot.entry import cli
from bot.entry.apart import WHOLE, Part, Role
from bot.entry.assembled import Assembled
from bot.entry.cli import first_line, slack_reason
from bot.entry.figures import due_backlog, webhook_backlog
from bot.entry.jobs import add_jobs, for_role, scheduled_jobs, webhook_job
from bot.entry.threads import (
    EXPORT_WORKERS,
    HOME_WORKERS,
    HTTP_THREADS,
    REPLY_WORKERS,
    SCHEDULED_JOBS,
    SEND_WORKERS,
    WAIT_WORKERS,
    WEBHOOK_WORKERS,
    database_threads,
)
from bot.entry.web import MAX_REQUEST_BODY, RequestsInFlight, make_wsgi, time_acks
from bot.metrics import Metrics
from bot.rules.clock import Clock, system_clock
from bot.rules.suppression import KeyMismatch
from bot.sending.halt import SendingSwitch
from bot.sending.home import HomeReads, HomeTab, RefreshQueue
from bot.sending.moment import SlackReads
from bot.sending.outbox import Outbox
from bot.sending.replies import AfterAck
from bot.sending.sender import StepSender
from bot.sending.slack_client import make_web_client as slack_client
from bot.sending.webhooks import WebhookSender, slack_profile_reads
from bot.settings import Settings
from bot.usecases import ledger
from bot.usecases.admin import Admin
from bot.usecases.after_yes import AfterYes
from bot.usecases.consent import Consent
from bot.usecases.context import AppContext
from bot.usecases.daily import DailyJobs
from bot.usecases.direct_messages import DirectMessages
from bot.usecases.erasure import finish_pending_erasures
from bot.usecases.exports import ExportGate
from bot.usecases.inflight import InFlight
from bot.usecases.journey import Journey
from bot.usecases.keys import HashingKeys
from bot.usecases.known_languages import KnownLanguages, announce_to
from bot.usecases.market import Market
from bot.usecases.mydata import MyData
from bot.usecases.people import People
from bot.usecases.preferences import Preferences
from bot.usecases.recruiting import Recruiting
from bot.usecases.reports import Reports
from bot.usecases.team import Team
from handlers.services import Services
from storage.db import (
    DatabaseInUse,
    SingleProcessLock,
    claim_single_process,
    create_db_engine,
    make_session_factory,
    migrate,
)

__all__ = [
    "HOME_WORKERS",
    "HTTP_THREADS",
    "MAX_REQUEST_BODY",
    "SCHEDULED_JOBS",
    "SEND_WORKERS",
    "Assembled",
    "StartupError",
    "build",
    "console",
    "database_threads",
    "main",
    "make_wsgi",
]


def make_web_client(settings: Settings) -> WebClient:
    """The Slack client (see `bot.sending.slack_client`): bounded 429 waits, no blind resends,
    and a timeout well under the claim lease."""
    return slack_client(token=settings.slack_bot_token, base_url=settings.slack_api_url, lease=settings.claim_lease)


def build(
    settings: Settings, *, clock: Clock | None = None, engine: Engine | None = None, part: Part = WHOLE
) -> Assembled:
    """Assemble Nudge from settings: database (migrated), the hashing key, the Slack client, the
    one `AppContext`, the use cases, the sender, the Bolt app with its listeners, and the
    scheduler, for this process's `part` in the sending (`bot.entry.apart`). Raises `StartupError`
    with a one-line reason when it cannot."""
    clock = clock or system_clock
    engine = engine or create_db_engine(settings.database_url, pool_size=database_threads())
    process_lock = _claim_database(engine, part.lock_fd)
    sessions = make_session_factory(engine)
    keys = HashingKeys(configured=settings.secret, sessions=sessions, clock=clock)
    _check_hashing_key(keys, process_lock)
    logs.name_people_with(keys.hash_of)
    client = make_web_client(settings)
    bolt = _bolt_app(settings, client)
    metrics = Metrics(tally=part.tally)
    answering = RequestsInFlight()
    time_acks(bolt, metrics, answering)
    forward = part.link if part.role is Role.SERVE else None
    if forward is not None:
        forward.count_into(metrics.add)
    refreshes, languages = RefreshQueue(forward=forward.refresh if forward else None), KnownLanguages()
    ctx = AppContext(settings, clock, sessions, keys, metrics, notify=announce_to(languages.forget, refreshes.request))
    services = _services(ctx, client, refreshes, languages, forward.kick if forward else None)
    metrics.watch_backlog(lambda: due_backlog(sessions, clock))
    metrics.watch_webhooks(lambda: webhook_backlog(sessions, clock))
    handlers.register(bolt, services)
    daily = DailyJobs(ctx, services.inflight, give_way=answering.give_way)
    scheduler = BackgroundScheduler(timezone=UTC)
    _add_jobs(scheduler, settings, services, daily, ctx, part.role)
    sender = (lambda: forward.state) if forward else None
    wsgi = make_wsgi(bolt, engine, services.outbox, metrics, metrics_token=settings.metrics_token, sender=sender)
    return Assembled(settings, engine, bolt, ctx, services, daily, scheduler, wsgi, process_lock, sender_state=sender)


def purge_from_shell(settings: Settings, *, clock: Clock | None = None) -> tuple[int, int]:
    """`python app.py admin purge-workspace --yes`: the purge without Slack (after an uninstall
    there is none to confirm in), recorded as the shell's doing. Erasures that wait for a send in
    flight in a running bot are finished here once its lease has run out; returns (erased, still
    waiting)."""
    clock = clock or system_clock
    engine = create_db_engine(settings.database_url)
    process_lock = _claim_database(engine)
    try:
        sessions = make_session_factory(engine)
        keys = HashingKeys(configured=settings.secret, sessions=sessions, clock=clock)
        _check_hashing_key(keys, process_lock)
        ctx = AppContext(settings, clock, sessions, keys)
        result = Admin(ctx, InFlight(ctx), make_web_client(settings)).purge_workspace(ledger.SHELL_ACTOR)
        waiting = result.waiting
        deadline = time.monotonic() + settings.claim_lease.total_seconds() + 10
        while waiting and time.monotonic() < deadline:
            time.sleep(1)
            waiting -= finish_pending_erasures(ctx)
        return result.erased, waiting
    finally:
        if process_lock is not None:
            process_lock.release()
        engine.dispose()


def _claim_database(engine: Engine, inherited: int | None = None) -> SingleProcessLock | None:
    """The one-process lock on a SQLite file (or the parent's, in the sender process), then the migrations."""
    try:
        process_lock = claim_single_process(engine, inherited)
    except DatabaseInUse:
        raise StartupError(
            "DATABASE_URL: another Nudge process is already using this SQLite database; SQLite is for one "
            "process only, so use PostgreSQL (DATABASE_URL=postgresql://…) to run several"
        ) from None
    try:
        migrate(engine)
    except Exception as error:
        raise StartupError(
            f"DATABASE_URL: the database could not be opened or migrated ({type(error).__name__}: {first_line(error)})"
        ) from error
    return process_lock


def _check_hashing_key(keys: HashingKeys, process_lock: SingleProcessLock | None) -> None:
    """The key is checked against the stored fingerprint (and generated once when unset)."""
    try:
        keys.secret()
    except KeyMismatch as error:
        if process_lock is not None:  # nothing started: the next attempt may take the database
            process_lock.release()
        raise StartupError(str(error)) from None


def _bolt_app(settings: Settings, client: WebClient) -> App:
    try:
        return App(
            client=client,
            signing_secret=settings.slack_signing_secret,
            request_verification_enabled=not settings.socket_mode,
            process_before_response=True,
            logger=logging.getLogger("nudge.bolt"),
        )
    except (BoltError, SlackApiError, SlackClientError, OSError) as error:
        raise StartupError(f"SLACK_BOT_TOKEN: Slack did not accept the token ({slack_reason(error)})") from error


def _services(
    ctx: AppContext, client: WebClient, refreshes: RefreshQueue, languages: KnownLanguages, forward: Callable | None
) -> Services:
    """The use cases, the sender and App Home, each built once; `forward` takes the kicks when
    another process sends."""
    send_pool = ThreadPoolExecutor(max_workers=SEND_WORKERS, thread_name_prefix="nudge-send")
    inflight = InFlight(ctx, ThreadPoolExecutor(max_workers=WAIT_WORKERS, thread_name_prefix="nudge-wait"))
    reads = SlackReads(client, ctx.settings)
    people = People(ctx, client, languages)
    sender = StepSender(
        ctx, client, SendingSwitch(ctx, client), reads, lease=ctx.settings.claim_lease, languages=people.language_of
    )
    outbox = Outbox(ctx, sender, reads, send_pool, forward=forward)
    preferences, after_yes = Preferences(ctx), AfterYes(ctx)
    recruiting, team, reports = Recruiting(ctx), Team(ctx), Reports(ctx)
    market = Market(ctx)
    home_reads = HomeReads(preferences, people, after_yes, recruiting, team, reports, market)
    home = HomeTab(ctx, refreshes, client, home_reads)
    return Services(
        ctx=ctx,
        inflight=inflight,
        consent=Consent(ctx),
        preferences=preferences,
        direct_messages=DirectMessages(ctx),
        journey=Journey(ctx),
        after_yes=after_yes,
        recruiting=recruiting,
        reports=reports,
        team=team,
        admin=Admin(ctx, inflight, client),
        mydata=MyData(ctx, client),
        market=market,
        people=people,
        outbox=outbox,
        home=home,
        replies=AfterAck(workers=REPLY_WORKERS),
        background=ThreadPoolExecutor(max_workers=EXPORT_WORKERS, thread_name_prefix="nudge-export"),
        exports=ExportGate(ctx.clock),
        webhooks=WebhookSender(ctx, profile_reads=slack_profile_reads(client), workers=WEBHOOK_WORKERS),
    )


def _add_jobs(scheduler, settings: Settings, services: Services, daily: DailyJobs, ctx: AppContext, role: Role) -> None:
    """The scheduled jobs of this process's role (see `bot.entry.jobs`), each doing its work with what `build` made."""
    jobs = scheduled_jobs(
        tick=settings.tick,
        send_due=services.outbox.tick,
        finish_erasures=lambda: finish_pending_erasures(ctx),
        check_authorization=services.outbox.switch.check_authorization,
        run_daily=daily.run,
        refresh_metrics=ctx.metrics.refresh,
    )
    if settings.webhook_url is not None:
        jobs += (webhook_job(services.webhooks.tick),)
    add_jobs(scheduler, for_role(jobs, role))


class StartupError(Exception):
    """Nudge cannot start; the message is one line saying what to fix."""


def _run_demo(argv: list[str]) -> int:
    """The real bot against a local Slack stand-in, in the browser: no token, no network. The
    stand-in lives in `slackstandin`, which the bot never imports, so only the assembly reaches it,
    and only when the demo is asked for (a running bot does not load the stand-in)."""
    from slackstandin.demo import run_demo

    return run_demo(build, argv)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry (see `bot.entry.cli`): load `.env`, validate settings once, then run or migrate."""
    return cli.main(
        sys.argv[1:] if argv is None else argv,
        build=build,
        startup_error=StartupError,
        web_client=make_web_client,
        demo=_run_demo,
        purge=purge_from_shell,
        sender_command=[sys.executable, os.path.abspath(__file__), "sender"],
    )


def console() -> None:
    """The `nudge` console script: the same as `python app.py`."""
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
