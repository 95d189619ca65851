"""The outside forecasters scored beside Benny's models: base rate, a tuned Elo, Dixon-Coles.

Each sees only what was known before the games it prices: Elo is tuned on the results before
the scored window, the base rate counts them, and penaltyblog's Dixon-Coles model is refit every
Monday on the matches whose results were known by then, with time-decay weights.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np

from core import elo
from core.models.walk_forward import fit_moment
from core.sports import Market, Sport, sides_for

DC_XI = 0.0018  # Dixon-Coles time decay per day (penaltyblog's default): a year-old match weighs 0.52
DC_MIN_MATCHES = 6  # fewer past matches: a newcomer, priced as the three weakest teams
Vector = tuple[float, ...]


def outcome_index(sport: Sport, home: int, away: int) -> int | None:
    """The index, in ``sides_for(sport, h2h)`` order, of the side that won; None for a US tie."""
    if home != away:
        return 0 if home > away else 1
    return 2 if sport.has_draw else None


def elo_forecasts(
    games: Sequence[elo.EloGame], *, sport: Sport, score_from: datetime
) -> tuple[elo.EloFit, dict[str, Vector]]:
    """Elo tuned on the results known before ``score_from``, then replayed over every game."""
    fit = elo.tune(games, before=score_from, draws=sport.has_draw)
    expected = elo.replay(games, fit.params)
    forecasts: dict[str, Vector] = {}
    for game, e in zip(games, expected, strict=True):
        if game.start >= score_from:
            forecasts[game.game_id] = elo.three_way(e, fit.draw_factor) if sport.has_draw else (e, 1.0 - e)
    return fit, forecasts


Predictor = Callable[[str, str], Vector]  # (home, away) -> (home, away, draw)
FitFn = Callable[[Sequence[elo.EloGame], datetime], Predictor]


def penaltyblog_dixon_coles(matches: Sequence[elo.EloGame], moment: datetime) -> Predictor:
    """penaltyblog's Dixon-Coles model fit on ``matches``, weighted by age at ``moment``.

    A team with fewer than ``DC_MIN_MATCHES`` matches (a promoted side) is priced with the mean
    attack and defence of the three weakest established teams, the ones it replaced.
    """
    from penaltyblog.models import DixonColesGoalModel, create_dixon_coles_grid, dixon_coles_weights

    weights = dixon_coles_weights([m.start for m in matches], xi=DC_XI, base_date=moment)
    model = DixonColesGoalModel(
        [m.home_score for m in matches], [m.away_score for m in matches],
        [m.home for m in matches], [m.away for m in matches], weights,
    )  # fmt: skip
    model.fit()
    params = model.get_params()
    played = Counter([m.home for m in matches] + [m.away for m in matches])
    established = [str(t) for t in model.teams if played[str(t)] >= DC_MIN_MATCHES]
    weakest = sorted(established, key=lambda t: params[f"attack_{t}"] - params[f"defence_{t}"])[:3]
    proxy = (
        float(np.mean([params[f"attack_{t}"] for t in weakest])),
        float(np.mean([params[f"defence_{t}"] for t in weakest])),
    )

    def strength(team: str) -> tuple[float, float]:
        if played[team] >= DC_MIN_MATCHES:
            return float(params[f"attack_{team}"]), float(params[f"defence_{team}"])
        return proxy

    def predict(home: str, away: str) -> Vector:
        if played[home] >= DC_MIN_MATCHES and played[away] >= DC_MIN_MATCHES:
            grid = model.predict(home, away)
        else:
            (attack_h, defence_h), (attack_a, defence_a) = strength(home), strength(away)
            home_goals = math.exp(params["home_advantage"] + attack_h + defence_a)
            away_goals = math.exp(attack_a + defence_h)
            # rho within the bounds that keep the adjusted grid a distribution (the grid checks them)
            low, high = max(-1 / home_goals, -1 / away_goals), min(1.0, 1 / (home_goals * away_goals))
            grid = create_dixon_coles_grid(home_goals, away_goals, min(max(params["rho"], low), high))
        return (float(grid.home_win), float(grid.away_win), float(grid.draw))

    return predict


def dixon_coles_forecasts(
    games: Sequence[elo.EloGame], *, score_from: datetime, fit: FitFn = penaltyblog_dixon_coles
) -> tuple[dict[str, Vector], int, int]:
    """Walk-forward: each week's games priced by a fit, at Monday 00:00 UTC, on the results known then.

    Returns the forecasts, the number of fits, and the games priced with a newcomer's proxy.
    """
    weeks: dict[datetime, list[elo.EloGame]] = defaultdict(list)
    for game in games:
        if game.start >= score_from:
            weeks[fit_moment(game.start)].append(game)
    forecasts: dict[str, Vector] = {}
    newcomer_games = 0
    for moment in sorted(weeks):
        past = [g for g in games if g.known_at is not None and g.known_at < moment and g.result is not None]
        predict = fit(past, moment)
        played = Counter([g.home for g in past] + [g.away for g in past])
        for game in weeks[moment]:
            newcomer_games += min(played[game.home], played[game.away]) < DC_MIN_MATCHES
            forecasts[game.game_id] = predict(game.home, game.away)
    return forecasts, len(weeks), newcomer_games


def base_rate(games: Sequence[elo.EloGame], *, sport: Sport, score_from: datetime) -> Vector:
    """The share of each side's wins among the results known before ``score_from``."""
    counts = Counter(
        index
        for g in games
        if g.known_at is not None
        and g.known_at < score_from
        and g.home_score is not None
        and g.away_score is not None
        for index in [outcome_index(sport, g.home_score, g.away_score)]
        if index is not None
    )
    k = len(sides_for(sport, Market.H2H))
    total = sum(counts.values())
    return tuple(counts[i] / total for i in range(k))
