"""`python app.py` sends from a process of its own: the serving process acks, writes and queues;
the sender process it starts (and supervises) posts the replies, so a burst of sends never
competes with the acks for one interpreter."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.support.environment import free_port, own_env
from tests.support.slackreq import SIGNING_SECRET, SlackSender, get, im_message_event
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-9999-8888-secretvalue"


def _start(tmp_path, fake_slack, port: int, **more) -> subprocess.Popen:
    env = own_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'nudge.db'}",
        PORT=str(port),
        **more,
    )
    return subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _children(pid: int) -> list[int]:
    """Child processes of every thread of `pid` (a restarted sender is a child of the thread
    that restarted it)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _healthz(port: int) -> dict | None:
    try:
        reply = get(f"http://127.0.0.1:{port}/healthz", timeout=2)
    except OSError:
        return None
    return reply.json() if reply.status == 200 else None


def _running(port: int) -> bool:
    state = _healthz(port)
    return state is not None and state.get("sender") == "running"


def _posts_to(fake_slack, channel: str) -> list:
    return [call for call in fake_slack.calls_to("chat.postMessage") if call.args.get("channel") == channel]


def test_the_reply_to_a_dm_is_posted_by_the_sender_process_once(tmp_path, fake_slack):
    port = free_port()
    bot = _start(tmp_path, fake_slack, port)
    try:
        wait_until(lambda: _running(port), timeout=30, interval=0.1)
        (sender_pid,) = _children(bot.pid)
        os.kill(sender_pid, signal.SIGSTOP)  # the sender is frozen: the serving process must still ack
        try:
            slack = SlackSender(f"http://127.0.0.1:{port}", fake_slack)
            reply = slack.event(im_message_event(user_id="UAPART001", text="join"), event_id="EvApart0001")
            assert reply.status == 200
            time.sleep(1.5)
            assert _posts_to(fake_slack, "DAPART001") == [], "the serving process posted the reply itself"
        finally:
            os.kill(sender_pid, signal.SIGCONT)
        wait_until(lambda: _posts_to(fake_slack, "DAPART001"), timeout=10, interval=0.05)
        time.sleep(1.0)
        assert len(_posts_to(fake_slack, "DAPART001")) == 1
    finally:
        bot.send_signal(signal.SIGTERM)
        _out, err = bot.communicate(timeout=20)
    assert bot.returncode == 0, err
    assert not _alive(sender_pid), "the sender process outlived a clean stop"


def test_a_language_chosen_through_the_serving_process_is_the_senders_next_reply_language(tmp_path, fake_slack):
    """The sender keeps each person's language a while; a change committed by the serving process
    must reach it before the next step it builds for them."""
    from tests.e2e.test_languages import _prefs_choosing

    port = free_port()
    bot = _start(tmp_path, fake_slack, port)
    try:
        wait_until(lambda: _running(port), timeout=30, interval=0.1)
        slack = SlackSender(f"http://127.0.0.1:{port}", fake_slack)
        slack.event(im_message_event(user_id="UAPART002", text="join"), event_id="EvApart0002")
        wait_until(lambda: _posts_to(fake_slack, "DAPART002"), timeout=10, interval=0.05)
        chosen = slack.submit_view(user_id="UAPART002", callback_id="nudge.preferences", values=_prefs_choosing("fr"))
        assert chosen.status == 200
        slack.event(im_message_event(user_id="UAPART002", text="stop"), event_id="EvApart0003")
        wait_until(lambda: len(_posts_to(fake_slack, "DAPART002")) == 2, timeout=10, interval=0.05)
        assert "vous ne recevrez plus d’invitations" in str(_posts_to(fake_slack, "DAPART002")[-1].args)
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.communicate(timeout=20)


def test_the_sender_process_exits_when_the_serving_process_is_killed(tmp_path, fake_slack):
    port = free_port()
    bot = _start(tmp_path, fake_slack, port)
    try:
        wait_until(lambda: _running(port), timeout=30, interval=0.1)
        (sender_pid,) = _children(bot.pid)
        bot.kill()
        bot.wait(timeout=10)
        wait_until(lambda: not _alive(sender_pid), timeout=15, interval=0.1)
    finally:
        if bot.poll() is None:
            bot.kill()
        bot.communicate(timeout=10)


def test_a_crashed_sender_process_is_restarted_and_said_so(tmp_path, fake_slack):
    port = free_port()
    bot = _start(tmp_path, fake_slack, port)
    try:
        wait_until(lambda: _running(port), timeout=30, interval=0.1)
        (first,) = _children(bot.pid)
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: _children(bot.pid) not in ([], [first]) and _running(port), timeout=30, interval=0.1)
        slack = SlackSender(f"http://127.0.0.1:{port}", fake_slack)
        assert slack.event(im_message_event(user_id="UAPART002", text="join"), event_id="EvApart0002").status == 200
        wait_until(lambda: _posts_to(fake_slack, "DAPART002"), timeout=10, interval=0.05)
    finally:
        bot.send_signal(signal.SIGTERM)
        _out, err = bot.communicate(timeout=20)
    assert bot.returncode == 0, err
    assert "sender process exited" in err and "restarting it" in err


def _scrape(port: int, token: str) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode()


def test_what_the_sender_process_counts_reaches_the_serving_processs_metrics(tmp_path, fake_slack):
    """Operators scrape the serving process on PORT: the sender's counters must show there."""
    port = free_port()
    bot = _start(tmp_path, fake_slack, port, NUDGE_METRICS_TOKEN="scrape-token")
    try:
        wait_until(lambda: _running(port), timeout=30, interval=0.1)
        assert "nudge_steps_sent_total{" not in _scrape(port, "scrape-token")
        slack = SlackSender(f"http://127.0.0.1:{port}", fake_slack)
        assert slack.event(im_message_event(user_id="UAPART004", text="join"), event_id="EvApart0004").status == 200
        wait_until(lambda: _posts_to(fake_slack, "DAPART004"), timeout=10, interval=0.05)
        wait_until(lambda: "nudge_steps_sent_total{kind=" in _scrape(port, "scrape-token"), timeout=10, interval=0.1)
        sent = [
            line for line in _scrape(port, "scrape-token").splitlines() if line.startswith("nudge_steps_sent_total")
        ]
        assert [line.rsplit(" ", 1)[1] for line in sent] == ["1.0"], sent
    finally:
        bot.send_signal(signal.SIGTERM)
        _out, err = bot.communicate(timeout=20)
    assert bot.returncode == 0, err


def test_a_sender_that_keeps_dying_stops_the_bot_with_a_failure(tmp_path, fake_slack):
    """A service manager restarts or alerts only on a non-zero exit."""
    port = free_port()
    bot = _start(tmp_path, fake_slack, port)
    killed: set[int] = set()
    try:
        wait_until(lambda: _running(port), timeout=30, interval=0.1)
        deadline = time.monotonic() + 50
        while bot.poll() is None and time.monotonic() < deadline:
            for child in set(_children(bot.pid)) - killed:
                os.kill(child, signal.SIGKILL)
                killed.add(child)
            time.sleep(0.05)
        _out, err = bot.communicate(timeout=20)
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.communicate(timeout=10)
    assert len(killed) == 5
    assert "5 times within a minute; stopping Nudge" in err
    assert bot.returncode == 1, err


def test_a_second_bot_on_the_same_sqlite_file_is_still_refused(tmp_path, fake_slack):
    port = free_port()
    bot = _start(tmp_path, fake_slack, port)
    try:
        wait_until(lambda: _running(port), timeout=30, interval=0.1)
        second = _start(tmp_path, fake_slack, free_port())
        _out, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert "another Nudge process is already using this SQLite database" in err
        assert _running(port)
    finally:
        bot.send_signal(signal.SIGTERM)
        _out, err = bot.communicate(timeout=20)
    assert bot.returncode == 0, err


def test_a_burst_of_kicks_never_blocks_the_ack_and_none_is_dropped_while_the_sender_is_slow():
    from bot.entry.apart import SenderLink, listen

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    link = SenderLink()
    link.attach(ours)

    def burst():
        for step_id in range(20_000):  # far more than the socket holds while nobody reads
            link.kick([step_id])
        link.refresh("UAPART003", first=True)

    acks = threading.Thread(target=burst, daemon=True)
    acks.start()
    acks.join(30)
    assert not acks.is_alive(), "a kick waited for the sender to read (a liveness check, not a timing)"
    kicked, refreshed = [], []
    reader = threading.Thread(
        target=listen, args=(theirs, kicked.extend, lambda user, first: refreshed.append((user, first))), daemon=True
    )
    reader.start()
    wait_until(lambda: len(kicked) == 20_000 and refreshed, timeout=10)
    assert sorted(kicked) == list(range(20_000))
    assert refreshed == [("UAPART003", True)]
    link.close()
    reader.join(5)
    assert not reader.is_alive(), "the sender's loop ends when the serving process's end closes"


def test_counts_forwarded_by_one_sender_stay_counted_once_after_a_restart():
    from bot.entry.apart import SenderLink
    from bot.entry.counts import CountsOut
    from bot.metrics import Metrics

    serving = Metrics()
    link = SenderLink()
    link.count_into(serving.add)

    def sender_counts(kind: str, times: int) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        link.attach(ours)
        counts = CountsOut(theirs, every=0.05, soon=10)
        sender = Metrics(tally=counts.add)
        for _ in range(times):
            sender.sent(kind)
        sender.failed("ratelimited")
        counts.close()
        wait_until(lambda: f'nudge_steps_sent_total{{kind="{kind}"}} {times}.0' in serving.render().decode(), timeout=5)
        theirs.close()  # the sender died: the serving process keeps what it was told

    sender_counts("invitation", 25)
    sender_counts("welcome", 3)
    time.sleep(0.3)
    rendered = serving.render().decode()
    assert 'nudge_steps_sent_total{kind="invitation"} 25.0' in rendered
    assert 'nudge_steps_sent_total{kind="welcome"} 3.0' in rendered
    assert 'nudge_send_failures_total{error="ratelimited"} 2.0' in rendered
    assert "nudge_slack_ratelimited_total 2.0" in rendered
    link.close()
