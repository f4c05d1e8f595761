"""`/nudge mydata` is everything stored about the person: every column of every table that
refers to a candidate appears in it, so a new table or column cannot be forgotten.

The tables are found in the SQLModel metadata, not listed by hand: a table refers to a candidate
when one of its columns is a person key (`PERSON_KEYS`, or any column whose name says candidate). A row is written into each of them for
one person, with a value of the column's type in every column, and `mydata` must show each
column under its name (or the name in `SHOWN_AS`), unless `NOT_PERSONAL` says why not.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import SQLModel

from bot.usecases.mydata import MyData
from storage.models import StrEnumType, UTCDateTime

PERSON = "UMYDATA01"
AT = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)

# Columns that hold a person's Slack id (or its keyed hash, `subject_hash`).
PERSON_KEYS = {"slack_user_id", "candidate_id", "subject", "subject_hash", "user_id"}

# Tables with a person key that are not about a candidate's data.
NOT_ABOUT_CANDIDATES = {
    "recruiter": "user_id is a recruiter's; recruiters are not candidates",
    "send_lock": "a lease held for the seconds a message is on its way; it holds nothing about anyone",
}

# Where each table's rows are in the export (a list of dicts; several dicts are read as one row).
SECTIONS = {
    "candidate": lambda data: [data | data["preferences"] | data["record"]],
    "consent_event": lambda data: data["consent_history"],
    "invitation": lambda data: data["invitations"],
    "outgoing_message": lambda data: data["messages"],
    "disclosure": lambda data: data["profile_disclosures"],
    "private_note": lambda data: data["private_notes"],
    "one_time_message": lambda data: data["one_time_messages"],
    "suppression": lambda data: [data["suppression"]],
    "erasure_request": lambda data: [data["erasure_pending"]],
    "webhook_delivery": lambda data: data["webhook_events"],
}

# Columns shown under another name than their own.
SHOWN_AS = {
    ("candidate", "consent_status"): "status",
    ("candidate", "tz_override"): "time_zone_override",
    ("candidate", "slack_tz"): "slack_time_zone",
    ("candidate", "never_companies"): "companies_never_to_hear_about",
    ("candidate", "company_note"): "note_for_companies",
    ("invitation", "recruiter_id"): "recruiter",
    ("invitation", "withheld"): "withheld_by_your_never_list",
    ("disclosure", "recruiter_id"): "recruiter",
}

# Columns that are not personal data: surrogate keys and the sender's own bookkeeping.
NOT_PERSONAL = {
    ("candidate", "id"): "a row number",
    ("consent_event", "id"): "a row number",
    ("outgoing_message", "id"): "a row number",
    ("outgoing_message", "claimed_until"): "a sending process's lease",
    ("outgoing_message", "first_post_at"): "when the sender first called Slack, for its reconciliation",
    ("disclosure", "id"): "a row number",
    ("private_note", "id"): "a row number",
    ("webhook_delivery", "id"): "a row number",
    ("webhook_delivery", "claimed_until"): "a sending process's lease",
}


def _is_person_key(name: str) -> bool:
    return name in PERSON_KEYS or "candidate" in name


def candidate_tables() -> dict[str, sa.Table]:
    return {
        table.name: table
        for table in SQLModel.metadata.sorted_tables
        if table.name not in NOT_ABOUT_CANDIDATES and any(_is_person_key(c.name) for c in table.columns)
    }


def _value(column: sa.Column, ctx, parents: dict[str, int]):
    if _is_person_key(column.name):
        return ctx.hash_of(PERSON) if column.name == "subject_hash" else PERSON
    for key in column.foreign_keys:
        return parents[key.column.table.name]
    kind = column.type
    if isinstance(kind, StrEnumType):
        enum: type[StrEnum] = kind.enum
        return next(iter(enum))
    if isinstance(kind, UTCDateTime):
        return AT
    if isinstance(kind, sa.JSON):
        return [f"{column.name}-value"]
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        return 7
    return f"{column.name}-value"[: getattr(kind, "length", None) or 100]


def _insert(session, table: sa.Table, ctx, parents: dict[str, int]) -> None:
    row = {
        column.name: _value(column, ctx, parents)
        for column in table.columns
        if not (column.primary_key and isinstance(column.type, sa.Integer))
    }
    result = session.execute(table.insert().values(row))
    if result.inserted_primary_key:
        parents[table.name] = result.inserted_primary_key[0]


def test_the_tables_that_refer_to_a_candidate_are_found():
    assert {"candidate", "consent_event", "invitation", "outgoing_message", "disclosure", "private_note"} <= set(
        candidate_tables()
    )


def test_mydata_shows_every_column_of_every_table_that_refers_to_a_candidate(ctx):
    tables = candidate_tables()
    parents: dict[str, int] = {}
    with ctx.sessions() as session, session.begin():
        for table in SQLModel.metadata.sorted_tables:
            needed = any(key.column.table.name == table.name for t in tables.values() for key in t.foreign_keys)
            if table.name in tables or needed:
                _insert(session, table, ctx, parents)
    data = MyData(ctx, client=None).collect(PERSON)
    json.dumps(data)  # it is sent as JSON
    missing = []
    for name, table in tables.items():
        assert name in SECTIONS, f"`mydata` has no section for the table {name}: add one (and to SECTIONS)"
        try:
            rows = SECTIONS[name](data)
        except (KeyError, TypeError):
            missing.append(f"{name}: no section")
            continue
        assert rows and all(isinstance(row, dict) for row in rows), f"nothing of {name} is in `mydata`"
        shown = set().union(*(row.keys() for row in rows))
        for column in (c.name for c in table.columns):
            if _is_person_key(column) or (name, column) in NOT_PERSONAL:
                continue
            if SHOWN_AS.get((name, column), column) not in shown:
                missing.append(f"{name}.{column}")
    assert missing == []
