"""Format detection, parse_file over all the shared history, cross-source ids and no look-ahead."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.errors import InvalidInput
from core.importers import FORMATS, HistoricalGame, detect_format, parse_file, parse_text
from core.importers.base import CLOSING_LEAD, OPENING_LEAD
from core.sports import Sport
from tests.core.importers.helpers import parsed


def _history_files(shared_data: Path) -> list[Path]:
    return [
        *sorted((shared_data / "epl").glob("E0_*.csv")),
        *sorted(shared_data.glob("*/sbr_*.csv")),
        shared_data / "nfl" / "nflverse_games.csv",
        shared_data / "nba" / "kaggle_nba_2008-2024_lines.csv",
        shared_data / "nhl" / "oddsapi_nhl_pregame_noonET_2023-24_2024-25.csv",
    ]


@pytest.mark.parametrize(
    ("header", "fmt"),
    [
        ("Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR", "football_data"),
        ("\ufeffDate,Rot,VH,Team,1st,2nd,3rd,4th,Final,Open,Close,ML,2H", "sbr"),
        ("Date,Rot,VH,Team,Pitcher,1st,Final,Open,Close,RunLine,,OpenOU,,CloseOU,", "sbr"),
        ("game_id,season,game_type,week,gameday,gametime,spread_line", "nflverse"),
        ("season,date,regular,playoffs,away,home,whos_favored,spread,moneyline_home", "kaggle_nba"),
    ],
)
def test_detect_format(header: str, fmt: str) -> None:
    assert detect_format(header) == fmt
    assert fmt in FORMATS


def test_unknown_format_names_the_columns() -> None:
    with pytest.raises(InvalidInput, match=r"first columns are date, sport, game_id"):
        detect_format("date,sport,game_id,home_team\n")
    with pytest.raises(InvalidInput, match="first columns are a, b"):
        detect_format("a,b\n1,2")


def test_every_history_file_is_detected(shared_data: Path) -> None:
    formats = {path.name: parsed(path).format for path in _history_files(shared_data)}
    assert formats["E0_1516.csv"] == formats["E0_2425.csv"] == "football_data"
    assert formats["sbr_mlb_odds_2021.csv"] == formats["sbr_nhl_odds_2019-20.csv"] == "sbr"
    assert formats["nflverse_games.csv"] == "nflverse"
    assert formats["kaggle_nba_2008-2024_lines.csv"] == "kaggle_nba"
    assert formats["oddsapi_nhl_pregame_noonET_2023-24_2024-25.csv"] == "oddsapi_snapshots"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nE0,01/01/2020,Gotham FC,Arsenal,1,0\n", "football_data"),
        (
            "season,date,away,home,score_away,score_home,whos_favored,spread,total,moneyline_away,moneyline_home\n"
            "2020,2020-01-01,gotham,bos,1,2,home,1,200,100,-120\n",
            "kaggle_nba",
        ),
    ],
)
def test_an_unknown_team_raises_naming_it(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt
    with pytest.raises(InvalidInput, match=r"[Gg]otham"):
        parse_text(text)


def test_sbr_sport_comes_from_the_name_or_the_caller(shared_data: Path) -> None:
    path = shared_data / "nfl" / "sbr_nfl_odds_2021-22.csv"
    text = path.read_text(encoding="utf-8-sig")
    with pytest.raises(InvalidInput, match="pass sport"):
        parse_text(text, name="odds.csv")
    explicit = parse_text(text, sport=Sport.NFL, season="2021-22", name="odds.csv")
    assert [g.game.id for g in explicit.games] == [g.game.id for g in parsed(path).games]
    # Read as NBA rows the teams are unknown: the error names the first and the line of its pair.
    with pytest.raises(InvalidInput, match=r"unknown NBA team .TampaBay. .* at line 2"):
        parse_text(text, sport=Sport.NBA, season="2021-22")


def test_a_single_sport_format_refuses_another_sport(shared_data: Path) -> None:
    with pytest.raises(InvalidInput, match="EPL"):
        parse_file(shared_data / "epl" / "E0_2324.csv", sport=Sport.NBA)
    with pytest.raises(InvalidInput, match="fmt must be one of"):
        parse_file(shared_data / "epl" / "E0_2324.csv", fmt="csv")


def _all_games(shared_data: Path) -> list[HistoricalGame]:
    return [g for path in _history_files(shared_data) for g in parsed(path).games]


def test_no_look_ahead(shared_data: Path) -> None:
    # Snapshot files carry their own dated snapshots (tested in test_oddsapi_snapshots).
    games = [g for g in _all_games(shared_data) if g.source != "oddsapi_snapshots"]
    assert len(games) == 48_046
    assert OPENING_LEAD > CLOSING_LEAD > timedelta(0)
    for game in games:
        start = game.game.commence_time
        opening, closing = start - OPENING_LEAD, start - CLOSING_LEAD
        seen = {quote.seen_at for quote in game.quotes}
        assert seen <= {opening, closing}
        assert all(quote.game is game.game for quote in game.quotes)
        # opening < closing < commence_time < completed_at
        assert opening < closing < start
        if game.score is not None:
            assert start < game.score.completed_at


def test_kaggle_and_sbr_nba_agree_on_game_ids(shared_data: Path) -> None:
    kaggle = {g.game.id for g in parsed(shared_data / "nba" / "kaggle_nba_2008-2024_lines.csv").games}
    sbr = [g.game.id for path in sorted((shared_data / "nba").glob("sbr_*.csv")) for g in parsed(path).games]
    assert len(sbr) == 8874
    assert sum(game_id in kaggle for game_id in sbr) >= 8870


def test_nflverse_and_sbr_nfl_agree_on_game_ids(shared_data: Path) -> None:
    nflverse = {g.game.id for g in parsed(shared_data / "nfl" / "nflverse_games.csv").games}
    sbr = parsed(shared_data / "nfl" / "sbr_nfl_odds_2021-22.csv").games
    missing = [(g.game.away_team, g.game.home_team) for g in sbr if g.game.id not in nflverse]
    # SBR dates the Monday-night game of 27 Dec 2021 a day late.
    assert missing == [("Miami Dolphins", "New Orleans Saints")]
