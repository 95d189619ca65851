"""Scores for probability forecasts of categorical outcomes (home/draw/away, home/away).

Conventions follow the project's data baselines (shared/data/DATA.md):

- ``brier_score``: sum over outcomes of (p_j − y_j)², averaged over events; 0 is perfect and
  a 3-way forecast scores at most 2.
- ``brier_score_binary``: (p − y)² for a single yes/no probability, as quoted for the binary
  sports; it is half of ``brier_score`` on the equivalent two-column forecast.
- ``log_loss``: mean of −ln(probability given to the outcome that happened).
- ``favourite_hit_rate``: share of events where the outcome with the highest probability
  happened; a tie for highest goes to the first such outcome.

``probs`` is one forecast (k,) with a single outcome index, or n forecasts (n, k) with n
outcome indices. Each forecast must lie in [0, 1] and sum to 1 within 1e-6.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from core.errors import InvalidInput
from core.odds import ArrayInput, FloatArray, require, to_float_array

__all__ = ["brier_score", "brier_score_binary", "favourite_hit_rate", "log_loss"]

OutcomeInput = int | Sequence[int] | npt.NDArray[Any]

_SUM_TOLERANCE: Final = 1e-6


def _forecasts(probs: ArrayInput, outcome_index: OutcomeInput) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Validated (n, k) probabilities and (n,) outcome indices."""
    matrix = to_float_array(probs, "probs")
    if matrix.ndim not in (1, 2):
        raise InvalidInput(
            f"probs must be one forecast (1-D) or forecasts × outcomes (2-D), got {matrix.ndim}-D"
        )
    matrix = np.atleast_2d(matrix)
    n_events, n_outcomes = matrix.shape
    if n_events == 0 or n_outcomes < 2:
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
    if indices.shape != (n_events,):
        raise InvalidInput(
            f"outcome_index must have one entry per forecast ({n_events}), got shape {raw.shape}"
        )
    require(
        indices.astype(np.float64),
        (indices >= 0) & (indices < n_outcomes),
        "outcome_index",
        f"must be between 0 and {n_outcomes - 1}",
    )
    return matrix, indices


def brier_score(probs: ArrayInput, outcome_index: OutcomeInput) -> float:
    """Mean over events of Σ_j (p_j − y_j)², with y the one-hot outcome. Range 0 (perfect) to 2."""
    matrix, indices = _forecasts(probs, outcome_index)
    observed = np.zeros_like(matrix)
    observed[np.arange(len(indices)), indices] = 1.0
    return float(((matrix - observed) ** 2).sum(axis=1).mean())


def brier_score_binary(
    probability: float | ArrayInput, happened: int | Sequence[int] | npt.NDArray[Any]
) -> float:
    """Mean of (p − y)² for yes/no events: ``probability`` of yes, ``happened`` as booleans or 0/1."""
    p = to_float_array(probability, "probability")
    require(p, (p >= 0.0) & (p <= 1.0), "probability", "must be between 0 and 1")
    raw = np.asarray(happened)
    if raw.dtype.kind not in "biu":
        raise InvalidInput(f"happened must be booleans or 0/1, got {happened!r}")
    outcome = raw.astype(np.float64)
    require(outcome, (outcome == 0.0) | (outcome == 1.0), "happened", "must be 0 or 1")
    if p.shape != outcome.shape or p.size == 0:
        raise InvalidInput(
            f"probability and happened must have the same non-empty shape, got {p.shape} and {outcome.shape}"
        )
    return float(((p - outcome) ** 2).mean())


def log_loss(probs: ArrayInput, outcome_index: OutcomeInput) -> float:
    """Mean over events of −ln(p of the outcome that happened), natural log.

    Giving probability 0 to something that then happens is infinitely bad, so the score is
    ``inf`` in that case rather than an error: it still ranks such a model last.
    """
    matrix, indices = _forecasts(probs, outcome_index)
    given = matrix[np.arange(len(indices)), indices]
    with np.errstate(divide="ignore"):
        return float(-np.log(given).mean())


def favourite_hit_rate(probs: ArrayInput, outcome_index: OutcomeInput) -> float:
    """Share of events (0 to 1) where the outcome with the highest probability happened."""
    matrix, indices = _forecasts(probs, outcome_index)
    return float((matrix.argmax(axis=1) == indices).mean())
