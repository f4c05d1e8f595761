"""Replies that need a Slack call of their own (a `response_url` replace, a `chat.update` of the
clicked message) are sent after the ack instead of inside it.

Bolt runs the whole listener before answering Slack (`process_before_response=True`), so a reply
sent from the listener adds a Slack round trip to every click's ack. The listener commits the
effect first (nothing is lost if the reply fails), then hands the reply here. Replies for one
person go out in the order they were handed over, so two quick clicks cannot leave the older
reply on screen; different people's replies go out side by side.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)


class AfterAck:
    """A small pool that runs each person's replies one after another, after the ack."""

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nudge-reply")
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Callable[[], object]]] = {}
        self._stopping = False

    def send(self, user_id: str, reply: Callable[[], object]) -> None:
        with self._lock:
            queue = self._queues.get(user_id)
            if queue is not None:  # this person's earlier reply is still going out: follow it
                queue.append(reply)
                return
            self._queues[user_id] = deque([reply])
        self._pool.submit(self._drain, user_id)

    def _drain(self, user_id: str) -> None:
        while True:
            with self._lock:
                queue = self._queues[user_id]
                if not queue or self._stopping:
                    del self._queues[user_id]
                    return
                reply = queue.popleft()
            try:
                reply()
            except (SlackApiError, SlackClientError, OSError) as error:
                # The change is committed; only the in-place confirmation is missing.
                log.warning("a reply after the ack failed: %s", error, extra={"action": "reply.failed"})
            except Exception:
                log.exception("a reply after the ack failed", extra={"action": "reply.failed"})

    def shutdown(self, wait: bool = True) -> None:
        """Finish the replies under way, drop the rest: each is only a confirmation of a change
        already committed, and a process asked to stop should not first make hundreds of calls."""
        with self._lock:
            self._stopping = True
        self._pool.shutdown(wait=wait, cancel_futures=True)


class Inline:
    """Replies sent at once, on the listener's thread (for listeners registered without a pool)."""

    def send(self, user_id: str, reply: Callable[[], object]) -> None:
        reply()

    def shutdown(self, wait: bool = True) -> None:
        pass
