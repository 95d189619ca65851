"""benny: the analyst — the ensemble's view, the best-priced side, and the models that drove it.

Deterministic and offline: Benny's probabilities are the ensemble's for the market (or, when
no ensemble prediction is in ``context.signals``, the devigged consensus), and his pick is the
side with the best expected value at the best price on offer. What Benny adds is the account
of *why*: every other model's prediction of the same market and point is compared with the
market prior, and the ``drivers`` models that moved furthest from it (largest change, in
percentage points, of the probability of any side) are named in the reason, strongest first,
with their move on Benny's pick (``driver_1`` and ``driver_1_pp``, ...). ``agree`` and
``disagree`` count the models that moved toward and away from the pick. With no model off the
market there are no drivers, and the reason says ``driver`` = ``market``.

Nothing to fit (``fit`` returns the model unchanged): everything Benny knows, the models he
reads were fit on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np

from core.models.base import GameContext, MarketBook, MarketPrediction
from core.models.training import (
    MARKET_MODELS,
    POOLING_MODELS,
    TrainingExample,
    market_prior,
    priced_prediction,
    value_pick,
)

# Moves smaller than this (in probability) are float noise, not a model's opinion.
_NOISE = 1e-9


@dataclass(frozen=True)
class Benny:
    name: str = "benny"
    basis: str = "ensemble"  # whose probabilities Benny adopts when they are in the signals
    drivers: int = 3
    method: str = "multiplicative"
    sharp_weight: float = 2.0

    def fit(self, examples: Sequence[TrainingExample]) -> Self:
        return self

    def _matching(self, context: GameContext, book: MarketBook, model: str) -> MarketPrediction | None:
        for p in context.signals.get(model, ()):
            if p.market is book.market and p.point == book.point and set(p.probabilities) == set(book.sides):
                return p
        return None

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]:
        out = []
        for book in context.markets.values():
            prior = market_prior(book, method=self.method, sharp_weight=self.sharp_weight)
            basis = self._matching(context, book, self.basis)
            if basis is not None:
                probabilities = np.array([basis.probabilities[s] for s in book.sides])
                source = self.basis
            elif prior is not None:
                probabilities, source = prior, "consensus"
            else:
                continue
            market = dict(zip(book.sides, prior if prior is not None else probabilities, strict=True))
            moves = []
            for model in sorted(context.signals):
                if model in POOLING_MODELS or model in MARKET_MODELS or model in (self.name, self.basis):
                    continue
                p = self._matching(context, book, model)
                if p is None:
                    continue
                delta = {s: p.probabilities[s] - market[s] for s in book.sides}
                size = max(abs(d) for d in delta.values())
                if size > _NOISE:
                    moves.append((size, model, delta))
            moves.sort(key=lambda m: (-m[0], m[1]))
            pick, _ = value_pick(book, probabilities)
            reason: dict[str, float | str] = {"basis": source, "driver": moves[0][1] if moves else "market"}
            for rank, (_, model, delta) in enumerate(moves[: self.drivers], start=1):
                reason[f"driver_{rank}"] = model
                reason[f"driver_{rank}_pp"] = round(100.0 * delta[pick], 2)
            reason["agree"] = sum(delta[pick] > _NOISE for _, _, delta in moves)
            reason["disagree"] = sum(delta[pick] < -_NOISE for _, _, delta in moves)
            out.append(priced_prediction(book, probabilities, reason, prior))
        return tuple(out)
