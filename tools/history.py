"""History: the closing market's own record over the imported seasons (the bar to beat)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from core.clock import parse_instant
from core.errors import InvalidInput
from core.importers.base import EXCHANGE_BOOKS
from core.market_baseline import closing_baseline
from core.sports import parse_sport
from store.baselines import closing_h2h_with_results
from tools.context import current
from tools.registry import tool


class MarketBaseline(BaseModel):
    sport: str
    books: str = Field(description="the book scored, or 'consensus' of every non-exchange book")
    games: int
    brier: float | None
    log_loss: float | None
    favourite_hit: float | None
    mean_overround: float | None


def _day(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_instant(text)
    except InvalidInput:
        raise InvalidInput(f"{name} must be a date like 2023-08-01, got {text!r}") from None


@tool(tags=("history",))
def market_baseline(
    sport: str, book: str | None = None, start: str | None = None, end: str | None = None
) -> MarketBaseline:
    """How well the closing moneyline predicted results: devigged Brier, log loss, favourite hit rate.

    The bar every model has to beat. Two-way sports score the home side and leave ties out;
    soccer scores all three outcomes (Brier from 0 to 2).

    Args:
        sport: nba, nfl, mlb, nhl or epl.
        book: one book (e.g. pinnacle); omitted, the consensus of every non-exchange book.
        start: only games starting on or after this date (YYYY-MM-DD).
        end: only games starting before this date (YYYY-MM-DD).
    """
    parsed = parse_sport(sport)
    ctx = current()
    with ctx.unit_of_work() as session:
        rows = closing_h2h_with_results(
            session=session,
            sport=parsed,
            start=_day(start, "start"),
            end=_day(end, "end"),
            books=[book] if book else None,
        )
    result = closing_baseline(
        rows, three_way=parsed.has_draw, exclude_books=frozenset() if book else EXCHANGE_BOOKS
    )
    return MarketBaseline(
        sport=parsed.value,
        books=book or "consensus",
        games=result.games,
        brier=None if result.brier is None else round(result.brier, 6),
        log_loss=None if result.log_loss is None else round(result.log_loss, 6),
        favourite_hit=None if result.favourite_hit is None else round(result.favourite_hit, 6),
        mean_overround=None if result.mean_overround is None else round(result.mean_overround, 6),
    )
