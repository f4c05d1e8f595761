"""Several real Nudge processes against one database and the fake Web API: seeding due
invitations, starting and killing processes, and counting what candidates received.

Used by the multi-process tests and by `bench/throughput.py`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.support.slackreq import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]
INVITATION_TEXT = "An invitation to a no-commitment conversation"


def seed_invitations(database_url: str, count: int, *, prefix: str = "UMP") -> list[str]:
    """One open role, `count` opted-in candidates, and a due invitation step for each."""
    from bot.rules.consent import ConsentStatus, Via, opt_in
    from bot.rules.recruiter_input import RoleDraft
    from bot.rules.steps import Kind
    from bot.usecases.ledger import apply_consent_change
    from storage import candidates, invitations, roles, steps
    from storage.db import create_db_engine, make_session_factory, migrate

    engine = create_db_engine(database_url)
    migrate(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    users = [f"{prefix}{n:06d}" for n in range(count)]
    with sessions() as session, session.begin():
        role = roles.create_role(
            session,
            draft=RoleDraft(title="Platform Engineer", company="Acme", confidential=False, tags=("go",)),
            created_by="URECRUIT1",
            now=now,
        )
        for user in users:
            candidate = candidates.lock_candidate(session, slack_user_id=user, subject_hash=f"h1:seed-{user}", now=now)
            apply_consent_change(
                session,
                candidate,
                opt_in(ConsentStatus.NOT_JOINED),
                via=Via.COMMAND,
                wording_version="seed",
                actor=user,
                now=now,
            )
            invitation = invitations.create_invitation(
                session, role_id=role.id, candidate_id=user, recruiter_id="URECRUIT1", note=None, now=now
            )
            steps.enqueue_step_once(
                session, invitation_id=invitation.id, kind=Kind.INVITATION, slack_user_id=user, now=now, not_before=now
            )
    engine.dispose()
    return users


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class NudgeProcess:
    process: subprocess.Popen
    port: int
    log_path: Path

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class Cluster:
    fake_url: str
    database_url: str
    workdir: Path
    extra_env: dict = field(default_factory=dict)
    processes: list[NudgeProcess] = field(default_factory=list)

    def start(self, count: int) -> list[NudgeProcess]:
        for _n in range(count):
            port = free_port()
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NUDGE_", "DATABASE_URL", "PORT"))
            }
            env.update(
                SLACK_BOT_TOKEN="xoxb-cluster-test-token",
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                SLACK_API_URL=self.fake_url,
                DATABASE_URL=self.database_url,
                PORT=str(port),
                NUDGE_TICK="1s",
                NUDGE_CLAIM_LEASE="5s",
                NUDGE_SEND_WINDOW="Mon-Sun 00:00-24:00",
                NUDGE_RECRUITERS="URECRUIT1",
            )
            env.update(self.extra_env)
            log_path = self.workdir / f"nudge-{len(self.processes)}.log"
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py")],
                cwd=self.workdir,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(log_path, "w"),  # noqa: SIM115 (the child owns it)
            )
            self.processes.append(NudgeProcess(process, port, log_path))
        return self.processes[-count:]

    def stop_all(self) -> None:
        for process in self.processes:
            process.stop()


def invitations_received(fake, users: list[str]) -> dict[str, int]:
    """How many invitation DMs each candidate has in Slack (the fake's stored messages)."""
    counts = {}
    for user in users:
        messages = fake.messages_in("D" + user[1:])
        counts[user] = sum(1 for m in messages if m.get("text", "").startswith(INVITATION_TEXT))
    return counts


def wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
