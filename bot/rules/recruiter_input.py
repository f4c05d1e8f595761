"""What recruiters type: references to people and roles, tags, and role drafts from the modal or
the inline command (their text checked by `recruiter_text`).

Pure functions, no Slack, no database and no clock: handlers parse here, then store and reply.
Error messages are written to be shown as they are, and never repeat the recruiter's own text
back (apart from a matched pressure phrase, in our spelling), so nothing needs escaping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.rules.pay import PayRange, parse_pay_range, remote_flag
from bot.rules.recruiter_text import check_recruiter_text
from bot.rules.said import N_, Count, Said


class InputError(Exception):
    """Bad recruiter input; `args[0]` is a kind, one-line `Said` saying what is expected, which copy
    says in the reader's language (str(err) is the English). `field` names the role field it is
    about, when there is one, so a form can show it under that field and not somewhere else."""

    def __init__(self, problem: str, field: str | None = None) -> None:
        super().__init__(problem)
        self.field = field


# --------------------------------------------------------------------------
# references: @user and #role

# Slack sends mentions as <@U123> or <@U123|name> (should_escape: true); W… ids are Enterprise Grid.
_USER_ID = r"[UW][A-Z0-9]{2,}"
_USER_REF_RE = re.compile(rf"<@(?P<marked>{_USER_ID})(?:\|[^<>]*)?>|(?P<bare>{_USER_ID})")
_ROLE_REF_RE = re.compile(r"#?(?P<digits>[0-9]+)")
MAX_ROLE_ID = 2**31 - 1  # what a PostgreSQL integer column holds


def parse_user_ref(text: str) -> str | None:
    """The Slack user id in a mention (`<@U123|ann>`, `<@U123>`) or a bare id, else None.

    A plain `@ann` is not accepted: display names are neither unique nor stable.
    """
    match = _USER_REF_RE.fullmatch(text.strip())
    if match is None:
        return None
    return match.group("marked") or match.group("bare")


def parse_role_ref(text: str) -> int | None:
    """A role id written `7`, `#7` or ` #07 `; None for anything that cannot be a role id."""
    match = _ROLE_REF_RE.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group("digits").lstrip("0")
    if not digits or len(digits) > len(str(MAX_ROLE_ID)):  # also keeps int() away from huge input
        return None
    number = int(digits)
    return number if number <= MAX_ROLE_ID else None


# --------------------------------------------------------------------------
# splitting and tags

# One piece of Slack markup: a link <http://x|label>, a mention <@U1|ann>, <!here>, <#C1|chan>.
_MARKUP_RE = re.compile(r"<[^<>]*>")


def split_outside_markup(text: str, sep: str = "|") -> list[str]:
    """Split on `sep`, except inside Slack's `<…>` markup, where `|` separates a link from its label.

    Parts are returned untrimmed. A `<` with no closing `>` is plain text (with should_escape Slack
    sends a typed `<` as `&lt;`, so this only happens with hand-made input).
    """
    if not sep or "<" in sep or ">" in sep:
        raise ValueError("the separator must be non-empty and contain no < or >")
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        markup = _MARKUP_RE.match(text, i)
        if markup is not None:
            current.append(markup.group())
            i = markup.end()
        elif text.startswith(sep, i):
            parts.append("".join(current))
            current = []
            i += len(sep)
        else:
            current.append(text[i])
            i += 1
    parts.append("".join(current))
    return parts


MAX_TAG_LENGTH = 40
MAX_TAGS = 20
_TAG_TOO_LONG = N_(
    "Tags can be at most {limit} characters each; one of these has {length}. "
    "Please shorten it (tags are separated by commas)."
)
_TOO_MANY_TAGS = N_("Please use at most {limit} tags; this list has {count}.")


def normalize_tag(text: str) -> str:
    """How a tag is stored and compared: trimmed, inner whitespace collapsed, casefolded."""
    return " ".join(text.split()).casefold()


def parse_tags(text: str | None) -> tuple[str, ...]:
    """Comma-separated tags, normalized, empty ones dropped, duplicates removed (first kept).

    Raises InputError for a tag over 40 characters or more than 20 tags; the message does not
    repeat the tag.
    """
    tags: dict[str, None] = {}  # an ordered set
    for item in (text or "").split(","):
        tag = normalize_tag(item)
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InputError(Said(_TAG_TOO_LONG, limit=Count(MAX_TAG_LENGTH), length=Count(len(tag))))
        tags[tag] = None
    if len(tags) > MAX_TAGS:
        raise InputError(Said(_TOO_MANY_TAGS, limit=Count(MAX_TAGS), count=Count(len(tags))))
    return tuple(tags)


# --------------------------------------------------------------------------
# roles


@dataclass(frozen=True)
class RoleDraft:
    """A role as the recruiter described it, checked and trimmed, not yet stored."""

    title: str
    company: str
    confidential: bool
    details: str = ""
    tags: tuple[str, ...] = ()
    location: str | None = None
    remote: str | None = None
    pay_range: str | None = None
    pay: PayRange | None = None  # `pay_range` read as numbers, when it can be
    remote_ok: bool = False


_CONFIDENTIAL_RE = re.compile(r"\(\s*confidential\s*\)\s*(?P<company>.*)", re.IGNORECASE | re.DOTALL)


_NO_COMPANY = N_(
    "A role needs a company name; for a confidential one write “(confidential) Company”, "
    "and candidates will see it only after they agree to share their details."
)


def _one_line(text: str | None) -> str:
    """Single-line fields: trimmed, any run of whitespace (newlines too) becomes one space."""
    return " ".join((text or "").split())


def _checked(field: str, text: str) -> str:
    problem = check_recruiter_text(field, text)
    if problem is not None:
        raise InputError(problem, field)
    return text


def make_role_draft(
    *,
    title: str | None,
    company: str | None,
    details: str | None = "",
    tags: str | Iterable[str] | None = "",
    location: str | None = None,
    remote: str | None = None,
    pay_range: str | None = None,
    confidential: bool = False,
    remote_ok: bool = False,
) -> RoleDraft:
    """Check and tidy a role from the modal or the inline command; InputError says what to fix.

    Title, company, location, remote and pay range are one line each (inner whitespace
    collapsed); details keep their line breaks and are only trimmed. An empty optional field is
    None. `(confidential) Acme` as the company means confidential, company "Acme". `tags` is the
    comma-separated text, or already split items (from a multi-select). Every field goes through
    check_recruiter_text, in the order title, company, details, tags, location, remote, pay range.
    The pay range is also read as numbers, and the role is remote when `remote_ok` says so or
    its remote setting (or, without one, a `remote` tag) does.
    """
    title_text = _checked("title", _one_line(title))
    if not title_text:
        raise InputError(Said(N_("A role needs a title, for example “Senior Backend Engineer”.")), "title")
    company_text = _one_line(company)
    marker = _CONFIDENTIAL_RE.fullmatch(company_text)
    if marker is not None:
        confidential = True
        company_text = marker.group("company").strip()
    if not company_text:
        raise InputError(Said(_NO_COMPANY), "company")
    _checked("company", company_text)
    details_text = _checked("details", (details or "").strip())
    try:
        parsed_tags = parse_tags(tags if isinstance(tags, str) or tags is None else ",".join(tags))
    except InputError as error:
        raise InputError(error.args[0], "tags") from None
    _checked("tags", ", ".join(parsed_tags))
    optional: dict[str, str | None] = {}
    for name, value in (("location", location), ("remote", remote), ("pay_range", pay_range)):
        optional[name] = _checked(name, _one_line(value)) or None
    return RoleDraft(
        title=title_text,
        company=company_text,
        confidential=bool(confidential),
        details=details_text,
        tags=parsed_tags,
        **optional,
        pay=parse_pay_range(optional["pay_range"]),
        remote_ok=bool(remote_ok) or remote_flag(optional["remote"], parsed_tags),
    )


def inline_role_usage(command: str = "/nudge") -> str:
    return f"`{command} role add Title | Company | details | tags`"


_TOO_MANY_PARTS = N_(
    "A one-line role has too many parts: write {usage}, with details and tags optional and tags separated "
    "by commas; add `| pay: €80k–95k` or `| remote: fully remote` if you like. For a `|` inside the "
    "details, run `{command} role add` alone to use the form."
)
_TOO_FEW_PARTS = N_(
    "A one-line role needs at least a title and a company: write {usage}, with details and tags optional and "
    "tags separated by commas; add `| pay: €80k–95k` or `| remote: fully remote` if you like. For a `|` "
    "inside the details, run `{command} role add` alone to use the form."
)

_EXTRA_RE = re.compile(r"\s*(?P<key>pay|remote)\s*:\s*(?P<value>.*)", re.IGNORECASE | re.DOTALL)


def role_extras(parts: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take the optional `pay: …` and `remote: …` parts (anywhere after title and company) out
    of a one-line role: the positional parts left, and those two by key."""
    positional, extras = parts[:2], {}
    for part in parts[2:]:
        extra = _EXTRA_RE.fullmatch(part)
        key = extra.group("key").casefold() if extra else ""
        if extra and key not in extras:
            extras[key] = extra.group("value")
        else:
            positional.append(part)
    return positional, extras


def parse_inline_role(args: str, *, command: str = "/nudge") -> RoleDraft:
    """`Title | Company | details | tags` (details and tags optional), split outside `<…>` markup,
    with optional `| pay: €80k–95k` and `| remote: fully remote` parts.

    `command` is the configured slash command, used only in the explanation of the format.
    """
    parts, extras = role_extras(split_outside_markup(args))
    if len(parts) < 2 or len(parts) > 4:
        problem = _TOO_MANY_PARTS if len(parts) > 4 else _TOO_FEW_PARTS
        raise InputError(Said(problem, usage=inline_role_usage(command), command=command))
    title, company, *rest = parts
    details = rest[0] if rest else ""
    tags = rest[1] if len(rest) > 1 else ""
    return make_role_draft(
        title=title,
        company=company,
        details=details,
        tags=tags,
        pay_range=extras.get("pay"),
        remote=extras.get("remote"),
    )
