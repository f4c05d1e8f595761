"""A running `python app.py demo` and a headless Chromium to drive its page.

Chromium and its driver come from the system packages (`apt-get install chromium
chromium-driver`; `.ci/run` installs them). Selenium is pointed at both binaries, so Selenium
Manager never runs and nothing is downloaded at test time. Without them the tests are skipped
with the reason, except under `CI=true`, where a missing browser fails the run.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
IN_CI = os.environ.get("CI", "").lower() == "true"


def browser_problem() -> str | None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        return f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (it is in the `test` extra)"
    return None


@pytest.fixture
def browser(tmp_path):
    problem = browser_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true needs the browser tests: {problem}")
        pytest.skip(problem)
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     f"--user-data-dir={tmp_path / 'chromium-profile'}", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        driver.quit()


class Demo:
    """`python app.py demo` as a user starts it: a subprocess that prints the page's URL."""

    def __init__(self, env: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "app.py", "demo"],
            cwd=ROOT,
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

    def _pump(self, stream, into: list, announce: bool) -> None:
        for line in stream:
            into.append(line)
            if announce:
                self.lines.put(line)

    def wait_ready(self, timeout: float = 60) -> "Demo":
        import time

        deadline = time.monotonic() + timeout
        while not self.url:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                raise AssertionError(f"the demo printed no URL; stdout={''.join(self.output)!r} stderr={''.join(self.errors)[-2000:]!r}")
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


@pytest.fixture
def demo():
    running = Demo().wait_ready()
    try:
        yield running
    finally:
        running.stop()
