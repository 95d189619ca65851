"""Stored model fits: one row per model and weekly fit moment, written once, read by every run that week."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import ModelFit, table_of
from store.upsert import insert_ignore


def load_fits(*, session: Session, fitted_for: datetime) -> dict[str, dict[str, Any]]:
    """The stored parameters of every model fit at ``fitted_for``, by model name."""
    table = table_of(ModelFit)
    rows = session.execute(sa.select(table.c.model, table.c.state).where(table.c.fitted_for == fitted_for))
    return {model: dict(state) for model, state in rows}


def save_fits(
    *,
    session: Session,
    fitted_for: datetime,
    states: Mapping[str, Mapping[str, Any]],
    examples: int,
    created_at: datetime,
) -> int:
    """Store the fits made at ``fitted_for``; a concurrent run's stored fit is kept; returns the new count."""
    rows = [
        {
            "model": model,
            "fitted_for": fitted_for,
            "examples": examples,
            "state": dict(state),
            "created_at": created_at,
        }
        for model, state in states.items()
    ]
    return insert_ignore(session, table_of(ModelFit), rows, conflict=["model", "fitted_for"])
