"""The bulk insert path: rows straight to the driver, for imports of whole seasons.

SQLAlchemy's per-parameter type processing costs more than SQLite's own work when a season's
half-million snapshots go in, so this path hands plain tuples to the DB-API cursor of the
session's own connection (same transaction). Values are converted here exactly as the
column types would store them: aware datetimes as naive UTC text on SQLite (SQLAlchemy's
storage format, so the ORM reads them back unchanged) and as ``timestamptz`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _sqlite_rows(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows with datetimes as SQLite text and bools as 0/1; each distinct moment formatted once."""
    if not rows:
        return []
    first = rows[0]
    times = [i for i, v in enumerate(first) if isinstance(v, datetime)]
    if not times and not any(isinstance(v, bool) for v in first):
        return [tuple(r) for r in rows]
    formatted: dict[datetime, str] = {}

    def text(moment: datetime) -> str:
        done = formatted.get(moment)
        if done is None:
            done = formatted[moment] = moment.astimezone(UTC).strftime(_SQLITE_TIME)
        return done

    out = []
    for row in rows:
        values = list(row)
        for i in times:
            if values[i] is not None:
                values[i] = text(values[i])
        out.append(tuple(int(v) if isinstance(v, bool) else v for v in values))
    return out


class DriverValues:
    """Converts values to what the session's driver stores, so callers can build rows in that form.

    Rows built this way skip the per-value pass in ``insert_ignore_fast`` (``prepared=True``).
    """

    def __init__(self, session: Session) -> None:
        self.sqlite = session.connection().dialect.name == "sqlite"
        self._times: dict[datetime, Any] = {}

    def moment(self, value: datetime) -> Any:
        if not self.sqlite:
            return value
        done = self._times.get(value)
        if done is None:
            done = self._times[value] = value.astimezone(UTC).strftime(_SQLITE_TIME)
        return done

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value


def insert_ignore_fast(
    session: Session,
    table: sa.Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: Sequence[str],
    prepared: bool = False,
) -> int:
    """Insert plain tuples (in ``columns`` order), skipping conflicts; returns how many were new.

    Every row has the same shape: a column holding datetimes in the first row holds datetimes
    (or None) in all of them.
    """
    if not rows:
        return 0
    for name in (*columns, *conflict):
        if name not in table.c:
            raise ValueError(f"{table.name} has no column {name!r}")
    connection = session.connection()
    dialect = connection.dialect.name
    names = ", ".join(columns)
    target = ", ".join(conflict)
    cursor = connection.connection.cursor()
    try:
        if dialect == "sqlite":
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks}) ON CONFLICT ({target}) DO NOTHING"
            cursor.executemany(sql, rows if prepared else _sqlite_rows(rows))
        else:
            marks = ", ".join("%s" for _ in columns)
            sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks}) ON CONFLICT ({target}) DO NOTHING"
            cursor.executemany(sql, [tuple(row) for row in rows])
        # Both drivers sum the affected rows over executemany; a skipped conflict affects none.
        return max(int(cursor.rowcount), 0)
    finally:
        cursor.close()
