"""Sending apart from serving: `python app.py` serves in one process and sends from a second
one it starts and supervises (`python app.py sender`).

CPython runs one thread at a time per process, so a reply's send (`users.info`, the post, the
recording, App Home) running beside the acks made them wait for the interpreter: under a burst of
`message.im` events the acks' p99 passed Slack's 3 s. Here the serving process only acks, writes
and queues; what it queued crosses to the sender process at once over an inherited Unix socket
(a kick is a hint: the sender's tick finds every due step anyway), and the sender process owns the
tick, the kicks, App Home publishes, webhook deliveries and the other scheduled jobs.

The socket is also the sender's lifeline: when the serving process ends, however it ends, the
kernel closes its end and the sender stops. A sender that dies is started again (and logged); one
that keeps dying stops the whole bot with a clear line and a failing exit code rather than
serving with nobody sending. The other way, the sender writes back what it counted
(`bot.entry.counts`), so the serving process's `/metrics` shows it.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.entry.counts import COUNTS, Add, add_counts

log = logging.getLogger("nudge")

KICK, REFRESH, REFRESH_FIRST = "k", "h", "H"
MOST = 4000  # kicks in one message (well under the 64 KiB a message may carry)
RESTARTS = 5  # a sender that dies this often within RESTART_WINDOW stops the bot
RESTART_WINDOW = 60.0
STOP_GRACE = 10.0  # sends in flight finish within the Slack client's timeout; then it is killed


class Role(enum.Enum):
    """What one process of the bot does."""

    WHOLE = "whole"  # serves and sends (the tests, the demo)
    SERVE = "serve"  # acks, writes and queues; what it queued crosses to the sender process
    SEND = "send"  # the sender process: the tick, the kicks, App Home, webhooks, scheduled jobs


class SenderLink:
    """The serving process's end of the socket. An ack never waits on it: kicks and refreshes go
    into a queue, and one thread writes them over, many in one message when they pile up (a
    burst must not wait for the next tick because the socket was full). While the sender is
    being restarted, what is queued waits for the new one. What the sender counted comes back
    the other way (`bot.entry.counts`) and is added where `count_into` says."""

    def __init__(self) -> None:
        self._socket: socket.socket | None = None
        self._counted: Add | None = None
        self._wake = threading.Condition()
        self._kicks: list[str] = []
        self._refreshes: dict[str, bool] = {}
        self._closed = False
        self.state = "starting"
        threading.Thread(target=self._write, name="nudge-sender-link", daemon=True).start()

    def count_into(self, add: Add) -> None:
        self._counted = add

    def attach(self, end: socket.socket) -> None:
        with self._wake:
            old, self._socket = self._socket, end
            self._wake.notify_all()
        threading.Thread(target=self._read, args=(end,), name="nudge-sender-counts", daemon=True).start()
        if old is not None:
            _close(old)

    def close(self) -> None:
        with self._wake:
            end, self._socket, self._closed = self._socket, None, True
            self._wake.notify_all()
        if end is not None:
            _close(end)

    def _read(self, end: socket.socket) -> None:
        """Add what the sender counted, until its end (or ours) closes."""
        while True:
            try:
                message = end.recv(65536).decode()
            except OSError:
                return
            if not message:
                return
            if message[:1] == COUNTS and self._counted is not None:
                add_counts(message[1:], self._counted)

    def kick(self, message_ids: Sequence[int | None]) -> None:
        ids = [str(i) for i in message_ids if i is not None]
        if ids:
            with self._wake:
                self._kicks += ids
                self._wake.notify_all()

    def refresh(self, user_id: str, *, first: bool = False) -> None:
        with self._wake:
            self._refreshes[user_id] = first or self._refreshes.get(user_id, False)
            self._wake.notify_all()

    def _write(self) -> None:
        while True:
            with self._wake:
                while not self._closed and (self._socket is None or not (self._kicks or self._refreshes)):
                    self._wake.wait()
                if self._closed or self._socket is None:
                    return
                end, kicks, refreshes = self._socket, self._kicks[:MOST], dict(self._refreshes)
                del self._kicks[:MOST]
                self._refreshes.clear()
            # Changes first: a step kicked in the same breath is then built in the person's new language.
            messages = [(REFRESH_FIRST if first else REFRESH) + user for user, first in refreshes.items()]
            messages += [KICK + ",".join(kicks)] if kicks else []
            try:
                for message in messages:
                    end.sendall(message.encode())
            except OSError:  # the sender died: the tick of the next one finds these steps
                log.warning("the sender process is gone; its tick will send", extra={"action": "sender.link_lost"})


def _close(end: socket.socket) -> None:
    """Shut down before closing, so a thread blocked reading this end wakes up and returns."""
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_RDWR)
    end.close()


@dataclass(frozen=True)
class Part:
    """This process's part, as `app.build` takes it."""

    role: Role = Role.WHOLE
    link: SenderLink | None = None  # serving: where kicks and App Home refreshes go
    lock_fd: int | None = None  # sending on SQLite: the database lock the serving process handed down
    tally: Add | None = None  # sending: where counter increments go, to reach the serving process


WHOLE = Part()


class SenderProcess:
    """Starts `command` with the child's socket end (and, on SQLite, the database lock)
    inherited, restarts it when it dies, and stops it with the serving process."""

    def __init__(self, command: list[str], link: SenderLink, lock_fd: int | None = None) -> None:
        self.command = command
        self.link = link
        self.lock_fd = lock_fd
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._deaths: list[float] = []
        self.gave_up = False  # it kept dying: the bot stops, and exits with a failure

    def start(self) -> None:
        with self._lock:
            self._spawn()
        threading.Thread(target=self._watch, name="nudge-sender-watch", daemon=True).start()

    def _spawn(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        inherited = [theirs.fileno()] + ([self.lock_fd] if self.lock_fd is not None else [])
        args = [*self.command, "--link", str(theirs.fileno())]
        if self.lock_fd is not None:
            args += ["--lock", str(self.lock_fd)]
        try:
            self.process = subprocess.Popen(args, pass_fds=inherited)
        finally:
            theirs.close()
        ours.setblocking(True)
        self.link.attach(ours)
        self.link.state = "running"

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            if process is None:
                return
            code = process.wait()
            with self._lock:
                if self._stopping.is_set():
                    return
                self.link.state = "restarting"
                if self._gave_up(code):
                    return
            log.error("sender process exited with code %s; restarting it", code, extra={"action": "sender.restart"})
            if self._stopping.wait(1):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self._spawn()

    def _gave_up(self, code: int) -> bool:
        now = time.monotonic()
        self._deaths = [t for t in self._deaths if now - t < RESTART_WINDOW] + [now]
        if len(self._deaths) < RESTARTS:
            return False
        log.error(
            "sender process exited with code %s, %s times within a minute; stopping Nudge",
            code,
            RESTARTS,
            extra={"action": "sender.gave_up"},
        )
        self.link.state = "stopped"
        self.gave_up = True
        os.kill(os.getpid(), signal.SIGTERM)
        return True

    def stop(self) -> None:
        """Close the link and ask the sender to stop (SIGTERM: it may still be starting, not yet
        reading the link); it finishes the sends in flight and exits, or is killed after a grace."""
        with self._lock:
            self._stopping.set()
            self.link.state = "stopped"
            self.link.close()
            process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def listen(end: socket.socket, kick: Callable[[list[int]], None], refresh: Callable[..., None]) -> None:
    """The sender process's main loop: hand each kick and refresh to its worker until the serving
    process closes its end (it stopped, or died)."""
    while True:
        message = end.recv(65536).decode()
        if not message:
            return
        tag, rest = message[:1], message[1:]
        if tag == KICK:
            kick([int(i) for i in rest.split(",") if i.isdigit()])
        elif tag in (REFRESH, REFRESH_FIRST):
            refresh(rest, first=tag == REFRESH_FIRST)


def sender_arguments(args: list[str]) -> tuple[int, int | None] | None:
    """`--link FD [--lock FD]` of `python app.py sender`, or None when malformed."""
    values = dict(zip(args[::2], args[1::2], strict=False))
    if len(args) % 2 or set(values) - {"--link", "--lock"} or not values.get("--link", "").isdigit():
        return None
    lock = values.get("--lock")
    if lock is not None and not lock.isdigit():
        return None
    return int(values["--link"]), int(lock) if lock is not None else None
