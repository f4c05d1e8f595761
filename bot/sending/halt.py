"""The durable stop of all sending: Slack refused the bot (uninstalled, token revoked, an auth
error during a send). Recorded in the database so every process stops at once and a restart does
not forget it; `auth.test` succeeding again (at start and hourly) resumes sending."""

from __future__ import annotations

import logging
import time

from slack_sdk import WebClient
from sqlalchemy.exc import DBAPIError

from bot.sending.slack_calls import SendError, call
from bot.usecases.context import AppContext
from storage import runs

log = logging.getLogger(__name__)


def log_stop(reason: str) -> None:
    log.critical(
        "Slack refused the bot (%s): all sending is stopped in every process. Nothing is lost; sending "
        "resumes by itself once auth.test succeeds again (checked hourly). Check SLACK_BOT_TOKEN and the app's installation.",
        reason,
        extra={"action": "outbox.halted", "error": reason},
    )


class SendingSwitch:
    """Whether sending is stopped, read from the database at most once per `check_seconds`."""

    def __init__(self, ctx: AppContext, client: WebClient, *, check_seconds: float = 1.0) -> None:
        self.ctx = ctx
        self.client = client
        self.check_seconds = check_seconds
        self._read: tuple[float, str | None] | None = None

    def halted(self) -> str | None:
        """Why all sending is stopped, or None."""
        read = self._read
        if read is not None and time.monotonic() - read[0] < self.check_seconds:
            return read[1]
        try:
            with self.ctx.sessions() as session:
                stop = runs.sending_stop(session)
        except DBAPIError:
            return read[1] if read else None
        reason = stop.reason if stop is not None else None
        self._read = (time.monotonic(), reason)
        return reason

    @property
    def last_known_stop(self) -> str | None:
        """The last stop read, without asking the database (for /healthz while it is down)."""
        return self._read[1] if self._read else None

    def forget_read(self) -> None:
        """Another transaction changed the stop: read it afresh next time."""
        self._read = None

    def stop_sending(self, reason: str) -> None:
        """Stop all sending in every process now. The data are kept; `check_authorization` resumes."""
        with self.ctx.sessions() as session, session.begin():
            new = runs.stop_sending(session, reason=reason, now=self.ctx.clock())
        self.forget_read()
        if new:
            log_stop(reason)

    def check_authorization(self) -> bool:
        """While sending is stopped, ask Slack (`auth.test`) whether it accepts the bot again and
        if so resume: at start and every hour (one scheduled job). True when sending runs."""
        with self.ctx.sessions() as session:
            stop = runs.sending_stop(session)
        if stop is None:
            return True
        try:
            call(lambda: self.client.auth_test())
        except SendError as error:
            log.warning(
                "sending stays stopped (%s): auth.test says %s",
                stop.reason,
                error.code,
                extra={"action": "outbox.still_stopped", "error": error.code},
            )
            return False
        with self.ctx.sessions() as session, session.begin():
            runs.resume_sending(session)
        self.forget_read()
        log.warning(
            "Slack accepts the bot again (auth.test ok): sending resumes after %s",
            stop.reason,
            extra={"action": "outbox.resumed"},
        )
        return True
