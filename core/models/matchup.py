"""matchup: how these two teams fared against each other beyond what the line expected, shrunk to the market.

A meeting is a game found in both teams' histories (the same game id, seen from each side).
Each meeting gives a residual from the home team's side: its margin plus its closing handicap
in that meeting (how far it beat the spread; venue and strength already priced), or for the
total, the meeting's points minus its closing total. Meetings without the closing line are
skipped; the newest ``max_meetings`` count.

Shrinkage toward the prior is empirical Bayes: the matchup effect is what residuals of the
same pairing share. Over the training games, the covariance between two meetings of the same
pairing estimates τ² (the variance of real matchup effects) and what is left of the residuals'
variance estimates σ² (one meeting's noise). The feature is the posterior-mean residual,
Σ residuals / (n + n₀) with n₀ = σ²/τ² "pseudo-meetings at the market": a pairing met once is
pulled almost all the way back, one met often less so, and where the meetings share nothing
(τ² ≤ 0) n₀ is effectively infinite. The market prior's log-odds then move by the feature
times a coefficient fit per sport and market on stored history.

Markets: moneyline and spread (the margin residual, home's side), total (the total residual).
A game without a meeting (with its closing line) in the two histories gets no prediction: the
context carries each team's recent games only, so pass histories long enough to span meetings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Self

from core.models.base import GameContext, MarketBook
from core.models.training import Features, Row, ShiftModel
from core.sports import Market, Sport

# The shrinkage used when the meetings show no shared effect: so many pseudo-meetings that the
# feature is the residual sum over a constant, about 0 against any real history.
MAX_PRIOR_MEETINGS: Final = 1000.0


def prior_meetings(rows: Sequence[tuple[float, float, float]]) -> float:
    """n₀ = σ²/τ² from (Σ residuals, Σ residuals², meetings) per training game (method of moments)."""
    pair_products = sum(s1 * s1 - s2 for s1, s2, n in rows if n >= 2)
    pairs = sum(n * (n - 1) for _, _, n in rows if n >= 2)
    meetings = sum(n for _, _, n in rows)
    if pairs <= 0 or meetings <= 0:
        return MAX_PRIOR_MEETINGS
    tau2 = pair_products / pairs  # mean product of two meetings' residuals: the shared effect
    if tau2 <= 0.0:
        return MAX_PRIOR_MEETINGS
    sigma2 = max(sum(s2 for _, s2, _ in rows) / meetings - tau2, 0.0)
    return min(sigma2 / tau2, MAX_PRIOR_MEETINGS)


@dataclass(frozen=True)
class Matchup(ShiftModel):
    name: str = "matchup"
    max_meetings: int = 10
    shrinkage: Mapping[tuple[Sport, Market], float] = field(default_factory=dict, repr=False)  # fitted n₀

    def features(self, context: GameContext, book: MarketBook) -> Features | None:
        away_games = {g.game_id for g in context.away_history}
        meetings = sorted(
            (g for g in context.home_history if g.game_id in away_games and g.commence_time < context.as_of),
            key=lambda g: g.commence_time,
            reverse=True,
        )
        residuals = []
        for g in meetings:
            if book.market is Market.TOTALS:
                if g.total_close is not None:
                    residuals.append(g.points_for + g.points_against - g.total_close)
            elif g.spread_close is not None:
                residuals.append(g.points_for - g.points_against + g.spread_close)
        residuals = residuals[: self.max_meetings]
        if not residuals:
            return None
        return Features(
            ("residual_sum", "residual_squares", "meetings"),
            (float(sum(residuals)), float(sum(r * r for r in residuals)), float(len(residuals))),
        )

    def prepared(self, rows: Sequence[Row]) -> Self:
        by_key: dict[tuple[Sport, Market], list[tuple[float, float, float]]] = {}
        for row in rows:
            s1, s2, n = row.features
            by_key.setdefault((row.sport, row.market), []).append((s1, s2, n))
        return replace(self, shrinkage={key: prior_meetings(stats) for key, stats in by_key.items()})

    def fitted_state(self) -> dict[str, Any]:
        state = super().fitted_state()
        state["shrinkage"] = [[s.value, m.value, n0] for (s, m), n0 in sorted(self.shrinkage.items())]
        return state

    def with_fitted_state(self, state: Mapping[str, Any]) -> Self:
        shrinkage = {(Sport(s), Market(m)): float(n0) for s, m, n0 in state["shrinkage"]}
        return replace(super().with_fitted_state(state), shrinkage=shrinkage)

    def design(self, key: tuple[Sport, Market], raw: tuple[float, ...]) -> tuple[float, ...]:
        total, _, n = raw
        return (total / (n + self.shrinkage.get(key, MAX_PRIOR_MEETINGS)),)

    def design_names(self, market: Market, names: tuple[str, ...]) -> tuple[str, ...]:
        return ("matchup_total",) if market is Market.TOTALS else ("matchup_margin",)
