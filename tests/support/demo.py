"""`python app.py demo` as a user starts it, for the tests that drive it."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Demo:
    """`python app.py demo` as a user starts it: a subprocess that prints the page's URL."""

    def __init__(self, *args: str, env: dict | None = None, cwd: Path = ROOT, process: subprocess.Popen | None = None):
        self.process = process or subprocess.Popen(
            [sys.executable, "app.py", "demo", *args],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue = queue.Queue()
        self.output: list[str] = []
        self.errors: list[str] = []
        threading.Thread(target=self._pump, args=(self.process.stdout, self.output, True), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self.errors, False), daemon=True).start()
        self.url = ""
        self.folder = ""

    @classmethod
    def attach(cls, process: subprocess.Popen) -> Demo:
        """Follow a demo started another way (e.g. through dev.py), with text-mode pipes."""
        return cls(process=process)

    def _pump(self, stream, into: list, announce: bool) -> None:
        for line in stream:
            into.append(line)
            if announce:
                self.lines.put(line)

    def wait_ready(self, timeout: float = 60) -> Demo:
        import time

        deadline = time.monotonic() + timeout
        while not self.url:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                raise AssertionError(
                    f"the demo printed no URL; stdout={''.join(self.output)!r} stderr={''.join(self.errors)[-2000:]!r}"
                )
            try:
                line = self.lines.get(timeout=min(remaining, 1))
            except queue.Empty:
                continue
            found = re.search(r"data in (\S+), removed on exit", line)
            if found:
                self.folder = found.group(1).rstrip(";,")
            if re.fullmatch(r"http://127\.0\.0\.1:\d+/\s*", line):
                self.url = line.strip()
        return self

    def stop(self) -> int:
        """Ctrl-C, as a person at the terminal would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
