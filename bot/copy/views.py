"""The App Home tab and the preferences modal, built with `slack_sdk.models` (which checks
Slack's limits). Everything a person typed is escaped before it is shown; no view carries user
text in `private_metadata` or button values.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.copy import candidate as messages
from bot.copy.blocks import MAX_VIEW_BLOCKS, fit_blocks, mrkdwn, section, sections
from bot.copy.i18n import N_, _, day_and_date, day_name
from bot.copy.preference_parts import cadence_text, hhmm, language_input, time_options, window_text
from bot.rules.consent import Standing
from bot.rules.eligibility import Cadence
from bot.rules.grammar import SendWindow
from bot.rules.language import ENDONYMS, chosen_language
from bot.rules.preferences import PreferencesForm
from bot.rules.text import escape

PREFERENCES_CALLBACK = "nudge.preferences"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def home_view(
    snapshot,
    *,
    zone_name: str,
    now: datetime,
    command: str,
    privacy_url: str | None,
    recruiter_blocks=(),
    candidate_blocks=(),
) -> View:
    """A person's own state, preferences and the buttons that change them; for a recruiter, the
    *Recruiting* section comes first and their own candidate card after it."""
    footer = " ".join(part for part in (messages.no_commitment(), messages.privacy_line(privacy_url)) if part)
    blocks = [
        HeaderBlock(text="Nudge"),
        *recruiter_blocks,
        section(_status_line(snapshot, ZoneInfo(zone_name))),
        ActionsBlock(block_id="home_actions", elements=_home_buttons(snapshot.standing)),
        DividerBlock(),
        *sections(max_parts=12, markdown=_preferences_text(snapshot, zone_name)),
        ContextBlock(elements=[mrkdwn(_("{footer} Commands: `{command} help`.", footer=footer, command=command))]),
        *candidate_blocks,
    ]
    return View(type="home", blocks=fit_blocks(blocks, MAX_VIEW_BLOCKS))


def _status_line(snapshot, zone: ZoneInfo) -> str:
    if snapshot.standing is Standing.PAUSED:
        if snapshot.paused_until:
            return _(
                "*Paused until {date}.* No invitations until then.", date=day_and_date(snapshot.paused_until, zone)
            )
        return _("*Paused.*")
    if snapshot.standing is Standing.NOT_JOINED:
        return _("*You haven't joined.* Nudge only invites people who opt in.")
    if snapshot.standing is Standing.OPTED_OUT:
        return _("*You've opted out.* Nudge sends you no invitations.")
    return _(
        "*You're in.* You may get an occasional invitation ({how_often}).",
        how_often=cadence_text(snapshot.cadence).lower(),
    )


def _home_buttons(standing: Standing) -> list[ButtonElement]:
    buttons: list[ButtonElement] = []
    if standing in (Standing.NOT_JOINED, Standing.OPTED_OUT):
        buttons.append(messages.join_button())
    if standing is Standing.JOINED:
        buttons.append(ButtonElement(text=_("Pause 3 months"), action_id=messages.ACTION_PAUSE, value="3"))
    if standing is Standing.PAUSED:
        buttons.append(
            ButtonElement(text=_("Resume"), action_id=messages.ACTION_RESUME, value="resume", style="primary")
        )
    if standing in (Standing.JOINED, Standing.PAUSED):
        buttons.append(messages.stop_button())
    buttons.append(ButtonElement(text=_("Edit preferences"), action_id=messages.ACTION_EDIT_PREFERENCES, value="edit"))
    return buttons


def _preferences_text(snapshot, zone_name: str) -> str:
    interests = ", ".join(escape(tag) for tag in snapshot.interests) or _("_none yet — you can still be invited_")
    companies = ", ".join(escape(name) for name in snapshot.never_companies) or _("_none_")
    window = f"{escape(window_text(snapshot.send_window))} ({escape(zone_name)})"
    note = getattr(snapshot, "company_note", None)
    chosen = chosen_language(getattr(snapshot, "language", None))
    lines = [
        _("*Your preferences*"),
        "• " + _("How often: {how_often}", how_often=cadence_text(snapshot.cadence)),
        "• " + _("Interests: {interests}", interests=interests),
        "• " + _("Send window: {window}", window=window),
        "• " + _("Companies never to hear about: {companies} _(recruiters never see this list)_", companies=companies),
        "• " + _("Language: {language}", language=ENDONYMS[chosen] if chosen else _("Automatic")),
    ]
    if note:
        lines.append("• " + _("Note for companies: {note}", note=escape(note)))
    return "\n".join(lines)


def preferences_modal(snapshot, *, slack_tz: str | None) -> View:
    """The preferences form, filled with the person's current values."""
    cadence_options = [Option(value=c.value, text=cadence_text(c)) for c in Cadence]
    blocks = [
        InputBlock(
            block_id="cadence",
            label=_("How often, at most"),
            element=StaticSelectElement(
                action_id="value",
                options=cadence_options,
                initial_option=cadence_options[list(Cadence).index(snapshot.cadence)],
            ),
        ),
        InputBlock(
            block_id="interests",
            label=_("Interests"),
            optional=True,
            hint=_("Comma-separated: roles, stack, seniority, locations, remote. Please nothing sensitive."),
            element=PlainTextInputElement(
                action_id="value",
                initial_value=", ".join(snapshot.interests) or None,
                placeholder=_("e.g. backend, python, senior, remote"),
                max_length=1000,
            ),
        ),
        *_window_inputs(snapshot.send_window),
        *_about_you_inputs(snapshot, slack_tz),
        language_input(getattr(snapshot, "language", None)),
    ]
    return modal(
        title=_("Your preferences"),
        blocks=blocks,
        callback_id=PREFERENCES_CALLBACK,
        submit=_("Save"),
        close=_("Cancel"),
    )


def _window_inputs(window: SendWindow) -> list[InputBlock]:
    """The send window: days, and the hours from and until."""
    day_options = [Option(value=name, text=day_name(number)) for number, name in enumerate(DAY_NAMES)]
    hours = time_options((window.start, window.end))
    by_value = {option.value: option for option in hours}
    return [
        InputBlock(
            block_id="days",
            label=_("Days you're happy to hear from us"),
            element=CheckboxesElement(
                action_id="value",
                options=day_options,
                initial_options=[day_options[d] for d in sorted(window.days)] or None,
            ),
        ),
        InputBlock(
            block_id="start",
            label=_("From"),
            element=StaticSelectElement(action_id="value", options=hours, initial_option=by_value[hhmm(window.start)]),
        ),
        InputBlock(
            block_id="end",
            label=_("Until"),
            hint=_("An end before the start spans midnight."),
            element=StaticSelectElement(action_id="value", options=hours, initial_option=by_value[hhmm(window.end)]),
        ),
    ]


def _about_you_inputs(snapshot, slack_tz: str | None) -> list[InputBlock]:
    """The time zone, the companies never to hear about, and the note for companies."""
    return [
        InputBlock(
            block_id="tz_override",
            label=_("Time zone"),
            optional=True,
            hint=_("Leave empty to use your Slack time zone ({zone}).", zone=slack_tz)
            if slack_tz
            else _("Leave empty to use your Slack time zone (unknown, so UTC)."),
            element=PlainTextInputElement(
                action_id="value",
                initial_value=snapshot.tz_override or None,
                placeholder=_("e.g. Europe/Berlin"),
                max_length=64,
            ),
        ),
        InputBlock(
            block_id="never_companies",
            label=_("Companies never to hear about"),
            optional=True,
            hint=_(
                "Your current employer first of all. One per line or comma-separated. Recruiters never see this list."
            ),
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                initial_value="\n".join(snapshot.never_companies) or None,
                max_length=3000,
            ),
        ),
        InputBlock(
            block_id="company_note",
            label=_("Note for companies"),
            optional=True,
            hint=_("Shared only with a company you agree to share your profile with, for that role."),
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                initial_value=getattr(snapshot, "company_note", None) or None,
                max_length=500,
            ),
        ),
    ]


def read_preferences_form(state_values: dict):
    """The modal's submitted values as a `PreferencesForm` (ids and typed text only)."""

    def value(block: str) -> str | None:
        return state_values.get(block, {}).get("value", {}).get("value")

    def selected(block: str) -> str | None:
        option = state_values.get(block, {}).get("value", {}).get("selected_option")
        return option.get("value") if option else None

    days = tuple(o["value"] for o in state_values.get("days", {}).get("value", {}).get("selected_options") or ())
    return PreferencesForm(
        cadence=selected("cadence"),
        interests=value("interests"),
        days=days,
        start=selected("start"),
        end=selected("end"),
        tz_override=value("tz_override"),
        never_companies=value("never_companies"),
        company_note=value("company_note"),
        language=selected("language"),
    )


# Form fields -> the block that shows the error.
ERROR_BLOCKS = {
    "cadence": "cadence",
    "interests": "interests",
    "days": "days",
    "hours": "end",
    "tz_override": "tz_override",
    "never_companies": "never_companies",
    "company_note": "company_note",
}


# Someone erased who has not come back: their preferences are not stored (that would store them).
# A modal's field error is plain text, so the command is written without code marks.
FORGOTTEN_PREFERENCES_NOT_SAVED = N_(
    "You asked Nudge to forget you, so nothing was saved. If you'd like to come back, {command} join first; "
    "or just close this."
)


def forgotten_preferences_not_saved(*, command: str) -> str:
    return _(FORGOTTEN_PREFERENCES_NOT_SAVED, command=command)


ROLE_CALLBACK = "nudge.role.add"
ROLE_FROM_HOME = "home"  # the role form's private_metadata when App Home's *New role* opened it
ROLE_FIELDS = ("title", "company", "details", "tags", "location", "remote", "pay_range")


def modal(
    *, title: str, blocks: list, callback_id: str | None = None, submit: str | None = None, close: str | None = None
) -> View:
    """A modal; with `submit` it is a form whose submission Nudge receives under `callback_id`. Its
    close button says "Cancel" in the reader's language unless `close` names it."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=title),
        submit=PlainTextObject(text=submit) if submit else None,
        close=PlainTextObject(text=close or _("Cancel")),
        blocks=fit_blocks(list(blocks), MAX_VIEW_BLOCKS),
    )


def text_input(
    block_id: str,
    label: str,
    *,
    optional: bool = True,
    multiline: bool = False,
    max_length: int,
    hint: str | None = None,
    placeholder: str | None = None,
) -> InputBlock:
    """One typed field; its value arrives as `state.values[block_id]["value"]`."""
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        hint=hint,
        element=PlainTextInputElement(
            action_id="value", multiline=multiline, max_length=max_length, placeholder=placeholder
        ),
    )


def role_modal(*, from_home: bool = False) -> View:
    """The `role add` form; nothing from the recruiter travels in `private_metadata`, only
    whether App Home opened it (that tab is then refreshed with the new role)."""
    form = modal(
        title=_("New role"),
        callback_id=ROLE_CALLBACK,
        submit=_("Create"),
        blocks=[
            text_input(
                "title", _("Title"), optional=False, max_length=150, placeholder=_("e.g. Senior Backend Engineer")
            ),
            text_input("company", _("Company"), optional=False, max_length=100),
            InputBlock(
                block_id="confidential",
                label=_("Confidential"),
                optional=True,
                element=CheckboxesElement(
                    action_id="value",
                    options=[
                        Option(
                            value="yes", text=_("Hide the company until the candidate agrees to share their details")
                        )
                    ],
                ),
            ),
            text_input(
                "details",
                _("Details"),
                multiline=True,
                max_length=2000,
                hint=_("Calm and specific: what the work is, the team, why it might interest them."),
            ),
            text_input(
                "tags",
                _("Tags"),
                max_length=900,
                hint=_("Comma-separated: roles, stack, seniority, locations, remote."),
            ),
            text_input("location", _("Location"), max_length=100),
            text_input("remote", _("Remote"), max_length=50, placeholder=_("e.g. fully remote, hybrid, on-site")),
            InputBlock(
                block_id="remote_ok",
                label=_("Fully remote"),
                optional=True,
                element=CheckboxesElement(
                    action_id="value", options=[Option(value="yes", text=_("Candidates can work fully remotely"))]
                ),
            ),
            text_input(
                "pay_range",
                _("Pay range"),
                max_length=100,
                placeholder=_("e.g. €80k–95k"),
                hint=_("Candidates see stated ranges in their market pulse (never who else was invited)."),
            ),
        ],
    )
    return View(**form.to_dict(), private_metadata=ROLE_FROM_HOME) if from_home else form


def read_role_form(state_values: dict) -> dict:
    """The submitted role fields as strings, plus `confidential` and `remote_ok` as bools."""
    values: dict = {name: (state_values.get(name, {}).get("value", {}).get("value") or "") for name in ROLE_FIELDS}
    for box in ("confidential", "remote_ok"):
        selected = state_values.get(box, {}).get("value", {}).get("selected_options") or []
        values[box] = any(option.get("value") == "yes" for option in selected)
    return values


def role_created_modal(text: str) -> View:
    """Shown in place of the form once the role exists."""
    return modal(title=_("Role created"), close=_("Done"), blocks=sections(text))
