"""Comparing forecasters on the same games: the paired bootstrap (the scores are test_scoring's)."""

from __future__ import annotations

import numpy as np
import pytest

from core.evaluation import paired_bootstrap


def test_paired_bootstrap_sees_a_real_gap() -> None:
    rng = np.random.default_rng(2)
    base = rng.uniform(0, 1, 2_000)
    gap, se = paired_bootstrap(base + 0.01, base)
    assert gap == pytest.approx(0.01) and se == pytest.approx(0.0, abs=1e-9)
    noisy_gap, noisy_se = paired_bootstrap(base + rng.normal(0, 0.1, base.size), base)
    assert abs(noisy_gap) < 3 * noisy_se
    with pytest.raises(ValueError, match="same, non-zero length"):
        paired_bootstrap(base, base[:10])
