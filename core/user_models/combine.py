"""A user model's probability: the market prior moved by the user's weighted view, for every caller.

For game i, with the consensus's first-side log-odds ``prior_logit[i]``, the five standardised
signals ``signals[i, j]`` (``core.user_models.signals``, columns in ``Source`` order; NaN where
a source had nothing to say) and the user's weights ``w`` (non-negative, summing to 1)::

    view[i] = Σ_j w_j · s_ij          (a missing signal contributes 0)
    P(first side)[i] = sigmoid(prior_logit[i] + k · view[i])

``k`` converts a view of one standard deviation into log-odds. It is fit on past games
(``fit_slope``) the way every system model fits its shift (``core.models.offset_logistic``): a
ridge-penalised logistic likelihood with the prior as a fixed offset, the penalty chosen by
empirical Bayes, so a view that explains nothing beyond the market fits k ≈ 0 and the user
model is the market. k is never negative: a user's weights say which way their sources point,
and history only says how far to trust them. With k fit, the output is a calibrated
probability; with k = 0, or all weights 0, it is the prior.

Live runs and backtests call the same ``combine`` on arrays (one row per game), so a backtest
figure is the figure of the model that would have run. Walk-forward is the caller's job: fit k
on games finished before the ones being predicted.

Three-way moneylines (soccer): ``prior_logit`` is log(p_home / p_away) and the result is
P(home | not a draw); re-split the prior's home and away share with
``core.models.offset_logistic.with_first_side``, the draw keeping the market's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import numpy as np

from core.errors import InvalidInput
from core.models.offset_logistic import FloatArray, select_shift, sigmoid
from core.user_models.spec import Source

__all__ = ["N_SOURCES", "combine", "combine_one", "fit_slope", "weighted_view"]

N_SOURCES: Final = len(Source)
_WEIGHT_TOLERANCE: Final = 1e-6
# calibration.sigmoid clips log-odds here; the scalar reference does the same.
_LOGIT_LIMIT: Final = 30.0


def _weights(weights: Sequence[float] | FloatArray) -> FloatArray:
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (N_SOURCES,):
        raise InvalidInput(f"weights must hold {N_SOURCES} numbers (one per source), got shape {w.shape}")
    if not bool(np.all(np.isfinite(w) & (w >= 0.0))):
        raise InvalidInput(f"weights must be finite and non-negative, got {w.tolist()}")
    total = float(w.sum())
    if total != 0.0 and abs(total - 1.0) > _WEIGHT_TOLERANCE:
        raise InvalidInput(f"weights must sum to 1 (or all be 0: no view), got {total}")
    return w


def _slope(k: float) -> float:
    if not (math.isfinite(k) and k >= 0.0):
        raise InvalidInput(f"k must be finite and >= 0, got {k}")
    return float(k)


def weighted_view(signals: FloatArray, weights: Sequence[float] | FloatArray) -> FloatArray:
    """Σ_j w_j · s_ij per game, NaN signals counting 0: the user's view in standard deviations."""
    s = np.asarray(signals, dtype=np.float64)
    if s.ndim != 2 or s.shape[1] != N_SOURCES:
        raise InvalidInput(f"signals must be games × {N_SOURCES} sources, got shape {s.shape}")
    if bool(np.any(np.isinf(s))):
        raise InvalidInput("signals must be finite or NaN (missing)")
    view = np.where(np.isnan(s), 0.0, s) @ _weights(weights)
    return np.asarray(view, dtype=np.float64)


def combine(
    prior_logit: FloatArray, signals: FloatArray, weights: Sequence[float] | FloatArray, k: float
) -> FloatArray:
    """P(first side) per game: sigmoid(prior_logit + k · Σ_j w_j s_j), missing signals counting 0."""
    offset = np.asarray(prior_logit, dtype=np.float64)
    view = weighted_view(signals, weights)
    if offset.shape != view.shape:
        raise InvalidInput(
            f"prior_logit must have one value per game, got shape {offset.shape} for {view.size} games"
        )
    if not bool(np.all(np.isfinite(offset))):
        raise InvalidInput("prior_logit must be finite")
    return sigmoid(offset + _slope(k) * view)


def combine_one(
    prior_logit: float, signals: Sequence[float | None], weights: Sequence[float], k: float
) -> float:
    """``combine`` for one game in plain Python (None or NaN for a missing signal): the reference."""
    if len(signals) != N_SOURCES or len(weights) != N_SOURCES:
        raise InvalidInput(f"expected {N_SOURCES} signals and weights, got {len(signals)} and {len(weights)}")
    _weights(weights)
    view = 0.0
    for signal, weight in zip(signals, weights, strict=True):
        if signal is not None and not math.isnan(signal):
            view += weight * signal
    z = min(max(prior_logit + _slope(k) * view, -_LOGIT_LIMIT), _LOGIT_LIMIT)
    return 1.0 / (1.0 + math.exp(-z))


def fit_slope(
    prior_logit: FloatArray,
    signals: FloatArray,
    weights: Sequence[float] | FloatArray,
    outcomes: FloatArray,
    sample_weights: FloatArray | None = None,
) -> float:
    """k ≥ 0 maximising the penalised likelihood of ``outcomes`` under ``combine``, on the games given.

    ``outcomes`` are the first side's results as ``core.models.training.settle`` gives them (1
    won, 0 lost, a fraction for a quarter line half decided), with its weights as
    ``sample_weights`` (pushes and draws left out by the caller). The fit is
    ``calibration.select_shift`` with the view as the one feature: Newton steps on the
    log-likelihood with a ridge penalty on the standardised slope, the penalty picked by the
    marginal likelihood from a grid whose top pins k to 0. Because the objective is concave in
    k, the best k ≥ 0 is the unconstrained optimum clipped at 0. With no games, or a view that
    is 0 throughout (no source had data), there is nothing to learn: 0, the market.

    Every game passed is read: keep the games being predicted out (walk-forward is the caller's).
    """
    view = weighted_view(signals, weights)
    for name, values in (("prior_logit", prior_logit), ("outcomes", outcomes)):
        if np.shape(values) != view.shape:
            raise InvalidInput(
                f"{name} must have one value per game ({view.size}), got shape {np.shape(values)}"
            )
    if view.size == 0 or not bool(np.any(view != 0.0)):
        return 0.0
    coefficients = select_shift(
        np.asarray(prior_logit, dtype=np.float64),
        view.reshape(-1, 1),
        np.asarray(outcomes, dtype=np.float64),
        weights=None if sample_weights is None else np.asarray(sample_weights, dtype=np.float64),
    )
    return max(0.0, float(coefficients.beta[0]))  # 0.0 first, so a fit of −0.0 reads 0.0
