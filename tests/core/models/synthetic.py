"""Constructed games for the model tests: contexts built directly, outcomes drawn from a known truth."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from core.form import TeamGame
from core.models.base import BookLine, GameContext, InjuredPlayer, MarketBook, MarketPrediction
from core.models.consensus import consensus_probabilities
from core.models.offset_logistic import binary_logit
from core.models.training import TrainingExample
from core.quotes import GameInfo
from core.sports import Market, Side, Sport, sides_for

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
MARGIN = 0.04  # every constructed book's overround


def line(
    book: str, sides: Sequence[Side], probs: Sequence[float], point: float | None, seen: datetime
) -> BookLine:
    prices = {side: round(1.0 / (p * (1.0 + MARGIN)), 6) for side, p in zip(sides, probs, strict=True)}
    return BookLine(book, prices, point, seen)


def market(
    sport: Sport,
    which: Market,
    probs: Sequence[float],
    *,
    as_of: datetime,
    point: float | None = None,
    books: Mapping[str, Sequence[float]] | None = None,
    opening: Mapping[str, Sequence[float]] | None = None,
) -> MarketBook:
    """A market priced by pinnacle and fanduel at ``probs`` (or per book), opening lines optional."""
    sides = sides_for(sport, which)
    current = books or {"fanduel": probs, "pinnacle": probs}
    seen = as_of - timedelta(minutes=10)
    return MarketBook(
        which,
        sides,
        point,
        tuple(line(b, sides, p, point, seen) for b, p in sorted(current.items())),
        tuple(
            line(b, sides, p, point, seen - timedelta(hours=40)) for b, p in sorted((opening or {}).items())
        ),
    )


def history(
    start: datetime,
    margins: Sequence[int],
    *,
    gap_days: float = 2.0,
    first_gap_days: float | None = None,
    home: Sequence[bool] | None = None,
    spread_close: Sequence[float | None] | None = None,
    totals: Sequence[int] | None = None,
    total_close: Sequence[float | None] | None = None,
    prefix: str = "h",
    opponent: int = 99,
) -> tuple[TeamGame, ...]:
    """Past games, newest first: ``margins[0]`` is the game ``first_gap_days`` before ``start``."""
    games = []
    at = start - timedelta(days=gap_days if first_gap_days is None else first_gap_days)
    for i, margin in enumerate(margins):
        total = totals[i] if totals else 200
        points_for = (total + margin) // 2
        games.append(
            TeamGame(
                game_id=f"{prefix}{start.isoformat()}-{i}",
                commence_time=at,
                opponent_id=opponent,
                is_home=True if home is None else home[i],
                points_for=points_for,
                points_against=points_for - margin,
                spread_close=None if spread_close is None else spread_close[i],
                total_close=None if total_close is None else total_close[i],
            )
        )
        at -= timedelta(days=gap_days)
    return tuple(games)


def context(
    i: int,
    *,
    sport: Sport = Sport.NBA,
    markets: Mapping[Market, MarketBook] | None = None,
    h2h: Sequence[float] | None = (0.5, 0.5),
    home_history: tuple[TeamGame, ...] = (),
    away_history: tuple[TeamGame, ...] = (),
    injuries: tuple[InjuredPlayer, ...] | None = None,
    signals: Mapping[str, tuple[MarketPrediction, ...]] | None = None,
) -> GameContext:
    start = start_of(i)
    as_of = start - timedelta(hours=1)
    game = GameInfo(f"g{i}", sport, start, f"Home {i % 7}", f"Away {i % 7}")
    books = dict(markets or {})
    if h2h is not None and Market.H2H not in books:
        books[Market.H2H] = market(sport, Market.H2H, h2h, as_of=as_of)
    return GameContext(
        game=game,
        as_of=as_of,
        markets=books,
        home_history=home_history,
        away_history=away_history,
        injuries=injuries,
        signals=dict(signals or {}),
    )


def start_of(i: int) -> datetime:
    return EPOCH + timedelta(hours=6 * i)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def prior_logit(book: MarketBook) -> float:
    """The consensus prior's log-odds of the first side (home vs away with a draw): the models' offset."""
    prior = consensus_probabilities(book, method="multiplicative", sharp_weight=2.0)
    assert prior is not None
    return binary_logit(prior)


def h2h_example(ctx: GameContext, home_wins: bool) -> TrainingExample:
    return TrainingExample(ctx, 101, 95) if home_wins else TrainingExample(ctx, 95, 101)


def simulate(
    n: int,
    make: Callable[[int, np.random.Generator], GameContext],
    feature: Callable[[GameContext], float],
    beta: float,
    *,
    seed: int = 7,
) -> list[TrainingExample]:
    """``n`` moneyline examples whose home side wins with probability sigmoid(prior logit + beta·feature)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        ctx = make(i, rng)
        truth = sigmoid(prior_logit(ctx.markets[Market.H2H]) + beta * feature(ctx))
        out.append(h2h_example(ctx, bool(rng.random() < truth)))
    return out
