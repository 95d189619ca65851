"""Small builders for domain values, shared by the tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.quotes import GameInfo, OddsQuote
from core.sports import Market, Side, Sport
from store.db import unit_of_work
from store.tables import UserModel, table_of
from tests.conftest import NOW


def game(
    game_id: str = "g1",
    *,
    home: str = "Boston Celtics",
    away: str = "New York Knicks",
    start: datetime | None = None,
    sport: Sport = Sport.NBA,
) -> GameInfo:
    return GameInfo(game_id, sport, start or NOW + timedelta(hours=6), home, away)


def h2h_quotes(g: GameInfo, book: str, home: float, away: float, seen_at: datetime = NOW) -> list[OddsQuote]:
    return [
        OddsQuote(g, book, Market.H2H, Side.HOME, home, seen_at),
        OddsQuote(g, book, Market.H2H, Side.AWAY, away, seen_at),
    ]


def full_quotes(g: GameInfo, book: str, seen_at: datetime = NOW, *, shift: float = 0.0) -> list[OddsQuote]:
    """h2h, spreads and totals of one book; ``shift`` moves every price a little."""
    return [
        *h2h_quotes(g, book, 1.60 + shift, 2.45 - shift, seen_at),
        OddsQuote(g, book, Market.SPREADS, Side.HOME, 1.91 + shift, seen_at, -4.5),
        OddsQuote(g, book, Market.SPREADS, Side.AWAY, 1.91 - shift, seen_at, 4.5),
        OddsQuote(g, book, Market.TOTALS, Side.OVER, 1.91 + shift, seen_at, 221.5),
        OddsQuote(g, book, Market.TOTALS, Side.UNDER, 1.91 - shift, seen_at, 221.5),
    ]


def stored_models(engine: Engine) -> list[dict[str, Any]]:
    """Every user's model rows, deleted ones too, exactly as stored: what a refused change must not touch."""
    table = table_of(UserModel)
    with unit_of_work(engine) as session:
        return [dict(row._mapping) for row in session.execute(sa.select(table).order_by(table.c.id))]
