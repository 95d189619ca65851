"""Scores for probability forecasts: every Brier, log loss and calibration error Benny reports.

Each score is defined once, here, and its name says its convention; a caller picks the one
whose numbers it quotes.

Brier (0 is perfect)
    ``brier_binary(probability, happened)``: mean of (p − y)² over yes/no events, p the
    probability of yes and y 1 when it happened, 0 when not. Range 0 to 1. The binary sports'
    market baselines are quoted this way (docs/DATA.md), on the home side.

    ``brier_multiclass(probs, outcome_index)``: mean over forecasts of Σ_j (p_j − y_j)² over
    all k outcomes, y one-hot on the outcome that happened. Range 0 to 2. On a two-way market
    it is exactly twice ``brier_binary`` of the first outcome: each miss counts once per side.

    ``brier_binary_if_two_way(probs, outcome_index)``: DATA.md's convention for a mix of
    markets: ``brier_binary`` of the first outcome when k = 2, ``brier_multiclass`` when k ≥ 3
    (soccer's home/draw/away, 0 to 2).

    The ``*_terms`` functions give each forecast's own score before the mean, for paired
    comparisons between forecasters on the same games.

Log loss (natural log, 0 is perfect)
    ``log_loss(probs, outcome_index, *, clip=1e-15)``: mean over forecasts of −ln p, p the
    probability given to the outcome that happened. p is first raised to ``clip``, so a
    certain miss scores −ln 1e-15 ≈ 34.54 rather than infinity; only the low end is clipped,
    so a probability of 1 on what happened scores exactly 0. ``clip=None`` leaves p as it is:
    a certain miss then scores ``inf``, which still ranks such a forecaster last.

    ``log_loss_terms(p_outcome, *, clip=1e-15)``: −ln p of each forecast, given the
    probability it put on what happened.

Calibration
    ``ece(probability, happened, *, bins=10)``: expected calibration error. Events are put in
    ``bins`` equal-width bins of their probability ([0, 0.1), [0.1, 0.2), ..., [0.9, 1] for
    ten), and the gap |mean probability − share that happened| of each non-empty bin is
    averaged, weighted by the bin's share of the events. To score a k-way forecast on every
    (forecast, outcome) pair, pass ``probs`` and ``one_hot(outcome_index, k)``.

    ``ece_from_bins(mean_probability, observed, weight)``: the same weighted mean gap,
    Σ_b w_b·|p̄_b − ō_b| / Σ_b w_b, from bins a caller has already summarised (when its events
    do not weigh the same: a half-won bet counts half). ``ece`` is this over its own bins.

Favourite hits
    ``favourite_hit_rate(probs, outcome_index)``: share of forecasts whose most likely outcome
    happened; a tie for most likely goes to the first such outcome.

Inputs
    ``probs`` is one forecast (k,) with a single outcome index, or n forecasts (n, k) with n
    outcome indices. A forecast has k ≥ 2 probabilities in [0, 1] summing to 1 within 1e-6.
    Yes/no events take probabilities in [0, 1] and ``happened`` as booleans, 0/1 or 0.0/1.0,
    of the same shape. Anything else raises ``InvalidInput``. Scores come back as floats; the
    terms as an array shaped like the forecasts, or a float for a single number.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt

from core.errors import InvalidInput
from core.odds import ArrayInput, FloatArray, require, to_float_array

__all__ = [
    "DEFAULT_CLIP",
    "brier_binary",
    "brier_binary_if_two_way",
    "brier_binary_if_two_way_terms",
    "brier_binary_terms",
    "brier_multiclass",
    "brier_multiclass_terms",
    "check_forecasts",
    "ece",
    "ece_from_bins",
    "favourite_hit_rate",
    "log_loss",
    "log_loss_terms",
    "one_hot",
]

IndexArray = npt.NDArray[np.intp]
OutcomeInput = int | Sequence[int] | npt.NDArray[Any]
EventInput = float | ArrayInput  # one yes/no event, or an array of them

DEFAULT_CLIP: Final = 1e-15
_SUM_TOLERANCE: Final = 1e-6


# --- validation -------------------------------------------------------------------------------


def check_forecasts(probs: ArrayInput, outcome_index: OutcomeInput) -> tuple[FloatArray, IndexArray]:
    """Validated (n, k) probabilities and (n,) outcome indices; see the module docstring."""
    matrix = to_float_array(probs, "probs")
    if matrix.ndim not in (1, 2):
        raise InvalidInput(
            f"probs must be one forecast (1-D) or forecasts × outcomes (2-D), got {matrix.ndim}-D"
        )
    matrix = np.atleast_2d(matrix)
    n_forecasts, n_outcomes = matrix.shape
    if n_forecasts == 0 or n_outcomes < 2:
        raise InvalidInput(
            f"probs must hold at least one forecast over at least 2 outcomes, got shape {matrix.shape}"
        )
    require(matrix, (matrix >= 0.0) & (matrix <= 1.0), "probs", "must be between 0 and 1")
    totals = matrix.sum(axis=1)
    off = np.abs(totals - 1.0) > _SUM_TOLERANCE
    if bool(np.any(off)):
        row = int(np.argmax(off))
        # Ten digits show a sum that is off by more than the tolerance without float noise.
        raise InvalidInput(f"probs must sum to 1 per forecast, got {float(totals[row]):.10g} at row {row}")

    raw = np.asarray(outcome_index)
    if raw.dtype.kind not in "iu":  # a float index is almost always a mix-up of columns
        raise InvalidInput(f"outcome_index must be integers, got {outcome_index!r}")
    indices = np.atleast_1d(raw).astype(np.intp)
    if indices.shape != (n_forecasts,):
        raise InvalidInput(
            f"outcome_index must have one entry per forecast ({n_forecasts}), got shape {raw.shape}"
        )
    require(
        indices.astype(np.float64),
        (indices >= 0) & (indices < n_outcomes),
        "outcome_index",
        f"must be between 0 and {n_outcomes - 1}",
    )
    return matrix, indices


def _events(probability: EventInput, happened: EventInput) -> tuple[FloatArray, FloatArray]:
    """Validated yes/no probabilities and 0/1 outcomes of the same (non-empty) shape."""
    p = to_float_array(probability, "probability")
    require(p, (p >= 0.0) & (p <= 1.0), "probability", "must be between 0 and 1")
    raw = np.asarray(happened)
    if raw.dtype.kind not in "biuf":
        raise InvalidInput(f"happened must be booleans or 0/1, got {happened!r}")
    outcome = raw.astype(np.float64)
    require(outcome, (outcome == 0.0) | (outcome == 1.0), "happened", "must be 0 or 1")
    if p.shape != outcome.shape or p.size == 0:
        raise InvalidInput(
            f"probability and happened must have the same non-empty shape, got {p.shape} and {outcome.shape}"
        )
    return p, outcome


def _as_result(values: FloatArray) -> float | FloatArray:
    """A single number goes back as a float, anything else as the array."""
    return float(values) if values.ndim == 0 else values


def one_hot(outcome_index: OutcomeInput, n_outcomes: int) -> FloatArray:
    """(n, k) matrix of 0.0 with 1.0 in each row's outcome column: what happened, as a forecast."""
    raw = np.asarray(outcome_index)
    if raw.dtype.kind not in "iu":
        raise InvalidInput(f"outcome_index must be integers, got {outcome_index!r}")
    indices = np.atleast_1d(raw).astype(np.intp)
    require(
        indices.astype(np.float64),
        (indices >= 0) & (indices < n_outcomes),
        "outcome_index",
        f"must be between 0 and {n_outcomes - 1}",
    )
    observed = np.zeros((indices.size, n_outcomes))
    observed[np.arange(indices.size), indices] = 1.0
    return observed


# --- Brier ------------------------------------------------------------------------------------


@overload
def brier_binary_terms(probability: float, happened: float) -> float: ...
@overload
def brier_binary_terms(probability: ArrayInput, happened: EventInput) -> FloatArray: ...
def brier_binary_terms(probability: EventInput, happened: EventInput) -> float | FloatArray:
    """(p − y)² of each yes/no forecast: ``probability`` of yes, ``happened`` 1 or 0. Each 0 to 1."""
    p, y = _events(probability, happened)
    return _as_result(np.asarray((p - y) ** 2, dtype=np.float64))


def brier_binary(probability: EventInput, happened: EventInput) -> float:
    """Mean of (p − y)² over yes/no forecasts (or the one forecast given). Range 0 to 1."""
    p, y = _events(probability, happened)
    return float(((p - y) ** 2).mean())


def brier_multiclass_terms(probs: ArrayInput, outcome_index: OutcomeInput) -> FloatArray:
    """Σ_j (p_j − y_j)² of each forecast, y one-hot on the outcome that happened. Each 0 to 2."""
    matrix, indices = check_forecasts(probs, outcome_index)
    return np.asarray(((matrix - one_hot(indices, matrix.shape[1])) ** 2).sum(axis=1), dtype=np.float64)


def brier_multiclass(probs: ArrayInput, outcome_index: OutcomeInput) -> float:
    """Mean over forecasts of Σ_j (p_j − y_j)², summed over every outcome. Range 0 to 2."""
    return float(brier_multiclass_terms(probs, outcome_index).mean())


def brier_binary_if_two_way_terms(probs: ArrayInput, outcome_index: OutcomeInput) -> FloatArray:
    """Each forecast's Brier as DATA.md quotes it: binary on the first outcome of a two-way
    market (0 to 1), summed over the outcomes of a three-way one (0 to 2)."""
    matrix, indices = check_forecasts(probs, outcome_index)
    if matrix.shape[1] == 2:
        return np.asarray(brier_binary_terms(matrix[:, 0], indices == 0), dtype=np.float64)
    return brier_multiclass_terms(matrix, indices)


def brier_binary_if_two_way(probs: ArrayInput, outcome_index: OutcomeInput) -> float:
    """Mean of ``brier_binary_if_two_way_terms``: DATA.md's Brier for two- and three-way markets."""
    return float(brier_binary_if_two_way_terms(probs, outcome_index).mean())


# --- log loss ---------------------------------------------------------------------------------


@overload
def log_loss_terms(p_outcome: float, *, clip: float | None = ...) -> float: ...
@overload
def log_loss_terms(p_outcome: ArrayInput, *, clip: float | None = ...) -> FloatArray: ...
def log_loss_terms(p_outcome: float | ArrayInput, *, clip: float | None = DEFAULT_CLIP) -> float | FloatArray:
    """−ln p of each forecast, p the probability it gave what happened, raised to ``clip`` first.

    ``clip=None`` leaves p alone: a probability of 0 then scores ``inf``.
    """
    if clip is not None and not 0.0 < clip < 1.0:
        raise InvalidInput(f"clip must be None or strictly between 0 and 1, got {clip!r}")
    p = to_float_array(p_outcome, "p_outcome")
    require(p, (p >= 0.0) & (p <= 1.0), "p_outcome", "must be between 0 and 1")
    if clip is not None:
        p = np.maximum(p, clip)
    with np.errstate(divide="ignore"):
        # 0.0 − ln p rather than −ln p: a certain hit scores 0.0, not −0.0.
        return _as_result(np.asarray(0.0 - np.log(p), dtype=np.float64))


def log_loss(probs: ArrayInput, outcome_index: OutcomeInput, *, clip: float | None = DEFAULT_CLIP) -> float:
    """Mean over forecasts of −ln(p of the outcome that happened), natural log, p raised to ``clip``."""
    matrix, indices = check_forecasts(probs, outcome_index)
    given = matrix[np.arange(indices.size), indices]
    return float(log_loss_terms(given, clip=clip).mean())


# --- calibration ------------------------------------------------------------------------------


def ece_from_bins(mean_probability: ArrayInput, observed: ArrayInput, weight: ArrayInput) -> float:
    """Σ_b w_b·|p̄_b − ō_b| / Σ_b w_b: bins' mean probability against how often they happened.

    ``weight`` is how much each bin counts (its events, or its decided bets when a half result
    counts half); a bin of weight 0 adds nothing. The weights must add up to more than 0.
    """
    means = to_float_array(mean_probability, "mean_probability")
    rates = to_float_array(observed, "observed")
    weights = to_float_array(weight, "weight")
    if means.ndim != 1 or means.shape != rates.shape or means.shape != weights.shape:
        raise InvalidInput(
            "mean_probability, observed and weight must be 1-D and of the same length, got shapes "
            f"{means.shape}, {rates.shape} and {weights.shape}"
        )
    require(means, (means >= 0.0) & (means <= 1.0), "mean_probability", "must be between 0 and 1")
    require(rates, (rates >= 0.0) & (rates <= 1.0), "observed", "must be between 0 and 1")
    require(weights, np.isfinite(weights) & (weights >= 0.0), "weight", "must be finite and >= 0")
    # A plain running sum, bin by bin: ten terms at most, added in bin order.
    gap = total = 0.0
    for p_bar, o_bar, w in zip(means.tolist(), rates.tolist(), weights.tolist(), strict=True):
        gap += w * abs(p_bar - o_bar)
        total += w
    if not total > 0.0:
        raise InvalidInput(f"weight must add up to more than 0, got {total!r}")
    return gap / total


def ece(probability: EventInput, happened: EventInput, *, bins: int = 10) -> float:
    """Expected calibration error of yes/no events in ``bins`` equal-width probability bins."""
    if isinstance(bins, bool) or not isinstance(bins, Integral) or bins < 1:
        raise InvalidInput(f"bins must be a whole number >= 1, got {bins!r}")
    p, y = _events(probability, happened)
    p, y = p.ravel(), y.ravel()
    bins = int(bins)
    index = np.minimum((p * bins).astype(np.int64), bins - 1)
    means: list[float] = []
    rates: list[float] = []
    counts: list[float] = []
    for b in range(bins):
        members = index == b
        count = int(np.count_nonzero(members))
        if count:
            means.append(float(p[members].mean()))
            rates.append(float(y[members].mean()))
            counts.append(float(count))
    return ece_from_bins(means, rates, counts)


# --- favourite hits ---------------------------------------------------------------------------


def favourite_hit_rate(probs: ArrayInput, outcome_index: OutcomeInput) -> float:
    """Share of forecasts (0 to 1) where the outcome with the highest probability happened."""
    matrix, indices = check_forecasts(probs, outcome_index)
    return float((matrix.argmax(axis=1) == indices).mean())
