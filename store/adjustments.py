"""Daily model adjustments: one verdict per model, sport, market and day (a rerun replaces it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from core.confidence import Adjustment
from store.tables import ModelAdjustment, table_of
from store.upsert import upsert


def save_adjustments(
    *, session: Session, day: date, verdicts: Mapping[tuple[str, str, str], Adjustment]
) -> None:
    rows = [
        {
            "model": model,
            "sport_key": sport_key,
            "market": market,
            "day": day,
            "action": verdict.action.value,
            "multiplier": verdict.multiplier,
            "n": verdict.n,
            "accuracy": verdict.accuracy,
            "inverse_accuracy": verdict.inverse_accuracy,
        }
        for (model, sport_key, market), verdict in verdicts.items()
    ]
    upsert(
        session,
        table_of(ModelAdjustment),
        rows,
        conflict=["model", "sport_key", "market", "day"],
        update=["action", "multiplier", "n", "accuracy", "inverse_accuracy"],
    )


def current_multipliers(*, session: Session, as_of: datetime) -> dict[tuple[str, str, str], float]:
    """The newest multiplier per model, sport and market from the last day's adjustments (the 24 h cache)."""
    table = table_of(ModelAdjustment)
    since = (as_of - timedelta(days=1)).date()
    rows = session.execute(
        sa.select(table.c.model, table.c.sport_key, table.c.market, table.c.multiplier, table.c.day)
        .where(table.c.day >= since, table.c.day <= as_of.date())
        .order_by(table.c.day)
    )
    return {(model, sport, market): multiplier for model, sport, market, multiplier, _day in rows}
