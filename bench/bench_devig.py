"""Devig throughput: 1,000 three-way markets (EPL-like prices) with every method, against penaltyblog.

Ours devigs all the markets in one call per method (``core.devig.devig``). The peer is
penaltyblog's ``penaltyblog.implied.calculate_implied(odds, method=...)``, which takes one market
at a time, so it is called in a loop over the same markets as a user would (the prices handed
over as Python lists, made before the clock starts). Before anything is timed, both answers are
compared market by market: a method whose probabilities differ by more than ``TOLERANCE`` is
reported in its note rather than compared as like for like. Quick mode uses 50 markets.
"""

from __future__ import annotations

import numpy as np

from bench.harness import Figure, median_seconds, peer_version
from core.devig import DEVIG_METHODS, devig

# Both solve the same equations (same definitions for all five methods); the root finders stop
# at different points (bisection here, Ridders' method there), which moves a probability ~1e-12.
TOLERANCE = 1e-9


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
    peer = peer_version("penaltyblog")
    from penaltyblog.implied import calculate_implied

    prices = markets(50 if quick else 1_000)
    rows = prices.tolist()
    figures = []
    for method in DEVIG_METHODS:

        def ours(m: str = method) -> np.ndarray:
            return devig(prices, method=m)

        def theirs(m: str = method) -> list[list[float]]:
            return [calculate_implied(row, method=m).probabilities for row in rows]

        gap = float(np.max(np.abs(ours() - np.array(theirs()))))
        agreement = (
            f"same probabilities (largest gap {gap:.1e})"
            if gap <= TOLERANCE
            else f"DIFFERENT probabilities (largest gap {gap:.1e}): not like for like"
        )
        ours_s = median_seconds(ours, repeat=3 if quick else 15)
        theirs_s = median_seconds(theirs, repeat=1 if quick else 3)
        figures.append(
            Figure(
                f"devig {len(prices):,} 3-way markets, {method}",
                ours_s * 1e3,
                "ms",
                note=f"peer loops over the markets one call each; {agreement}",
                peer_name=peer,
                peer_value=theirs_s * 1e3,
                ratio_target=50.0,
            )
        )
    return figures
