"""Column types every table uses: UTC timestamps and enum-valued strings, the same on both
databases."""

from __future__ import annotations

from datetime import UTC
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timestamp that goes in and comes out as an aware UTC datetime."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StrEnumType(TypeDecorator):
    """A string column whose values are members of one `StrEnum`: stored as the member's value
    (the schema is a plain VARCHAR), read back as the member, and refusing anything else."""

    impl = sa.String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)


def enum_column(
    enum: type[StrEnum], length: int, *, nullable: bool = False, index: bool = False, default: StrEnum | None = None
) -> sa.Column:
    return sa.Column(StrEnumType(enum, length), nullable=nullable, index=index, default=default)


def utc_column(nullable: bool = False) -> sa.Column:
    return sa.Column(UTCDateTime(), nullable=nullable)
