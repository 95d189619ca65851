"""value: the best price on offer against the consensus fair probability.

For each side, the best price any book offers is compared with the consensus fair probability
(the ``consensus`` model's); the pick is the side with the largest expected value per unit,
fair probability x best price - 1, even when that side is the less likely one. The model's
probabilities are the consensus's: value finds where to bet, not a different opinion. The
reason carries the edge (in percent of the stake) and the book offering it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models.base import GameContext, MarketPrediction, best_prices
from core.models.consensus import consensus_probabilities, priced_prediction


@dataclass(frozen=True)
class Value:
    name: str = "value"
    method: str = "multiplicative"
    sharp_weight: float = 2.0

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]:
        out = []
        for market, book in context.markets.items():
            fair = consensus_probabilities(book, method=self.method, sharp_weight=self.sharp_weight)
            if fair is None:
                continue
            probabilities = dict(zip(book.sides, (float(p) for p in fair), strict=True))
            best = best_prices(book)
            edge = {side: probabilities[side] * best[side].prices[side] - 1.0 for side in book.sides}
            pick = max(edge, key=lambda side: edge[side])
            reason: dict[str, float | str] = {
                "driver": "best price vs consensus",
                "edge_pct": round(100 * edge[pick], 3),
            }
            out.append(priced_prediction(market, book, probabilities, pick, reason))
        return tuple(out)
