"""The `/nudge` slash command. Replies are the ack body, which Slack shows as ephemeral."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import messages, views
from bot.commands import Audience, ParsedCommand, parse_command
from bot.consent import ConsentStatus, Via
from bot.messages import Message
from bot.people import People
from bot.preferences import PauseInputError, describe_day, parse_pause
from bot.recruiting_service import Recruiting
from bot.service import Nudge
from handlers import recruiter_commands


def register(app: App, *, nudge: Nudge, people: People, recruiting: Recruiting, outbox, mydata=None) -> None:
    @app.command(nudge.settings.command)
    def on_nudge_command(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        user_id = command["user_id"]
        parsed = parse_command(command.get("text"))
        # views.open must happen within 3 s of the trigger: open first, then ack quietly.
        if parsed.name == "prefs":
            open_preferences(client, nudge, people, user_id=user_id, trigger_id=command["trigger_id"])
            ack()
            return
        if parsed.name == "role" and parsed.args.strip().casefold() == "add" and nudge.is_recruiter(user_id):
            client.views_open(trigger_id=command["trigger_id"], view=views.role_modal())
            ack()
            return
        if parsed.name == "mydata" and mydata is not None:
            ack(**messages.mydata_on_its_way().as_kwargs())
            outbox.executor.submit(mydata.send, user_id)  # slow work after the ack
            return
        if parsed.audience is Audience.RECRUITER and nudge.is_recruiter(user_id):
            reply = recruiter_commands.answer(recruiting, user_id=user_id, parsed=parsed, kick=outbox.kick)
        else:
            reply = answer(nudge, people, user_id=user_id, parsed=parsed)
        if parsed.name in ("stop", "forget") and nudge.send_in_flight(user_id):
            # A message to them is on its way: confirm only once it has landed.
            ack()
            nudge.when_quiet(user_id, lambda: respond(**reply.as_kwargs()))
            return
        ack(**reply.as_kwargs())


def open_preferences(client: WebClient, nudge: Nudge, people: People, *, user_id: str, trigger_id: str) -> None:
    snapshot = nudge.snapshot(user_id)
    people.zone_name(snapshot)  # refreshes the cached Slack zone shown in the form
    snapshot = nudge.snapshot(user_id)
    client.views_open(trigger_id=trigger_id, view=views.preferences_modal(snapshot, slack_tz=snapshot.slack_tz))


def answer(nudge: Nudge, people: People, *, user_id: str, parsed: ParsedCommand) -> Message:
    """The reply to one `/nudge …` command from one person."""
    settings = nudge.settings
    command = settings.command
    name, audience = parsed.name, parsed.audience
    if audience is Audience.UNKNOWN:
        return messages.unknown_command(command=command)
    if audience is Audience.RECRUITER and not nudge.is_recruiter(user_id):
        return messages.recruiters_only(
            command=command,
            privacy_url=settings.privacy_url,
            opted_in_now=nudge.consent_status(user_id) is ConsentStatus.OPTED_IN,
        )
    if name == "join":
        change = nudge.join(user_id, via=Via.COMMAND)
        return messages.opted_in(command=command, privacy_url=settings.privacy_url, already=not change.changed)
    if name == "stop":
        change = nudge.stop(user_id, via=Via.COMMAND)
        return messages.opted_out(command=command, already=not change.changed)
    if name == "pause":
        return pause(nudge, people, user_id=user_id, argument=parsed.args, via=Via.COMMAND)
    if name == "forget":
        nudge.erase(user_id, reason=Via.COMMAND.value)
        return messages.forgotten(command=command)
    if name == "resume":
        result = nudge.resume(user_id, via=Via.COMMAND)
        if not result.applied:
            return messages.nothing_to_pause(command=command, standing=result.standing.value)
        return messages.resumed(command=command)
    if name == "help":
        return messages.help_message(
            command=command,
            is_recruiter=nudge.is_recruiter(user_id),
            opted_in_now=nudge.consent_status(user_id) is ConsentStatus.OPTED_IN,
            privacy_url=settings.privacy_url,
        )
    return messages.not_available_yet(command=command, name=name)


def pause(nudge: Nudge, people: People, *, user_id: str, argument: str, via: Via) -> Message:
    """Pause until a length or date read in the person's own time zone, and say until when."""
    command = nudge.settings.command
    snapshot = nudge.snapshot(user_id)
    zone = people.zone(snapshot)
    try:
        until = parse_pause(argument, now=nudge.clock(), zone=zone, command=command)
    except PauseInputError as error:
        return messages.input_problem(problem=str(error))
    result = nudge.pause(user_id, until=until, via=via)
    if not result.applied:
        return messages.nothing_to_pause(command=command, standing=result.standing.value)
    return messages.paused(command=command, until_text=describe_day(until, zone))
