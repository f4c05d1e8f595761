"""The sender process's counters, carried back to the serving process's registry.

Operators scrape `/metrics` on PORT, which the serving process answers; the steps sent, the send
failures and 429s, the webhook deliveries and the consent changes of the sender's jobs are counted
in the sender process. Each increment is added to a tally here (a dict under a lock, so a send
never waits on the socket), and a thread writes the tally over the link every second, or sooner
when many pile up. The serving process adds what arrives to its own counters, which outlive any
sender restart: what was forwarded stays counted once; only a killed sender's last second is lost.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from socket import socket

log = logging.getLogger("nudge")

COUNTS = "c"
EVERY = 1.0  # seconds between two writes of the tally
SOON = 200  # increments that have the tally written at once
PER_MESSAGE = 200  # tally entries in one message (well under the 64 KiB a message may carry)

Add = Callable[[str, tuple[str, ...], float], None]


class CountsOut:
    """The sender process's tally of increments not yet written to the serving process."""

    def __init__(self, end: socket, *, every: float = EVERY, soon: int = SOON) -> None:
        self._end = end
        self._every = every
        self._soon = soon
        self._tally: dict[tuple[str, tuple[str, ...]], float] = {}
        self._added = 0
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._write, name="nudge-counts", daemon=True)
        self._thread.start()

    def add(self, event: str, labels: tuple[str, ...], amount: float) -> None:
        with self._wake:
            self._tally[(event, labels)] = self._tally.get((event, labels), 0) + amount
            self._added += 1
            if self._added >= self._soon:
                self._wake.notify_all()

    def close(self, timeout: float = 5.0) -> None:
        """Write what is left (the serving process may still be reading) and stop the thread."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._thread.join(timeout)

    def _write(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._closed or self._added >= self._soon, timeout=self._every)
                closed = self._closed
                tally, self._tally, self._added = self._tally, {}, 0
            self._send(tally)
            if closed:
                return

    def _send(self, tally: dict[tuple[str, tuple[str, ...]], float]) -> None:
        entries = [[event, list(labels), amount] for (event, labels), amount in tally.items()]
        try:
            for start in range(0, len(entries), PER_MESSAGE):
                self._end.sendall((COUNTS + json.dumps(entries[start : start + PER_MESSAGE])).encode())
        except OSError:  # the serving process is gone, and its registry with it
            log.info("the serving process is gone; counts not forwarded", extra={"action": "sender.counts_lost"})


def add_counts(message: str, add: Add) -> None:
    """The serving process's side: add one message's tally (`COUNTS` stripped) to its counters."""
    try:
        entries = json.loads(message)
        for event, labels, amount in entries:
            add(str(event), tuple(str(label) for label in labels), float(amount))
    except (ValueError, TypeError):
        log.warning("unreadable counts from the sender process", extra={"action": "sender.counts_unreadable"})
