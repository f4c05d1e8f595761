"""`mydata` and the admin's export run on their own small executor, never the sending pool, and
at most once per person per minute: repeating `/nudge mydata` cannot slow anyone's messages."""

from __future__ import annotations

import threading

from tests.support.journeys import run
from tests.support.waiting import wait_until

CAND = "UCANDEXP1"
ADMIN = "UADMIN1"


def _uploads(app) -> int:
    return len(app.fake.calls_to("files.completeUploadExternal"))


def test_mydata_runs_off_the_sending_pool(app, monkeypatch):
    threads: list[str] = []
    mydata = app.assembled.services.mydata
    original = mydata.send

    def send(user_id: str) -> None:
        threads.append(threading.current_thread().name)
        original(user_id)

    monkeypatch.setattr(mydata, "send", send)
    run(app, "mydata", user=CAND)
    wait_until(lambda: _uploads(app) == 1)
    assert threads and not threads[0].startswith("nudge-send")
    assert threads[0].startswith("nudge-export")


def test_mydata_at_most_once_a_minute_per_person_with_a_kind_reply(app, clock):
    assert "arrives as a file" in run(app, "mydata", user=CAND)["text"]
    again = run(app, "mydata", user=CAND)["text"]
    assert "arrives as a file" not in again and "a moment ago" in again and "minute" in again
    assert "arrives as a file" in run(app, "mydata", user="UCANDEXP2")["text"]  # someone else is not held
    wait_until(lambda: _uploads(app) == 2)
    clock.advance(seconds=61)
    assert "arrives as a file" in run(app, "mydata", user=CAND)["text"]
    wait_until(lambda: _uploads(app) == 3)


def test_the_admin_export_at_most_once_a_minute(app, clock):
    assert "consent ledger from the start is on its way" in run(app, "admin export-consent", user=ADMIN)["text"]
    again = run(app, "admin export-consent", user=ADMIN)["text"]
    assert "a moment ago" in again and "minute" in again
    wait_until(lambda: _uploads(app) == 1)
    clock.advance(seconds=61)
    assert "consent ledger from the start is on its way" in run(app, "admin export-consent", user=ADMIN)["text"]
    wait_until(lambda: _uploads(app) == 2)
