"""Closing moneylines joined with results: the rows a market baseline is computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from core.sports import Sport
from store.tables import ClosingLine, Game, Outcome, table_of


@dataclass(frozen=True, slots=True)
class ClosingRow:
    game_id: str
    book: str
    side: str
    price_decimal: float
    home_score: int
    away_score: int


def closing_h2h_with_results(
    *,
    session: Session,
    sport: Sport,
    start: datetime | None = None,
    end: datetime | None = None,
    books: list[str] | None = None,
) -> list[ClosingRow]:
    """Closing moneyline prices of completed games of ``sport`` starting in [start, end)."""
    game, closing, outcome = table_of(Game), table_of(ClosingLine), table_of(Outcome)
    query = (
        sa.select(
            closing.c.game_id,
            closing.c.book,
            closing.c.side,
            closing.c.price_decimal,
            outcome.c.home_score,
            outcome.c.away_score,
        )
        .join(game, game.c.id == closing.c.game_id)
        .join(outcome, outcome.c.game_id == closing.c.game_id)
        .where(game.c.sport_key == sport.value, closing.c.market == "h2h")
    )
    if start is not None:
        query = query.where(game.c.commence_time >= start)
    if end is not None:
        query = query.where(game.c.commence_time < end)
    if books:
        query = query.where(closing.c.book.in_(books))
    return [ClosingRow(*row) for row in session.execute(query)]
