"""What every table module shares: the JSON column type and the Core table behind a class."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

__all__ = ["JsonType", "json_field", "table_of"]

# JSON that is JSONB on PostgreSQL. Assign a new dict to save a change: in-place edits are not tracked.
JsonType = sa.JSON().with_variant(JSONB(), "postgresql")


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a table class, for bulk statements."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    return table


def json_field(*, nullable: bool = True) -> Any:
    """A JSON column (JSONB on PostgreSQL) for a dict field."""
    return Field(default=None, sa_column=sa.Column(JsonType, nullable=nullable))
