"""Grading against final scores: every branch worked by hand, money, and inverse properties."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.sports import Market, Side, Sport
from core.verify import (
    Grade,
    Tally,
    accuracy,
    clv,
    grade,
    grade_not,
    inverse_grade,
    inverse_pick,
    roi,
    settle_units,
    tally,
)

PROPERTY = settings(deadline=None, max_examples=150)

W, L, P, V, HW, HL = Grade.WON, Grade.LOST, Grade.PUSH, Grade.VOID, Grade.HALF_WON, Grade.HALF_LOST
H2H, SPREADS, TOTALS = Market.H2H, Market.SPREADS, Market.TOTALS
HOME, AWAY, DRAW, OVER, UNDER = Side.HOME, Side.AWAY, Side.DRAW, Side.OVER, Side.UNDER


def _grade(sport: Sport, market: Market, side: Side, point: float | None, home: int, away: int) -> Grade:
    return grade(sport=sport, market=market, side=side, point=point, home_score=home, away_score=away)


# --- h2h --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sport", "side", "home", "away", "expected"),
    [
        (Sport.NBA, HOME, 110, 100, W),
        (Sport.NBA, AWAY, 110, 100, L),
        (Sport.NHL, AWAY, 2, 3, W),
        (Sport.MLB, HOME, 2, 3, L),
        (Sport.NFL, HOME, 20, 20, P),  # an NFL tie refunds both sides of a two-way moneyline
        (Sport.NFL, AWAY, 20, 20, P),
        (Sport.EPL, DRAW, 1, 1, W),  # in soccer the draw is an outcome of its own ...
        (Sport.EPL, HOME, 1, 1, L),  # ... so home and away both lose on it
        (Sport.EPL, AWAY, 0, 0, L),
        (Sport.EPL, DRAW, 2, 1, L),
        (Sport.EPL, HOME, 2, 1, W),
        (Sport.EPL, AWAY, 2, 1, L),
    ],
)
def test_h2h_by_hand(sport: Sport, side: Side, home: int, away: int, expected: Grade) -> None:
    assert _grade(sport, H2H, side, None, home, away) is expected


# --- spreads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sport", "side", "point", "home", "away", "expected"),
    [
        (Sport.NBA, HOME, -4.5, 105, 100, W),  # 5 − 4.5 = 0.5
        (Sport.NBA, HOME, -4.5, 104, 100, L),  # 4 − 4.5 = −0.5
        (Sport.NBA, AWAY, 4.5, 104, 100, W),  # −4 + 4.5 = 0.5: lost by 4 and still covered
        (Sport.NBA, AWAY, 4.5, 105, 100, L),  # −5 + 4.5
        (Sport.NFL, HOME, -3.0, 24, 21, P),  # 3 − 3 = 0
        (Sport.NFL, AWAY, 3.0, 24, 21, P),
        (Sport.NHL, AWAY, -1.5, 1, 3, W),  # the puck line: 2 − 1.5
        (Sport.EPL, HOME, 0.0, 1, 1, P),  # draw no bet on a draw
        # Asian quarter lines: two half stakes on the lines 0.25 either side.
        (Sport.EPL, HOME, -0.25, 0, 0, HL),  # 0 → push, −0.5 → lost
        (Sport.EPL, AWAY, 0.25, 0, 0, HW),  # 0 → push, +0.5 → won
        (Sport.EPL, HOME, -0.25, 1, 0, W),  # 1 and 0.5: both won
        (Sport.EPL, HOME, -0.75, 1, 0, HW),  # −0.5 → won (0.5), −1 → push
        (Sport.EPL, HOME, -0.75, 2, 0, W),
        (Sport.EPL, HOME, -0.75, 1, 1, L),  # −0.5 and −1 both lose on a draw
        (Sport.EPL, AWAY, 0.75, 1, 0, HL),  # +0.5 → lost (−0.5), +1 → push
        (Sport.EPL, HOME, -1.25, 2, 1, HL),  # −1 → push, −1.5 → lost
        (Sport.EPL, HOME, -1.25, 3, 1, W),  # 2 − 1 and 2 − 1.5 both won
        (Sport.EPL, AWAY, 1.25, 2, 1, HW),  # +1 → push, +1.5 → won
    ],
)
def test_spreads_by_hand(
    sport: Sport, side: Side, point: float, home: int, away: int, expected: Grade
) -> None:
    assert _grade(sport, SPREADS, side, point, home, away) is expected


# --- totals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sport", "side", "point", "home", "away", "expected"),
    [
        (Sport.NBA, OVER, 220.5, 112, 110, W),  # 222 > 220.5
        (Sport.NBA, UNDER, 220.5, 112, 110, L),
        (Sport.NFL, OVER, 44.0, 24, 20, P),  # 44 on a whole-number total
        (Sport.NFL, UNDER, 44.0, 24, 20, P),
        (Sport.MLB, UNDER, 8.5, 3, 2, W),
        (Sport.EPL, OVER, 2.25, 1, 1, HL),  # 2 goals: line 2 → push, line 2.5 → lost
        (Sport.EPL, UNDER, 2.25, 1, 1, HW),  # line 2 → push, line 2.5 → won
        (Sport.EPL, OVER, 2.25, 2, 1, W),  # 3 goals beat 2 and 2.5
        (Sport.EPL, OVER, 2.75, 2, 1, HW),  # 3 goals: 2.5 → won, 3 → push
        (Sport.EPL, UNDER, 2.75, 2, 1, HL),
        (Sport.EPL, OVER, 2.75, 1, 1, L),  # 2 goals lose to 2.5 and 3
        (Sport.EPL, UNDER, 0.75, 0, 0, W),  # 0 goals: under 0.5 and under 1 both won
    ],
)
def test_totals_by_hand(
    sport: Sport, side: Side, point: float, home: int, away: int, expected: Grade
) -> None:
    assert _grade(sport, TOTALS, side, point, home, away) is expected


def test_strings_are_accepted_for_the_enums() -> None:
    assert grade(sport="soccer_epl", market="h2h", side="draw", point=None, home_score=1, away_score=1) is W  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"sport": Sport.NBA, "market": H2H, "side": DRAW},
            "side must be home or away for nba h2h, got 'draw'",
        ),
        ({"sport": Sport.EPL, "market": SPREADS, "side": DRAW, "point": 0.5}, "got 'draw'"),
        ({"sport": Sport.EPL, "market": H2H, "side": OVER}, "side must be home, away or draw"),
        ({"sport": Sport.NBA, "market": TOTALS, "side": HOME, "point": 220.5}, "side must be over or under"),
        ({"sport": Sport.NBA, "market": SPREADS, "side": HOME}, "point is required for spreads, got None"),
        ({"sport": Sport.NBA, "market": TOTALS, "side": OVER}, "point is required for totals, got None"),
        (
            {"sport": Sport.NBA, "market": H2H, "side": HOME, "point": -4.5},
            "point must be None for h2h, got -4.5",
        ),
        ({"sport": Sport.NBA, "market": SPREADS, "side": HOME, "point": math.nan}, "point must be finite"),
        (
            {"sport": Sport.NBA, "market": TOTALS, "side": OVER, "point": -1.0},
            "point must be >= 0 for totals, got -1",
        ),
        (
            {"sport": Sport.NBA, "market": H2H, "side": HOME, "home_score": -1},
            "home_score must be >= 0, got -1",
        ),
        (
            {"sport": Sport.NBA, "market": H2H, "side": HOME, "away_score": -3},
            "away_score must be >= 0, got -3",
        ),
        (
            {"sport": Sport.NBA, "market": H2H, "side": HOME, "home_score": 2.5},
            "home_score must be a whole number",
        ),
        (
            {"sport": Sport.NBA, "market": H2H, "side": HOME, "away_score": True},
            "away_score must be a whole number",
        ),
        ({"sport": "cricket", "market": H2H, "side": HOME}, "sport must be one of"),
        ({"sport": Sport.NBA, "market": "props", "side": HOME}, "market must be one of"),
    ],
)
def test_invalid_picks_name_the_argument_and_value(kwargs: dict[str, object], message: str) -> None:
    call: dict[str, object] = {"point": None, "home_score": 1, "away_score": 0, **kwargs}
    with pytest.raises(InvalidInput, match=re.escape(message)):
        grade(**call)  # type: ignore[arg-type]


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "odds_decimal", "expected"),
    [
        (W, 2.5, 1.5),
        (L, 2.5, -1.0),
        (P, 2.5, 0.0),
        (V, 2.5, 0.0),
        (HW, 1.9, 0.45),  # half the stake wins 0.9, half is returned
        (HL, 1.9, -0.5),  # half the stake loses, half is returned
        ("won", 1.909090909090909, 0.909090909090909),  # the -110 line, grade as stored
    ],
)
def test_settle_units_by_hand(result: Grade, odds_decimal: float, expected: float) -> None:
    assert settle_units(result, odds_decimal) == pytest.approx(expected, abs=1e-12)


def test_settle_units_rejects_bad_odds_and_grades() -> None:
    with pytest.raises(InvalidInput, match="odds_decimal must be finite and > 1, got 1"):
        settle_units(W, 1.0)
    with pytest.raises(InvalidInput, match="grade must be one of"):
        settle_units("pending", 2.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("price", "fair", "expected"),
    [
        (2.10, 0.5, 0.05),  # 2.10 / 2.0 − 1
        (1.80, 0.6, 0.08),  # 1.80 / (1/0.6) − 1 = 1.08 − 1
        (2.00, 0.45, -0.10),  # the close moved against us: fair price 2.222
        (1.90, 1 / 1.90, 0.0),
    ],
)
def test_clv_by_hand(price: float, fair: float, expected: float) -> None:
    assert clv(price, fair) == pytest.approx(expected, abs=1e-12)


def test_clv_validates_both_arguments() -> None:
    with pytest.raises(InvalidInput, match=re.escape("price_taken_decimal must be finite and > 1, got 0.9")):
        clv(0.9, 0.5)
    with pytest.raises(
        InvalidInput, match="closing_fair_probability must be strictly between 0 and 1, got 1"
    ):
        clv(2.0, 1.0)


# --- a record ---------------------------------------------------------------------------------


def test_tally_counts_half_results_as_half_decided_half_pushed() -> None:
    record = tally([W, HW, L, P, HL, V, "won"])  # type: ignore[list-item]
    assert record == Tally(won=2.5, lost=1.5, pushed=2.0, void=1.0)
    assert record.graded == 4.0
    assert record.accuracy == pytest.approx(2.5 / 4.0)
    assert tally([]).accuracy is None


def test_accuracy_and_roi_by_hand() -> None:
    assert accuracy(6, 4) == pytest.approx(0.6)
    assert accuracy(0, 0) is None  # only pushes: nothing to judge
    assert roi(5.0, 50.0) == pytest.approx(0.1)
    assert roi(-3.0, 10.0) == pytest.approx(-0.3)
    assert roi(0.0, 0.0) is None
    with pytest.raises(InvalidInput, match="won must be finite and >= 0, got -1"):
        accuracy(-1, 3)
    with pytest.raises(InvalidInput, match="staked_units_total must be finite and >= 0, got -2"):
        roi(1.0, -2.0)
    with pytest.raises(InvalidInput, match="profit_units_total must be finite"):
        roi(math.inf, 2.0)


# --- inverses ---------------------------------------------------------------------------------


def test_inverse_grade_swaps_won_and_lost() -> None:
    assert [inverse_grade(g) for g in (W, L, HW, HL, P, V)] == [L, W, HL, HW, P, V]


def test_inverse_pick_by_hand() -> None:
    assert inverse_pick(sport=Sport.NBA, market=SPREADS, side=HOME, point=-4.5) == (AWAY, 4.5)
    assert inverse_pick(sport=Sport.EPL, market=SPREADS, side=AWAY, point=0.25) == (HOME, -0.25)
    side, point = inverse_pick(sport=Sport.EPL, market=SPREADS, side=HOME, point=0.0)
    assert (side, point) == (AWAY, 0.0)
    assert point is not None and math.copysign(1.0, point) == 1.0  # no -0.0 in the store
    assert inverse_pick(sport=Sport.EPL, market=TOTALS, side=OVER, point=2.25) == (UNDER, 2.25)
    assert inverse_pick(sport=Sport.NFL, market=H2H, side=AWAY, point=None) == (HOME, None)
    with pytest.raises(InvalidInput, match="three-way"):
        inverse_pick(sport=Sport.EPL, market=H2H, side=HOME, point=None)


@pytest.mark.parametrize(
    ("side", "home", "away", "expected"),
    [
        (HOME, 1, 1, W),  # not home: a draw counts
        (HOME, 0, 2, W),  # ... and so does an away win
        (HOME, 2, 1, L),
        (DRAW, 0, 0, L),
        (DRAW, 1, 0, W),
        (AWAY, 3, 3, W),
    ],
)
def test_grade_not_in_three_way_soccer(side: Side, home: int, away: int, expected: Grade) -> None:
    result = grade_not(sport=Sport.EPL, market=H2H, side=side, point=None, home_score=home, away_score=away)
    assert result is expected


# --- properties -------------------------------------------------------------------------------


@st.composite
def two_way_picks(draw: st.DrawFn) -> tuple[Sport, Market, Side, float | None, int, int]:
    """A pick on a two-way market (no soccer moneyline) at a whole, half or quarter line."""
    market = draw(st.sampled_from([H2H, SPREADS, TOTALS]))
    sports = [s for s in Sport if not (market is H2H and s.has_draw)]
    sport = draw(st.sampled_from(sports))
    home, away = draw(st.integers(0, 8)), draw(st.integers(0, 8))
    if market is TOTALS:
        return sport, market, draw(st.sampled_from([OVER, UNDER])), draw(st.integers(0, 64)) / 4, home, away
    side = draw(st.sampled_from([HOME, AWAY]))
    point = draw(st.integers(-40, 40)) / 4 if market is SPREADS else None
    return sport, market, side, point, home, away


def _inverse_result(pick: tuple[Sport, Market, Side, float | None, int, int]) -> Grade:
    sport, market, side, point, home, away = pick
    other, other_point = inverse_pick(sport=sport, market=market, side=side, point=point)
    return _grade(sport, market, other, other_point, home, away)


@PROPERTY
@given(two_way_picks())
def test_two_way_inverse_grades_are_opposites(
    pick: tuple[Sport, Market, Side, float | None, int, int],
) -> None:
    original = _grade(*pick)
    assert _inverse_result(pick) is inverse_grade(original)
    sport, market, side, point, home, away = pick
    negated = grade_not(sport=sport, market=market, side=side, point=point, home_score=home, away_score=away)
    assert negated is inverse_grade(original)


@PROPERTY
@given(st.lists(two_way_picks(), max_size=40))
def test_inverse_accuracy_is_one_minus_accuracy(
    picks: list[tuple[Sport, Market, Side, float | None, int, int]],
) -> None:
    original = tally(_grade(*pick) for pick in picks)
    inverse = tally(_inverse_result(pick) for pick in picks)
    if original.accuracy is None:
        assert inverse.accuracy is None
    else:
        assert inverse.accuracy is not None
        assert inverse.accuracy == pytest.approx(1.0 - original.accuracy, abs=1e-12)
    assert inverse.pushed == original.pushed


@PROPERTY
@given(
    st.sampled_from([SPREADS, TOTALS]),
    st.integers(-10, 10).map(lambda k: k + 0.25),
    st.integers(0, 6),
    st.integers(0, 6),
    st.floats(min_value=1.01, max_value=20.0),
)
def test_a_quarter_line_pays_the_average_of_its_two_half_lines(
    market: Market, point: float, home: int, away: int, odds_decimal: float
) -> None:
    side = HOME if market is SPREADS else OVER
    point = abs(point) if market is TOTALS else point
    whole = settle_units(_grade(Sport.EPL, market, side, point, home, away), odds_decimal)
    halves = [
        settle_units(_grade(Sport.EPL, market, side, line, home, away), odds_decimal)
        for line in (point - 0.25, point + 0.25)
    ]
    assert whole == pytest.approx(sum(halves) / 2, abs=1e-12)
