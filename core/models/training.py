"""Training the models on stored history, and running them in order on a game.

A ``TrainingExample`` is a game's as-of context with the final score. Models that fit
parameters have ``fit(examples) -> Self``: it returns a fitted copy and leaves the model it
was called on untouched, so one registered, unfitted model can be refit week after week.
Fitting never looks at the games being predicted: the caller passes games whose results were
known before the slate's ``as_of`` (``known_before`` picks them), and ``walk_forward`` does
exactly that, block by block, for backtests and ``benny evaluate``.

``ShiftModel`` is the shared body of the six feature models (momentum, contrarian, hot_cold,
rest_schedule, matchup, injury_aware): a subclass says which markets it covers and how to read
its features from a context; the base turns examples into rows, fits one shift per sport and
market (``core.models.offset_logistic``), and predicts the market prior moved by the fitted shift.
A market with fewer than ``min_examples`` settled rows (``MIN_EXAMPLES``) is not fit, and an
unfitted market, or a game without the data the features need, gets no prediction.

Settlement for fitting: the moneyline's first side is home (a draw, or a tie, is left out —
see calibration's note on three-way markets); a spread's is home at the home handicap; a
total's is the over. Quarter lines (Asian handicaps such as −0.75) settle as two half stakes
at the neighbouring half and whole lines, so a half won and half pushed counts as one win of
weight ½, and a half won and half lost as an outcome of ½.

The pick of every model here is the side with the largest expected value at the best price on
offer (probability × best decimal price − 1), as ``value`` picks with the market's own
probabilities; with no price, the likelier side.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, Final, Protocol, Self, runtime_checkable

import numpy as np

from core.errors import InvalidInput
from core.models.base import GameContext, MarketBook, MarketPrediction, Model, best_prices
from core.models.consensus import consensus_probabilities
from core.models.offset_logistic import (
    Coefficients,
    FloatArray,
    apply_shift,
    binary_logit,
    select_shift,
)
from core.sports import Market, Side, Sport

# Fewer settled rows than this per sport and market and a model is not fit there: from ~200
# games a coefficient's standard error (≈ 0.14 standardised) is small enough for the evidence
# behind the penalty choice to tell a real effect from noise.
MIN_EXAMPLES: Final = 200
# When a result counts as known if the example does not say: no game the project covers runs
# longer than this from its start.
RESULT_DELAY: Final = timedelta(hours=6)
# The models whose output the pooling models read but never pool themselves.
POOLING_MODELS: Final = frozenset({"ensemble", "benny"})
# The models whose probabilities are the market's own: no opinion beyond the prior.
MARKET_MODELS: Final = frozenset({"consensus", "value"})


@dataclass(frozen=True, slots=True)
class TrainingExample:
    """A finished game: its context as of prediction time, and the final score."""

    context: GameContext
    home_score: int
    away_score: int
    completed_at: datetime | None = None  # when the result became known; None: start + RESULT_DELAY

    def __post_init__(self) -> None:
        if self.home_score < 0 or self.away_score < 0:
            raise InvalidInput(f"scores must not be negative, got {self.home_score}-{self.away_score}")

    @property
    def known_at(self) -> datetime:
        return self.completed_at or self.context.game.commence_time + RESULT_DELAY


def known_before(examples: Sequence[TrainingExample], as_of: datetime) -> list[TrainingExample]:
    """The examples whose results were known strictly before ``as_of``, oldest first."""
    return chronological(e for e in examples if e.known_at < as_of)


def chronological(examples: Iterable[TrainingExample]) -> list[TrainingExample]:
    """Examples ordered by start (then game id, so the order is the same on every run)."""
    return sorted(examples, key=lambda e: (e.context.game.commence_time, e.context.game.id))


def settle(
    market: Market, point: float | None, home_score: int, away_score: int
) -> tuple[float, float] | None:
    """(outcome of the market's first side, weight), or None when nothing was decided.

    The first side is home for the moneyline and spreads (``point`` is the home handicap) and
    the over for totals. A drawn moneyline and a full push are None.
    """
    if market is Market.H2H:
        if home_score == away_score:
            return None
        return (1.0 if home_score > away_score else 0.0, 1.0)
    if point is None:
        return None
    quarters = point * 4.0
    is_quarter = abs(quarters - round(quarters)) < 1e-9 and round(quarters) % 2 != 0
    legs = (point - 0.25, point + 0.25) if is_quarter else (point,)
    won = lost = 0
    for leg in legs:
        # Spreads: home's margin plus its handicap; totals: the points over the line.
        margin = home_score - away_score + leg if market is Market.SPREADS else home_score + away_score - leg
        won += margin > 0
        lost += margin < 0
    decided = won + lost
    if decided == 0:
        return None
    return (won / decided, decided / len(legs))


def market_prior(book: MarketBook, *, method: str, sharp_weight: float) -> FloatArray | None:
    """The consensus's fair probabilities for the market: the prior every model starts from."""
    return consensus_probabilities(book, method=method, sharp_weight=sharp_weight)


def value_pick(book: MarketBook, probabilities: FloatArray) -> tuple[Side, float | None]:
    """(the side of best expected value at the best price, that value); with no price, the likelier side."""
    probs = dict(zip(book.sides, (float(p) for p in probabilities), strict=True))
    best = best_prices(book)
    if not best:
        return max(book.sides, key=lambda side: probs[side]), None
    edge = {side: probs[side] * best[side].prices[side] - 1.0 for side in book.sides}
    pick = max(book.sides, key=lambda side: (edge[side], probs[side]))
    return pick, edge[pick]


def priced_prediction(
    book: MarketBook, probabilities: FloatArray, reason: dict[str, float | str], prior: FloatArray | None
) -> MarketPrediction:
    """A prediction picking ``value_pick``'s side; the edge and the market's probability join the reason."""
    pick, edge = value_pick(book, probabilities)
    best = best_prices(book)
    if edge is not None:
        reason["edge_pct"] = round(100.0 * edge, 3)
    if prior is not None:
        reason["market_probability"] = round(float(prior[book.sides.index(pick)]), 4)
    return MarketPrediction(
        market=book.market,
        point=book.point,
        probabilities={side: float(p) for side, p in zip(book.sides, probabilities, strict=True)},
        pick=pick,
        reason=reason,
        price_decimal=best[pick].prices[pick] if best else None,
        book=best[pick].book if best else None,
        prices={side: line.prices[side] for side, line in best.items()},
    )


@dataclass(frozen=True, slots=True)
class Features:
    """A model's features for one market of one game, named for the reason."""

    names: tuple[str, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.names) != len(self.values):
            raise InvalidInput(f"{len(self.names)} feature names for {len(self.values)} values")


@dataclass(frozen=True, slots=True)
class Row:
    """One market of one training example, ready for the fit."""

    sport: Sport
    market: Market
    prior_logit: float
    features: tuple[float, ...]  # as the model's ``features`` read them, before ``design``
    outcome: float  # 1: the first side won; 0: it lost; a fraction for half-decided quarter lines
    weight: float


@runtime_checkable
class Trainable(Protocol):
    """A model with parameters fit on history."""

    @property
    def name(self) -> str: ...

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]: ...

    def fit(self, examples: Sequence[TrainingExample]) -> Self: ...


@runtime_checkable
class RowTrainable(Trainable, Protocol):
    """A trainable model whose fit reads per-example rows, which a walk-forward run can cache."""

    def training_rows(self, example: TrainingExample) -> tuple[Any, ...]: ...

    def fit_rows(self, rows: Sequence[Any]) -> Self: ...


@runtime_checkable
class Persistable(Protocol):
    """A trainable model whose fitted parameters round-trip through JSON."""

    @property
    def name(self) -> str: ...

    def fitted_state(self) -> dict[str, Any]: ...

    def with_fitted_state(self, state: Mapping[str, Any]) -> Self: ...


@dataclass(frozen=True)
class ShiftModel(ABC):
    """The market prior moved in log-odds by features × coefficients fit per sport and market."""

    name: str = "shift"
    method: str = "multiplicative"  # the consensus prior's devig method
    sharp_weight: float = 2.0  # the consensus prior's weight on the sharp book
    min_examples: int = MIN_EXAMPLES
    coefficients: Mapping[tuple[Sport, Market], Coefficients] = field(default_factory=dict, repr=False)

    markets: ClassVar[tuple[Market, ...]] = (Market.H2H, Market.SPREADS, Market.TOTALS)

    @abstractmethod
    def features(self, context: GameContext, book: MarketBook) -> Features | None:
        """The model's features for one market, or None when the game lacks the data they need."""

    def prepared(self, rows: Sequence[Row]) -> Self:
        """A copy with any feature parameters estimated from the training rows (none by default)."""
        return self

    def design(self, key: tuple[Sport, Market], raw: tuple[float, ...]) -> tuple[float, ...]:
        """The values the coefficients multiply, from what ``features`` read (the same by default)."""
        return raw

    def design_names(self, market: Market, names: tuple[str, ...]) -> tuple[str, ...]:
        """The names of ``design``'s values, for the reason (``features``' names by default)."""
        return names

    @property
    def fitted(self) -> bool:
        return bool(self.coefficients)

    def training_rows(self, example: TrainingExample) -> tuple[Row, ...]:
        context = example.context
        rows = []
        for market in self.markets:
            book = context.markets.get(market)
            if book is None:
                continue
            settled = settle(market, book.point, example.home_score, example.away_score)
            if settled is None:
                continue
            prior = market_prior(book, method=self.method, sharp_weight=self.sharp_weight)
            if prior is None:
                continue
            features = self.features(context, book)
            if features is None:
                continue
            outcome, weight = settled
            rows.append(
                Row(context.game.sport, market, binary_logit(prior), features.values, outcome, weight)
            )
        return tuple(rows)

    def fit_rows(self, rows: Sequence[Row]) -> Self:
        """A fitted copy: one shift per sport and market with at least ``min_examples`` rows."""
        model = self.prepared(rows)
        groups: dict[tuple[Sport, Market], list[Row]] = {}
        for row in rows:
            groups.setdefault((row.sport, row.market), []).append(row)
        coefficients = {}
        for key, group in groups.items():
            if len(group) < self.min_examples:
                continue
            coefficients[key] = select_shift(
                np.array([r.prior_logit for r in group]),
                np.array([model.design(key, r.features) for r in group], dtype=np.float64),
                np.array([r.outcome for r in group]),
                weights=np.array([r.weight for r in group]),
            )
        return replace(model, coefficients=coefficients)

    def fit(self, examples: Sequence[TrainingExample]) -> Self:
        """A copy fit on ``examples`` (every one of them: choosing which is the caller's walk-forward)."""
        return self.fit_rows(
            [row for example in chronological(examples) for row in self.training_rows(example)]
        )

    def fitted_state(self) -> dict[str, Any]:
        """The fitted parameters as plain JSON, so a fit can be stored and reused between runs."""
        return {
            "coefficients": [
                [sport.value, market.value, list(c.beta), c.l2, c.n]
                for (sport, market), c in sorted(self.coefficients.items())
            ]
        }

    def with_fitted_state(self, state: Mapping[str, Any]) -> Self:
        """A copy carrying the parameters ``fitted_state`` wrote."""
        coefficients = {
            (Sport(sport), Market(market)): Coefficients(tuple(float(b) for b in beta), float(l2), int(n))
            for sport, market, beta, l2, n in state["coefficients"]
        }
        return replace(self, coefficients=coefficients)

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]:
        out = []
        for market in self.markets:
            book = context.markets.get(market)
            key = (context.game.sport, market)
            coefficients = self.coefficients.get(key)
            if book is None or coefficients is None:
                continue
            prior = market_prior(book, method=self.method, sharp_weight=self.sharp_weight)
            if prior is None:
                continue
            features = self.features(context, book)
            if features is None:
                continue
            values = self.design(key, features.values)
            probabilities = apply_shift(prior, values, coefficients)
            contributions = [b * x for b, x in zip(coefficients.beta, values, strict=True)]
            strongest = max(range(len(values)), key=lambda j: abs(contributions[j]), default=None)
            reason: dict[str, float | str] = {
                "driver": "none"
                if strongest is None or contributions[strongest] == 0.0
                else self.design_names(market, features.names)[strongest],
                "shift_logit": round(sum(contributions), 4),
                **{
                    n: round(v, 4)
                    for n, v in zip(self.design_names(market, features.names), values, strict=True)
                },
                "fit_n": coefficients.n,
            }
            out.append(priced_prediction(book, probabilities, reason, prior))
        return tuple(out)


def run_models(models: Sequence[Model], context: GameContext) -> GameContext:
    """Predict with each model in order; each sees the earlier ones' output in ``signals``.

    Put ensemble after the models it pools and benny last. Returns the context with every
    model's predictions in ``signals`` (an empty tuple where a model had nothing to say).
    """
    signals: dict[str, tuple[MarketPrediction, ...]] = dict(context.signals)
    for model in models:
        signals[model.name] = model.predict(replace(context, signals=dict(signals)))
    return replace(context, signals=signals)


def walk_forward(
    models: Sequence[Model],
    examples: Sequence[TrainingExample],
    *,
    refit_every: timedelta = timedelta(days=7),
) -> tuple[TrainingExample, ...]:
    """Every example predicted out of sample: the backtest the acceptance figures come from.

    Examples are taken in ``as_of`` order in blocks of ``refit_every``; before each block every
    trainable model is refit, from its unfitted self, on the examples whose results were known
    before the block's first ``as_of``, and the block's games are then predicted with
    ``run_models``. The result is the examples, oldest first, whose contexts carry every
    model's out-of-sample predictions in ``signals`` — what the ensemble trains on, and what a
    scorer reads.
    """
    if refit_every <= timedelta(0):
        raise InvalidInput(f"refit_every must be positive, got {refit_every}")
    ordered = sorted(
        examples, key=lambda e: (e.context.as_of, e.context.game.commence_time, e.context.game.id)
    )
    done: list[TrainingExample] = []
    cache: dict[tuple[int, int], tuple[Any, ...]] = {}  # (model index, example index) -> rows
    i = 0
    while i < len(ordered):
        start = ordered[i].context.as_of
        block = []
        while i < len(ordered) and ordered[i].context.as_of < start + refit_every:
            block.append(ordered[i])
            i += 1
        usable = sorted(
            (j for j, e in enumerate(done) if e.known_at < start),
            key=lambda j: (done[j].context.game.commence_time, done[j].context.game.id),
        )
        fitted: list[Model] = []
        for m, model in enumerate(models):
            if isinstance(model, RowTrainable):
                rows: list[Any] = []
                for j in usable:
                    if (m, j) not in cache:
                        cache[(m, j)] = model.training_rows(done[j])
                    rows.extend(cache[(m, j)])
                fitted.append(model.fit_rows(rows))
            elif isinstance(model, Trainable):
                fitted.append(model.fit([done[j] for j in usable]))
            else:
                fitted.append(model)
        for example in block:
            context = run_models(fitted, replace(example.context, signals={}))
            done.append(replace(example, context=context))
    return tuple(done)
