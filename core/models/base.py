"""What every prediction model sees and says.

A model reads a ``GameContext`` — everything known about one game at ``as_of`` and nothing
stamped later — and returns, for each market it covers, a probability for every side, the
side it favours, and a short machine-readable reason. A model without the data it needs for
a game says so by returning no prediction for that market, rather than copying the market.

Markets are read at their main line: for spreads and totals the point most books quote (ties
broken toward the point whose prices are closest to even), so every book compared prices the
same proposition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import numpy as np

from core.devig import devig
from core.errors import InvalidInput
from core.form import TeamGame
from core.quotes import GameInfo, OddsQuote
from core.sports import Market, Side, sides_for

# Books whose prices lead the market; the consensus weighs them more. Exchanges are left out of
# consensus figures: their back prices carry commission, not a margin.
SHARP_BOOKS = frozenset({"pinnacle"})
EXCHANGE_BOOKS = frozenset(
    {"betfair_ex_uk", "betfair_ex_eu", "betfair_ex_au", "matchbook", "smarkets", "betdaq"}
)


@dataclass(frozen=True, slots=True)
class BookLine:
    """One book's prices for every side of a market at one snapshot (the main line)."""

    book: str
    prices: Mapping[Side, float]  # decimal odds per side
    point: float | None  # the first side's point (home handicap, or the total)
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class MarketBook:
    """One market of one game as of ``as_of``: each book's newest and first line at the main point."""

    market: Market
    sides: tuple[Side, ...]
    point: float | None
    current: tuple[BookLine, ...]
    opening: tuple[BookLine, ...]

    def books(self, *, include_exchanges: bool = False) -> tuple[BookLine, ...]:
        return tuple(b for b in self.current if include_exchanges or b.book not in EXCHANGE_BOOKS)


@dataclass(frozen=True, slots=True)
class InjuredPlayer:
    team: str
    player: str
    status: str  # out, doubtful, questionable, probable, day_to_day, other
    value: float | None = None  # the player's share of his team's recent production, when known


@dataclass(frozen=True, slots=True)
class GameContext:
    """Everything a model may use about one game, as known at ``as_of``."""

    game: GameInfo
    as_of: datetime
    markets: Mapping[Market, MarketBook]
    home_history: tuple[TeamGame, ...] = ()  # newest first; results known at as_of
    away_history: tuple[TeamGame, ...] = ()
    injuries: tuple[InjuredPlayer, ...] | None = None  # None: no injury data for this game
    signals: Mapping[str, tuple[MarketPrediction, ...]] = field(default_factory=dict)  # other models' output

    def __post_init__(self) -> None:
        if self.as_of >= self.game.commence_time:
            raise InvalidInput(
                f"as_of {self.as_of.isoformat()} is not before the start of game {self.game.id}"
            )


@dataclass(frozen=True, slots=True)
class MarketPrediction:
    """A model's view of one market: a probability for every side, the pick, and why."""

    market: Market
    point: float | None
    probabilities: Mapping[Side, float]
    pick: Side
    reason: Mapping[str, float | str]
    price_decimal: float | None = None  # the best price for the pick seen at as_of, when there is one
    book: str | None = None
    prices: Mapping[Side, float] = field(default_factory=dict)  # the best price of every side at as_of

    def __post_init__(self) -> None:
        total = sum(self.probabilities.values())
        if not self.probabilities or abs(total - 1.0) > 1e-6:
            raise InvalidInput(f"probabilities must sum to 1, got {dict(self.probabilities)}")
        if any(not 0.0 < p < 1.0 for p in self.probabilities.values()):
            raise InvalidInput(f"probabilities must lie in (0, 1), got {dict(self.probabilities)}")
        if self.pick not in self.probabilities:
            raise InvalidInput(f"pick must be one of {list(self.probabilities)}, got {self.pick!r}")

    @property
    def probability(self) -> float:
        return self.probabilities[self.pick]


class Model(Protocol):
    """A prediction model: one file each in ``core/models``, registered by name."""

    @property
    def name(self) -> str: ...

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]: ...


def main_point(lines: Sequence[BookLine]) -> float | None:
    """The point most books quote; ties go to the point whose two prices are closest to even."""
    counts = Counter(line.point for line in lines)
    if not counts:
        return None

    def evenness(point: float | None) -> float:
        gaps = []
        for line in lines:
            if line.point == point:
                first, second = list(line.prices.values())[:2]
                gaps.append(abs(first - second))
        return sum(gaps) / len(gaps)

    most = max(counts.values())
    tied = [p for p, n in counts.items() if n == most]
    return min(tied, key=lambda p: (evenness(p), p if p is not None else 0.0))


def build_market(market: Market, sides: tuple[Side, ...], quotes: Sequence[OddsQuote]) -> MarketBook | None:
    """A ``MarketBook`` from a game's snapshots of one market (all already at or before as_of)."""
    by_snapshot: dict[tuple[str, datetime], dict[Side, OddsQuote]] = {}
    for q in quotes:
        if q.market is market:
            by_snapshot.setdefault((q.book, q.seen_at), {})[q.side] = q
    complete = {key: qs for key, qs in by_snapshot.items() if all(s in qs for s in sides)}
    if not complete:
        return None

    def line_of(book: str, seen_at: datetime, qs: dict[Side, OddsQuote]) -> BookLine:
        return BookLine(book, {s: qs[s].price_decimal for s in sides}, qs[sides[0]].point, seen_at)

    lines = [line_of(book, seen_at, qs) for (book, seen_at), qs in complete.items()]
    newest: dict[str, BookLine] = {}
    first: dict[str, BookLine] = {}
    for line in lines:
        if line.book not in newest or line.seen_at > newest[line.book].seen_at:
            newest[line.book] = line
        if line.book not in first or line.seen_at < first[line.book].seen_at:
            first[line.book] = line
    point = None if market is Market.H2H else main_point(list(newest.values()))
    current = tuple(sorted((b for b in newest.values() if b.point == point), key=lambda b: b.book))
    opening = tuple(sorted((b for b in first.values() if b.point == point), key=lambda b: b.book))
    return MarketBook(market, sides, point, current, opening)


def build_context(
    game: GameInfo,
    as_of: datetime,
    quotes: Sequence[OddsQuote],
    *,
    home_history: Sequence[TeamGame] = (),
    away_history: Sequence[TeamGame] = (),
    injuries: Sequence[InjuredPlayer] | None = None,
) -> GameContext:
    """The context of ``game`` at ``as_of``; every snapshot stamped after ``as_of`` is dropped."""
    visible = [q for q in quotes if q.seen_at <= as_of and q.game.id == game.id]
    markets = {}
    for market in Market:
        book = build_market(market, sides_for(game.sport, market), visible)
        if book is not None:
            markets[market] = book
    return GameContext(
        game=game,
        as_of=as_of,
        markets=markets,
        home_history=tuple(g for g in home_history if g.commence_time < as_of),
        away_history=tuple(g for g in away_history if g.commence_time < as_of),
        injuries=None if injuries is None else tuple(injuries),
    )


def best_prices(book: MarketBook) -> dict[Side, BookLine]:
    """The line offering the highest price on each side (exchanges left out)."""
    lines = book.books()
    return {side: max(lines, key=lambda line: line.prices[side]) for side in book.sides} if lines else {}


def devigged(
    lines: Sequence[BookLine], sides: tuple[Side, ...], *, method: str = "multiplicative"
) -> np.ndarray:
    """Fair probabilities per book (rows) and side (columns)."""
    prices = np.array([[line.prices[s] for s in sides] for line in lines], dtype=float)
    return np.asarray(devig(prices, method=method), dtype=float)
