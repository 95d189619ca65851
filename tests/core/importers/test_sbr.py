"""SBR two-row files: golden games per sport, pairing, year inference, bad cells and the baselines."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import InvalidInput
from core.importers import ImportResult, sbr
from core.importers.detect import read_text
from core.odds import american_to_decimal
from core.sports import Sport
from tests.core.importers.helpers import binary_brier, only, parsed, quote_map

ASSUMED = american_to_decimal(-110.0)


def _file(shared_data: Path, sport: str, season: str) -> ImportResult:
    return parsed(shared_data / sport / f"sbr_{sport}_odds_{season}.csv")


def test_name_gives_sport_and_season() -> None:
    assert sbr.sport_and_season_from_name("sbr_nba_odds_2019-20.csv") == (Sport.NBA, "2019-20")
    assert sbr.sport_and_season_from_name("sbr_mlb_odds_2021.csv") == (Sport.MLB, "2021")
    assert sbr.sport_and_season_from_name("odds.csv") == (None, None)


def test_nba_golden_game(shared_data: Path) -> None:
    result = _file(shared_data, "nba", "2014-15")
    game = only(result, "San Antonio Spurs", "Dallas Mavericks", "2014-10-28")
    assert game.source == "sbr" and game.season == "2014-15"
    assert game.score is not None and (game.score.home_score, game.score.away_score) == (101, 100)
    assert quote_map(game, "sbr", closing=False) == {
        ("spreads", "home"): (ASSUMED, -6.0),
        ("spreads", "away"): (ASSUMED, 6.0),
        ("totals", "over"): (ASSUMED, 206.5),
        ("totals", "under"): (ASSUMED, 206.5),
    }
    assert quote_map(game, "sbr", closing=True) == {
        ("spreads", "home"): (ASSUMED, -3.5),
        ("spreads", "away"): (ASSUMED, 3.5),
        ("totals", "over"): (ASSUMED, 203.5),
        ("totals", "under"): (ASSUMED, 203.5),
        ("h2h", "home"): (american_to_decimal(-165.0), None),
        ("h2h", "away"): (2.4, None),
    }


def test_pk_is_a_spread_of_zero(shared_data: Path) -> None:
    game = only(_file(shared_data, "nba", "2014-15"), "Boston Celtics", "Brooklyn Nets", "2014-10-29")
    opening, closing = quote_map(game, "sbr", closing=False), quote_map(game, "sbr", closing=True)
    assert opening[("spreads", "home")] == (ASSUMED, 1.5)  # Brooklyn's row held the opening spread
    assert opening[("totals", "over")] == (ASSUMED, 191.0)
    assert closing[("spreads", "home")] == (ASSUMED, 0.0)
    assert closing[("spreads", "away")] == (ASSUMED, 0.0)
    assert closing[("totals", "under")] == (ASSUMED, 194.0)


def test_the_favourite_can_change_between_open_and_close(shared_data: Path) -> None:
    game = only(
        _file(shared_data, "nba", "2019-20"), "Los Angeles Clippers", "Los Angeles Lakers", "2019-10-22"
    )
    assert quote_map(game, "sbr", closing=False)[("spreads", "home")] == (ASSUMED, -1.5)
    assert quote_map(game, "sbr", closing=True)[("spreads", "home")] == (ASSUMED, 3.5)
    assert quote_map(game, "sbr", closing=True)[("totals", "over")] == (ASSUMED, 224.0)


def test_bubble_neutral_rows_first_is_visitor_and_year_rolls_into_autumn(shared_data: Path) -> None:
    result = _file(shared_data, "nba", "2019-20")
    final = result.games[-1]
    assert (final.game.home_team, final.game.away_team) == ("Miami Heat", "Los Angeles Lakers")
    assert final.game.commence_time.date().isoformat() == "2020-10-11"
    assert quote_map(final, "sbr", closing=True)[("spreads", "home")] == (ASSUMED, 5.5)


def test_season_without_year_column_runs_december_to_july(shared_data: Path) -> None:
    result = _file(shared_data, "nba", "2020-21")
    assert len(result.games) == 1171
    assert result.games[0].game.commence_time.date().isoformat() == "2020-12-22"
    last = result.games[-1]
    assert (last.game.home_team, last.game.away_team) == ("Milwaukee Bucks", "Phoenix Suns")
    assert last.game.commence_time.date().isoformat() == "2021-07-20"


def test_inferred_years_match_the_year_column(shared_data: Path) -> None:
    for season in ("2014-15", "2018-19", "2019-20"):
        path = shared_data / "nba" / f"sbr_nba_odds_{season}.csv"
        with_year = parsed(path)
        # The same file without the uploader's Month/Day/Year columns: years come from the season.
        stripped = "\n".join(",".join(line.split(",")[:13]) for line in read_text(path).splitlines())
        inferred = sbr.parse(stripped, sport=Sport.NBA, season=season)
        assert [g.game.id for g in inferred.games] == [g.game.id for g in with_year.games]


def test_nfl_golden_games(shared_data: Path) -> None:
    result = _file(shared_data, "nfl", "2021-22")
    assert len(result.games) == 285
    assert {g.season for g in result.games} == {"2021"}
    opener = only(result, "Tampa Bay Buccaneers", "Dallas Cowboys", "2021-09-09")
    assert quote_map(opener, "sbr", closing=False)[("spreads", "home")] == (ASSUMED, -7.0)
    assert quote_map(opener, "sbr", closing=True)[("h2h", "away")] == (4.75, None)
    pick = only(result, "Houston Texans", "Jacksonville Jaguars", "2021-09-12")
    assert quote_map(pick, "sbr", closing=False)[("spreads", "home")] == (ASSUMED, 0.0)
    assert quote_map(pick, "sbr", closing=True)[("spreads", "home")] == (ASSUMED, 3.0)
    super_bowl = result.games[-1]  # N/N: the Rams' row comes first, so Cincinnati is home
    assert (super_bowl.game.home_team, super_bowl.game.away_team) == (
        "Cincinnati Bengals",
        "Los Angeles Rams",
    )
    assert super_bowl.game.commence_time.date().isoformat() == "2022-02-13"
    assert quote_map(super_bowl, "sbr", closing=True)[("spreads", "home")] == (ASSUMED, 4.0)


def test_nhl_golden_game(shared_data: Path) -> None:
    game = _file(shared_data, "nhl", "2019-20").games[0]
    assert (game.game.home_team, game.game.away_team) == ("Toronto Maple Leafs", "Ottawa Senators")
    assert game.score is not None and (game.score.home_score, game.score.away_score) == (5, 3)
    assert quote_map(game, "sbr", closing=False) == {
        ("h2h", "home"): (american_to_decimal(-300.0), None),
        ("h2h", "away"): (3.45, None),
        ("totals", "over"): (ASSUMED, 6.0),
        ("totals", "under"): (ASSUMED, 6.0),
    }
    assert quote_map(game, "sbr", closing=True) == {
        ("h2h", "home"): (american_to_decimal(-310.0), None),
        ("h2h", "away"): (3.7, None),
        ("spreads", "home"): (american_to_decimal(-125.0), -1.5),
        ("spreads", "away"): (2.05, 1.5),
        ("totals", "over"): (american_to_decimal(-115.0), 6.5),
        ("totals", "under"): (american_to_decimal(-105.0), 6.5),
    }


def test_nhl_pairing_survives_swapped_and_neutral_rows(shared_data: Path) -> None:
    result = _file(shared_data, "nhl", "2019-20")
    assert len(result.games) == 1212
    swapped = only(result, "Pittsburgh Penguins", "Detroit Red Wings", "2020-01-17")  # H row before V row
    assert quote_map(swapped, "sbr", closing=True)[("h2h", "home")] == (american_to_decimal(-230.0), None)
    bubble = only(result, "Pittsburgh Penguins", "Montréal Canadiens", "2020-08-01")  # N/N
    assert bubble.score is not None and (bubble.score.home_score, bubble.score.away_score) == (2, 3)


def test_nhl_late_season_starts_in_january(shared_data: Path) -> None:
    result = _file(shared_data, "nhl", "2020-21")
    assert result.games[0].game.commence_time.date().isoformat() == "2021-01-13"
    assert result.games[-1].game.commence_time.date().isoformat() == "2021-07-07"
    assert {g.season for g in result.games} == {"2020-21"}


def test_nhl_corrupt_cells_are_skipped_with_reasons(shared_data: Path) -> None:
    skipped = dict(_file(shared_data, "nhl", "2020-21").skipped)
    assert skipped[686] == "score 'F' is not a number"
    assert "'a100'" in skipped[1470]
    last = _file(shared_data, "nhl", "2021-22")
    assert last.skipped[-1] == (2802, "sbr spreads close: handicaps 1.5, 1.5 do not mirror each other")
    assert ("spreads", "home") not in quote_map(last.games[-1], "sbr", closing=True)


def test_mlb_golden_game_and_doubleheaders(shared_data: Path) -> None:
    result = _file(shared_data, "mlb", "2021")
    assert len(result.games) == 2462
    game = result.games[0]
    assert (game.game.home_team, game.game.away_team) == ("Chicago Cubs", "Pittsburgh Pirates")
    assert game.season == "2021"
    closing = quote_map(game, "sbr", closing=True)
    assert closing[("h2h", "away")] == (2.9, None)
    assert closing[("spreads", "away")] == (american_to_decimal(-120.0), 1.5)
    assert closing[("spreads", "home")] == (2.0, -1.5)
    assert closing[("totals", "over")] == (american_to_decimal(-115.0), 6.5)
    assert quote_map(game, "sbr", closing=False)[("h2h", "home")] == (american_to_decimal(-205.0), None)
    doubleheader = [
        g
        for g in result.games
        if g.game.home_team == "Washington Nationals" and g.game.away_team == "Atlanta Braves"
    ][:2]
    assert len({g.game.id for g in doubleheader}) == 2
    assert len({g.game.id for g in result.games}) == 2462


@pytest.mark.parametrize(
    ("season", "expected"),
    [("2019-20", 0.2440), ("2020-21", 0.2316), ("2021-22", 0.2256)],
)
def test_nhl_closing_baselines(shared_data: Path, season: str, expected: float) -> None:
    _, brier = binary_brier(_file(shared_data, "nhl", season).games, "sbr")
    assert brier == pytest.approx(expected, abs=0.0005)


@pytest.mark.parametrize(
    ("season", "expected"),
    [("2019-20", 0.2448), ("2020-21", 0.2330), ("2021-22", 0.2281)],
)
def test_nhl_opening_baselines(shared_data: Path, season: str, expected: float) -> None:
    _, brier = binary_brier(_file(shared_data, "nhl", season).games, "sbr", closing=False)
    assert brier == pytest.approx(expected, abs=0.0005)


def test_mlb_and_nfl_closing_baselines(shared_data: Path) -> None:
    n, brier = binary_brier(_file(shared_data, "mlb", "2021").games, "sbr")
    assert n == 2461
    assert brier == pytest.approx(0.2388, abs=0.0005)
    n, brier = binary_brier(_file(shared_data, "nfl", "2021-22").games, "sbr")
    assert n == 284
    assert brier == pytest.approx(0.2187, abs=0.0005)


@pytest.mark.parametrize(
    ("season", "games", "expected"),
    [
        ("2014-15", 1311, 0.1965),
        ("2015-16", 1316, 0.1938),
        ("2016-17", 1309, 0.2106),
        ("2017-18", 1312, 0.2030),
        ("2018-19", 1312, 0.2044),
        ("2019-20", 1143, 0.2116),
        ("2020-21", 1171, 0.2160),
    ],
)
def test_nba_closing_baselines(shared_data: Path, season: str, games: int, expected: float) -> None:
    n, brier = binary_brier(_file(shared_data, "nba", season).games, "sbr")
    assert n == games
    assert brier == pytest.approx(expected, abs=0.0005)


HEADER = "Date,Rot,VH,Team,1st,2nd,3rd,4th,Final,Open,Close,ML,2H"


def test_synthetic_nl_corrupt_and_unpaired_rows() -> None:
    text = "\n".join(
        [
            "\ufeff" + HEADER,
            "1225,501,V,Boston,1,1,1,1,100,NL,215,a150,1",
            "1225,502,H,Brooklyn,1,1,1,1,98,NL,4.5,-170,1",
            "1226,503,V,Chicago,1,1,1,1,90,210,211,-110,1",  # its partner is missing
            "1226,505,V,Denver,1,1,1,1,99,3,3.5,-150,1",
            "1226,506,H,Detroit,1,1,1,1,97,199,201,130,1",
            "",
        ]
    )
    result = sbr.parse(text, sport=Sport.NBA, season="2021-22")
    first, second = result.games
    assert first.game.commence_time.date().isoformat() == "2021-12-25"
    assert quote_map(first, "sbr", closing=False) == {}  # NL: no opening lines at all
    assert quote_map(first, "sbr", closing=True) == {
        ("spreads", "home"): (ASSUMED, -4.5),
        ("spreads", "away"): (ASSUMED, 4.5),
        ("totals", "over"): (ASSUMED, 215.0),
        ("totals", "under"): (ASSUMED, 215.0),
    }
    assert (second.game.home_team, second.game.away_team) == ("Detroit Pistons", "Denver Nuggets")
    assert result.skipped == [
        (2, "sbr h2h close: American price 'a150' is not a number"),
        (4, "row does not pair with the next one (V/V)"),
    ]


def test_a_file_without_years_needs_a_season() -> None:
    rows = ["1225,501,V,Boston,1,1,1,1,100,4,215,-150,1", "1225,502,H,Brooklyn,1,1,1,1,98,210,211,130,1"]
    text = "\n".join([HEADER, *rows])
    with pytest.raises(InvalidInput, match="season"):
        sbr.parse(text, sport=Sport.NBA)
    with pytest.raises(InvalidInput, match="NBA, NFL, NHL and MLB"):
        sbr.parse(text, sport=Sport.EPL, season="2021-22")
    with pytest.raises(InvalidInput, match="PuckLine"):
        sbr.parse(text, sport=Sport.NHL, season="2021-22")
