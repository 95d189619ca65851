"""Comparing two forecasters' scores on the same games: the paired bootstrap.

The scores themselves (Brier, log loss, calibration error) are ``core.scoring``'s; the
evaluation reports quote Brier as DATA.md does, ``brier_binary_if_two_way``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


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
