"""Model rollups: each day's sums of a model's grades, maintained as grades are written.

The model comparison adds up a window of days from here instead of scanning every grade, so
it stays fast as the ledger grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from store.tables import ModelRollup, ModelTotal, table_of

_SUMS = ("graded", "won", "lost", "brier_sum", "brier_n", "log_loss_sum", "profit_units", "staked_units",
         "clv_sum", "clv_n")  # fmt: skip
_KEY = ("model", "user_model_id", "sport_key", "market", "day", "is_inverse")
_TOTAL_KEY = ("model", "user_model_id", "sport_key", "market", "is_inverse")
_CREDIT = {"won": (1.0, 0.0), "lost": (0.0, 1.0), "half_won": (0.5, 0.0), "half_lost": (0.0, 0.5)}


def add_grades(*, session: Session, grades: Sequence[dict[str, Any]]) -> None:
    """Fold newly written grades (verification rows, with ``day`` set) into the rollups."""
    if not grades:
        return
    sums: dict[tuple[Any, ...], dict[str, float]] = defaultdict(lambda: dict.fromkeys(_SUMS, 0.0))
    for g in grades:
        key = (
            g["model"],
            g.get("user_model_id") or 0,
            g["sport_key"],
            g["market"],
            g["day"],
            g["is_inverse"],
        )
        row = sums[key]
        won, lost = _CREDIT.get(g["result"], (0.0, 0.0))
        row["won"] += won
        row["lost"] += lost
        row["graded"] += 1
        if g["brier"] is not None:
            row["brier_sum"] += g["brier"]
            row["brier_n"] += 1
            row["log_loss_sum"] += g["log_loss"] or 0.0
        if g["profit_units"] is not None and g["result"] != "void":
            row["profit_units"] += g["profit_units"]
            row["staked_units"] += 1.0
        if g["clv"] is not None:
            row["clv_sum"] += g["clv"]
            row["clv_n"] += 1
    _fold(session, table_of(ModelRollup), _KEY, sums)
    totals: dict[tuple[Any, ...], dict[str, float]] = defaultdict(lambda: dict.fromkeys(_SUMS, 0.0))
    for key, values in sums.items():
        total = totals[key[:4] + key[5:]]  # the same key without the day
        for name, value in values.items():
            total[name] += value
    _fold(session, table_of(ModelTotal), _TOTAL_KEY, totals)


def _fold(
    session: Session,
    table: sa.Table,
    key_names: tuple[str, ...],
    sums: dict[tuple[Any, ...], dict[str, float]],
) -> None:
    """Add ``sums`` to the rows of ``table`` (inserting the rows that do not exist yet)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    payload = [
        dict(zip(key_names, key, strict=True)) | {k: _typed(k, v) for k, v in values.items()}
        for key, values in sums.items()
    ]
    stmt = insert.on_conflict_do_update(
        index_elements=list(key_names), set_={name: table.c[name] + insert.excluded[name] for name in _SUMS}
    )
    session.execute(stmt, payload)


def _typed(name: str, value: float) -> float | int:
    return int(value) if name in ("graded", "brier_n", "clv_n") else value


@dataclass(frozen=True, slots=True)
class Totals:
    model: str
    user_model_id: int
    sport_key: str
    market: str
    is_inverse: bool
    graded: int
    won: float
    lost: float
    brier_sum: float
    brier_n: int
    log_loss_sum: float
    profit_units: float
    staked_units: float
    clv_sum: float
    clv_n: int


def window_totals(
    *,
    session: Session,
    since: date | None,
    sport_key: str | None = None,
    market: str | None = None,
    user_model_ids: Sequence[int] = (0,),
) -> list[Totals]:
    """Sums per model, sport, market and side over the days from ``since`` (all days when None).

    All days come from the running totals: one row per model, sport, market and side.
    """
    table = table_of(ModelRollup) if since is not None else table_of(ModelTotal)
    group = [table.c.model, table.c.user_model_id, table.c.sport_key, table.c.market, table.c.is_inverse]
    query = (
        sa.select(*group, *(sa.func.sum(table.c[name]) for name in _SUMS))
        .where(table.c.user_model_id.in_(list(user_model_ids)))
        .group_by(*group)
        .order_by(*group)
    )
    if since is not None:
        query = query.where(table.c.day >= since)
    if sport_key is not None:
        query = query.where(table.c.sport_key == sport_key)
    if market is not None:
        query = query.where(table.c.market == market)
    return [
        Totals(*row[:5], *(_typed(n, float(v or 0)) for n, v in zip(_SUMS, row[5:], strict=True)))
        for row in session.execute(query)
    ]
