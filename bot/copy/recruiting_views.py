"""What recruiters see outside `/nudge`: the invite modal, the role choice for *Find matches*,
the *Close role* confirmation, matches with an *Invite* button each, the pipeline with a stage
select each, and the one message with every invitation's outcome.

Role titles and companies are what a recruiter typed: escaped and shown in `verbatim` text
objects, or as plain text where Slack takes only plain text (options). Buttons, options and
`private_metadata` carry ids only.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ExternalDataSelectElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.copy.blocks import ELLIPSIS, Message, candidate_mention, context, section, verbatim_section
from bot.copy.i18n import N_, _, ngettext, number
from bot.copy.labels import count_rows, state_label
from bot.copy.recruiter import (
    ACTION_SEND_OPT_IN_REQUEST,
    and_more,
    match_reason,
    matches,
    matches_head,
    nobody_to_invite,
    pipeline,
    problem,
    role_label,
)
from bot.copy.recruiting_ids import (
    MAX_STATIC_OPTIONS,
    RecruitingAction,
    RecruitingBlock,
    RecruitingCallback,
    with_id,
)
from bot.copy.views import modal
from bot.rules.recruiting import Match, allowed_next_stages
from bot.rules.statuses import Stage
from bot.rules.text import escape

MAX_PEOPLE = 10
MAX_OPTION_TEXT = 75
MAX_LISTED = 25  # matches or candidates shown with a control each
# Shown where they are used, in the reader's language: `_(RECRUITERS_ONLY)`.
RECRUITERS_ONLY = N_("That's for recruiters only.")
NO_ROLE_CHOSEN = N_("Choose one of the open roles.")
NO_ONE_CHOSEN = N_("Choose at least one person.")


def people_limit() -> str:
    return _("Choose up to {n} people at a time.", n=MAX_PEOPLE)


@dataclass(frozen=True)
class InviteForm:
    role_id: int | None
    people: tuple[str, ...]
    note: str


def role_option(role) -> Option:
    """`#7 Backend Engineer · Acme`, plain text (an option shows no markup), cut so that even
    counted after escaping (`&` as `&amp;`) it stays within Slack's 75 characters."""
    text = f"#{role.id} {role.title} · {role.company}"
    if len(escape(text)) > MAX_OPTION_TEXT:
        cut = text[:MAX_OPTION_TEXT]
        while len(escape(cut + ELLIPSIS)) > MAX_OPTION_TEXT:
            cut = cut[:-1]
        text = cut.rstrip() + ELLIPSIS
    return Option(value=str(role.id), text=text)


def role_suggestions(roles, query: str) -> list[Option]:
    """What the external role select offers for `query`: roles whose id, title or company
    contain it, at most 100 (Slack shows no more)."""
    wanted = query.strip().lstrip("#").casefold()
    found = [r for r in roles if not wanted or wanted in f"{r.id} {r.title} {r.company}".casefold()]
    return [role_option(role) for role in found[:MAX_STATIC_OPTIONS]]


def role_select(roles, chosen=None):
    """Every open role in a static select; past 100 roles an external select, which asks Nudge
    for the roles matching what the recruiter types (a static select holds at most 100)."""
    initial = role_option(chosen) if chosen is not None else None
    if len(roles) <= MAX_STATIC_OPTIONS:
        options = [role_option(role) for role in roles]
        initial = next((o for o in options if initial and o.value == initial.value), None)
        return StaticSelectElement(
            action_id=RecruitingAction.ROLE_CHOICE,
            placeholder=_("Choose a role"),
            options=options,
            initial_option=initial,
        )
    return ExternalDataSelectElement(
        action_id=RecruitingAction.ROLE_CHOICE,
        placeholder=_("Type a title, company or #id"),
        min_query_length=0,
        initial_option=initial,
    )


def _no_open_roles(title: str) -> View:
    text = _("There are no open roles yet. *New role* on your App Home (or the *New role* shortcut) creates one.")
    return modal(title=title, close=_("Close"), blocks=[section(text)])


def invite_modal(roles, *, role=None, people: tuple[str, ...] = ()) -> View:
    """Invite candidates: a role, up to 10 people, an optional note."""
    if not roles:
        return _no_open_roles(_("Invite candidates"))
    blocks = [
        InputBlock(block_id=RecruitingBlock.ROLE, label=_("Role"), element=role_select(roles, role)),
        InputBlock(
            block_id=RecruitingBlock.PEOPLE,
            label=_("People"),
            hint=_(
                "Up to {n}. Nudge checks each person as it checks any invitation and tells you each outcome.",
                n=MAX_PEOPLE,
            ),
            element=UserMultiSelectElement(
                action_id=RecruitingAction.PEOPLE,
                placeholder=_("Choose people"),
                initial_users=list(people[:MAX_PEOPLE]) or None,
                max_selected_items=MAX_PEOPLE,
            ),
        ),
        InputBlock(
            block_id=RecruitingBlock.NOTE,
            label=_("Note"),
            optional=True,
            hint=_("A personal line for the invitation. Calm words only: no urgency."),
            element=PlainTextInputElement(action_id=RecruitingAction.NOTE, multiline=True, max_length=500),
        ),
        context(_("No commitment for anyone: this is a conversation, not an application.")),
    ]
    title = _("Invite candidates")
    return modal(title=title, blocks=blocks, callback_id=RecruitingCallback.INVITE, submit=_("Invite"))


def _selected(values: dict, block: str, action: str) -> dict:
    return (values.get(block) or {}).get(action) or {}


def read_invite_form(values: dict) -> InviteForm:
    """The submitted role id, people and note (ids and typed text only)."""
    option = _selected(values, RecruitingBlock.ROLE, RecruitingAction.ROLE_CHOICE).get("selected_option") or {}
    role_text = str(option.get("value") or "")
    people = _selected(values, RecruitingBlock.PEOPLE, RecruitingAction.PEOPLE).get("selected_users") or []
    note = _selected(values, RecruitingBlock.NOTE, RecruitingAction.NOTE).get("value") or ""
    return InviteForm(
        role_id=int(role_text) if role_text.isdigit() and len(role_text) < 10 else None,
        people=tuple(dict.fromkeys(str(p) for p in people)),
        note=note.strip(),
    )


def pick_role_modal(roles) -> View:
    """*Find matches* from App Home: which role first; the matches replace this view."""
    if not roles:
        return _no_open_roles(_("Find matches"))
    select = InputBlock(block_id=RecruitingBlock.ROLE, label=_("Role"), element=role_select(roles))
    title = _("Find matches")
    return modal(title=title, blocks=[select], callback_id=RecruitingCallback.PICK_ROLE, submit=title)


def close_role_modal(role) -> View:
    """The confirmation *Close role* asks for: what closing does, and a button that does it."""
    text = _(
        "Close {role}?\nQueued invitations to it are cancelled, and everyone talking about it "
        "gets one friendly stay-in-touch message.",
        role=role_label(role),
    )
    return View(
        **modal(
            title=_("Close role"),
            blocks=[verbatim_section(text)],
            callback_id=RecruitingCallback.CLOSE_ROLE,
            submit=_("Close role"),
        ).to_dict(),
        private_metadata=str(role.id),
    )


def _invite_button(role_id: int, user_id: str) -> ButtonElement:
    return ButtonElement(text=_("Invite"), action_id=RecruitingAction.INVITE_PERSON, value=f"{role_id}:{user_id}")


def match_blocks(role, found: list[Match]) -> list:
    """One line per eligible candidate with the reason and an *Invite* button."""
    blocks: list[Block] = []
    for match in found[:MAX_LISTED]:
        line = f"<@{match.user_id}> — {match_reason(match.shared_tags)}"
        blocks.append(
            verbatim_section(
                line,
                block_id=with_id(RecruitingBlock.MATCH_LINE, match.user_id),
                accessory=_invite_button(role.id, match.user_id),
            )
        )
    if len(found) > MAX_LISTED:
        blocks.append(context(and_more(len(found) - MAX_LISTED)))
    return blocks


def matches_view(role, found: list[Match]) -> View:
    head = (
        _("*{n} could be invited to {role}*", n=number(len(found)), role=role_label(role))
        if found
        else nobody_to_invite(role)
    )
    blocks = [verbatim_section(head), *match_blocks(role, found)]
    return modal(title=_("Matches"), blocks=blocks, callback_id=RecruitingCallback.MATCHES, close=_("Done"))


def stage_select(role_id: int, candidate_id: str, current: Stage) -> StaticSelectElement | None:
    """The stages this candidate can move to (stages only move forward); None when none."""
    options = [
        Option(value=f"{role_id}:{candidate_id}:{stage.value}", text=state_label(stage))
        for stage in allowed_next_stages(current)
    ]
    if not options:
        return None
    return StaticSelectElement(
        action_id=RecruitingAction.STAGE,
        placeholder=_("At {stage}: move to…", stage=state_label(current)),
        options=options,
    )


def pipeline_people_blocks(role, accepted) -> list:
    """One line per candidate who said *Happy to chat*, with a stage select while it can move."""
    blocks = []
    for invitation in accepted[:MAX_LISTED]:
        stage = Stage(invitation.stage or Stage.ACCEPTED)
        who = candidate_mention(invitation.candidate_id, start=True)
        select = stage_select(role.id, invitation.candidate_id, stage) if who.startswith("<@") else None
        blocks.append(
            verbatim_section(
                f"{who} — {state_label(stage)}",
                block_id=with_id(RecruitingBlock.PIPELINE_LINE, invitation.id),
                accessory=select,
            )
        )
    return blocks


def pipeline_view(role, counts: list[tuple[str, int]], accepted, *, outcome: str | None = None) -> View:
    """The pipeline of one role as a modal (from App Home), with an outcome line after a change."""
    summary = count_rows(counts) or _("No invitations yet.")
    blocks = [
        *([section(outcome)] if outcome else []),
        verbatim_section(_("*Pipeline for {scope}*", scope=role_label(role)) + "\n" + summary),
        *pipeline_people_blocks(role, accepted),
    ]
    return View(
        **modal(title=_("Pipeline"), blocks=blocks, callback_id=RecruitingCallback.PIPELINE, close=_("Done")).to_dict(),
        private_metadata=str(role.id),
    )


def invite_outcomes(outcomes: list[tuple[str, Message, bool]]) -> Message:
    """One message with each person's outcome, worded as `/nudge invite` words it; a person
    who can get the one-time opt-in request has its button beside their line."""
    blocks = []
    for candidate_id, reply, can_request in outcomes:
        accessory = (
            ButtonElement(
                text=_("Send one-time opt-in request"), action_id=ACTION_SEND_OPT_IN_REQUEST, value=candidate_id
            )
            if can_request
            else None
        )
        blocks.append(
            verbatim_section(reply.text, block_id=with_id(RecruitingBlock.OUTCOME, candidate_id), accessory=accessory)
        )
    text = "\n".join(reply.text for _person, reply, _button in outcomes)
    return Message(text=text, blocks=tuple(blocks))


def no_role(role_id: int) -> Message:
    return problem(_("There is no role #{id}.", id=role_id))


def no_invitation(candidate_id: str, role_id: int) -> Message:
    return problem(_("{person} has no invitation to role #{id}.", person=f"<@{candidate_id}>", id=role_id))


def stage_not_started(candidate_id: str, role_id: int) -> Message:
    """A stage set before the candidate said *Happy to chat*."""
    return problem(
        _(
            "Stages start once {person} says they're happy to chat; their invitation to role #{id} isn't there yet.",
            person=f"<@{candidate_id}>",
            id=role_id,
        )
    )


def booking_link_not_https() -> Message:
    return problem(_("A booking link must be a full https:// address, like `https://cal.example.com/ann`."))


def recruiters_only_modal() -> View:
    """A global shortcut has no channel to answer in: a short modal says it instead."""
    return modal(title="Nudge", close=_("Close"), blocks=[section(_(RECRUITERS_ONLY))])


def invitations_sent_view(count: int) -> View:
    """Shown in place of the invite form: the outcomes themselves arrive as one message."""
    text = ngettext(
        "Done: {n} person checked. The outcome for each is in your messages from Nudge.",
        "Done: {n} people checked. The outcome for each is in your messages from Nudge.",
        count,
    )
    return modal(title=_("Invite candidates"), close=_("Done"), blocks=[section(text)])


def role_closed_view(text: str) -> View:
    return modal(title=_("Close role"), close=_("Done"), blocks=[section(text)])


def matches_message(role, found: list[Match], *, command: str) -> Message:
    """`/nudge match` as a message: the ranked list, each person with an *Invite* button."""
    listed = matches(role, found, command=command)
    if not found:
        return listed
    head = matches_head(role, len(found))
    return Message(text=listed.text, blocks=(verbatim_section(head), *match_blocks(role, found)))


def pipeline_message(role, counts: list[tuple[str, int]], accepted, *, outcome: str | None = None) -> Message:
    """`/nudge pipeline ROLE_ID` as a message: counts, then each accepted candidate with a stage select."""
    summary = pipeline(role, counts)
    blocks = (
        *([section(outcome)] if outcome else []),
        verbatim_section(summary.text),
        *pipeline_people_blocks(role, accepted),
    )
    return Message(text=(outcome + "\n" if outcome else "") + summary.text, blocks=blocks)
