"""Elo: golden numbers by hand, results used only once known, and tuning that never sees the scored games."""

from __future__ import annotations

import ast
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from core import elo
from core.elo import EloGame, EloParams, expected_score, fit_draw_factor, replay, three_way, tune, update

T0 = datetime(2024, 1, 6, 15, 0, tzinfo=UTC)
H = timedelta(hours=1)


def game(gid: str, start: datetime, home: str, away: str, score: tuple[int, int] | None = None) -> EloGame:
    if score is None:
        return EloGame(gid, start, home, away)
    return EloGame(gid, start, home, away, score[0], score[1], start + 3 * H)


def test_expected_score_by_hand() -> None:
    assert expected_score(1500, 1500, home_advantage=0) == 0.5
    # 400 points up: odds of 10 to 1.
    assert expected_score(1900, 1500, home_advantage=0) == pytest.approx(10 / 11)
    # 100 points of home advantage on equal ratings: 1 / (1 + 10^-0.25).
    assert expected_score(1500, 1500, home_advantage=100) == pytest.approx(0.6400650)
    assert expected_score(1500, 1600, home_advantage=100) == 0.5


def test_update_moves_both_ratings_by_k_times_the_surprise() -> None:
    assert update(1500, 1500, 1.0, k=20, home_advantage=0) == (1510, 1490)
    # With home advantage a home win surprises less: 20 x (1 - 0.640065) = 7.1987.
    home, away = update(1500, 1500, 1.0, k=20, home_advantage=100)
    assert (home, away) == (pytest.approx(1507.1987), pytest.approx(1492.8013))
    # A home draw costs the home side: 20 x (0.5 - 0.640065) = -2.8013.
    home, away = update(1500, 1500, 0.5, k=20, home_advantage=100)
    assert (home, away) == (pytest.approx(1497.1987), pytest.approx(1502.8013))
    assert home + away == pytest.approx(3000)


def test_a_result_counts_only_from_when_it_is_known() -> None:
    params = EloParams(k=20, home_advantage=0)
    games = [
        game("g1", T0, "A", "B", (2, 0)),  # known at T0 + 3h
        game("g2", T0 + H, "B", "A", (1, 0)),  # starts before g1's result is known
        game("g3", T0 + 24 * H, "A", "B"),  # both known by then; not played yet
    ]
    expected = replay(games, params)
    assert expected[:2] == [0.5, 0.5]
    # g1: A 1510, B 1490. g2 (B at home, E = 0.471249) won by B: 20 x 0.528751 = 10.575.
    assert expected[2] == pytest.approx(expected_score(1499.4250, 1500.5750, home_advantage=0), abs=1e-6)
    assert expected[2] == pytest.approx(0.4983450, abs=1e-6)
    # The order the games are given in does not matter, only their times.
    assert replay(games[::-1], params)[::-1] == expected


def test_an_off_season_regresses_ratings_to_the_mean_and_newcomers_enter_low() -> None:
    params = EloParams(k=20, home_advantage=0, carry=0.5)
    later = T0 + timedelta(days=90)
    games = [
        game("g1", T0, "A", "B", (1, 0)),
        game("g2", T0 + H, "C", "D", (0, 1)),
        game("g3", T0 + 2 * H, "E", "F", (3, 3)),
        game("g4", later, "A", "B"),  # 1510 / 1490 pulled halfway to 1500
        game("g5", later + H, "G", "A"),  # G is new after the first season
    ]
    expected = replay(games, params)
    assert expected[3] == pytest.approx(expected_score(1505, 1495, home_advantage=0))
    # The three lowest after the regression: B 1495, C 1495, and 1500 (E or F): mean 1496.67.
    assert expected[4] == pytest.approx(expected_score(1496.6667, 1505, home_advantage=0), abs=1e-6)


def test_three_way_keeps_the_expected_score_and_the_draw_peaks_for_even_games() -> None:
    home, away, draw = three_way(0.5, 0.3)
    assert (home, away, draw) == (pytest.approx(0.35), pytest.approx(0.35), pytest.approx(0.3))
    for e in (0.01, 0.3, 0.7, 0.99):
        h, a, d = three_way(e, 0.5)
        assert min(h, a, d) >= 0
        assert h + a + d == pytest.approx(1)
        assert h + d / 2 == pytest.approx(e)
        assert d < 0.5
    assert three_way(0.8, 0.0) == (pytest.approx(0.8), pytest.approx(0.2), 0.0)
    with pytest.raises(ValueError, match="draw factor"):
        three_way(0.5, 0.6)


def test_the_draw_factor_is_recovered_by_maximum_likelihood() -> None:
    rng = np.random.default_rng(7)
    expected = rng.uniform(0.2, 0.85, 4_000)
    results = []
    for e in expected:
        h, _, d = three_way(float(e), 0.27)
        u = rng.uniform()
        results.append(1.0 if u < h else 0.5 if u < h + d else 0.0)
    assert fit_draw_factor(list(expected), results) == pytest.approx(0.27, abs=0.03)


def test_domain_values_check_themselves() -> None:
    with pytest.raises(ValueError, match="positive"):
        EloParams(k=0, home_advantage=50)
    with pytest.raises(ValueError, match="carry"):
        EloParams(k=10, home_advantage=50, carry=1.5)
    with pytest.raises(ValueError, match="cannot play itself"):
        EloGame("x", T0, "A", "A")
    with pytest.raises(ValueError, match="before the start"):
        EloGame("x", T0, "A", "B", 1, 0, T0 - H)
    assert EloGame("x", T0, "A", "B", 1, 1, T0 + H).result == 0.5
    assert EloGame("x", T0, "A", "B").result is None


def _league(seed: int, seasons: int = 3) -> list[EloGame]:
    """A synthetic league: 10 teams of fixed strength, a 70-point home edge, a round robin a season."""
    rng = np.random.default_rng(seed)
    teams = [f"T{i}" for i in range(10)]
    strength = dict(zip(teams, rng.normal(0, 120, len(teams)), strict=True))
    games, day = [], T0
    for season in range(seasons):
        for home in teams:
            for away in teams:
                if home == away:
                    continue
                p = expected_score(strength[home], strength[away], home_advantage=70)
                won = rng.uniform() < p
                games.append(game(f"s{season}-{home}-{away}", day, home, away, (1, 0) if won else (0, 1)))
                day += 7 * H
        day += timedelta(days=100)
    return games


def test_tuning_never_sees_the_scored_games() -> None:
    games = _league(3)
    before = games[180].start  # two seasons of 90 games train; the third is scored
    fit = tune(
        games, before=before, k_grid=(8, 16, 32), home_advantage_grid=(0, 35, 70, 105), carry_grid=(1.0, 0.5)
    )
    assert fit.before == before
    assert fit.tuning_games == 120  # 180 games with results; the first third warms up
    assert fit.params.home_advantage > 0
    # Flip every scored result, and one training game whose result comes in only after `before`.
    straddling = replace(games[179], known_at=before + H)
    flipped = [
        replace(g, home_score=g.away_score, away_score=g.home_score) if g.start >= before else g
        for g in games
    ]
    flipped[179] = replace(straddling, home_score=straddling.away_score, away_score=straddling.home_score)
    again = tune(
        flipped,
        before=before,
        k_grid=(8, 16, 32),
        home_advantage_grid=(0, 35, 70, 105),
        carry_grid=(1.0, 0.5),
    )
    straddled = [*games[:179], straddling, *games[180:]]
    reference = tune(
        straddled,
        before=before,
        k_grid=(8, 16, 32),
        home_advantage_grid=(0, 35, 70, 105),
        carry_grid=(1.0, 0.5),
    )
    assert again == reference
    # Dropping the scored games altogether changes nothing either.
    assert (
        tune(
            games[:180],
            before=before,
            k_grid=(8, 16, 32),
            home_advantage_grid=(0, 35, 70, 105),
            carry_grid=(1.0, 0.5),
        )
        == fit
    )


def test_tuning_needs_history() -> None:
    with pytest.raises(ValueError, match="too few games"):
        tune(_league(1)[:5], before=T0 + 1000 * H)


def test_tuned_elo_beats_a_coin_on_the_scored_season() -> None:
    games = _league(5)
    before = games[180].start
    fit = tune(games, before=before)
    expected = replay(games, fit.params)
    scored = [(e, g.result) for e, g in zip(expected, games, strict=True) if g.start >= before]
    brier = sum((e - (r or 0.0)) ** 2 for e, r in scored) / len(scored)
    assert brier < 0.25
    assert all(not math.isnan(e) for e, _ in scored)


def test_elo_is_pure() -> None:
    tree = ast.parse(Path(elo.__file__).read_text())
    imported = {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    standard = {"__future__", "heapq", "itertools", "math", "collections", "dataclasses", "datetime"}
    # The one project module it reads is the forecast scores (pure numpy: see test_layers).
    assert {name.split(".")[0] for name in imported - {"core.scoring"}} <= standard
