"""Calendars and fixtures look like the real leagues'."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import numpy as np
import pytest

from core.sim.calendar import calendar_for, local_to_utc, seasons_between
from core.sim.league import LEAGUES
from core.sim.schedule import regular_season
from core.sim.seeding import child_rng
from core.sports import Sport


@pytest.mark.parametrize(
    ("sport", "start", "regular_end"),
    [
        (Sport.NBA, date(2025, 10, 21), date(2026, 4, 12)),
        (Sport.NFL, date(2025, 9, 4), date(2026, 1, 4)),
        (Sport.MLB, date(2025, 3, 27), date(2025, 9, 28)),
        (Sport.NHL, date(2025, 10, 7), date(2026, 4, 16)),
        (Sport.EPL, date(2025, 8, 15), date(2026, 5, 24)),
    ],
)
def test_2025_calendars_match_the_real_ones(sport: Sport, start: date, regular_end: date) -> None:
    calendar = calendar_for(sport, 2025)
    assert (calendar.regular_start, calendar.regular_end) == (start, regular_end)


def test_the_super_bowl_is_the_second_sunday_of_february() -> None:
    assert calendar_for(Sport.NFL, 2025).end == date(2026, 2, 8)
    assert calendar_for(Sport.NFL, 2024).end == date(2025, 2, 9)


def test_local_times_follow_daylight_saving() -> None:
    assert local_to_utc(date(2025, 10, 21), 19, 30, "ET") == datetime(2025, 10, 21, 23, 30, tzinfo=UTC)
    assert local_to_utc(date(2026, 1, 15), 19, 30, "ET") == datetime(2026, 1, 16, 0, 30, tzinfo=UTC)
    assert local_to_utc(date(2025, 8, 16), 15, 0, "UK") == datetime(2025, 8, 16, 14, 0, tzinfo=UTC)
    assert local_to_utc(date(2025, 12, 6), 15, 0, "UK") == datetime(2025, 12, 6, 15, 0, tzinfo=UTC)


def test_out_of_season_days_belong_to_no_season() -> None:
    assert seasons_between(Sport.NBA, date(2025, 7, 15), date(2025, 7, 31)) == []
    assert seasons_between(Sport.EPL, date(2025, 6, 10), date(2025, 7, 1)) == []
    assert seasons_between(Sport.MLB, date(2025, 12, 1), date(2026, 2, 1)) == []
    assert seasons_between(Sport.NBA, date(2026, 1, 1), date(2026, 1, 2)) == [2025]


@pytest.mark.parametrize("sport", list(Sport))
def test_every_team_plays_its_schedule(sport: Sport) -> None:
    spec = LEAGUES[sport]
    n_teams = len(spec.teams)
    fixtures = regular_season(
        sport, calendar_for(sport, 2025), n_teams, spec.games_per_team, child_rng(3, "t")
    )
    games = np.bincount(fixtures.home, minlength=n_teams) + np.bincount(fixtures.away, minlength=n_teams)
    assert games.min() >= spec.games_per_team - 1
    assert games.max() == spec.games_per_team
    homes = np.bincount(fixtures.home, minlength=n_teams)
    assert np.all(np.abs(homes - spec.games_per_team / 2) <= 4)
    assert np.all(fixtures.home != fixtures.away)
    assert np.all(np.diff(fixtures.commence) >= 0)


def _et_days(commence: np.ndarray) -> list[str]:
    return [datetime.fromtimestamp(int(c) - 5 * 3600, UTC).strftime("%a") for c in commence]


def test_nba_has_about_fifteen_back_to_backs_a_team_and_no_three_in_a_row() -> None:
    fixtures = regular_season(Sport.NBA, calendar_for(Sport.NBA, 2025), 30, 82, child_rng(5, "t"))
    day = (fixtures.commence - 5 * 3600) // 86_400
    streaks, b2b = [], []
    for team in range(30):
        days = np.sort(day[(fixtures.home == team) | (fixtures.away == team)])
        gaps = np.diff(days)
        b2b.append(int((gaps == 1).sum()))
        streaks.append(int(((gaps[1:] == 1) & (gaps[:-1] == 1)).sum()))
    assert 10 <= np.mean(b2b) <= 18
    assert max(streaks) == 0


def test_nfl_weeks_are_thursday_sunday_monday() -> None:
    fixtures = regular_season(Sport.NFL, calendar_for(Sport.NFL, 2025), 32, 17, child_rng(5, "t"))
    days = Counter(_et_days(fixtures.commence))
    assert set(days) <= {"Thu", "Sat", "Sun", "Mon"}
    assert days["Sun"] > 0.75 * len(fixtures)
    assert len(fixtures) == 272


def test_epl_plays_mostly_at_weekends_and_ends_all_at_once() -> None:
    fixtures = regular_season(Sport.EPL, calendar_for(Sport.EPL, 2025), 20, 38, child_rng(5, "t"))
    uk_days = Counter(datetime.fromtimestamp(int(c), UTC).strftime("%a") for c in fixtures.commence)
    assert uk_days["Sat"] + uk_days["Sun"] > 0.75 * len(fixtures)
    assert len(set(fixtures.commence[-10:].tolist())) == 1
    assert datetime.fromtimestamp(int(fixtures.commence[-1]), UTC) == datetime(2026, 5, 24, 15, 0, tzinfo=UTC)
