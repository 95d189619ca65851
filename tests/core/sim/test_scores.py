"""The score models' probabilities agree with their own samplers (what makes prices fair)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.sim.league import LEAGUES
from core.sim.scores import CountModel, NormalModel, cover_probabilities, norm_cdf
from core.sports import Sport

N = 60_000  # 3 standard errors of a probability near 0.5 is about 0.006


def test_norm_cdf_matches_math_erf() -> None:
    x = np.linspace(-6, 6, 241)
    expected = np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.max(np.abs(norm_cdf(x) - expected)) < 2e-7


def _sample(sport: Sport, side: float, total: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    model = LEAGUES[sport].model
    rng = np.random.default_rng(11)
    return model.sample(np.full(N, side), np.full(N, total), rng)


@pytest.mark.parametrize(
    ("sport", "side", "total"),
    [
        (Sport.NBA, 3.0, 226.0),
        (Sport.NFL, -2.5, 44.5),
        (Sport.MLB, 0.15, math.log(4.4)),
        (Sport.NHL, 0.2, math.log(3.0)),
        (Sport.EPL, 0.3, math.log(1.35)),
    ],
)
def test_outcome_and_margin_probabilities_match_the_sampler(sport: Sport, side: float, total: float) -> None:
    model = LEAGUES[sport].model
    home, away, _ = _sample(sport, side, total)
    p_home, p_draw = model.outcome_probabilities(np.array([side]), np.array([total]))
    assert abs(float(p_home[0]) - (home > away).mean()) < 0.008
    assert abs(float(p_draw[0]) - (home == away).mean()) < 0.008
    pmf, offset = model.margin_pmf(np.array([side]), np.array([total]))
    assert abs(pmf.sum() - 1.0) < 1e-9
    for line in (-1.5, -3.0, 2.5, 7.0):
        win, push, _ = cover_probabilities(pmf, offset, np.array([line]))
        margin = home - away
        assert abs(float(win[0]) - (margin + line > 0).mean()) < 0.008
        assert abs(float(push[0]) - (margin + line == 0).mean()) < 0.008


@pytest.mark.parametrize("sport", [Sport.NBA, Sport.NFL, Sport.MLB, Sport.NHL])
def test_north_american_games_never_end_level(sport: Sport) -> None:
    home, away, overtime = _sample(sport, 0.0, LEAGUES[sport].base_total)
    assert not np.any(home == away)
    assert overtime.any()


def test_overtime_is_as_common_as_in_the_real_leagues() -> None:
    rates = {s: _sample(s, LEAGUES[s].home_advantage, LEAGUES[s].base_total)[2].mean() for s in Sport}
    assert 0.04 <= rates[Sport.NBA] <= 0.08
    assert 0.03 <= rates[Sport.NFL] <= 0.08
    assert 0.19 <= rates[Sport.NHL] <= 0.26
    assert 0.07 <= rates[Sport.MLB] <= 0.12
    assert rates[Sport.EPL] == 0.0


def test_nfl_margins_cluster_on_three_and_seven() -> None:
    home, away, _ = _sample(Sport.NFL, 1.8, 44.5)
    margin = np.abs(home - away)
    share = {m: (margin == m).mean() for m in (2, 3, 4, 6, 7, 8)}
    assert share[3] > 0.12
    assert share[7] > 0.08
    assert share[3] > 2 * share[2]
    assert share[7] > share[6] > 0
    assert ((home == 1) | (away == 1)).mean() < 0.01


@pytest.mark.parametrize("sport", [Sport.MLB, Sport.NHL, Sport.EPL])
def test_count_totals_match_the_sampler(sport: Sport) -> None:
    model = LEAGUES[sport].model
    assert isinstance(model, CountModel)
    side, total = 0.1, LEAGUES[sport].base_total
    home, away, _ = _sample(sport, side, total)
    pmf = model.total_pmf(np.array([side]), np.array([total]))[0]
    sums = home + away
    for line in (2.5, 5.5, 8.5):
        assert abs(pmf[int(line) + 1 :].sum() - (sums > line).mean()) < 0.008


def test_normal_totals_centre_on_the_expected_total() -> None:
    model = LEAGUES[Sport.NBA].model
    assert isinstance(model, NormalModel)
    home, away, _ = _sample(Sport.NBA, 2.0, 224.0)
    over, _ = model.total_over(np.array([224.0]), np.array([224.5]))
    assert abs(float(over[0]) - (home + away > 224.5).mean()) < 0.01
