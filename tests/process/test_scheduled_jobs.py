"""The scheduled jobs: ids, intervals, first runs and misfire grace are what operators and the
thread count (`app.SCHEDULED_JOBS`) rely on, and each is added the one safe way."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import OperationalError

from bot.entry.jobs import add_jobs, scheduled_jobs, webhook_job

NOW = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
IDS = ["nudge-tick", "nudge-erasures", "nudge-auth-check", "nudge-daily", "nudge-metrics"]


class RecordingScheduler:
    def __init__(self):
        self.added = []

    def add_job(self, func, trigger, **options):
        self.added.append((func, trigger, options))


def _jobs(tick=timedelta(seconds=30), calls=None, **overrides):
    calls = [] if calls is None else calls

    def record(name):
        return lambda: calls.append(name)

    work = {
        "send_due": record("tick"),
        "finish_erasures": record("erasures"),
        "check_authorization": record("auth"),
        "run_daily": record("daily"),
        "refresh_metrics": record("metrics"),
    }
    return scheduled_jobs(tick=tick, **(work | {"now": NOW} | overrides))


def test_the_five_jobs_their_intervals_and_first_runs():
    jobs = {job.id: job for job in _jobs()}
    assert list(jobs) == IDS
    assert {name: (job.every, job.first_run - NOW) for name, job in jobs.items()} == {
        "nudge-tick": (timedelta(seconds=30), timedelta(0)),
        "nudge-erasures": (timedelta(seconds=30), timedelta(0)),  # at start too: a killed process's erasures finish
        "nudge-auth-check": (HOUR, timedelta(0)),
        "nudge-daily": (HOUR, timedelta(seconds=30)),
        "nudge-metrics": (timedelta(seconds=30), timedelta(0)),
    }


def test_misfire_grace_is_four_ticks_but_at_least_a_minute_and_an_hour_for_the_hourly_jobs():
    assert {job.id: job.misfire_grace for job in _jobs(tick=timedelta(seconds=5))} == {
        "nudge-tick": timedelta(seconds=60),
        "nudge-erasures": timedelta(seconds=60),
        "nudge-auth-check": HOUR,
        "nudge-daily": HOUR,
        "nudge-metrics": timedelta(seconds=60),
    }
    assert {job.id: job.misfire_grace for job in _jobs(tick=timedelta(minutes=2))}["nudge-tick"] == timedelta(minutes=8)


def test_the_thread_count_has_one_thread_per_job():
    from app import SCHEDULED_JOBS

    assert len(_jobs()) + len((webhook_job(lambda: None),)) == SCHEDULED_JOBS


def test_the_webhook_job_ticks_every_2s_from_start_whatever_the_tick():
    job = webhook_job(lambda: None, now=NOW)
    assert (job.id, job.every, job.first_run) == ("nudge-webhooks", timedelta(seconds=2), NOW)


def test_each_job_is_added_as_an_interval_job_that_never_overlaps_or_piles_up():
    calls: list[str] = []
    scheduler = RecordingScheduler()
    add_jobs(scheduler, _jobs(calls=calls))
    assert [options["id"] for _func, _trigger, options in scheduler.added] == IDS
    for func, trigger, options in scheduler.added:
        assert trigger == "interval"
        assert options["replace_existing"] is True and options["coalesce"] is True and options["max_instances"] == 1
        func()
    tick, _erasures, auth, daily, _metrics = scheduler.added
    assert tick[2]["seconds"] == 30 and tick[2]["next_run_time"] == NOW and tick[2]["misfire_grace_time"] == 120
    assert auth[2]["seconds"] == 3600 and auth[2]["misfire_grace_time"] == 3600
    assert daily[2]["next_run_time"] == NOW + timedelta(seconds=30)
    assert calls == ["tick", "erasures", "auth", "daily", "metrics"]


def test_a_database_outage_skips_a_run_of_the_background_jobs_but_not_the_tick(caplog):
    """The tick copes with outages itself; the others log which job waits, and wait for their next run."""

    def down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    everything_down = dict.fromkeys(("finish_erasures", "check_authorization", "run_daily", "refresh_metrics"), down)
    jobs = {job.id: job for job in _jobs(send_due=down, **everything_down)}
    assert jobs["nudge-tick"].run is down
    with caplog.at_level(logging.WARNING, logger="nudge"):
        for name in IDS[1:]:
            assert jobs[name].run() is None
    assert [record.getMessage() for record in caplog.records] == [
        f"database unavailable for {name}: Exception" for name in IDS[1:]
    ]


def test_first_runs_count_from_real_time_by_default():
    """The scheduler runs on the wall clock, whatever clock the app was given."""
    before = datetime.now(UTC)
    jobs = _jobs(now=None)
    assert before <= jobs[0].first_run <= datetime.now(UTC)


def test_with_a_sender_process_the_serving_process_keeps_only_the_metrics_and_the_sender_the_rest():
    from bot.entry.apart import Role
    from bot.entry.jobs import for_role

    jobs = (*_jobs(), webhook_job(lambda: None, now=NOW))
    serving = [job.id for job in for_role(jobs, Role.SERVE)]
    sending = [job.id for job in for_role(jobs, Role.SEND)]
    assert serving == ["nudge-metrics"]
    assert sending == ["nudge-tick", "nudge-erasures", "nudge-auth-check", "nudge-daily", "nudge-webhooks"]
    assert [job.id for job in for_role(jobs, Role.WHOLE)] == [job.id for job in jobs]
