"""consensus: the books' devigged prices, pooled — the market's own opinion, the bar to beat.

Each book's current line at the main point is devigged (multiplicative by default; the method
is a setting) and the fair probabilities are averaged, the sharp book counting ``sharp_weight``
times. Exchanges are left out. Picks the likelier side; reports how many books priced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.devig import devig
from core.models.base import SHARP_BOOKS, GameContext, MarketBook, MarketPrediction, best_prices
from core.sports import Market, Side


def consensus_probabilities(book: MarketBook, *, method: str, sharp_weight: float) -> np.ndarray | None:
    """The weighted mean of the books' fair probabilities, or None when no book prices the market."""
    lines = book.books()
    if not lines:
        return None
    # Every model starts from this prior: the same prices give the same answer, computed once.
    key = tuple((line.book, tuple(line.prices[side] for side in book.sides)) for line in lines)
    return np.array(_pooled(key, method, sharp_weight), dtype=float)


@lru_cache(maxsize=65536)
def _pooled(
    lines: tuple[tuple[str, tuple[float, ...]], ...], method: str, sharp_weight: float
) -> tuple[float, ...]:
    fair = np.asarray(
        devig(np.array([prices for _, prices in lines], dtype=float), method=method), dtype=float
    )
    weights = np.array([sharp_weight if book in SHARP_BOOKS else 1.0 for book, _ in lines])
    pooled = weights @ fair / weights.sum()
    return tuple(float(p) for p in pooled / pooled.sum())


def priced_prediction(
    market: Market,
    book: MarketBook,
    probabilities: dict[Side, float],
    pick: Side,
    reason: dict[str, float | str],
) -> MarketPrediction:
    """A prediction carrying the best price of every side, the pick's price and its book."""
    lines = best_prices(book)
    return MarketPrediction(
        market=market,
        point=book.point,
        probabilities=probabilities,
        pick=pick,
        reason=reason,
        price_decimal=lines[pick].prices[pick],
        book=lines[pick].book,
        prices={side: line.prices[side] for side, line in lines.items()},
    )


@dataclass(frozen=True)
class Consensus:
    name: str = "consensus"
    method: str = "multiplicative"
    sharp_weight: float = 2.0

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]:
        out = []
        for market, book in context.markets.items():
            fair = consensus_probabilities(book, method=self.method, sharp_weight=self.sharp_weight)
            if fair is None:
                continue
            probabilities = dict(zip(book.sides, (float(p) for p in fair), strict=True))
            pick = max(probabilities, key=lambda side: probabilities[side])
            reason: dict[str, float | str] = {
                "driver": "devigged consensus",
                "books": len(book.books()),
                "sharp": int(any(line.book in SHARP_BOOKS for line in book.books())),
            }
            out.append(priced_prediction(market, book, probabilities, pick, reason))
        return tuple(out)


def market_fair(book: MarketBook) -> np.ndarray | None:
    """The market's fair probabilities as the consensus model reads them (its devig method and sharp weight).

    What the trading run, the dossiers, the value board and the user models call "the market".
    """
    return consensus_probabilities(book, method=_DEFAULT.method, sharp_weight=_DEFAULT.sharp_weight)


_DEFAULT = Consensus()
