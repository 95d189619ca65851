"""Grading records: predictions due a grade, the closing fair prices to grade CLV, and the grades.

A grade is written once per prediction: the unique prediction id makes a second (or a
concurrent) verification run add nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from core.devig import devig
from core.models.base import EXCHANGE_BOOKS
from core.sports import Market, Sport, sides_for
from store.tables import ClosingLine, Game, Outcome, Prediction, Verification, table_of


@dataclass(frozen=True, slots=True)
class Due:
    """A prediction whose game has a result and that has no grade yet."""

    prediction_id: int
    game_id: str
    sport_key: str
    model: str
    market: str
    side: str
    point: float | None
    price_decimal: float | None
    probability: float
    is_inverse: bool
    home_score: int
    away_score: int
    user_model_id: int | None
    commence_time: datetime


def due_for_grading(
    *, session: Session, game_ids: Sequence[str] | None = None, known_by: datetime | None = None
) -> list[Due]:
    """Latest predictions (originals and inverses) of games with results and no grade yet.

    ``known_by`` limits them to results known by then (replays run on their own clock).
    """
    pred, outcome, verification = table_of(Prediction), table_of(Outcome), table_of(Verification)
    game = table_of(Game)
    query = (
        sa.select(
            pred.c.id,
            pred.c.game_id,
            pred.c.sport_key,
            pred.c.model,
            pred.c.market,
            pred.c.side,
            pred.c.point,
            pred.c.price_decimal,
            pred.c.probability,
            pred.c.is_inverse,
            outcome.c.home_score,
            outcome.c.away_score,
            pred.c.user_model_id,
            game.c.commence_time,
        )
        .join(outcome, outcome.c.game_id == pred.c.game_id)
        .join(game, game.c.id == pred.c.game_id)
        .where(pred.c.latest.is_(True), ~sa.exists().where(verification.c.prediction_id == pred.c.id))
        .order_by(pred.c.id)
    )
    if game_ids is not None:
        query = query.where(pred.c.game_id.in_(list(game_ids)))
    if known_by is not None:
        query = query.where(outcome.c.completed_at <= known_by)
    return [Due(*row) for row in session.execute(query)]


def closing_fair(
    *, session: Session, game_ids: Sequence[str]
) -> dict[tuple[str, str, str, float | None], float]:
    """Devigged closing consensus per (game, market, side, the side's point); exchanges left out."""
    closing, game = table_of(ClosingLine), table_of(Game)
    lines: dict[tuple[str, str, str], dict[str, tuple[float, float | None]]] = defaultdict(dict)
    sports: dict[str, Sport] = {}
    ids = list(dict.fromkeys(game_ids))
    for start in range(0, len(ids), 500):
        rows = session.execute(
            sa.select(
                closing.c.game_id,
                game.c.sport_key,
                closing.c.book,
                closing.c.market,
                closing.c.side,
                closing.c.price_decimal,
                closing.c.point,
            )
            .join(game, game.c.id == closing.c.game_id)
            .where(closing.c.game_id.in_(ids[start : start + 500]), closing.c.book.not_in(EXCHANGE_BOOKS))
        )
        for game_id, sport_key, book, market, side, price, point in rows:
            sports[game_id] = Sport(sport_key)
            lines[(game_id, market, book)][side] = (price, point)
    # Books priced at the same main point are pooled; a spread's point is the home side's.
    pooled: dict[tuple[str, str, float | None], list[np.ndarray]] = defaultdict(list)
    order: dict[tuple[str, str], tuple[str, ...]] = {}
    for (game_id, market, _book), by_side in lines.items():
        sides = tuple(s.value for s in sides_for(sports[game_id], Market(market)))
        if not all(s in by_side for s in sides):
            continue
        order[(game_id, market)] = sides
        fair = np.asarray(devig([by_side[s][0] for s in sides]), dtype=float)
        pooled[(game_id, market, by_side[sides[0]][1])].append(fair)
    result: dict[tuple[str, str, str, float | None], float] = {}
    for (game_id, market, point), fairs in pooled.items():
        mean = np.mean(fairs, axis=0)
        for side, p in zip(order[(game_id, market)], mean, strict=True):
            own = -point + 0.0 if (market == "spreads" and side == "away" and point is not None) else point
            result[(game_id, market, side, own)] = float(p)
    return result


def save_grades(*, session: Session, rows: Sequence[dict[str, Any]]) -> set[int]:
    """Write grades; a prediction graded before keeps its first grade. Returns the ids newly graded."""
    if not rows:
        return set()
    table = table_of(Verification)
    insert = (
        postgresql.insert(table) if session.get_bind().dialect.name == "postgresql" else sqlite.insert(table)
    )
    stmt = insert.on_conflict_do_nothing(index_elements=["prediction_id"]).returning(table.c.prediction_id)
    return set(session.execute(stmt, list(rows)).scalars().all())


def grade_row(
    due: Due,
    *,
    result: str,
    profit_units: float | None,
    brier: float | None,
    log_loss: float | None,
    clv: float | None,
    verified_at: datetime,
) -> dict[str, Any]:
    return {
        "prediction_id": due.prediction_id,
        "model": due.model,
        "sport_key": due.sport_key,
        "market": due.market,
        "is_inverse": due.is_inverse,
        "result": result,
        "profit_units": profit_units,
        "brier": brier,
        "log_loss": log_loss,
        "clv": clv,
        "verified_at": verified_at,
    }
