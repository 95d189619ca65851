"""Every forecaster scored on the same games: Brier, log loss, ECE and the gap to the market."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.evaluation.runs import BASE_RATE, DIXON_COLES, ELO, MARKET, LeagueResult
from core import scoring as metrics
from core.evaluation import paired_bootstrap
from core.models import REGISTRY

BENNY_SHOWN = ("consensus", "ensemble", "benny")
MIN_COVERAGE = 0.95  # an "other" model joins the side-by-side if it covers this share of its games


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    label: str
    n: int
    brier: float
    log_loss: float
    ece: float
    gap: float | None  # mean Brier minus the market's, on these games
    se: float | None


def arrays(result: LeagueResult, name: str, games: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    probs = np.array([result.forecasts[name][g] for g in games], dtype=float)
    return probs, np.array([result.outcomes[g] for g in games], dtype=np.int64)


def side_by_side(result: LeagueResult) -> tuple[list[Row], list[str]]:
    """The rows of the league's moneyline table, all on the same games; and those games."""
    f = result.forecasts
    core_names = [MARKET, *BENNY_SHOWN, ELO, *([DIXON_COLES] if DIXON_COLES in f else []), BASE_RATE]
    base = set(result.outcomes).intersection(*(set(f.get(n, {})) for n in core_names))
    if not base:
        return [], []
    others = [
        m
        for m in REGISTRY
        if m not in BENNY_SHOWN and len(base & set(f.get(m, {}))) >= MIN_COVERAGE * len(base)
    ]
    games = sorted(base.intersection(*(set(f[m]) for m in others)))
    if not games:
        return [], []
    ranked = sorted(others, key=lambda m: metrics.brier_binary_if_two_way(*arrays(result, m, games)))
    picked = {ranked[0]: "best other", ranked[-1]: "worst other"} if len(ranked) > 1 else {}
    market_terms = metrics.brier_binary_if_two_way_terms(*arrays(result, MARKET, games))
    rows = []
    names = [MARKET, *BENNY_SHOWN, *picked, ELO, *([DIXON_COLES] if DIXON_COLES in f else []), BASE_RATE]
    for name in names:
        probs, outcome = arrays(result, name, games)
        gap = se = None
        if name != MARKET:
            gap, se = paired_bootstrap(metrics.brier_binary_if_two_way_terms(probs, outcome), market_terms)
        label = LABELS.get(name, name) + (f" ({picked[name]})" if name in picked else "")
        rows.append(
            Row(name, label, len(games), metrics.brier_binary_if_two_way(probs, outcome),
                metrics.log_loss(probs, outcome),
                metrics.ece(probs, metrics.one_hot(outcome, probs.shape[1])), gap, se)
        )  # fmt: skip
    return rows, games


LABELS = {
    MARKET: "**market** (devigged closing consensus)",
    ELO: "Elo (tuned)",
    DIXON_COLES: "Dixon-Coles (penaltyblog)",
    BASE_RATE: "base rate (training seasons)",
    "ensemble": "**ensemble**",
}


def market_check(result: LeagueResult) -> float:
    """The market's Brier over every game it priced, as the replay's own report computes it."""
    games = sorted(set(result.forecasts.get(MARKET, {})) & set(result.outcomes))
    return metrics.brier_binary_if_two_way(*arrays(result, MARKET, games)) if games else math.nan
