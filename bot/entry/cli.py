"""The command line: `python app.py [run | db upgrade | doctor | preview | demo | admin
purge-workspace --yes]` (and the `nudge` console script), plus `sender`, the sending process that
`run` starts itself (`bot.entry.apart`).

It loads `.env`, validates the settings once, sets up logging, and prints every start-up problem
as one line (`nudge: …`) with exit code 2 for a setting and 1 for anything else. What only the
assembly knows (how to build the app, what a start-up error is, the Slack client, the demo) comes
in as arguments, so this module imports neither `app` nor `slackstandin`.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable

from dotenv import load_dotenv

from bot.copy.i18n import speaking
from bot.copy.preview import render
from bot.doctor import report, run_checks
from bot.entry.apart import Part, Role, SenderLink, SenderProcess, listen, sender_arguments
from bot.entry.counts import CountsOut
from bot.logs import configure_logging
from bot.rules.language import Language
from bot.settings import ConfigError, load_settings
from storage.db import create_db_engine, migrate

log = logging.getLogger("nudge")

USAGE = "use 'python app.py', 'db upgrade', 'doctor', 'preview [--lang LANG]', 'demo' or 'admin purge-workspace --yes'"
PURGE = ["admin", "purge-workspace"]


def main(
    argv: list[str],
    *,
    build: Callable,
    startup_error: type[Exception],
    web_client: Callable,
    demo: Callable[[list[str]], int],
    purge: Callable[..., tuple[int, int]] | None = None,
    sender_command: list[str] | None = None,
) -> int:
    """Run the command in `argv` and return the exit code.

    `build(settings)` assembles the app, raising `startup_error` with a one-line reason when it
    cannot; `web_client(settings)` makes the Slack client `doctor` checks the token with; and
    `demo(args)` runs the demo; `purge(settings)` erases everyone without Slack and returns
    (people erased, erasures still waiting); `sender_command` starts the sender process (without
    it, this process sends too)."""

    load_dotenv(".env")
    if argv[:1] == ["preview"]:
        return _preview(argv[1:])
    if argv[:1] == ["demo"]:
        return demo(argv[1:])
    try:
        settings = load_settings(os.environ)
    except ConfigError as error:
        print(f"nudge: {error}", file=sys.stderr)
        return 2
    configure_logging(
        [
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.secret,
            settings.metrics_token,
        ],
        log_format=settings.log_format,
    )
    if argv[:2] == ["db", "upgrade"]:
        return _upgrade_database(settings)
    if argv[:1] == ["doctor"]:
        return _doctor(settings, web_client(settings))
    if argv[:2] == PURGE and purge is not None:
        return _purge(argv[2:], settings, purge, startup_error)
    if argv[:1] == ["sender"]:
        return _send(argv[1:], settings, build, startup_error)
    if argv and argv[0] not in ("run",):
        print(f"nudge: unknown command {argv[0]!r}; {USAGE}", file=sys.stderr)
        return 2
    return _run(settings, build, startup_error, sender_command)


def _run(settings, build: Callable, startup_error: type[Exception], sender_command: list[str] | None = None) -> int:
    link = SenderLink() if sender_command else None
    try:
        assembled = build(settings, part=Part(Role.SERVE, link=link)) if link else build(settings)
    except startup_error as error:
        print(f"nudge: {error}", file=sys.stderr)
        return 1
    threading.current_thread().name = "nudge-main"
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    sender = None
    if link is not None and sender_command is not None:
        lock = assembled.process_lock
        sender = SenderProcess(sender_command, link, lock.descriptor if lock is not None else None)
        sender.start()
        assembled.stop_sender = sender.stop
    serve(assembled)
    return 1 if sender is not None and sender.gave_up else 0


def _send(args: list[str], settings, build: Callable, startup_error: type[Exception]) -> int:
    """The sender process (`python app.py sender --link FD [--lock FD]`, started by `run` only):
    sends until the serving process closes the link. Ctrl-C reaches the whole process group, so
    it is left to the serving process, which stops this one after itself stops serving."""
    descriptors = sender_arguments(args)
    if descriptors is None:
        print("nudge: 'sender' is started by 'python app.py' itself", file=sys.stderr)
        return 2
    link_fd, lock_fd = descriptors
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    end = socket.socket(fileno=link_fd)
    counts = CountsOut(end)
    try:
        assembled = build(settings, part=Part(Role.SEND, lock_fd=lock_fd, tally=counts.add))
    except startup_error as error:
        print(f"nudge: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # stopped while starting: nothing to shut down yet
        return 0
    threading.current_thread().name = "nudge-sender"
    assembled.start_scheduler()
    log.info("sending from process %s", os.getpid(), extra={"action": "sender.start"})
    try:
        listen(end, assembled.outbox.kick, assembled.changed_elsewhere)
    except KeyboardInterrupt:
        pass
    finally:
        assembled.shutdown()
        counts.close()
        end.close()
    return 0


def _purge(args: list[str], settings, purge: Callable, startup_error: type[Exception]) -> int:
    """The workspace purge from a shell (after an uninstall there is no Slack to confirm in):
    `--yes` is the confirmation the Slack button gives."""
    if args != ["--yes"]:
        print("nudge: admin purge-workspace erases every candidate; add --yes to confirm", file=sys.stderr)
        return 2
    try:
        erased, waiting = purge(settings)
    except startup_error as error:
        print(f"nudge: {error}", file=sys.stderr)
        return 1
    print(f"Done: {erased} people erased; the suppression hashes are kept.")
    if waiting:
        print(f"{waiting} of them had a message on its way: the running bot finishes their erasure within a minute.")
    return 0


def _preview(args: list[str]) -> int:
    """Copy review needs no Slack app: only the command name, the privacy link and the language
    (`--lang de`) matter."""
    language = Language.ENGLISH
    if args:
        try:
            if args[0] != "--lang" or len(args) != 2:
                raise ValueError
            language = Language(args[1])
        except ValueError:
            choices = ", ".join(language.value for language in Language)
            print(f"nudge: use 'preview' or 'preview --lang LANG' with LANG one of {choices}", file=sys.stderr)
            return 2
    try:
        with speaking(language):
            print(render(os.environ.get("NUDGE_COMMAND") or "/nudge", os.environ.get("NUDGE_PRIVACY_URL") or None))
    except BrokenPipeError:  # piped into `head`: fine
        sys.stderr.close()
    return 0


def _upgrade_database(settings) -> int:

    engine = create_db_engine(settings.database_url)
    try:
        migrate(engine)
    except Exception as error:  # noqa: BLE001 (whatever stops a migration is told in one line)
        print(f"nudge: DATABASE_URL: migration failed ({type(error).__name__}: {first_line(error)})", file=sys.stderr)
        return 1
    print("database is up to date")
    return 0


def _doctor(settings, client) -> int:

    engine = create_db_engine(settings.database_url)
    text, code = report(run_checks(settings, client=client, engine=engine))
    engine.dispose()
    print(text)
    return code


def serve(assembled) -> None:
    """Serve until interrupted: Socket Mode when an app token is set, else HTTP; then shut down."""
    settings = assembled.settings
    assembled.start_scheduler()
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("starting in Socket Mode", extra={"action": "app.start"})
            # Container health checks and scrapes still reach /healthz and /metrics on PORT.
            assembled.serve_probes().start_thread("nudge-probes")
            log.info("serving GET /healthz and /metrics on port %s", settings.port, extra={"action": "app.probes"})
            SocketModeHandler(assembled.bolt, settings.slack_app_token).start()
        else:
            server = assembled.serve_http()
            log.info(
                "listening on port %s (POST /slack/events, GET /healthz)", settings.port, extra={"action": "app.start"}
            )
            assembled.serve_forever(server)
    except KeyboardInterrupt:
        pass
    finally:
        assembled.shutdown()


def _stop_on_sigterm(_signum, _frame) -> None:
    """SIGTERM (service managers, containers) stops as cleanly as Ctrl-C."""
    raise KeyboardInterrupt


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0][:200]


def slack_reason(error: BaseException) -> str:
    """What Slack said (its `error` field) when it refused a call, else the error's first line."""
    response = getattr(error, "response", None)
    if response is not None and hasattr(response, "get"):
        return str(response.get("error", "no reason given"))
    return first_line(error) or type(error).__name__
