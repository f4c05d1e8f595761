"""Candidate self-service rules: pause lengths and dates, and the preferences form.

Pure: `now` and the candidate's zone are arguments. Dates are read and shown in the candidate's
own time zone, because "pause until 1 March" means their 1 March.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.rules.companies import company_key
from bot.rules.consent import ConsentStatus, Standing
from bot.rules.eligibility import Cadence
from bot.rules.grammar import SendWindow, parse_send_window
from bot.rules.language import Language, chosen_language
from bot.rules.recruiter_input import InputError, parse_tags
from bot.rules.said import N_, Said

MAX_PAUSE = timedelta(days=730)
MAX_COMPANIES = 50
MAX_COMPANY_LENGTH = 100


PAUSE_USAGE = N_(
    "Say how long, like `{command} pause 90d` (days), `{command} pause 12w` (weeks) or a date like `{command} pause 2027-03-01`."
)
PAUSE_TOO_LONG = N_("A pause can last up to 730 days. To stop all invitations instead, use `{command} stop`.")


class PauseInputError(ValueError):
    """The pause argument cannot be used; the message says what would work.

    `message` is a msgid filled from `values` (which always hold `command`), followed by
    PAUSE_USAGE when `with_usage`: copy says both in the person's language; `str()` is English.
    """

    def __init__(self, message: str = "", *, with_usage: bool = True, **values: object) -> None:
        self.message, self.with_usage, self.values = message, with_usage, values
        parts = [message.format(**values)] if message else []
        if with_usage:
            parts.append(PAUSE_USAGE.format(**values))
        super().__init__(" ".join(parts))


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of `day` in `zone`, as UTC."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def parse_pause(text: str, *, now: datetime, zone: ZoneInfo, command: str = "/nudge") -> datetime:
    """When a pause asked for as `90d`, `12w` or `YYYY-MM-DD` ends (UTC).

    A date means "from that day on", so the pause ends at the start of that day in the
    candidate's zone. Months are refused as a unit: `3m` could be minutes or months.
    """
    value = text.strip().casefold()
    if not value:
        raise PauseInputError(command=command)
    match = re.fullmatch(r"(\d{1,4})\s*([dw])", value)
    if match:
        amount = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        if amount < 1:
            raise PauseInputError(N_("A pause needs at least one day."), command=command)
        length = timedelta(days=amount)
        if length > MAX_PAUSE:
            raise PauseInputError(PAUSE_TOO_LONG, with_usage=False, command=command)
        return now + length
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise PauseInputError(N_("{text} is not a real date."), text=text.strip(), command=command) from None
        # Compare calendar days first: turning a far date into an instant can overflow
        # (0001-01-01 in a zone ahead of UTC, 9999-12-31 in one behind it).
        today = now.astimezone(zone).date()
        if day <= today:
            raise PauseInputError(N_("That date is not in the future."), command=command)
        if day > today + MAX_PAUSE + timedelta(days=1):
            raise PauseInputError(PAUSE_TOO_LONG, with_usage=False, command=command)
        until = local_midnight(day, zone)
        if until - now > MAX_PAUSE:
            raise PauseInputError(PAUSE_TOO_LONG, with_usage=False, command=command)
        return until
    if re.fullmatch(r"\d+\s*m(onths?)?", value):
        raise PauseInputError(N_("Please use days or weeks for a pause (months vary in length)."), command=command)
    raise PauseInputError(command=command)


def add_months(now: datetime, zone: ZoneInfo, months: int) -> datetime:
    """The same local time `months` calendar months later (the 31st becomes the month's last day)."""
    local = now.astimezone(zone)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(UTC)


def describe_day(moment: datetime, zone: ZoneInfo) -> str:
    """A date as people read it, in their zone: "Monday 1 March 2027"."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}"


def zone_named(name: str | None) -> ZoneInfo | None:
    """The zone for an IANA name, or None if the name is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


# --- the preferences form -------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateSnapshot:
    """Everything the App Home tab and the preferences modal show a person about themselves."""

    user_id: str
    status: ConsentStatus
    standing: Standing
    paused_until: datetime | None
    cadence: Cadence
    interests: tuple[str, ...]
    send_window: SendWindow
    window_is_default: bool
    tz_override: str | None
    slack_tz: str | None
    never_companies: tuple[str, ...]
    slack_tz_checked_at: datetime | None = None
    company_note: str | None = None
    language: str | None = None  # their choice; None is automatic
    slack_locale: str | None = None
    slack_locale_checked_at: datetime | None = None


@dataclass(frozen=True)
class Preferences:
    """What a candidate controls about invitations; None window/zone means "use the default"."""

    cadence: Cadence
    interests: tuple[str, ...]
    send_window: SendWindow | None
    tz_override: str | None
    never_companies: tuple[str, ...]
    company_note: str | None = None
    language: Language | None = None  # None: automatic (their Slack locale, else the default)


COMPANY_NOTE_MAX = 500


@dataclass(frozen=True)
class PreferencesForm:
    """The raw values of the preferences modal (strings and lists, as Slack sends them)."""

    cadence: str | None
    interests: str | None
    days: tuple[str, ...]
    start: str | None
    end: str | None
    tz_override: str | None
    never_companies: str | None
    company_note: str | None = None
    language: str | None = None


def parse_companies(text: str | None) -> tuple[str, ...]:
    """Company names, one per line or comma-separated, trimmed, without repeats: two spellings of
    one company ("Acme", "ACME Inc.") are one entry, the first kept (see `companies.company_key`)."""
    names: list[str] = []
    seen: set[str] = set()
    for raw in re.split(r"[,\n]", text or ""):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > MAX_COMPANY_LENGTH:
            raise InputError(Said(N_("Company names can be up to {n} characters."), n=MAX_COMPANY_LENGTH))
        key = company_key(name) or name.casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    if len(names) > MAX_COMPANIES:
        raise InputError(Said(N_("Up to {n} companies, please."), n=MAX_COMPANIES))
    return tuple(names)


def validate_preferences(form: PreferencesForm, *, default_window: SendWindow) -> Preferences | dict[str, str]:
    """The preferences, or every problem keyed by field ("cadence", "interests", "days",
    "hours", "tz_override", "never_companies") so the modal can show each one inline.

    Nothing is saved unless everything is valid: no half-saved preferences.
    """
    errors: dict[str, str] = {}
    try:
        cadence = Cadence(form.cadence or Cadence.QUARTERLY.value)
    except ValueError:
        errors["cadence"] = Said(N_("Please choose how often you'd like to hear from us at most."))
        cadence = Cadence.QUARTERLY
    try:
        interests = parse_tags(form.interests)
    except InputError as error:
        errors["interests"] = _problem(error)
        interests = ()
    window: SendWindow | None = None
    if not form.days:
        errors["days"] = Said(N_("Pick at least one day (you can pause or stop instead if you'd rather hear nothing)."))
    elif not form.start or not form.end:
        errors["hours"] = Said(N_("Pick a start and an end time."))
    else:
        window = _window(form.days, form.start, form.end, errors)
    tz_override = (form.tz_override or "").strip() or None
    if tz_override is not None:
        matched = _canonical_zone(tz_override)
        if matched is None:
            errors["tz_override"] = Said(
                N_("Use a time zone name like Europe/Berlin or America/New_York, or leave it empty.")
            )
        tz_override = matched
    try:
        companies = parse_companies(form.never_companies)
    except InputError as error:
        errors["never_companies"] = _problem(error)
        companies = ()
    note = (form.company_note or "").strip() or None
    if note is not None and len(note) > COMPANY_NOTE_MAX:
        errors["company_note"] = Said(N_("Please keep the note for companies to {n} characters."), n=COMPANY_NOTE_MAX)
    if errors:
        return errors
    if window == default_window:
        window = None
    return Preferences(cadence, interests, window, tz_override, companies, note, chosen_language(form.language))


def _problem(error: InputError) -> str:
    """The error's own wording (a `Said` copy can translate), else its English."""
    return error.args[0] if error.args and isinstance(error.args[0], str) else str(error)


def _window(days: tuple[str, ...], start: str, end: str, errors: dict[str, str]) -> SendWindow | None:
    """The hours picked, or None with the problem under "hours". The form's pickers offer only
    real days and times, so equal times are the one mistake a person can make; anything else is a
    hand-made submission and gets the general explanation."""
    try:
        return parse_send_window(f"{','.join(days)} {start}-{end}")
    except ValueError:
        if start.strip() == end.strip():
            errors["hours"] = Said(N_("The start and end times are the same; please pick two different times."))
        else:
            errors["hours"] = Said(
                N_("Pick days from the list and the hours as a start and an end time, like 09:00 and 17:00.")
            )
        return None


def _canonical_zone(name: str) -> str | None:
    """An IANA zone name, matched case-insensitively ("europe/berlin" -> "Europe/Berlin")."""
    if zone_named(name) is not None and name in available_timezones():
        return name
    folded = name.casefold()
    for candidate in available_timezones():
        if candidate.casefold() == folded:
            return candidate
    return None
