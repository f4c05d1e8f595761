"""A running `python app.py demo` and a headless Chromium to drive its page.

Chromium and its driver come from the system packages (`apt-get install chromium
chromium-driver`; `.ci/run` installs them). Selenium is pointed at both binaries, so Selenium
Manager never runs and nothing is downloaded at test time. Without them the tests are skipped
with the reason, except under `CI=true`, where a missing browser fails the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.demo import Demo

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
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def demo():
    running = Demo().wait_ready()
    try:
        yield running
    finally:
        running.stop()
