"""SQL both databases understand: insert-if-absent (ON CONFLICT DO NOTHING) as one statement."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_ignoring_conflicts(session: Session, table, values: dict, conflict_columns: list[str]) -> int:
    """INSERT … ON CONFLICT DO NOTHING on either database; returns the number of rows inserted."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(*table.primary_key.columns)
    )
    # RETURNING, not rowcount: psycopg reports -1 for this statement through SQLAlchemy.
    return len(session.execute(statement).all())


def insert_for(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model (SQLModel sets `__table__` at class creation; its type stubs
    do not declare it)."""
    return model.__table__  # type: ignore[attr-defined]
