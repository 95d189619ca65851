"""Scoring forecasts: Brier (binary and three-way), log loss, ECE and the paired bootstrap."""

from __future__ import annotations

import numpy as np
import pytest

from core.evaluation import brier, brier_terms, ece, log_loss, paired_bootstrap


def test_brier_is_binary_for_two_outcomes_and_summed_for_three() -> None:
    two = np.array([[0.6, 0.4], [0.3, 0.7]])
    assert brier(two, np.array([0, 0])) == pytest.approx(((0.4**2) + (0.7**2)) / 2)
    three = np.array([[0.5, 0.3, 0.2]])
    assert brier(three, np.array([2])) == pytest.approx(0.25 + 0.09 + 0.64)
    assert brier_terms(three, np.array([2]))[0] == pytest.approx(0.98)
    assert log_loss(two, np.array([0, 1])) == pytest.approx(-(np.log(0.6) + np.log(0.7)) / 2)


def test_a_calibrated_forecaster_has_a_small_ece_and_a_biased_one_does_not() -> None:
    rng = np.random.default_rng(1)
    p = rng.uniform(0.1, 0.9, 20_000)
    y = (rng.uniform(size=p.size) < p).astype(np.int64)
    honest = np.column_stack([1 - p, p])
    biased = np.column_stack([1 - p * 0.7, p * 0.7])
    assert ece(honest, y) < 0.01
    assert ece(biased, y) > 0.05


def test_paired_bootstrap_sees_a_real_gap() -> None:
    rng = np.random.default_rng(2)
    base = rng.uniform(0, 1, 2_000)
    gap, se = paired_bootstrap(base + 0.01, base)
    assert gap == pytest.approx(0.01) and se == pytest.approx(0.0, abs=1e-9)
    noisy_gap, noisy_se = paired_bootstrap(base + rng.normal(0, 0.1, base.size), base)
    assert abs(noisy_gap) < 3 * noisy_se
    with pytest.raises(ValueError, match="same, non-zero length"):
        paired_bootstrap(base, base[:10])
