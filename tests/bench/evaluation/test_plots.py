"""The reliability diagrams' bins, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from bench.evaluation.plots import reliability_bins


def test_reliability_bins_by_hand() -> None:
    p = np.array([0.05, 0.08, 0.55, 0.95])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    mean_p, freq, counts = reliability_bins(p, y)
    assert mean_p == pytest.approx([0.065, 0.55, 0.95])
    assert freq == pytest.approx([0.5, 1.0, 1.0])
    assert list(counts) == [2, 1, 1]
