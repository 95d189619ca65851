"""nflverse games.csv: counts, unplayed games, ties, Eastern kick-offs, line signs and the ML baseline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.importers import ImportResult, nflverse
from core.odds import american_to_decimal
from core.sports import Sport
from tests.core.importers.helpers import binary_brier, parsed, quote_map

ASSUMED = american_to_decimal(-110.0)


def _games(shared_data: Path) -> ImportResult:
    return parsed(shared_data / "nfl" / "nflverse_games.csv")


def test_every_row_is_a_game(shared_data: Path) -> None:
    result = _games(shared_data)
    assert result.format == "nflverse"
    assert len(result.games) == 7263
    assert len({g.game.id for g in result.games}) == 7263
    assert result.skipped == []
    assert all(g.game.sport is Sport.NFL and g.source == "nflverse" for g in result.games)


def test_blank_results_are_unplayed_and_ties_are_results(shared_data: Path) -> None:
    games = _games(shared_data).games
    unplayed = [g for g in games if g.score is None]
    assert len(unplayed) == 79
    assert {g.season for g in unplayed} == {"2025"}
    ties = [g for g in games if g.score is not None and g.score.home_score == g.score.away_score]
    assert len(ties) == 15


def test_golden_2021_opener(shared_data: Path) -> None:
    game = next(
        g
        for g in _games(shared_data).games
        if g.game.commence_time == datetime(2021, 9, 10, 0, 20, tzinfo=UTC)
    )
    assert (game.game.home_team, game.game.away_team) == (
        "Tampa Bay Buccaneers",
        "Dallas Cowboys",
    )  # 20:20 ET
    assert game.season == "2021"
    assert game.score is not None and (game.score.home_score, game.score.away_score) == (31, 29)
    assert quote_map(game, "nflverse", closing=False) == {}
    assert quote_map(game, "nflverse", closing=True) == {
        ("h2h", "home"): (american_to_decimal(-425.0), None),
        ("h2h", "away"): (4.51, None),
        ("spreads", "home"): (2.1, -10.0),  # spread_line 10: the home side lays 10
        ("spreads", "away"): (american_to_decimal(-121.0), 10.0),
        ("totals", "over"): (american_to_decimal(-103.0), 52.5),
        ("totals", "under"): (american_to_decimal(-108.0), 52.5),
    }


def test_lines_before_2006_have_no_prices_so_take_minus_110(shared_data: Path) -> None:
    game = _games(shared_data).games[0]  # 1999 MIN @ ATL, no gametime, spread_line -4
    assert game.game.commence_time == datetime(1999, 9, 12, 23, 0, tzinfo=UTC)
    assert (game.game.home_team, game.game.away_team) == ("Atlanta Falcons", "Minnesota Vikings")
    assert quote_map(game, "nflverse", closing=True) == {
        ("spreads", "home"): (ASSUMED, 4.0),
        ("spreads", "away"): (ASSUMED, -4.0),
        ("totals", "over"): (ASSUMED, 49.0),
        ("totals", "under"): (ASSUMED, 49.0),
    }


def test_relocated_franchises_keep_one_name(shared_data: Path) -> None:
    teams = {g.game.home_team for g in _games(shared_data).games}
    assert len(teams) == 32
    assert "Las Vegas Raiders" in teams and "Los Angeles Chargers" in teams and "Los Angeles Rams" in teams


def test_moneyline_baseline(shared_data: Path) -> None:
    games = [g for g in _games(shared_data).games if g.season is not None and int(g.season) >= 2006]
    n, brier = binary_brier(games, "nflverse")
    assert n == 5189
    assert brier == pytest.approx(0.2111, abs=0.0005)


def test_synthetic_row_with_a_corrupt_price() -> None:
    header = (
        "game_id,season,gameday,gametime,away_team,away_score,home_team,home_score,result,away_moneyline,"
        "home_moneyline,spread_line,away_spread_odds,home_spread_odds,total_line,under_odds,over_odds"
    )
    row = "2024_01_X,2024,2024-09-08,13:00,KC,,BAL,,,-150,x,-3,-110,,47.5,-110,-110"
    result = nflverse.parse(f"{header}\n{row}\n")
    (game,) = result.games
    assert game.score is None
    assert game.game.commence_time == datetime(2024, 9, 8, 17, 0, tzinfo=UTC)
    assert set(quote_map(game, "nflverse", closing=True)) == {("totals", "over"), ("totals", "under")}
    assert result.skipped == [
        (2, "nflverse h2h close: American price 'x' is not a number"),
        (2, "nflverse spreads close: only 1 of 2 prices"),
    ]
