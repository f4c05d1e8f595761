"""The `/nudge` slash command. Replies are the ack body, which Slack shows as ephemeral."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.copy import candidate as messages
from bot.copy import views
from bot.copy.blocks import Message
from bot.rules.commands import Audience, ParsedCommand, parse_command
from bot.rules.consent import ConsentStatus, Via
from bot.rules.preferences import PauseInputError, describe_day, parse_pause
from bot.usecases.candidates import Candidates
from bot.usecases.people import People
from bot.usecases.recruiting import Recruiting
from handlers import recruiter_commands


def register(
    app: App,
    *,
    candidates: Candidates,
    people: People,
    recruiting: Recruiting,
    outbox,
    mydata=None,
    after_yes=None,
    admin=None,
) -> None:
    from handlers import admin_commands
    from handlers import after_yes as after_yes_handlers

    @app.command(candidates.settings.command)
    def on_nudge_command(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        user_id = command["user_id"]
        parsed = parse_command(command.get("text"))
        # views.open must happen within 3 s of the trigger: open first, then ack quietly.
        if parsed.name == "prefs":
            open_preferences(client, candidates, people, user_id=user_id, trigger_id=command["trigger_id"])
            ack()
            return
        if parsed.name == "role" and parsed.args.strip().casefold() == "add" and candidates.is_recruiter(user_id):
            client.views_open(trigger_id=command["trigger_id"], view=views.role_modal())
            ack()
            return
        if parsed.name == "admin" and admin is not None:
            admin_commands.on_admin_command(
                admin,
                user_id=user_id,
                args=parsed.args,
                command=candidates.settings.command,
                ack=ack,
                executor=outbox.executor,
            )
            return
        if parsed.name == "mydata" and mydata is not None:
            ack(**messages.mydata_on_its_way().as_kwargs())
            outbox.executor.submit(mydata.send, user_id)  # slow work after the ack
            return
        if parsed.name == "sharing" and after_yes is not None:
            ack(**after_yes_handlers.sharing_reply(after_yes, user_id).as_kwargs())
            return
        if parsed.name == "profile" and after_yes is not None and candidates.is_recruiter(user_id):
            reply = after_yes_handlers.profile_reply(after_yes, client, recruiter_id=user_id, args=parsed.args)
        elif parsed.audience is Audience.RECRUITER and candidates.is_recruiter(user_id):
            reply = recruiter_commands.answer(recruiting, user_id=user_id, parsed=parsed, kick=outbox.kick)
        else:
            reply = answer(candidates, people, user_id=user_id, parsed=parsed)
        if parsed.name in ("stop", "forget") and candidates.send_in_flight(user_id):
            # A message to them is on its way: confirm only once it has landed.
            ack()
            candidates.when_quiet(user_id, lambda: respond(**reply.as_kwargs()))
            return
        ack(**reply.as_kwargs())


def open_preferences(
    client: WebClient, candidates: Candidates, people: People, *, user_id: str, trigger_id: str
) -> None:
    snapshot = candidates.snapshot(user_id)
    people.zone_name(snapshot)  # refreshes the cached Slack zone shown in the form
    snapshot = candidates.snapshot(user_id)
    client.views_open(trigger_id=trigger_id, view=views.preferences_modal(snapshot, slack_tz=snapshot.slack_tz))


def answer(candidates: Candidates, people: People, *, user_id: str, parsed: ParsedCommand) -> Message:
    """The reply to one `/nudge …` command from one person."""
    settings = candidates.settings
    command = settings.command
    name, audience = parsed.name, parsed.audience
    if audience is Audience.UNKNOWN:
        return messages.unknown_command(command=command)
    if audience is Audience.RECRUITER and not candidates.is_recruiter(user_id):
        return messages.recruiters_only(
            command=command,
            privacy_url=settings.privacy_url,
            opted_in_now=candidates.consent_status(user_id) is ConsentStatus.OPTED_IN,
        )
    if name == "join":
        change = candidates.join(user_id, via=Via.COMMAND)
        return messages.opted_in(command=command, privacy_url=settings.privacy_url, already=not change.changed)
    if name == "stop":
        change = candidates.stop(user_id, via=Via.COMMAND)
        return messages.opted_out(command=command, already=not change.changed)
    if name == "pause":
        return pause(candidates, people, user_id=user_id, argument=parsed.args, via=Via.COMMAND)
    if name == "forget":
        candidates.erase(user_id, reason=Via.COMMAND.value)
        return messages.forgotten(command=command)
    if name == "resume":
        result = candidates.resume(user_id, via=Via.COMMAND)
        if not result.applied:
            return messages.nothing_to_pause(command=command, standing=result.standing.value)
        return messages.resumed(command=command)
    if name == "help":
        return messages.help_message(
            command=command,
            is_recruiter=candidates.is_recruiter(user_id),
            opted_in_now=candidates.consent_status(user_id) is ConsentStatus.OPTED_IN,
            privacy_url=settings.privacy_url,
            is_admin=candidates.is_admin(user_id),
        )
    return messages.not_available_yet(command=command, name=name)


def pause(candidates: Candidates, people: People, *, user_id: str, argument: str, via: Via) -> Message:
    """Pause until a length or date read in the person's own time zone, and say until when."""
    command = candidates.settings.command
    snapshot = candidates.snapshot(user_id)
    zone = people.zone(snapshot)
    try:
        until = parse_pause(argument, now=candidates.clock(), zone=zone, command=command)
    except PauseInputError as error:
        return messages.input_problem(problem=str(error))
    result = candidates.pause(user_id, until=until, via=via)
    if not result.applied:
        return messages.nothing_to_pause(command=command, standing=result.standing.value)
    return messages.paused(command=command, until_text=describe_day(until, zone))
