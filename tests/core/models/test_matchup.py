"""matchup: a side that keeps beating this opponent's line is raised, shrunk by how much meetings share."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from core.form import TeamGame
from core.models.base import GameContext
from core.models.matchup import MAX_PRIOR_MEETINGS, Matchup, prior_meetings
from core.sports import Market, Side, Sport

from .synthetic import context, history, simulate, start_of

SPREAD = -3.0  # the home team's closing handicap in every constructed meeting


def meetings(start: datetime, residuals: list[float]) -> tuple[tuple[TeamGame, ...], tuple[TeamGame, ...]]:
    """The same meetings from each side: the home team beat its line by each residual."""
    margins = [round(r - SPREAD) for r in residuals]
    ours = history(start, margins, gap_days=30, spread_close=[SPREAD] * len(margins), prefix="m")
    theirs = history(
        start, [-m for m in margins], gap_days=30, spread_close=[-SPREAD] * len(margins), prefix="m"
    )
    other_home = history(start, [1, 2], first_gap_days=3, prefix="x")
    other_away = history(start, [1, 2], first_gap_days=3, prefix="y")
    return other_home + ours, other_away + theirs


EFFECTS: dict[str, float] = {}


def make(i: int, rng: np.random.Generator) -> GameContext:
    p = float(rng.uniform(0.3, 0.7))
    effect = float(rng.normal(0.0, 4.0))
    n = int(rng.integers(1, 5))
    home, away = meetings(start_of(i), [effect + float(v) for v in rng.normal(0.0, 8.0, n)])
    ctx = context(i, h2h=(p, 1 - p), home_history=home, away_history=away)
    EFFECTS[ctx.game.id] = effect
    return ctx


@pytest.fixture(scope="module")
def fitted() -> Matchup:
    return Matchup().fit(simulate(2000, make, lambda c: EFFECTS[c.game.id], beta=0.12))


def test_meetings_are_games_in_both_histories() -> None:
    home, away = meetings(start_of(0), [5.0, -1.0])
    ctx = context(0, home_history=home, away_history=away)
    found = Matchup().features(ctx, ctx.markets[Market.H2H])
    assert found is not None
    assert found.values == (4.0, 26.0, 2.0)


def test_shrinkage_is_estimated_from_what_meetings_share(fitted: Matchup) -> None:
    n0 = fitted.shrinkage[(Sport.NBA, Market.H2H)]
    assert 1.0 < n0 < 15.0  # truth: noise 8², shared effect 4² -> 4 pseudo-meetings
    rng = np.random.default_rng(5)
    unrelated = [(float(r.sum()), float((r * r).sum()), 3.0) for r in rng.normal(0.0, 8.0, (500, 3))]
    assert prior_meetings(unrelated) > 20.0
    assert prior_meetings([(4.0, 16.0, 1.0)]) == MAX_PRIOR_MEETINGS  # no pair of meetings: nothing shared


def test_a_side_that_keeps_beating_the_line_is_raised(fitted: Matchup) -> None:
    assert fitted.coefficients[(Sport.NBA, Market.H2H)].beta[0] > 0.0
    home, away = meetings(start_of(9000), [12.0, 9.0, 14.0, 10.0])
    [prediction] = fitted.predict(context(9000, home_history=home, away_history=away))
    assert prediction.probabilities[Side.HOME] > 0.6
    assert prediction.reason["driver"] == "matchup_margin"
    once, once_away = meetings(start_of(9001), [12.0])
    [single] = fitted.predict(context(9001, home_history=once, away_history=once_away))
    assert (
        0.5 < single.probabilities[Side.HOME] < prediction.probabilities[Side.HOME]
    )  # one meeting: shrunk harder


def test_no_meeting_no_prediction(fitted: Matchup) -> None:
    start = start_of(9000)
    ctx = context(
        9000, home_history=history(start, [3, 4], prefix="h"), away_history=history(start, [1], prefix="a")
    )
    assert fitted.predict(ctx) == ()
    assert Matchup().predict(make(1, np.random.default_rng(2))) == ()
