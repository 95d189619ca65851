"""Shared helpers for the importer tests: a parse cache and the market-baseline arithmetic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from core.devig import devig
from core.importers import HistoricalGame, ImportResult, parse_file
from core.importers.base import CLOSING_LEAD
from core.scoring import brier_binary
from core.sports import Market, Side


@cache
def parsed(path: Path) -> ImportResult:
    """Each shared file is parsed once per test session."""
    return parse_file(path)


def h2h_prices(
    game: HistoricalGame, book: str, sides: Sequence[Side], *, closing: bool = True
) -> list[float] | None:
    """One book's h2h prices in ``sides`` order at the closing (or opening) snapshot, if complete."""
    close_at = game.game.commence_time - CLOSING_LEAD
    prices = {
        q.side: q.price_decimal
        for q in game.quotes
        if q.book == book and q.market is Market.H2H and (q.seen_at == close_at) == closing
    }
    if not all(side in prices for side in sides):
        return None
    return [prices[side] for side in sides]


def binary_brier(games: Iterable[HistoricalGame], book: str, *, closing: bool = True) -> tuple[int, float]:
    """(n, Brier) of the devigged home-win probability: decided games with a moneyline, ties out."""
    odds: list[list[float]] = []
    home_won: list[int] = []
    for game in games:
        score = game.score
        if score is None or score.home_score == score.away_score:
            continue
        prices = h2h_prices(game, book, (Side.HOME, Side.AWAY), closing=closing)
        if prices is None:
            continue
        odds.append(prices)
        home_won.append(int(score.home_score > score.away_score))
    fair = devig(np.array(odds), "multiplicative")[:, 0]
    return len(home_won), brier_binary(fair, np.array(home_won))


def only(result: ImportResult, home: str, away: str, day: str) -> HistoricalGame:
    """The one game of ``result`` with these teams on this UTC start date (ISO)."""
    found = [
        g
        for g in result.games
        if g.game.home_team == home
        and g.game.away_team == away
        and g.game.commence_time.date().isoformat() == day
    ]
    assert len(found) == 1, f"{len(found)} games {away} @ {home} on {day}"
    return found[0]


def quote_map(
    game: HistoricalGame, book: str, *, closing: bool
) -> dict[tuple[str, str], tuple[float, float | None]]:
    """(market, side) → (price, point) of one book at one snapshot."""
    close_at = game.game.commence_time - CLOSING_LEAD
    return {
        (q.market.value, q.side.value): (q.price_decimal, q.point)
        for q in game.quotes
        if q.book == book and (q.seen_at == close_at) == closing
    }
