"""Devig throughput: 1,000 three-way markets (EPL-like prices) with every method, in one call each."""

from __future__ import annotations

import numpy as np

from bench.harness import Figure, median_seconds
from core.devig import DEVIG_METHODS, devig


def markets(n: int, seed: int = 7) -> np.ndarray:
    """Three-way prices with a 2-6% overround around fair probabilities like a football season's."""
    rng = np.random.default_rng(seed)
    home = rng.uniform(0.2, 0.7, n)
    draw = rng.uniform(0.2, 0.3, n)
    away = np.clip(1.0 - home - draw, 0.08, None)
    fair = np.column_stack([home, draw, away])
    fair /= fair.sum(axis=1, keepdims=True)
    margin = rng.uniform(0.02, 0.06, (n, 1))
    return np.asarray(1.0 / (fair * (1.0 + margin)), dtype=float)


def run(quick: bool = False) -> list[Figure]:
    prices = markets(50 if quick else 1_000)
    figures = []
    for method in DEVIG_METHODS:

        def work(m: str = method) -> object:
            return devig(prices, method=m)

        seconds = median_seconds(work, repeat=3 if quick else 15)
        figures.append(Figure(f"devig {len(prices):,} 3-way markets, {method}", seconds * 1e3, "ms"))
    return figures
