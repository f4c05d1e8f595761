"""`python app.py demo` as a new user runs it: one URL, a page, the real bot behind it, nothing
read from their shell or `.env`, and Ctrl-C removes the temporary data."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from pathlib import Path

from tests.support.demo import Demo


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def test_the_demo_serves_its_page_answers_as_the_real_bot_and_ctrl_c_removes_its_data(tmp_path):
    # A user's own settings must not leak in: a broken database, a real Slack URL, no token.
    env = {
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "SLACK_API_URL": "https://slack.com/api/",
        "SLACK_BOT_TOKEN": "",
    }
    demo = Demo(env=env).wait_ready()
    try:
        assert demo.url.startswith("http://127.0.0.1:")
        folder = Path(demo.folder)
        assert (folder / "nudge.db").is_file()
        status, page = _get(demo.url)
        assert status == 200 and b"Nudge demo" in page and b"/static/app.js" in page
        assert _get(demo.url + "static/app.js")[0] == 200
        state = json.loads(_get(demo.url + "ui/state?user=URITA")[1])
        assert [p["role"] for p in state["people"]].count("candidate") == 3
        assert len({p["tz"] for p in state["people"] if p["role"] == "candidate"}) == 3
        # A slash command goes to the real bot, signed; its reply is Rita's alone.
        assert _post(demo.url + "ui/do", {"user": "URITA", "op": "say", "text": "/nudge role list"})["ok"]
        rita = json.loads(_get(demo.url + "ui/state?user=URITA")[1])
        replies = [item for item in rita["dm"] if item["kind"] == "ephemeral" and not item["note"]]
        assert replies and "role" in replies[-1]["text"].lower()
        assert rita["violations"] == []
        amara = json.loads(_get(demo.url + "ui/state?user=UAMARA")[1])
        assert amara["dm"] == []  # nobody else sees it
    finally:
        code = demo.stop()
    assert code == 0, "".join(demo.errors)[-2000:]
    assert not folder.exists(), "Ctrl-C must remove the demo's temporary data"


def test_the_demo_runs_from_a_copy_without_the_shared_slack_reference(tmp_path):
    """A fresh clone has no ../shared beside it: the stand-in uses its committed spec extract."""
    import shutil

    root = Path(__file__).resolve().parents[2]
    copy = tmp_path / "clone"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.db", ".env"))
    env = {"PYTHONPATH": str(copy), "NUDGE_SLACK_REFERENCE": str(tmp_path / "nowhere")}
    demo = Demo(env=env, cwd=copy).wait_ready()
    try:
        assert not (copy.parent / "shared").exists()
        assert _post(demo.url + "ui/do", {"user": "UKENJI", "op": "say", "text": "/nudge help"})["ok"]
        kenji = json.loads(_get(demo.url + "ui/state?user=UKENJI")[1])
        assert any("/nudge join" in item["text"] for item in kenji["dm"] if item["kind"] == "ephemeral")
        assert kenji["violations"] == []
    finally:
        assert demo.stop() == 0


def test_ctrl_c_on_dev_py_demo_lets_the_demo_remove_its_data():
    """The terminal sends SIGINT to dev.py and the demo alike; dev.py must wait for the demo's own
    clean stop instead of killing it."""
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "dev.py", "demo"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    demo = Demo.attach(process).wait_ready()
    folder = Path(demo.folder)
    assert folder.is_dir()
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 0, "".join(demo.errors)[-2000:]
    assert not folder.exists()


def _eventually(check, seconds: float = 20):
    """`check()` once it is truthy (the bot answers some requests after the ack), else its last value."""
    deadline = time.monotonic() + seconds
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_the_demo_plays_shortcuts_the_invite_modal_and_its_outcome():
    """The stand-in sends the shortcuts as Slack does and renders the modals they open: the
    global *New role*, then *Invite to a conversation* on Amara's #community message."""
    demo = Demo().wait_ready()
    try:
        do = demo.url + "ui/do"

        def state(user: str) -> dict:
            return json.loads(_get(demo.url + f"ui/state?user={user}")[1])

        assert _post(do, {"user": "UAMARA", "op": "say", "text": "/nudge join"})["ok"]
        rita = state("URITA")
        assert {s["callback_id"] for s in rita["shortcuts"]} == {"nudge_invite_author", "nudge_new_role"}
        assert _post(do, {"user": "URITA", "op": "global_shortcut", "callback_id": "nudge_new_role"})["ok"]
        form = state("URITA")["modal"]
        assert form["callback_id"] == "nudge.role.add"
        values = {"title": {"value": "Backend Engineer"}, "company": {"value": "Acme"}, "tags": {"value": "python"}}
        assert _post(do, {"user": "URITA", "op": "submit", "view_id": form["id"], "values": values})["ok"]
        assert "Role #1 created" in json.dumps(state("URITA")["modal"])
        _post(do, {"user": "URITA", "op": "close", "view_id": form["id"]})

        message = next(m for m in state("URITA")["community"] if m["user"] == "UAMARA")
        shortcut = {"op": "message_shortcut", "ts": message["ts"], "callback_id": "nudge_invite_author"}
        assert _post(do, {"user": "URITA", **shortcut})["ok"]
        invite = state("URITA")["modal"]
        people = next(b for b in invite["blocks"] if b.get("block_id") == "invite_people")
        assert people["element"]["initial_users"] == ["UAMARA"]
        values = {
            "invite_role": {"nudge.rec.role_choice": "1"},
            "invite_people": {"nudge.rec.people": ["UAMARA"]},
            "invite_note": {"nudge.rec.note": "Your payments API post was great"},
        }
        assert _post(do, {"user": "URITA", "op": "submit", "view_id": invite["id"], "values": values})["ok"]

        def outcome():
            texts = [item["text"] for item in state("URITA")["dm"] if item["kind"] == "message"]
            return next((t for t in texts if "Invitation queued for <@UAMARA>" in t), None)

        assert _eventually(outcome)
        assert _post(do, {"user": "UKENJI", **shortcut})["ok"]

        def turned_away():
            kenji = state("UKENJI")
            told = [i["text"] for i in kenji["dm"] if i["kind"] == "ephemeral" and not i["note"]]
            return kenji["modal"] is None and told == ["That's for recruiters only."]

        assert _eventually(turned_away)
        assert state("URITA")["violations"] == []
    finally:
        assert demo.stop() == 0
