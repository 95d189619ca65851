"""Kaggle NBA lines: counts, the whos_favored sign, missing moneylines and the 2008-23 ML baseline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.importers import ImportResult, kaggle_nba
from core.odds import american_to_decimal
from tests.core.importers.helpers import binary_brier, only, parsed, quote_map

ASSUMED = american_to_decimal(-110.0)


def _lines(shared_data: Path) -> ImportResult:
    return parsed(shared_data / "nba" / "kaggle_nba_2008-2024_lines.csv")


def test_every_row_is_a_game(shared_data: Path) -> None:
    result = _lines(shared_data)
    assert result.format == "kaggle_nba"
    assert len(result.games) == 21797
    assert len({g.game.id for g in result.games}) == 21797
    assert all(g.score is not None for g in result.games)
    assert {g.season for g in result.games} == {f"{y}-{(y + 1) % 100:02d}" for y in range(2007, 2024)}


def test_golden_first_game(shared_data: Path) -> None:
    game = _lines(shared_data).games[0]  # 2007-10-30 por @ sa, home favoured by 13
    assert (game.game.home_team, game.game.away_team) == ("San Antonio Spurs", "Portland Trail Blazers")
    assert game.game.commence_time == datetime(2007, 10, 30, 23, 0, tzinfo=UTC)
    assert game.season == "2007-08"
    assert game.score is not None and (game.score.home_score, game.score.away_score) == (106, 97)
    assert quote_map(game, "kaggle", closing=False) == {}
    assert quote_map(game, "kaggle", closing=True) == {
        ("h2h", "home"): (american_to_decimal(-1400.0), None),
        ("h2h", "away"): (10.0, None),
        ("spreads", "home"): (ASSUMED, -13.0),
        ("spreads", "away"): (ASSUMED, 13.0),
        ("totals", "over"): (ASSUMED, 189.5),
        ("totals", "under"): (ASSUMED, 189.5),
    }


def test_an_away_favourite_gives_the_home_side_plus_points(shared_data: Path) -> None:
    games = _lines(shared_data).games
    game = only(_lines(shared_data), "Dallas Mavericks", "Boston Celtics", "2024-06-14")  # 'home', 0.5
    assert quote_map(game, "kaggle", closing=True)[("spreads", "home")] == (ASSUMED, -0.5)
    assert ("h2h", "home") not in quote_map(game, "kaggle", closing=True)  # no 2023-24 moneylines
    points = []
    for g in games:
        closing = quote_map(g, "kaggle", closing=True)
        if (
            ("h2h", "away") in closing
            and ("spreads", "home") in closing
            and closing[("h2h", "away")][0] < 1.5
        ):
            points.append(closing[("spreads", "home")][1])  # a heavy away favourite
    assert len(points) > 1000
    assert all(point is not None and point > 0 for point in points)


def test_bad_rows_are_reported(shared_data: Path) -> None:
    reasons = [reason for _, reason in _lines(shared_data).skipped]
    assert "kaggle h2h close: American price '8' is impossible (must be <= -100 or >= +100)" in reasons
    assert all("h2h close" in reason for reason in reasons)  # 1 corrupt, the rest beyond the overround bounds


def test_moneyline_baseline_2008_to_2023(shared_data: Path) -> None:
    games = [g for g in _lines(shared_data).games if g.season is not None and g.season <= "2022-23"]
    n, brier = binary_brier(games, "kaggle")
    assert 19_800 <= n <= 19_820  # DATA.md's 19,820 less the corrupt and impossible moneylines
    assert brier == pytest.approx(0.2024, abs=0.0005)


def test_synthetic_rows() -> None:
    header = (
        "season,date,away,home,score_away,score_home,whos_favored,spread,total,moneyline_away,moneyline_home"
    )
    text = "\n".join(
        [
            header,
            "2020,2019-12-19,lal,mil,100,111,away,,221,,",
            "2020,2019-12-20,utah,gs,100,111,,2,221,-120,100",
            "2020,not-a-date,utah,gs,100,111,,2,221,-120,100",
        ]
    )
    result = kaggle_nba.parse(text)
    first, second = result.games
    assert set(quote_map(first, "kaggle", closing=True)) == {("totals", "over"), ("totals", "under")}
    assert (second.game.home_team, second.game.away_team) == ("Golden State Warriors", "Utah Jazz")
    assert [row for row, _ in result.skipped] == [3, 4]
    assert "whos_favored" in result.skipped[0][1]
