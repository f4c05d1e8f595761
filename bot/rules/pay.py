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

_NUMBER_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kK])?(?!\w)")
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


def parse_pay_range(text: str | None) -> PayRange | None:
    """ "€80–95k" → 80,000–95,000 EUR; "$120k" → 120,000–120,000 USD; None when there are no
    numbers, more than two, or an amount beyond belief. A `k` on the second number only also
    applies to a smaller first one ("80-95k")."""
    found = _NUMBER_RE.findall(text or "")
    if not 1 <= len(found) <= 2:
        return None
    amounts = []
    for digits, k in found:
        value = float(digits.replace(",", ""))
        amounts.append((value, bool(k)))
    if len(amounts) == 2 and amounts[1][1] and not amounts[0][1] and amounts[0][0] < 1000:
        amounts[0] = (amounts[0][0], True)
    values = [round(v * 1000) if k else round(v) for v, k in amounts]
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
