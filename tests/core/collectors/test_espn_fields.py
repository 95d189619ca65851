"""ESPN's fields: status and injury words, box-score cells and the default team namer."""

from __future__ import annotations

from typing import Any

import pytest

from core.collectors.espn_fields import (
    canonical_or_display,
    normalise_game_status,
    normalise_injury_status,
    parse_stat_value,
)
from core.game_reports import GameStatus, InjuryStatus
from core.sports import Sport


def test_a_team_missing_from_the_catalog_keeps_its_espn_name() -> None:
    assert canonical_or_display(Sport.EPL, "Sunderland AFC Reserves") == "Sunderland AFC Reserves"
    assert canonical_or_display(Sport.NBA, "LA Clippers") == "Los Angeles Clippers"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("Out", InjuryStatus.OUT),
        ("OUT", InjuryStatus.OUT),
        ("Injured Reserve", InjuryStatus.OUT),
        ("Doubtful", InjuryStatus.DOUBTFUL),
        ("questionable", InjuryStatus.QUESTIONABLE),
        ("Probable", InjuryStatus.PROBABLE),
        ("Day-To-Day", InjuryStatus.DAY_TO_DAY),
        ("day to day", InjuryStatus.DAY_TO_DAY),
        ("DTD", InjuryStatus.DAY_TO_DAY),
        ("Personal", InjuryStatus.OTHER),
        ("", InjuryStatus.OTHER),
    ],
)
def test_normalise_injury_status(raw: str, status: InjuryStatus) -> None:
    assert normalise_injury_status(raw) is status


@pytest.mark.parametrize(
    ("status_type", "expected"),
    [
        ({"name": "STATUS_SCHEDULED", "state": "pre", "completed": False}, GameStatus.SCHEDULED),
        ({"name": "STATUS_IN_PROGRESS", "state": "in", "completed": False}, GameStatus.IN_PROGRESS),
        ({"name": "STATUS_HALFTIME", "state": "in", "completed": False}, GameStatus.IN_PROGRESS),
        ({"name": "STATUS_FINAL", "state": "post", "completed": True}, GameStatus.FINAL),
        ({"name": "STATUS_FINAL_OT", "state": "post", "completed": True}, GameStatus.FINAL),
        ({"name": "STATUS_FULL_TIME", "state": "post", "completed": True}, GameStatus.FINAL),
        ({"name": "STATUS_POSTPONED", "state": "post", "completed": False}, GameStatus.POSTPONED),
        ({"name": "STATUS_CANCELED", "state": "post", "completed": False}, GameStatus.CANCELED),
        ({"name": "STATUS_SOMETHING_NEW", "state": "post", "completed": False}, GameStatus.OTHER),
    ],
)
def test_normalise_game_status(status_type: dict[str, Any], expected: GameStatus) -> None:
    assert normalise_game_status(status_type) is expected


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("points", "8", {"points": 8.0}),
        ("plusMinus", "-17", {"plusMinus": -17.0}),
        ("plusMinus", "+2", {"plusMinus": 2.0}),
        ("fieldGoalsMade-fieldGoalsAttempted", "3-11", {"fieldGoalsMade": 3.0, "fieldGoalsAttempted": 11.0}),
        ("completions/passingAttempts", "20/30", {"completions": 20.0, "passingAttempts": 30.0}),
        ("timeOnIce", "18:23", {"timeOnIce": pytest.approx(18 + 23 / 60)}),
        ("fieldGoalPct", "37.5%", {"fieldGoalPct": 37.5}),
        ("points", "", {}),
        ("points", "--", {}),
        ("points", "DNP", {}),
        ("points", 12, {"points": 12.0}),
        ("points", True, {}),
        ("fieldGoalsMade-fieldGoalsAttempted", "3", {}),
    ],
)
def test_parse_stat_value(key: str, value: Any, expected: dict[str, float]) -> None:
    assert parse_stat_value(key, value) == expected
