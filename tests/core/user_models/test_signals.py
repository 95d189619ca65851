"""The five user-model signals: each moves the right way, says None without its data, stays on its scale."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.form import TeamGame
from core.models.base import GameContext, InjuredPlayer
from core.sports import Market, Sport
from core.user_models.signals import (
    CLIP,
    INJURY_SD,
    MISS_DOUBTFUL,
    ODDS_MOVE_SD,
    PRIOR_MEETINGS,
    SCALES,
    TYPICAL_SHARE,
    head_to_head,
    injuries,
    odds_movement,
    recent_form,
    signal_vector,
    team_stats,
)
from core.user_models.spec import Source
from tests.core.models.synthetic import context, history, logit, market, start_of

PROPERTY = settings(deadline=None, max_examples=60)


def with_form(i: int, home: list[int], away: list[int]) -> GameContext:
    start = start_of(i)
    return context(
        i, home_history=history(start, home, prefix="h"), away_history=history(start, away, prefix="a")
    )


def mirrored(ctx: GameContext, i: int) -> GameContext:
    return context(i, home_history=ctx.away_history, away_history=ctx.home_history)


# --- recent_form --------------------------------------------------------------------------------


def test_big_recent_wins_give_a_positive_recent_form() -> None:
    ctx = with_form(0, [20, 18, 25, 15, 22], [-12, -8, -15, -10, -9])
    score = recent_form(ctx, Market.H2H)
    assert score is not None and score > 2.0
    spread = market(Sport.NBA, Market.SPREADS, (0.5, 0.5), as_of=start_of(0), point=-1.5)
    with_spread = context(
        0, markets={Market.SPREADS: spread}, home_history=ctx.home_history, away_history=ctx.away_history
    )
    assert recent_form(with_spread, Market.SPREADS) == score
    flipped = recent_form(mirrored(ctx, 1), Market.H2H)
    assert flipped == pytest.approx(-score)


def test_recent_form_is_momentums_rating_over_the_sports_form_sd() -> None:
    ctx = with_form(2, [10, 10, 10], [0, 0, 0])  # same margins every game: the decayed mean is the margin
    assert recent_form(ctx, Market.H2H) == pytest.approx(10.0 / SCALES[Sport.NBA].form_sd)


def test_recent_form_needs_three_games_each_and_says_nothing_on_totals() -> None:
    assert recent_form(with_form(3, [5, 5], [1, 1, 1]), Market.H2H) is None
    assert recent_form(with_form(4, [5, 5, 5], [1, 1, 1]), Market.TOTALS) is None


# --- team_stats ---------------------------------------------------------------------------------


def test_the_better_season_gives_a_positive_team_stats() -> None:
    ctx = with_form(10, [8, 12, 5, 9, 3, 7], [-4, -6, 1, -8, -2, -5])
    score = team_stats(ctx, Market.H2H)
    assert score is not None and score > 0.5
    assert team_stats(mirrored(ctx, 11), Market.H2H) == pytest.approx(-score)
    assert team_stats(ctx, Market.TOTALS) is None


def test_team_stats_shrinks_a_short_season_toward_zero() -> None:
    one = team_stats(with_form(12, [10], [0]), Market.H2H)
    many = team_stats(with_form(13, [10] * 12, [0] * 12), Market.H2H)
    assert one is not None and many is not None and 0.0 < one < many
    scale = SCALES[Sport.NBA]
    n0 = (scale.margin_sd / scale.strength_sd) ** 2
    assert one == pytest.approx((10.0 / (1 + n0)) / (math.sqrt(2.0) * scale.strength_sd))


def test_team_stats_reads_this_season_only() -> None:
    start = start_of(14)
    this_season = history(start, [2, 2, 2], prefix="h")
    last_season = history(start - timedelta(days=120), [30, 30, 30], prefix="old")  # before the off-season
    away = history(start, [2, 2, 2], prefix="a")
    ctx = context(14, home_history=this_season + last_season, away_history=away)
    assert team_stats(ctx, Market.H2H) == pytest.approx(0.0)
    idle = context(15, home_history=last_season, away_history=away)  # no game in the last 60 days
    assert team_stats(idle, Market.H2H) is None


# --- odds_movement ------------------------------------------------------------------------------


def moved(i: int, *, now: float, then: float = 0.5, which: Market = Market.H2H) -> GameContext:
    as_of = start_of(i) - timedelta(hours=1)
    point = None if which is Market.H2H else (-2.5 if which is Market.SPREADS else 221.5)
    book = market(
        Sport.NBA,
        which,
        (now, 1 - now),
        as_of=as_of,
        point=point,
        opening={"pinnacle": (then, 1 - then), "fanduel": (then, 1 - then)},
    )
    return context(i, markets={which: book})


def test_a_line_that_moved_toward_home_gives_a_positive_odds_movement() -> None:
    toward = odds_movement(moved(20, now=0.55), Market.H2H)
    assert toward == pytest.approx((logit(0.55) - logit(0.5)) / ODDS_MOVE_SD, rel=1e-5)  # prices to 6 places
    away = odds_movement(moved(21, now=0.45), Market.H2H)
    assert away is not None and away < 0.0
    over = odds_movement(moved(22, now=0.53, which=Market.TOTALS), Market.TOTALS)
    assert over is not None and over > 0.0


def test_odds_movement_needs_line_history() -> None:
    ctx = context(23, h2h=(0.6, 0.4))  # current lines only
    assert odds_movement(ctx, Market.H2H) is None
    assert odds_movement(ctx, Market.SPREADS) is None  # no such market


def test_a_book_joining_late_is_not_a_move() -> None:
    as_of = start_of(24) - timedelta(hours=1)
    book = market(
        Sport.NBA,
        Market.H2H,
        (0.5, 0.5),
        as_of=as_of,
        books={"pinnacle": (0.5, 0.5), "fanduel": (0.5, 0.5), "draftkings": (0.7, 0.3)},
        opening={"pinnacle": (0.5, 0.5), "fanduel": (0.5, 0.5)},
    )
    assert odds_movement(context(24, markets={Market.H2H: book}), Market.H2H) == pytest.approx(0.0)


# --- injuries -----------------------------------------------------------------------------------


def hurt(i: int, players: tuple[InjuredPlayer, ...] | None) -> GameContext:
    return context(i, injuries=players)


def test_missing_injury_data_is_none_and_an_empty_report_is_zero() -> None:
    assert injuries(hurt(30, None), Market.H2H) is None
    assert injuries(hurt(31, ()), Market.H2H) == 0.0


def test_a_home_star_out_is_negative_an_away_star_positive() -> None:
    home_out = injuries(hurt(32, (InjuredPlayer("Home 4", "Star", "out", 0.18),)), Market.H2H)
    assert home_out == pytest.approx(-0.18 / INJURY_SD)
    away_doubtful = injuries(hurt(33, (InjuredPlayer("Away 5", "Star", "doubtful", 0.18),)), Market.H2H)
    assert away_doubtful == pytest.approx(MISS_DOUBTFUL * 0.18 / INJURY_SD)
    unvalued = injuries(hurt(34, (InjuredPlayer("Away 6", "Someone", "out"),)), Market.H2H)
    assert unvalued == pytest.approx(TYPICAL_SHARE / INJURY_SD)
    probable = injuries(hurt(35, (InjuredPlayer("Home 0", "Fine", "probable", 0.3),)), Market.H2H)
    assert probable == 0.0


def test_injuries_say_nothing_about_totals() -> None:
    ctx = context(
        36,
        markets={
            Market.TOTALS: market(Sport.NBA, Market.TOTALS, (0.5, 0.5), as_of=start_of(36), point=220.5)
        },
        injuries=(InjuredPlayer("Home 1", "Star", "out", 0.2),),
    )
    assert injuries(ctx, Market.TOTALS) is None


# --- head_to_head -------------------------------------------------------------------------------


def meetings_of(
    start: datetime, margins: list[int], spread: float, totals: list[int], total_close: float
) -> tuple[tuple[TeamGame, ...], tuple[TeamGame, ...]]:
    n = len(margins)
    ours = history(
        start,
        margins,
        gap_days=30,
        spread_close=[spread] * n,
        totals=totals,
        total_close=[total_close] * n,
        prefix="m",
    )
    theirs = history(start, [-m for m in margins], gap_days=30, spread_close=[-spread] * n, prefix="m")
    return ours, theirs


def test_meetings_that_beat_the_line_give_a_positive_head_to_head() -> None:
    start = start_of(40)
    ours, theirs = meetings_of(start, [10, 8], spread=-3.0, totals=[230, 226], total_close=220.0)
    ctx = context(
        40,
        markets={
            Market.H2H: market(Sport.NBA, Market.H2H, (0.5, 0.5), as_of=start),
            Market.TOTALS: market(Sport.NBA, Market.TOTALS, (0.5, 0.5), as_of=start, point=221.5),
        },
        home_history=ours,
        away_history=theirs,
    )
    scale = SCALES[Sport.NBA]
    side = head_to_head(ctx, Market.H2H)
    assert side == pytest.approx((7 + 5) / (scale.margin_sd * math.sqrt(2 + PRIOR_MEETINGS)))
    total = head_to_head(ctx, Market.TOTALS)
    assert total == pytest.approx((10 + 6) / (scale.total_sd * math.sqrt(2 + PRIOR_MEETINGS)))
    flipped = context(41, home_history=theirs, away_history=ours)
    assert head_to_head(flipped, Market.H2H) == pytest.approx(-side)


def test_no_meeting_no_head_to_head() -> None:
    assert head_to_head(with_form(42, [3, 4, 5], [1, 2, 3]), Market.H2H) is None


# --- the vector and the scale -------------------------------------------------------------------


def test_signal_vector_holds_every_source_in_order() -> None:
    ctx = with_form(50, [20, 18, 25], [-12, -8, -15])
    vector = signal_vector(ctx, Market.H2H)
    assert tuple(vector) == tuple(Source)
    assert vector["recent_form"] == vector[Source.RECENT_FORM] == recent_form(ctx, Market.H2H)
    assert vector[Source.INJURIES] is None and vector[Source.HEAD_TO_HEAD] is None
    assert vector[Source.ODDS_MOVEMENT] is None
    assert set(signal_vector(ctx, Market.SPREADS).values()) == {None}  # no spread market in the context


def test_scores_are_clipped() -> None:
    ctx = with_form(51, [60, 60, 60], [-60, -60, -60])
    assert recent_form(ctx, Market.H2H) == CLIP
    assert recent_form(mirrored(ctx, 52), Market.H2H) == -CLIP


margins = st.lists(st.integers(-40, 40), min_size=3, max_size=12)


@PROPERTY
@given(home=margins, away=margins)
def test_swapping_the_teams_flips_every_side_signal(home: list[int], away: list[int]) -> None:
    ctx = with_form(60, home, away)
    swapped = mirrored(ctx, 61)
    for signal in (team_stats, recent_form):
        value, other = signal(ctx, Market.H2H), signal(swapped, Market.H2H)
        assert value is not None and other is not None
        assert other == pytest.approx(-value, abs=1e-12)
        assert -CLIP <= value <= CLIP


def test_a_spread_move_is_read_at_the_main_point() -> None:
    # The spread's opening and current lines at the same main point: the move is in covering odds.
    ctx = moved(70, now=0.56, which=Market.SPREADS)
    value = odds_movement(ctx, Market.SPREADS)
    assert value == pytest.approx((logit(0.56) - logit(0.5)) / ODDS_MOVE_SD, rel=1e-5)
