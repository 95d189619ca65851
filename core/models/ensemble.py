"""ensemble: the other models pooled in log-odds, each weighted by how well it scored lately.

For each market of the game, the ensemble reads every other model's prediction in
``context.signals`` (ensemble and benny excepted) for the same market at the same point with
the same sides, and pools them log-linearly::

    log p(side) = Σ_i w_i · log p_i(side) / Σ_i w_i + constant,   normalised to sum to 1

— for a two-way market, the weighted mean of the models' log-odds. Since every model starts
from the market and moves only as far as its fitted coefficient says, the pool does too;
consensus and value (which are the market) anchor it.

Weights, per model, sport and market: ``adjustments[model] / Brier``, the Brier score (summed
over sides: 0 perfect, 2 worst) of the model's predictions over the newest ``recent``
markets it predicted among the training examples — ``fit`` reads those predictions from each
example's ``signals``, so they must be what the model said before the game (stored
predictions, or ``walk_forward``'s out-of-sample ones), never a refit's. Inverse Brier keeps
weights close together while models are close to the market — no single model's noise
dominates the pool — and takes weight from one that scores clearly worse. A model with fewer
than ``min_scored`` scored markets gets the mean weight of the others; with none fit at all,
every model weighs the same. ``adjustments`` are multipliers from the model adjustments (1
when absent, 0 drops a model). Needs ``min_models`` models on the market, at least one of them
not a market model (consensus, value): a pool of the market alone is the market, and the
ensemble then makes no prediction rather than copy it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Self

import numpy as np

from core import scoring
from core.models.base import GameContext, MarketBook, MarketPrediction
from core.models.offset_logistic import binary_logit
from core.models.training import (
    MARKET_MODELS,
    MIN_EXAMPLES,
    POOLING_MODELS,
    TrainingExample,
    chronological,
    market_prior,
    priced_prediction,
    settle,
)
from core.sports import Market, Side, Sport

WeightKey = tuple[str, Sport, Market]


@dataclass(frozen=True, slots=True)
class ScoredSignal:
    """One model's prediction of one market of a finished game, scored."""

    model: str
    sport: Sport
    market: Market
    brier: float
    weight: float  # a quarter-line spread half pushed counts half


def settled_brier(
    prediction: MarketPrediction, home_score: int, away_score: int
) -> tuple[float, float] | None:
    """(Brier score summed over sides, weight) of a prediction once the game is over; None when void.

    The moneyline is ``scoring.brier_multiclass`` over its two or three sides. A spread or total
    is settled on its first side, and summed over both sides it is twice that side's
    ``scoring.brier_binary``.
    """
    probs = prediction.probabilities
    if prediction.market is Market.H2H:
        if home_score > away_score:
            actual = Side.HOME
        elif home_score < away_score:
            actual = Side.AWAY
        elif Side.DRAW in probs:
            actual = Side.DRAW
        else:
            return None  # a tie in a two-way market is void
        return scoring.brier_multiclass(list(probs.values()), list(probs).index(actual)), 1.0
    settled = settle(prediction.market, prediction.point, home_score, away_score)
    if settled is None:
        return None
    outcome, weight = settled
    first = Side.OVER if prediction.market is Market.TOTALS else Side.HOME
    return 2.0 * scoring.brier_binary(probs[first], outcome), weight


def pooled(
    predictions: Sequence[MarketPrediction], weights: Sequence[float], sides: Sequence[Side]
) -> np.ndarray:
    """The normalised weighted geometric mean of the predictions' probabilities (a log-odds pool)."""
    logs = np.array([[np.log(p.probabilities[side]) for side in sides] for p in predictions])
    w = np.asarray(weights, dtype=np.float64)
    mean = w @ logs / w.sum()
    out = np.exp(mean - mean.max())
    return np.asarray(out / out.sum(), dtype=np.float64)


@dataclass(frozen=True)
class Ensemble:
    name: str = "ensemble"
    method: str = "multiplicative"  # the consensus prior the reason compares with
    sharp_weight: float = 2.0
    recent: int = 500  # the newest scored markets per model, sport and market that make its Brier
    min_scored: int = MIN_EXAMPLES
    min_models: int = 2
    market_models: frozenset[str] = MARKET_MODELS  # models that are the market itself
    adjustments: Mapping[str, float] = field(default_factory=dict)
    weights: Mapping[WeightKey, float] = field(default_factory=dict, repr=False)  # fitted: 1 / Brier

    def training_rows(self, example: TrainingExample) -> tuple[ScoredSignal, ...]:
        rows = []
        sport = example.context.game.sport
        for model, predictions in sorted(example.context.signals.items()):
            if model in POOLING_MODELS or model == self.name:
                continue
            for prediction in predictions:
                scored = settled_brier(prediction, example.home_score, example.away_score)
                if scored is not None:
                    rows.append(ScoredSignal(model, sport, prediction.market, *scored))
        return tuple(rows)

    def fit_rows(self, rows: Sequence[ScoredSignal]) -> Self:
        """Weights from the newest ``recent`` scored markets per model; rows must come oldest first."""
        groups: dict[WeightKey, list[ScoredSignal]] = {}
        for row in rows:
            groups.setdefault((row.model, row.sport, row.market), []).append(row)
        weights = {}
        for key, group in groups.items():
            newest = group[-self.recent :]
            if len(newest) < self.min_scored:
                continue
            total = sum(r.weight for r in newest)
            score = sum(r.brier * r.weight for r in newest) / total if total > 0 else 0.0
            if score > 0.0:
                weights[key] = 1.0 / score
        return replace(self, weights=weights)

    def fitted_state(self) -> dict[str, Any]:
        """The fitted weights as plain JSON, so a fit can be stored and reused between runs."""
        return {"weights": [[m, s.value, k.value, w] for (m, s, k), w in sorted(self.weights.items())]}

    def with_fitted_state(self, state: Mapping[str, Any]) -> Self:
        weights = {(str(m), Sport(s), Market(k)): float(w) for m, s, k, w in state["weights"]}
        return replace(self, weights=weights)

    def fit(self, examples: Sequence[TrainingExample]) -> Self:
        return self.fit_rows([row for e in chronological(examples) for row in self.training_rows(e)])

    def members(self, context: GameContext, book: MarketBook) -> dict[str, MarketPrediction]:
        """Each other model's prediction of this market at its main point with the same sides."""
        found: dict[str, MarketPrediction] = {}
        for model, predictions in sorted(context.signals.items()):
            if model in POOLING_MODELS or model == self.name:
                continue
            for p in predictions:
                if (
                    p.market is book.market
                    and p.point == book.point
                    and set(p.probabilities) == set(book.sides)
                ):
                    found.setdefault(model, p)
        return found

    def weight_of(self, model: str, sport: Sport, market: Market) -> float:
        fitted = [w for (m, s, k), w in self.weights.items() if s is sport and k is market]
        base = self.weights.get((model, sport, market), float(np.mean(fitted)) if fitted else 1.0)
        return base * self.adjustments.get(model, 1.0)

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]:
        out = []
        sport = context.game.sport
        for market, book in context.markets.items():
            members = self.members(context, book)
            weights = {m: self.weight_of(m, sport, market) for m in members}
            members = {m: p for m, p in members.items() if weights[m] > 0.0}
            if len(members) < self.min_models or set(members) <= self.market_models:
                continue
            names = sorted(members)
            probabilities = pooled([members[m] for m in names], [weights[m] for m in names], book.sides)
            prior = market_prior(book, method=self.method, sharp_weight=self.sharp_weight)
            shift = 0.0 if prior is None else binary_logit(probabilities) - binary_logit(prior)
            reason: dict[str, float | str] = {
                "driver": "log-odds pool",
                "models": len(names),
                "heaviest": max(names, key=lambda m: (weights[m], m)),
                "shift_logit": round(shift, 4),
            }
            out.append(priced_prediction(book, probabilities, reason, prior))
        return tuple(out)
