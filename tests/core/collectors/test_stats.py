"""core.game_reports: the domain values check themselves."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from core.errors import InvalidInput
from core.game_reports import (
    EspnGame,
    EspnOdds,
    GameStatus,
    InjuryReport,
    InjuryStatus,
    PlayerGameLine,
    TeamGameStats,
)
from core.sports import Sport

START = datetime(2025, 1, 7, 1, 0, tzinfo=UTC)


def game(**changes: Any) -> EspnGame:
    base: dict[str, Any] = {
        "espn_id": "401705066",
        "sport": Sport.NBA,
        "start_time": START,
        "home_team": "Minnesota Timberwolves",
        "away_team": "LA Clippers",
        "home_espn_team_id": "16",
        "away_espn_team_id": "12",
        "status": GameStatus.FINAL,
        "home_score": 108,
        "away_score": 106,
    }
    return EspnGame(**(base | changes))


def line(**changes: Any) -> PlayerGameLine:
    base: dict[str, Any] = {
        "espn_event_id": "401705066",
        "sport": Sport.NBA,
        "team": "LA Clippers",
        "espn_team_id": "12",
        "player_name": "Kawhi Leonard",
        "espn_athlete_id": "6450",
        "position": "SF",
        "starter": True,
        "did_not_play": False,
        "minutes": 21.0,
        "game_status": GameStatus.FINAL,
        "stats": {"points": 8, "plusMinus": -17.0},
    }
    return PlayerGameLine(**(base | changes))


def test_a_final_game_with_scores() -> None:
    final = game()
    assert final.is_final and (final.home_score, final.away_score) == (108, 106)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": GameStatus.IN_PROGRESS}, "only a final game carries scores"),
        ({"away_score": None}, "both be set"),
        ({"home_score": -1}, "negative"),
        ({"away_team": "Minnesota Timberwolves"}, "two different"),
        ({"home_team": " "}, "home_team"),
        ({"espn_id": ""}, "espn_id"),
        ({"start_time": datetime(2025, 1, 7)}, "timezone-aware"),
    ],
)
def test_espn_game_rejects(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        game(**changes)


def test_a_scheduled_game_has_no_scores() -> None:
    scheduled = game(status=GameStatus.SCHEDULED, home_score=None, away_score=None)
    assert not scheduled.is_final


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"provider": ""}, "provider"),
        ({"home_moneyline_decimal": 1.0}, "home_moneyline_decimal"),
        ({"total_points": -3.0}, "total_points"),
        ({"home_spread_points": float("inf")}, "home_spread_points"),
    ],
)
def test_espn_odds_rejects(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        EspnOdds(**({"provider": "Draft Kings"} | changes))


def test_player_line_stats_are_read_only_floats_and_hashable() -> None:
    kawhi = line()
    assert dict(kawhi.stats) == {"points": 8.0, "plusMinus": -17.0}
    assert isinstance(kawhi.stats["points"], float)
    with pytest.raises(TypeError):
        kawhi.stats["points"] = 99  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kawhi.minutes = 30.0  # type: ignore[misc]
    assert hash(kawhi) == hash(line(stats={"points": 40.0}))  # stats are left out of the hash
    assert kawhi != line(stats={"points": 40.0})


def test_the_callers_dict_is_copied() -> None:
    stats = {"points": 8.0}
    kawhi = line(stats=stats)
    stats["points"] = 50.0
    assert kawhi.stats["points"] == 8.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stats": {"points": float("nan")}}, "finite"),
        ({"stats": {"points": "8"}}, "finite"),
        ({"stats": {"points": True}}, "finite"),
        ({"stats": {"": 1.0}}, "keys"),
        ({"minutes": -1.0}, "minutes"),
        ({"player_name": ""}, "player_name"),
        ({"espn_athlete_id": ""}, "espn_athlete_id"),
    ],
)
def test_player_line_rejects(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        line(**changes)


def test_team_stats_reject_negative_points() -> None:
    with pytest.raises(InvalidInput, match="points"):
        TeamGameStats(
            espn_event_id="1",
            sport=Sport.NBA,
            team="LA Clippers",
            espn_team_id="12",
            is_home=False,
            game_status=GameStatus.FINAL,
            points=-2,
        )


def test_injury_report_needs_aware_times() -> None:
    base: dict[str, Any] = {
        "sport": Sport.NBA,
        "team": "Atlanta Hawks",
        "player_name": "Keshon Gilbert",
        "espn_athlete_id": "4585618",
        "position": "G",
        "status": InjuryStatus.OUT,
        "status_raw": "Out",
        "short_comment": "",
        "reported_at": START,
        "seen_at": START,
    }
    assert InjuryReport(**base).status is InjuryStatus.OUT
    with pytest.raises(InvalidInput, match="reported_at"):
        InjuryReport(**(base | {"reported_at": datetime(2026, 4, 22)}))
    with pytest.raises(InvalidInput, match="seen_at"):
        InjuryReport(**(base | {"seen_at": datetime(2026, 4, 22)}))
