"""Flattened Odds API snapshots: the real event ids, one snapshot per day, in-play rows left out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import InvalidInput
from core.importers import oddsapi_snapshots
from core.importers.detect import detect_format, parse_file

HEADER = (
    "date,sport,game_id,commence_time,home_team,away_team,bookmaker,ml_home,ml_away,spread_home,"
    "spread_home_odds,spread_away,spread_away_odds,total_line,total_over_odds,total_under_odds"
)


def test_rows_become_dated_snapshots_with_the_event_id() -> None:
    text = "\n".join(
        [
            HEADER,
            "2023-10-10,NHL,4eac,2023-10-10T21:30:00Z,Tampa Bay Lightning,Nashville Predators,caesars,"
            "-160,135,-1.5,150,1.5,-178,6.5,-105,-115",
            # The same game a day later, in play: 6000 / -200000 prices are never quoted.
            "2023-10-11,NHL,4eac,2023-10-10T21:30:00Z,Tampa Bay Lightning,Nashville Predators,caesars,"
            "6000,-200000,-1.5,150,1.5,-178,6.5,-105,-115",
            # A duplicate of the first row (the concatenated files repeat some): one snapshot.
            "2023-10-10,NHL,4eac,2023-10-10T21:30:00Z,Tampa Bay Lightning,Nashville Predators,caesars,"
            "-160,135,-1.5,150,1.5,-178,6.5,-105,-115",
        ]
    )
    assert detect_format(HEADER) == oddsapi_snapshots.FORMAT
    result = oddsapi_snapshots.parse(text)
    [game] = result.games
    assert game.game.id == "4eac" and game.score is None
    assert {q.seen_at for q in game.quotes} == {datetime(2023, 10, 10, 17, tzinfo=UTC)}
    assert len(game.quotes) == 6
    home = next(q for q in game.quotes if q.market == "h2h" and q.side == "home")
    assert home.price_decimal == pytest.approx(1 + 100 / 160)
    assert [reason for _, reason in result.skipped] == ["snapshot taken after the start (in-play prices)"]


def test_unknown_team_names_the_line() -> None:
    row = "2023-10-10,NHL,x,2023-10-11T00:00:00Z,Springfield Isotopes,Utah Jazz,caesars,-110,-110,,,,,,,"
    text = f"{HEADER}\n{row}"
    with pytest.raises(InvalidInput, match="line 2"):
        oddsapi_snapshots.parse(text)


def test_the_real_file(shared_data: Path) -> None:
    result = parse_file(shared_data / "nhl" / "oddsapi_nhl_pregame_noonET_2023-24_2024-25.csv")
    assert result.format == oddsapi_snapshots.FORMAT
    assert 2_700 <= len(result.games) <= 2_800
    assert all(q.seen_at < g.game.commence_time for g in result.games for q in g.quotes)
    assert all(1.0 < q.price_decimal < 30 for g in result.games for q in g.quotes)
