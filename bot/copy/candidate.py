"""Every message Nudge shows, built with `slack_sdk.models` so Slack's limits are checked.

Copy follows the spec's principles: no urgency, no commitment implied, an easy way out in every
message. Button values carry ids or fixed words only, never user text. Anything a person typed is
passed through `escape` before it is shown.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
)

from bot.copy.blocks import Message, button, context, section
from bot.copy.i18n import N_, _, number
from bot.rules.commands import ADMIN_COMMANDS, CANDIDATE_COMMANDS, RECRUITER_COMMANDS, CommandInfo
from bot.rules.consent import Standing
from bot.rules.preferences import PAUSE_USAGE, PauseInputError
from bot.rules.text import link

# Bump a version whenever the wording a person consents under changes: the ledger records it.
OPT_IN_WORDING_VERSION = "opt-in/2026-11-26"
OPT_OUT_WORDING_VERSION = "opt-out/2026-11-26"
PAUSE_WORDING_VERSION = "pause/2026-11-26"
PREFERENCES_WORDING_VERSION = "preferences/2026-11-26"
RENEWAL_WORDING_VERSION = "renewal/2026-11-26"
SHARE_WORDING_VERSION = "share/2026-12-01"
STAY_IN_TOUCH_WORDING_VERSION = "stay-in-touch/2026-12-01"

# Action ids of the buttons; handlers register on these exact strings.
ACTION_JOIN = "nudge.consent.join"
ACTION_STOP = "nudge.consent.stop"
ACTION_PAUSE = "nudge.pause"
ACTION_RESUME = "nudge.resume"
ACTION_EDIT_PREFERENCES = "nudge.preferences.edit"


def no_commitment() -> str:
    """Principle 1 in one line, in the current language."""
    return _("No commitment: this is a conversation, not an application.")


def nothing_committed() -> str:
    """The spec's three promises, said once, for the invitation, the yes and every check-in."""
    return _(
        "No commitment: a conversation is not an application, an interview is not a job offer, "
        "and an offer need not be accepted."
    )


def value_line() -> str:
    return _(
        "Even without a move, a conversation shows you your market value, sharpens your "
        "interview skills and widens your network."
    )


def privacy_line(privacy_url: str | None) -> str:
    """The privacy notice linked in the person's language ("" when no notice is set)."""
    if not privacy_url:
        return ""
    label = _("privacy notice")
    return _("How Nudge handles your data: {privacy_link}.", privacy_link=link(privacy_url, label))


def join_button() -> ButtonElement:
    return button(_("Count me in"), ACTION_JOIN, "join", style="primary")


def stop_button() -> ButtonElement:
    return button(_("Stop all invitations"), ACTION_STOP, "stop")


def opted_in(*, command: str, privacy_url: str | None, already: bool) -> Message:
    """Reply to a join, new or repeated (joining twice is harmless and says so)."""
    if already:
        head = _("You're already in — nothing changed.")
    else:
        head = _(
            "You're in. Now and then Nudge may invite you to a low-pressure conversation about a "
            "role that fits you. Saying no, or not answering, is always fine."
        )
    lines = [
        head,
        no_commitment(),
        _("To stop, reply *stop* here or use `{command} stop` — it takes effect at once.", command=command),
    ]
    footer = " ".join(part for part in (value_line(), privacy_line(privacy_url)) if part)
    return Message(
        text=" ".join(lines),
        blocks=(section("\n".join(lines)), context(footer)),
    )


def opted_out(*, command: str, already: bool) -> Message:
    """Confirmation of an opt-out; nothing else follows it."""
    head = (
        _("You're already opted out — Nudge sends you no invitations.")
        if already
        else _("Done — you won't get any more invitations from Nudge.")
    )
    back = _("If you ever change your mind, `{command} join` brings you back.", command=command)
    return Message(text=f"{head} {back}", blocks=(section(f"{head}\n{back}"),))


def _command_lines(command: str, infos: tuple[CommandInfo, ...]) -> list[str]:
    return [f"`{command} {info.usage}` — {_(info.summary)}" for info in infos if info.available]


def help_message(
    *, command: str, is_recruiter: bool, opted_in_now: bool, privacy_url: str | None, is_admin: bool = False
) -> Message:
    """Role-aware help: candidates see only their own commands, admins also the admin tools."""
    intro = _(
        "Nudge occasionally invites people in this community to a no-commitment conversation "
        "about a role. You decide whether, when and how often."
    )
    lines = [intro, "", _("*Your commands*"), *_command_lines(command, CANDIDATE_COMMANDS)]
    lines.append(_("In a direct message to Nudge you can also type *stop* or *help*."))
    if is_recruiter:
        recruiter_lines = _command_lines(command, RECRUITER_COMMANDS)
        lines += ["", _("*Recruiter commands*")]
        lines += recruiter_lines or [_("Recruiter commands are not switched on in this version yet.")]
    if is_admin:
        lines += ["", _("*Admin commands*"), *_command_lines(command, ADMIN_COMMANDS)]
    blocks: list[Block] = [section("\n".join(lines))]
    blocks.append(ActionsBlock(elements=[stop_button() if opted_in_now else join_button()]))
    footer = " ".join(part for part in (no_commitment(), privacy_line(privacy_url)) if part)
    blocks.append(context(footer))
    return Message(
        text=_("{intro} Try `{command} join` or `{command} stop`.", intro=intro, command=command), blocks=tuple(blocks)
    )


def unknown_command(*, command: str) -> Message:
    """A subcommand Nudge does not know; the text typed is not echoed back."""
    text = _("Sorry, I don't know that one. `{command} help` lists what you can do.", command=command)
    return Message(text=text, blocks=(section(text),))


def recruiters_only(*, command: str, privacy_url: str | None, opted_in_now: bool) -> Message:
    """A candidate tried a recruiter command: say so, then show them their own help."""
    own_help = help_message(command=command, is_recruiter=False, opted_in_now=opted_in_now, privacy_url=privacy_url)
    head = _("That's for recruiters only. Here is what you can do:")
    return Message(text=f"{head} {own_help.text}", blocks=(section(head), *own_help.blocks))


def not_available_yet(*, command: str, name: str) -> Message:
    """A command from the spec that this build does not answer yet."""
    text = _(
        "`{command} {name}` isn't available in this version of Nudge yet. `{command} help` lists what is.",
        command=command,
        name=name,
    )
    return Message(text=text, blocks=(section(text),))


def dm_pointer(*, command: str) -> Message:
    """One short, kind pointer for any DM that is not a keyword."""
    text = _(
        "Thanks for the message! I'm a bot, so I can't read replies. Use the buttons on my "
        "messages, type *help* or *stop* here, or try `{command} help`.",
        command=command,
    )
    return Message(text=text, blocks=(section(text),))


def paused(*, command: str, until_text: str) -> Message:
    """Confirmation of a pause, with the date in the person's own time zone."""
    head = _("Paused until {date}. No invitations until then — for any role.", date=until_text)
    back = _("`{command} resume` ends the pause early; `{command} stop` ends invitations altogether.", command=command)
    return Message(text=f"{head} {back}", blocks=(section(f"{head}\n{back}"),))


def resumed(*, command: str) -> Message:
    text = _(
        "Welcome back — the pause is over. Invitations can come again, within your preferences. "
        "`{command} pause 90d` pauses again.",
        command=command,
    )
    return Message(text=text, blocks=(section(text),))


def nothing_to_pause(*, command: str, standing: Standing) -> Message:
    """Pause or resume asked by someone with no running invitations (or no pause)."""
    if standing == Standing.OPTED_OUT:
        text = _(
            "You've opted out, so nothing is being sent — there is nothing to pause. `{command} join` brings you back.",
            command=command,
        )
    elif standing == Standing.NOT_JOINED:
        text = _(
            "You haven't joined, so nothing is being sent — there is nothing to pause. `{command} join` opts you in.",
            command=command,
        )
    else:
        text = _(
            "You're not paused right now. `{command} pause 90d` or a date pauses every invitation.", command=command
        )
    return Message(text=text, blocks=(section(text),))


def input_problem(*, problem: str) -> Message:
    """A kind reply to input Nudge cannot use; nothing was changed."""
    text = _("{problem} Nothing was changed.", problem=problem)
    return Message(text=text, blocks=(section(text),))


def pause_problem(error: PauseInputError) -> Message:
    """A pause Nudge cannot use, in the person's language: what was wrong, then what works."""
    parts = [_(error.message, **error.values)] if error.message else []
    if error.with_usage:
        parts.append(_(PAUSE_USAGE, **error.values))
    return input_problem(problem=" ".join(parts))


def welcome(*, command: str, privacy_url: str | None, channel_id: str | None) -> Message:
    """The one welcome DM to someone who joined the community channel."""
    greeting = (
        _("Welcome to {channel}! :wave:", channel=f"<#{channel_id}>")
        if channel_id
        else _("Welcome to the community! :wave:")
    )
    lines = [
        greeting,
        _(
            "Now and then, recruiters here are looking for people like you. If you opt in, Nudge may "
            "invite you to a low-pressure conversation about a role that fits you — at most as often "
            "as you choose, and only at times you choose."
        ),
        no_commitment(),
        _("Not interested? Do nothing: without your yes, Nudge never messages you again."),
    ]
    return _ask_to_join(lines, command=command, privacy_url=privacy_url)


def _ask_to_join(lines: list[str], *, command: str, privacy_url: str | None) -> Message:
    """A message asking someone to opt in: the copy, one *Count me in* button, value and privacy."""
    footer = " ".join(part for part in (value_line(), privacy_line(privacy_url)) if part)
    return Message(
        text=" ".join(lines),
        blocks=(
            section("\n".join(lines)),
            ActionsBlock(elements=[join_button()]),
            context(_("{footer} You can also type `{command} join`.", footer=footer, command=command)),
        ),
    )


def opt_in_request(*, command: str, privacy_url: str | None) -> Message:
    """The one-time opt-in request a recruiter may send: asked once, ever, and easy to ignore."""
    lines = [
        _("Hi! A recruiter in this workspace thinks you might like to hear about a role now and then."),
        _(
            "Would you like occasional invitations to a low-pressure conversation? You choose how often, "
            "on which days and at which hours."
        ),
        no_commitment(),
        _("Not interested? Just ignore this: you won't be asked again."),
    ]
    return _ask_to_join(lines, command=command, privacy_url=privacy_url)


def forgotten(*, command: str) -> Message:
    text = _(
        "Done — Nudge has erased what it stored about you. It keeps only a one-way code so it never "
        "messages you again. If you ever want to come back, `{command} join` is all it takes.",
        command=command,
    )
    return Message(text=text, blocks=(section(text),))


def mydata_on_its_way() -> Message:
    text = _("Gathering everything Nudge stores about you — it arrives as a file in your DM with Nudge in a moment.")
    return Message(text=text, blocks=(section(text),))


def mydata_asked_a_moment_ago() -> Message:
    text = _(
        "You asked a moment ago, so your file is already on its way to your DM with Nudge. "
        "If it doesn't arrive, ask again in a minute."
    )
    return Message(text=text, blocks=(section(text),))


_STATUS = {"not_joined": N_("not opted in"), "opted_in": N_("opted in"), "opted_out": N_("opted out")}


def mydata_title() -> str:
    return _("Everything Nudge stores about you")


def mydata_comment(*, status: str, consents: int, invitations: int, shared: int) -> str:
    """The line above `/nudge mydata`'s file: what it holds, in counts."""
    return _(
        "Here is everything Nudge stores about you. Status: {status}; {consents} consent records; "
        "{invitations} invitations; your profile was shared {shared} times.",
        status=_(_STATUS[status]) if status in _STATUS else status.replace("_", " "),
        consents=number(consents),
        invitations=number(invitations),
        shared=number(shared),
    )
