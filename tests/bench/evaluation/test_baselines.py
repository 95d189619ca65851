"""The report's baselines: Dixon-Coles walked forward on what was known before each week."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bench.evaluation.baselines import Predictor, dixon_coles_forecasts, penaltyblog_dixon_coles
from core.elo import EloGame

MONDAY = datetime(2024, 1, 1, tzinfo=UTC)  # a fit moment: Monday 00:00 UTC


def _season(seed: int, start: datetime, teams: Sequence[str], rounds: int) -> list[EloGame]:
    """Synthetic football: one match per pair a round, a round each Saturday, Poisson goals."""
    rng = np.random.default_rng(seed)
    attack = dict(zip(teams, rng.normal(0.2, 0.25, len(teams)), strict=True))
    games = []
    for r in range(rounds):
        kickoff = start + timedelta(days=7 * r + 5, hours=15)
        order = list(teams)
        rng.shuffle(order)
        for i in range(0, len(order) - 1, 2):
            home, away = order[i], order[i + 1]
            goals = rng.poisson(np.exp([0.25 + attack[home] - attack[away], attack[away] - attack[home]]))
            games.append(
                EloGame(
                    f"{r}-{home}-{away}",
                    kickoff,
                    home,
                    away,
                    int(goals[0]),
                    int(goals[1]),
                    kickoff + timedelta(hours=2),
                )
            )
    return games


def test_dixon_coles_is_fit_only_on_matches_known_before_each_week() -> None:
    teams = [f"T{i}" for i in range(8)]
    games = _season(1, MONDAY - timedelta(weeks=12), teams, 16)
    score_from = MONDAY
    calls: list[tuple[datetime, list[EloGame], list[str]]] = []

    def spy(matches: Sequence[EloGame], moment: datetime) -> Predictor:
        predict = penaltyblog_dixon_coles(matches, moment)
        priced: list[str] = []
        calls.append((moment, list(matches), priced))

        def recorded(home: str, away: str) -> tuple[float, ...]:
            priced.append(f"{home}-{away}")
            return predict(home, away)

        return recorded

    forecasts, fits, _ = dixon_coles_forecasts(games, score_from=score_from, fit=spy)
    scored = [g for g in games if g.start >= score_from]
    assert fits == len(calls) == 4
    assert set(forecasts) == {g.game_id for g in scored}
    for moment, matches, priced in calls:
        assert matches
        assert all(m.known_at is not None and m.known_at < moment for m in matches)
        week = [g for g in scored if moment <= g.start < moment + timedelta(weeks=1)]
        assert len(priced) == len(week)
        assert all(moment <= g.start for g in week)
    for probs in forecasts.values():
        assert sum(probs) == pytest.approx(1.0, abs=1e-6)
    # The scored weeks' results can be anything: the first week's forecasts do not move.
    changed = [replace(g, home_score=9, away_score=0) if g.start >= score_from else g for g in games]
    again, _, _ = dixon_coles_forecasts(changed, score_from=score_from)
    first_week = [g.game_id for g in scored if g.start < score_from + timedelta(weeks=1)]
    assert {g: again[g] for g in first_week} == {g: forecasts[g] for g in first_week}


def test_a_promoted_side_is_priced_as_the_weakest_established_teams() -> None:
    teams = [f"T{i}" for i in range(8)]
    past = _season(2, MONDAY - timedelta(weeks=12), teams, 10)
    newcomer = EloGame("new", MONDAY + timedelta(days=5), "Promoted", "T0")
    forecasts, _, newcomer_games = dixon_coles_forecasts([*past, newcomer], score_from=MONDAY)
    home, away, draw = forecasts["new"]
    assert newcomer_games == 1
    assert home + away + draw == pytest.approx(1.0, abs=1e-6)
    assert min(home, away, draw) > 0
