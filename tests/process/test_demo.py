"""`python app.py demo` as a new user runs it: one URL, a page, the real bot behind it, nothing
read from their shell or `.env`, and Ctrl-C removes the temporary data."""

from __future__ import annotations

import json
import os
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
