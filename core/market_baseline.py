"""How good the closing market is: devigged closing moneylines scored against results.

The figures DATA.md gives for the real history files, computed the same way: proportional
(multiplicative) devig per book; for a consensus, the books' fair probabilities averaged per
game; Brier as the sum of squared errors over the outcomes (0-2 for three-way soccer, and
(p - y)^2 on the home side for two-way sports, whose ties are left out), which is
``core.scoring.brier_binary_if_two_way``; natural-log loss, unclipped; and how often the
favourite won.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.devig import devig
from core.scoring import brier_binary_if_two_way, log_loss


class PriceRow(Protocol):
    @property
    def game_id(self) -> str: ...
    @property
    def book(self) -> str: ...
    @property
    def side(self) -> str: ...
    @property
    def price_decimal(self) -> float: ...
    @property
    def home_score(self) -> int: ...
    @property
    def away_score(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Baseline:
    games: int
    brier: float | None
    log_loss: float | None
    favourite_hit: float | None
    mean_overround: float | None


def closing_baseline(
    rows: Iterable[PriceRow], *, three_way: bool, exclude_books: frozenset[str] = frozenset()
) -> Baseline:
    sides = ("home", "draw", "away") if three_way else ("home", "away")
    prices: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    results: dict[str, tuple[int, int]] = {}
    for r in rows:
        if r.book in exclude_books:
            continue
        prices[(r.game_id, r.book)][r.side] = r.price_decimal
        results[r.game_id] = (r.home_score, r.away_score)
    complete = [(key, p) for key, p in prices.items() if all(s in p for s in sides)]
    if not complete:
        return Baseline(0, None, None, None, None)
    matrix = np.array([[p[s] for s in sides] for _, p in complete], dtype=float)
    fair = devig(matrix)
    overround = (1.0 / matrix).sum(axis=1) - 1.0
    by_game: dict[str, list[int]] = defaultdict(list)
    for index, ((game_id, _), _) in enumerate(complete):
        by_game[game_id].append(index)
    game_ids = sorted(by_game)
    consensus = np.array([fair[by_game[g]].mean(axis=0) for g in game_ids])
    scores = np.array([results[g] for g in game_ids])
    home, away = scores[:, 0], scores[:, 1]
    if three_way:
        outcome = np.where(home > away, 0, np.where(home == away, 1, 2))
        keep = np.ones(len(game_ids), dtype=bool)
    else:
        outcome = np.where(home > away, 0, 1)
        keep = home != away  # ties (rare in the NFL) are left out of binary scoring
    p, y = consensus[keep], outcome[keep]
    n = len(y)
    if n == 0:
        return Baseline(0, None, None, None, None)
    hit = float(np.mean(np.argmax(p, axis=1) == y))
    # Log loss unclipped, as DATA.md quotes it: a devigged price is never 0.
    return Baseline(
        n, brier_binary_if_two_way(p, y), log_loss(p, y, clip=None), hit, float(np.mean(overround))
    )
