"""Insert-or-ignore and insert-or-update for both dialects: the uniqueness rules do the de-duplication."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def _insert(session: Session, table: sa.Table) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def insert_ignore_returning(
    session: Session, table: sa.Table, rows: Sequence[dict[str, Any]], *, conflict: Sequence[str]
) -> list[Any]:
    """Insert rows, skipping any that collide with ``conflict``; returns the new rows' primary keys."""
    if not rows:
        return []
    # RETURNING reports the new rows on both dialects; rowcount is unreliable for executemany.
    stmt = (
        _insert(session, table)
        .on_conflict_do_nothing(index_elements=list(conflict))
        .returning(*table.primary_key.columns)
    )
    return [row[0] for row in session.execute(stmt, list(rows)).all()]


def insert_ignore(
    session: Session, table: sa.Table, rows: Sequence[dict[str, Any]], *, conflict: Sequence[str]
) -> int:
    """Insert rows, skipping any that collide with ``conflict``; returns how many were new."""
    return len(insert_ignore_returning(session, table, rows, conflict=conflict))


def upsert(
    session: Session,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert rows; on a collision with ``conflict`` overwrite the ``update`` columns."""
    if not rows:
        return
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(conflict), set_={name: getattr(stmt.excluded, name) for name in update}
    )
    session.execute(stmt, list(rows))


def upsert_if_newer(
    session: Session,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
    newer: str,
) -> None:
    """Insert rows; on a collision overwrite ``update`` only where the row's ``newer`` column is later."""
    if not rows:
        return
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(conflict),
        set_={name: getattr(stmt.excluded, name) for name in update},
        where=table.c[newer] < getattr(stmt.excluded, newer),
    )
    session.execute(stmt, list(rows))


def upsert_from_select(
    session: Session,
    table: sa.Table,
    columns: Sequence[str],
    select: sa.Select[Any],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
    newer: str,
) -> int:
    """INSERT ... SELECT in the database; on a collision overwrite ``update`` where ``newer`` is later.

    Returns the rows inserted or updated.
    """
    # SQLite needs a WHERE in the SELECT of an upsert to parse it; a true one changes nothing.
    stmt = _insert(session, table).from_select(list(columns), select.where(sa.true()))
    stmt = stmt.on_conflict_do_update(
        index_elements=list(conflict),
        set_={name: getattr(stmt.excluded, name) for name in update},
        where=table.c[newer] < getattr(stmt.excluded, newer),
    )
    # RETURNING counts the rows on both dialects (psycopg reports no rowcount for INSERT ... SELECT).
    return len(session.execute(stmt.returning(*table.primary_key.columns)).all())
