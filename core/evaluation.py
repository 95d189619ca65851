"""Scoring forecasts the way DATA.md scores the market: Brier, log loss and calibration error.

Pure functions over arrays: ``probs`` is n forecasts x k outcomes (k = 2 or 3), ``outcome``
the index of what happened. Brier is binary for two-way markets, (p - y)^2 on the first
outcome, and summed over the outcomes for three-way ones (0 to 2), as in DATA.md.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _onehot(outcome: IntArray, k: int) -> FloatArray:
    y = np.zeros((len(outcome), k))
    y[np.arange(len(outcome)), outcome] = 1.0
    return y


def brier(probs: FloatArray, outcome: IntArray) -> float:
    y = _onehot(outcome, probs.shape[1])
    if probs.shape[1] == 2:
        return float(np.mean((probs[:, 0] - y[:, 0]) ** 2))
    return float(np.mean(np.sum((probs - y) ** 2, axis=1)))


def log_loss(probs: FloatArray, outcome: IntArray) -> float:
    p = np.clip(probs[np.arange(len(outcome)), outcome], 1e-15, 1.0)
    return float(-np.mean(np.log(p)))


def ece(probs: FloatArray, outcome: IntArray, *, bins: int = 10) -> float:
    """Expected calibration error over every (forecast, outcome) pair, in equal-width bins."""
    p = probs.ravel()
    y = _onehot(outcome, probs.shape[1]).ravel()
    index = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += abs(float(p[mask].mean() - y[mask].mean())) * mask.sum()
    return total / len(p)


def brier_terms(probs: FloatArray, outcome: IntArray) -> FloatArray:
    """Each forecast's own Brier term (binary for two outcomes, summed for three)."""
    y = _onehot(outcome, probs.shape[1])
    if probs.shape[1] == 2:
        return np.asarray((probs[:, 0] - y[:, 0]) ** 2, dtype=float)
    return np.asarray(np.sum((probs - y) ** 2, axis=1), dtype=float)


def paired_bootstrap(
    a: FloatArray, b: FloatArray, *, resamples: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """Mean of a - b over paired scores, and its bootstrap standard error (games resampled together)."""
    if len(a) != len(b) or len(a) == 0:
        raise ValueError(f"paired scores must have the same, non-zero length, got {len(a)} and {len(b)}")
    diff = a - b
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), (resamples, len(diff)))].mean(axis=1)
    return float(diff.mean()), float(means.std(ddof=1))
