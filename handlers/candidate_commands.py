"""Candidate subcommands of `/nudge`: parse the arguments, call the use case, render the reply."""

from __future__ import annotations

from bot.copy import candidate as messages
from bot.copy import market as market_copy
from bot.copy.blocks import Message
from bot.copy.i18n import day_and_date
from bot.rules.consent import ConsentStatus, Via
from bot.rules.preferences import PauseInputError, parse_pause
from bot.usecases.erasure import erase
from bot.usecases.exports import Export
from handlers.after_yes import sharing_reply
from handlers.replies import CommandRequest, OpenModal, Reply, Route
from handlers.services import Services
from handlers.shared import preferences_modal


def opted_in_now(services: Services, user_id: str) -> bool:
    return services.consent.status(user_id) is ConsentStatus.OPTED_IN


def join(services: Services, request: CommandRequest) -> Reply:
    change = services.consent.join(request.user_id, via=Via.COMMAND)
    already = not change.changed
    return Reply(messages.opted_in(command=services.command, privacy_url=services.privacy_url, already=already))


def stop(services: Services, request: CommandRequest) -> Reply:
    change = services.consent.stop(request.user_id, via=Via.COMMAND)
    return Reply(messages.opted_out(command=services.command, already=not change.changed), after_quiet=True)


def forget(services: Services, request: CommandRequest) -> Reply:
    erase(services.ctx, services.inflight, request.user_id, reason=Via.COMMAND)
    return Reply(messages.forgotten(command=services.command), after_quiet=True)


def pause(services: Services, request: CommandRequest) -> Reply:
    """Pause until a length or date read in the person's own time zone, and say until when."""
    return Reply(pause_reply(services, request.user_id, request.args, via=Via.COMMAND))


def pause_reply(services: Services, user_id: str, argument: str, *, via: Via) -> Message:
    command = services.command
    zone = services.people.zone(services.preferences.snapshot(user_id))
    try:
        until = parse_pause(argument, now=services.ctx.clock(), zone=zone, command=command)
    except PauseInputError as error:
        return messages.pause_problem(error)
    result = services.consent.pause(user_id, until=until, via=via)
    if not result.applied:
        return messages.nothing_to_pause(command=command, standing=result.standing)
    return messages.paused(command=command, until_text=day_and_date(until, zone))


def resume(services: Services, request: CommandRequest) -> Reply:
    result = services.consent.resume(request.user_id, via=Via.COMMAND)
    if not result.applied:
        return Reply(messages.nothing_to_pause(command=services.command, standing=result.standing))
    return Reply(messages.resumed(command=services.command))


def help_(services: Services, request: CommandRequest) -> Reply:
    return Reply(
        messages.help_message(
            command=services.command,
            is_recruiter=request.roles.recruiter,
            opted_in_now=opted_in_now(services, request.user_id),
            privacy_url=services.privacy_url,
            is_admin=request.roles.admin,
        )
    )


def prefs(services: Services, request: CommandRequest) -> OpenModal:
    return OpenModal(preferences_modal(services, request.user_id))


def sharing(services: Services, request: CommandRequest) -> Reply:
    return Reply(sharing_reply(services, request.user_id))


def mydata(services: Services, request: CommandRequest) -> Reply:
    if not services.exports.allow(request.user_id, Export.MYDATA):
        return Reply(messages.mydata_asked_a_moment_ago())
    return Reply(messages.mydata_on_its_way(), later=lambda: services.mydata.send(request.user_id), later_name="mydata")


def market(services: Services, request: CommandRequest) -> Reply:
    own = services.preferences.snapshot(request.user_id)
    pulse = services.market.pulse(own.interests, own.never_companies)
    return Reply(market_copy.market_pulse(pulse, command=services.command))


ROUTES: dict[str, Route] = {
    "join": join,
    "stop": stop,
    "pause": pause,
    "resume": resume,
    "prefs": prefs,
    "market": market,
    "sharing": sharing,
    "mydata": mydata,
    "forget": forget,
    "help": help_,
}
