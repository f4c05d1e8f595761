"""The market pulse and what it reads of a role: structured pay ranges and the remote flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.market import MAX_TITLES, MarketRole, market_pulse
from bot.rules.pay import CURRENCY_CODES, PayRange, parse_pay_range, pay_text, remote_flag

NOW = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€80–95k", PayRange(80_000, 95_000, "EUR")),
        ("€80k – €95k", PayRange(80_000, 95_000, "EUR")),
        ("80,000-95,000 EUR", PayRange(80_000, 95_000, "EUR")),
        ("$120k", PayRange(120_000, 120_000, "USD")),
        ("CHF 130k to 150k", PayRange(130_000, 150_000, "CHF")),
        ("£95k-£60k", PayRange(60_000, 95_000, "GBP")),
        ("55.5k - 70k", PayRange(55_500, 70_000, None)),
    ],
)
def test_pay_ranges_as_recruiters_write_them(text, expected):
    assert parse_pay_range(text) == expected


@pytest.mark.parametrize("text", ["", None, "competitive", "1, 2, 3 k", "€999999999k", "0-0"])
def test_pay_text_without_a_readable_range_has_no_structure(text):
    assert parse_pay_range(text) is None


@given(
    low=st.integers(1, 900),
    extra=st.integers(0, 300),
    currency=st.sampled_from([None, *sorted(CURRENCY_CODES)]),
)
def test_a_stated_range_reads_back_as_itself(low, extra, currency):
    pay = PayRange(low * 1000, (low + extra) * 1000, currency)
    assert parse_pay_range(pay_text(pay)) == pay


@given(st.text(max_size=120))
def test_reading_pay_never_fails_and_keeps_low_below_high(text):
    pay = parse_pay_range(text)
    assert pay is None or 0 < pay.low <= pay.high


@pytest.mark.parametrize(
    ("remote", "tags", "expected"),
    [
        ("fully remote", (), True),
        ("Remote-first, anywhere in the EU", (), True),
        ("hybrid", ("remote",), False),
        ("on-site", (), False),
        ("not remote", (), False),
        (None, ("python", "Remote"), True),
        (None, ("python",), False),
        ("", (), False),
    ],
)
def test_remote_flag(remote, tags, expected):
    assert remote_flag(remote, tags) is expected


def role(title="Backend Engineer", *, days=1, tags=("python",), confidential=False, pay=None, remote=False):
    return MarketRole(title, "Acme", confidential, tuple(tags), NOW - timedelta(days=days), pay, remote)


def test_pulse_counts_matching_roles_of_the_last_90_days_with_titles_pay_and_remote():
    roles = [
        role("Backend Engineer", days=1, pay=PayRange(80_000, 95_000, "EUR"), remote=True),
        role("Data Engineer", days=10, tags=("sql",)),
        role("Platform Engineer", days=20, confidential=True, pay=PayRange(90_000, 110_000, "EUR")),
        role("Old Python Role", days=91),
        role("Senior Backend Lead", days=3, tags=()),
    ]
    pulse = market_pulse(roles, ["python", "backend"], NOW)
    assert pulse.count == 3 and pulse.remote == 1
    assert [(t.title, t.company) for t in pulse.titles] == [
        ("Backend Engineer", "Acme"),
        ("Senior Backend Lead", "Acme"),
        ("Platform Engineer", None),
    ]
    assert pulse.pay_ranges == (PayRange(80_000, 95_000, "EUR"), PayRange(90_000, 110_000, "EUR"))


def test_no_interests_means_no_pulse_but_a_pointer():
    pulse = market_pulse([role()], [], NOW)
    assert not pulse.has_interests and pulse.count == 0


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.booleans(), st.booleans(), st.sampled_from(["python", "go", "sql"])),
        max_size=30,
    ),
    st.lists(st.sampled_from(["python", "go", "backend", "  ", ""]), max_size=4),
)
def test_pulse_properties(specs, interests):
    roles = [role(f"Role {n}", days=d, tags=(t,), confidential=c, remote=r) for n, (d, c, r, t) in enumerate(specs)]
    pulse = market_pulse(roles, interests, NOW)
    recent = [r for r in roles if r.created_at >= NOW - timedelta(days=90)]
    assert pulse.count <= len(recent)
    assert len(pulse.titles) == min(MAX_TITLES, pulse.count)
    assert pulse.remote <= pulse.count
    confidential_titles = {r.title for r in roles if r.confidential}
    assert all(t.company is None for t in pulse.titles if t.title in confidential_titles)


def test_roles_at_companies_on_the_never_list_are_left_out_unless_confidential():
    """A confidential role's company is hidden from candidates until they agree to share; leaving
    it out because of their never-list would tell them where it is (add "Acme", watch it go)."""
    acme = MarketRole("Backend Engineer", "ACME Inc.", False, ("python",), NOW - timedelta(days=1))
    hidden = MarketRole("Platform Engineer", "Acme GmbH", True, ("python",), NOW - timedelta(days=2))
    other = MarketRole("Data Engineer", "Initech", False, ("python",), NOW - timedelta(days=3))
    pulse = market_pulse([acme, hidden, other], ["python"], NOW, never_companies=["acme"])
    assert pulse.count == 2 and [t.title for t in pulse.titles] == ["Platform Engineer", "Data Engineer"]
    assert pulse.titles[0].company is None


@given(st.booleans())
def test_a_never_list_never_changes_what_confidential_roles_show(listed):
    hidden = MarketRole("Platform Engineer", "Acme GmbH", True, ("python",), NOW - timedelta(days=2))
    never = ["Acme"] if listed else []
    assert market_pulse([hidden], ["python"], NOW, never_companies=never) == market_pulse([hidden], ["python"], NOW)
