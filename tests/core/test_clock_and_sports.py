"""The injected clock and the sports vocabulary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.clock import FixedClock, ensure_utc, parse_instant
from core.errors import InvalidInput
from core.sports import Market, Side, Sport, parse_sport, sides_for


def test_fixed_clock_moves_only_forward() -> None:
    clock = FixedClock(datetime(2025, 1, 1, 12))
    assert clock() == datetime(2025, 1, 1, 12, tzinfo=UTC)
    assert clock.advance(timedelta(hours=2)) == datetime(2025, 1, 1, 14, tzinfo=UTC)
    with pytest.raises(ValueError, match="must not be negative"):
        clock.advance(timedelta(seconds=-1))


def test_times_become_utc() -> None:
    eastern = timezone(timedelta(hours=-5))
    assert ensure_utc(datetime(2025, 1, 1, 19, tzinfo=eastern)) == datetime(2025, 1, 2, 0, tzinfo=UTC)
    assert parse_instant("2025-01-15T00:10:00Z") == datetime(2025, 1, 15, 0, 10, tzinfo=UTC)
    assert parse_instant("2025-01-15") == datetime(2025, 1, 15, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="'soon'"):
        parse_instant("soon")
    with pytest.raises(InvalidInput, match="out of range once in UTC"):
        parse_instant("9999-12-31T23:00:00-05:00")  # year 10000 in UTC


@pytest.mark.parametrize(
    ("name", "sport"), [("nba", Sport.NBA), ("EPL", Sport.EPL), ("icehockey_nhl", Sport.NHL)]
)
def test_sports_by_short_name_or_key(name: str, sport: Sport) -> None:
    assert parse_sport(name) is sport


def test_unknown_sport_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidInput, match=r"nba, nfl, mlb, nhl, epl .* got 'curling'"):
        parse_sport("curling")


def test_soccer_moneylines_have_a_draw() -> None:
    assert sides_for(Sport.EPL, Market.H2H) == (Side.HOME, Side.AWAY, Side.DRAW)
    assert sides_for(Sport.NBA, Market.H2H) == (Side.HOME, Side.AWAY)
    assert sides_for(Sport.EPL, Market.TOTALS) == (Side.OVER, Side.UNDER)
