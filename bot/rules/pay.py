"""A role's pay range and remote flag, read from what the recruiter wrote ("€80–95k",
"80,000-95,000 EUR", "fully remote"), so the market pulse can state ranges and count remote
roles from structured values. Pure: no Slack, no database, no clock.

Reading never fails: a pay range Nudge cannot read (words only, three numbers) keeps its text
and simply has no structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR"}
CURRENCY_CODES = frozenset({"EUR", "USD", "GBP", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "INR", "JPY"})
MAX_PAY = 100_000_000  # above this a number is a typo, not a salary
SHOWN_SIGNS = {code: sign for sign, code in CURRENCY_SIGNS.items()}

# Thousands are grouped as the writer's locale groups them: "80,000" (en), "80.000" (de, es),
# "80 000" with a space, a no-break or a narrow no-break space (fr), "80'000" (de-CH), with
# cents after the other mark ("80.000,00", "80,000.00"). Only groups of exactly three digits
# are thousands, so "80.5k" and "80,5k" are decimals (eighty and a half thousand) while
# "1.200k" is 1,200 thousand, as written.
_GROUP = ",.'’ \u00a0\u202f\u2009"
_NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<grouped>\d{{1,3}}(?P<sep>[{_GROUP}])\d{{3}}(?:(?P=sep)\d{{3}})*)(?:[.,]\d{{1,2}})?(?![\d.,]?\d)(?:\s*(?P<gk>[kK]))?(?!\w)"
    r"|(?P<plain>\d+(?:[.,]\d+)?)(?:\s*(?P<k>[kK]))?(?!\w))"
)
_CODE_RE = re.compile(r"\b([A-Za-z]{3})\b")


@dataclass(frozen=True)
class PayRange:
    low: int
    high: int
    currency: str | None  # an ISO code, or None when none was written

    def __str__(self) -> str:
        return pay_text(self)


def _currency(text: str) -> str | None:
    for sign, code in CURRENCY_SIGNS.items():
        if sign in text:
            return code
    for word in _CODE_RE.findall(text):
        if word.upper() in CURRENCY_CODES:
            return word.upper()
    return None


def _read_amount(match: re.Match[str]) -> tuple[float, bool]:
    """An amount, and whether it was written in thousands (a `k`, or grouped digits)."""
    if match.group("grouped") is not None:
        value = float("".join(ch for ch in match.group("grouped") if ch.isdigit()))
        return (value * 1000 if match.group("gk") else value), True
    value = float(match.group("plain").replace(",", "."))
    return (value * 1000, True) if match.group("k") else (value, False)


def parse_pay_range(text: str | None) -> PayRange | None:
    """ "€80–95k" → 80,000–95,000 EUR; "$120k" → 120,000–120,000 USD; "80.000–95.000 €" and
    "80 000 € – 95 000 €" → 80,000–95,000 EUR; None when there are no numbers, more than two, or
    an amount beyond belief. Thousands on the second number only (a `k`, or a grouped "95.000")
    also apply to a first one below a thousand ("80-95k", "80–95.000 €")."""
    amounts = [_read_amount(match) for match in _NUMBER_RE.finditer(text or "")]
    if not 1 <= len(amounts) <= 2:
        return None
    if len(amounts) == 2 and amounts[1][1] and not amounts[0][1] and amounts[0][0] < 1000:
        amounts[0] = (amounts[0][0] * 1000, True)
    values = [round(value) for value, _thousands in amounts]
    if not all(0 < v <= MAX_PAY for v in values):
        return None
    return PayRange(low=min(values), high=max(values), currency=_currency(text or ""))


def _amount(value: int) -> str:
    if value >= 1000 and value % 1000 == 0:
        return f"{value // 1000}k"
    if value >= 1000 and value % 100 == 0:
        return f"{value / 1000:.1f}k"
    return f"{value:,}"


def pay_text(pay: PayRange) -> str:
    """`€80k–95k`, `CHF 120k`, `50k–60k` (no currency written)."""
    span = _amount(pay.low) if pay.low == pay.high else f"{_amount(pay.low)}–{_amount(pay.high)}"
    if pay.currency in SHOWN_SIGNS:
        return SHOWN_SIGNS[pay.currency] + span
    return f"{pay.currency} {span}" if pay.currency else span


_NOT_REMOTE_RE = re.compile(r"\b(?:no|not|non)[\s-]+remote\b|\bon[\s-]?site\b|\bin[\s-]office\b|\bhybrid\b")
_REMOTE_RE = re.compile(r"\bremote\b|\banywhere\b|\bdistributed\b|\bwork from home\b|\bwfh\b")


def remote_flag(remote: str | None, tags: Iterable[str] = ()) -> bool:
    """Whether candidates can work fully remotely: the remote setting says so ("fully
    remote", "remote-first", "anywhere"), or, with no setting, a `remote` tag. Hybrid and
    on-site are not remote."""
    text = " ".join((remote or "").casefold().split())
    if text:
        return bool(_REMOTE_RE.search(text)) and not _NOT_REMOTE_RE.search(text)
    return any(" ".join(tag.casefold().split()) == "remote" for tag in tags)
