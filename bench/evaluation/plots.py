"""The reliability diagrams: each league's forecasters' bins against what happened, as PNGs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.evaluation.runs import DIXON_COLES, ELO, MARKET, LeagueResult
from bench.evaluation.scoring import arrays
from core.sports import Market, sides_for

PLOTTED = (  # name, label, colour, line style
    (MARKET, "market (close)", "black", "-"),
    ("ensemble", "ensemble", "tab:blue", "--"),
    (ELO, "Elo", "tab:orange", "-"),
    (DIXON_COLES, "Dixon-Coles", "tab:green", "-"),
)
MIN_BIN = 10  # a bin with fewer forecasts is counted below but not drawn as a point


def reliability_bins(
    p: np.ndarray, y: np.ndarray, *, bins: int = 10
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per equal-width bin: the mean forecast, the observed frequency and the count (empty bins dropped)."""
    index = np.minimum((p * bins).astype(int), bins - 1)
    counts = np.bincount(index, minlength=bins)
    keep = counts > 0
    mean_p = np.bincount(index, weights=p, minlength=bins)[keep] / counts[keep]
    freq = np.bincount(index, weights=y, minlength=bins)[keep] / counts[keep]
    return mean_p, freq, counts[keep]


def _pairs(probs: np.ndarray, outcome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Binary: P(home) against a home win. Three-way: every (game, side) pair, as the ECE pools them."""
    won = np.zeros_like(probs)
    won[np.arange(len(outcome)), outcome] = 1.0
    if probs.shape[1] == 2:
        return probs[:, 0], won[:, 0]
    return probs.ravel(), won.ravel()


def reliability_plot(result: LeagueResult, games: Sequence[str], path: Path) -> None:
    """The league's reliability diagram (market, ensemble, Elo, Dixon-Coles), drawn with Agg to a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 6.6), dpi=100)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
    three = len(sides_for(result.league.sport, Market.H2H)) == 3
    width = 0.1 / len(PLOTTED)
    for i, (name, label, colour, style) in enumerate(PLOTTED):
        if name not in result.forecasts:
            continue
        p, y = _pairs(*arrays(result, name, games))
        mean_p, freq, counts = reliability_bins(p, y)
        shown = counts >= MIN_BIN
        top.plot(
            mean_p[shown], freq[shown], marker="o", markersize=4, color=colour, linestyle=style, label=label
        )
        left = np.floor(np.minimum(mean_p, 0.9999) * 10) / 10
        bottom.bar(left + (i + 0.5) * width, counts, width=width, color=colour)
    what = "every (match, outcome) pair" if three else "P(home win)"
    top.set(title=f"{result.league.title}: reliability on {len(games)} games ({what})",
            ylabel="observed frequency", xlim=(0, 1), ylim=(0, 1))  # fmt: skip
    top.legend(loc="upper left")
    top.grid(alpha=0.3)
    bottom.set(
        xlabel=f"forecast probability (10 equal-width bins; points need {MIN_BIN})", ylabel="forecasts"
    )
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
