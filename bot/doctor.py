"""`python app.py doctor`: checks what a deployment needs and says what to fix.

Settings (already validated by the time this runs), the bot token (`auth.test`), the granted
scopes against `manifest.yml` (Slack lists them in each answer's `x-oauth-scopes` header), the
app-level token in Socket Mode, the database and its migration level, and the optional settings
whose absence deserves a warning. It changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.rules.suppression import KEY_UNDECIDED, key_fingerprint, key_problem
from bot.rules.urls import redact_url, redact_urls_in
from bot.settings import Settings
from bot.usecases.keys import FINGERPRINT_NAME, SECRET_NAME, markers_matched
from storage.db import current_revision, head_revision

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


@dataclass(frozen=True)
class Check:
    level: str  # "ok", "warn" or "fail"
    what: str
    detail: str

    def line(self) -> str:
        """The printed line; a URL in it never shows its credentials (doctor's output is pasted
        into tickets and chats)."""
        return redact_urls_in(f"{self.level.upper():4} {self.what}: {self.detail}")


def manifest_scopes(path: Path = MANIFEST) -> set[str]:
    return set(yaml.safe_load(path.read_text())["oauth_config"]["scopes"]["bot"])


def run_checks(settings: Settings, *, client: WebClient, engine: Engine) -> list[Check]:
    """Every check, in the order a person fixes things: settings, Slack, the database, the key."""
    mode = "Socket Mode" if settings.socket_mode else f"HTTP mode on port {settings.port}"
    checks = [Check("ok", "settings", f"valid ({mode})")]
    checks += token_checks(settings, client)
    if settings.socket_mode:
        checks.append(app_token_check(settings, client))
    checks.append(database_check(engine))
    checks.append(hashing_key_check(settings, engine))
    if not settings.privacy_url:
        checks.append(
            Check("warn", "NUDGE_PRIVACY_URL", "unset: opt-in messages and help will not link a privacy notice")
        )
    if not settings.socket_mode and not settings.metrics_token:
        checks.append(
            Check(
                "warn",
                "NUDGE_METRICS_TOKEN",
                "unset: /metrics on the public port answers anyone; set a token and give your scraper "
                "Authorization: Bearer TOKEN",
            )
        )
    if not settings.all_recruiters:
        checks.append(Check("warn", "NUDGE_RECRUITERS", "no recruiters or admins configured: nobody can create roles"))
    checks.append(webhook_check(settings))
    return checks


def webhook_check(settings: Settings) -> Check:
    """The endpoint and its secret as read (both were validated at load); nothing is sent, so a
    doctor run never posts an event the team's ATS would have to ignore."""
    if settings.webhook_url is None:
        return Check("ok", "NUDGE_WEBHOOK_URL", "unset: no webhooks are sent")
    host = urlsplit(settings.webhook_url).netloc.rpartition("@")[2]
    scheme = "https" if settings.webhook_url.lower().startswith("https:") else "http to this machine"
    detail = f"events go to {host} over {scheme}, signed with NUDGE_WEBHOOK_SECRET (nothing sent by this check; "
    return Check("ok", "NUDGE_WEBHOOK_URL", detail + "`/nudge admin webhook test` sends a ping)")


def token_checks(settings: Settings, client: WebClient) -> list[Check]:
    """The bot token (`auth.test`) and the scopes Slack says it grants, against manifest.yml."""
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        reason = (
            f"Slack said {error.response.get('error')}: reinstall the app and copy the Bot User OAuth Token (xoxb-…)"
        )
        return [Check("fail", "SLACK_BOT_TOKEN", reason)]
    except (SlackClientError, OSError) as error:
        reason = f"Slack could not be reached at {redact_url(settings.slack_api_url)} ({type(error).__name__})"
        return [Check("fail", "SLACK_API_URL", reason)]
    whom = f"accepted for workspace {answer.get('team')!s} as bot user {answer.get('user_id')!s}"
    granted_header = next((v for k, v in answer.headers.items() if k.lower() == "x-oauth-scopes"), None)
    return [Check("ok", "SLACK_BOT_TOKEN", whom), *scope_checks(granted_header)]


def scope_checks(granted_header: str | list[str] | None) -> list[Check]:
    if granted_header is None:
        return [
            Check("warn", "scopes", "Slack did not list the granted scopes; compare them with manifest.yml by hand")
        ]
    listed = granted_header[0] if isinstance(granted_header, list) else granted_header
    granted = {scope.strip() for scope in listed.split(",") if scope.strip()}
    missing, extra = sorted(manifest_scopes() - granted), sorted(granted - manifest_scopes())
    if missing:
        fix = f"missing {', '.join(missing)}: add them (manifest.yml has them all) and reinstall the app"
        checks = [Check("fail", "scopes", fix)]
    else:
        checks = [Check("ok", "scopes", "every scope in manifest.yml is granted")]
    if extra:
        checks.append(
            Check("warn", "scopes", f"granted but not needed: {', '.join(extra)} (least privilege: remove them)")
        )
    return checks


def app_token_check(settings: Settings, client: WebClient) -> Check:
    try:
        client.apps_connections_open(app_token=settings.slack_app_token or "")
    except SlackApiError as error:
        reason = f"Slack said {error.response.get('error')}: create an app-level token with connections:write"
        return Check("fail", "SLACK_APP_TOKEN", reason)
    except (SlackClientError, OSError) as error:
        return Check("fail", "SLACK_APP_TOKEN", f"could not be checked ({type(error).__name__})")
    return Check("ok", "SLACK_APP_TOKEN", "Socket Mode connections can be opened")


def database_check(engine: Engine) -> Check:
    try:
        current, head = current_revision(engine), head_revision()
    except Exception as error:  # noqa: BLE001 (any driver error means the database is not usable)
        reason = f"cannot be opened ({type(error).__name__}); check the URL, the server and the credentials"
        return Check("fail", "DATABASE_URL", reason)
    if current == head:
        return Check("ok", "DATABASE_URL", f"reachable, migrations at the newest level ({head})")
    return Check(
        "warn",
        "DATABASE_URL",
        f"reachable, at migration {current or 'none'} of {head}: run `python app.py db upgrade` (the bot also migrates at start)",
    )


KEEP_STORED_KEY = (
    "to keep the key generated into the database, leave NUDGE_SECRET unset, or set it to exactly that key, "
    "read with: SELECT value FROM app_secret WHERE name = 'suppression_key'"
)


CHOOSE_KEY = (
    "if NUDGE_SECRET was already set while the earlier version ran, its hashes were made with it: keep it and remove "
    "the generated key (DELETE FROM app_secret WHERE name = 'suppression_key'); if you set NUDGE_SECRET only now, "
    "unset it again"
)


def _key_problem(configured, stored_key, recorded, engine):
    """`key_problem` with the same evidence a start reads (once-ever markers), read only."""

    try:
        with Session(engine) as session:
            return key_problem(
                configured=configured,
                stored_key=stored_key,
                stored_fingerprint=recorded,
                markers_matched=lambda key: markers_matched(session, key),
            )
    except Exception:  # noqa: BLE001 (no database, or not migrated yet: the DATABASE_URL check says so)
        return key_problem(configured=configured, stored_key=stored_key, stored_fingerprint=recorded)


def hashing_key_check(settings, engine) -> Check:
    """Is `NUDGE_SECRET` the key the stored suppression hashes were made with? Read only: the
    same rule that refuses a start (`bot.rules.suppression.key_problem`), said with the way out."""

    try:
        with engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT name, value FROM app_secret")).all())
    except Exception:  # noqa: BLE001 (no database, or not migrated yet: the DATABASE_URL check says so)
        rows = {}
    stored_key, recorded = rows.get(SECRET_NAME), rows.get(FINGERPRINT_NAME)
    problem = _key_problem(settings.secret, stored_key, recorded, engine)
    if problem == KEY_UNDECIDED:
        return Check(
            "fail",
            "NUDGE_SECRET",
            f"set, and this database also holds a key Nudge generated, with nothing that tells which one its hashes were made with; {CHOOSE_KEY}",
        )
    if problem and stored_key is not None and (recorded is None or recorded == key_fingerprint(stored_key)):
        return Check(
            "fail", "NUDGE_SECRET", f"differs from the key this database's hashes were made with; {KEEP_STORED_KEY}"
        )
    if problem:
        return Check(
            "fail",
            "NUDGE_SECRET",
            "differs from the key this database's hashes were made with; set NUDGE_SECRET back to the key used before "
            "(any other key would let erased people be invited again, so Nudge will not start)",
        )
    if settings.secret:
        return Check(
            "ok",
            "NUDGE_SECRET",
            "set, and it is the key this database's hashes were made with"
            if recorded
            else "set; recorded at the next start",
        )
    if stored_key is None:
        return Check(
            "warn",
            "NUDGE_SECRET",
            "unset: a key will be generated into the database at the first start; to set one, set it before that start",
        )
    return Check(
        "warn",
        "NUDGE_SECRET",
        "unset: the key generated into the database is used, so keep a backup of the database. To move it into the "
        "environment set NUDGE_SECRET to exactly that key (read with: SELECT value FROM app_secret WHERE name = "
        "'suppression_key'); any other value is refused at start",
    )


def report(checks: list[Check]) -> tuple[str, int]:
    """The printed report and the exit code (1 when anything failed)."""
    failed = sum(c.level == "fail" for c in checks)
    warned = sum(c.level == "warn" for c in checks)
    lines = [c.line() for c in checks]
    lines.append(f"{failed} problem(s) to fix, {warned} warning(s)." if failed or warned else "Everything looks right.")
    return "\n".join(lines), 1 if failed else 0
