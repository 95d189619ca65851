"""The team catalog: Odds API spellings, every source's aliases, one name per franchise."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from core.errors import InvalidInput
from core.sports import Sport
from core.teams import CANONICAL, EPL_CURRENT, canonical_team


def test_catalog_sizes() -> None:
    assert {sport: len(names) for sport, names in CANONICAL.items()} == {
        Sport.NBA: 30,
        Sport.NFL: 32,
        Sport.MLB: 30,
        Sport.NHL: 32,
        Sport.EPL: 34,  # every club of 2015-16 … 2024-25, which covers 2025-26's promoted sides
    }


def test_epl_current_is_twenty_known_clubs() -> None:
    assert len(EPL_CURRENT) == len(set(EPL_CURRENT)) == 20
    assert set(EPL_CURRENT) <= set(CANONICAL[Sport.EPL])
    assert {"Leeds United", "Burnley", "Sunderland"} <= set(EPL_CURRENT)
    assert not {"Leicester City", "Ipswich Town", "Southampton"} & set(EPL_CURRENT)


@pytest.mark.parametrize("sport", list(Sport))
def test_every_canonical_name_maps_to_itself(sport: Sport) -> None:
    for name in CANONICAL[sport]:
        assert canonical_team(sport, name) == name


@pytest.mark.parametrize(
    ("sport", "spelling", "canonical"),
    [
        (Sport.NBA, "GoldenState", "Golden State Warriors"),
        (Sport.NBA, "LA Clippers", "Los Angeles Clippers"),
        (Sport.NBA, "  la   CLIPPERS ", "Los Angeles Clippers"),
        (Sport.NBA, "gs", "Golden State Warriors"),
        (Sport.NBA, "ny", "New York Knicks"),
        (Sport.NBA, "no", "New Orleans Pelicans"),
        (Sport.NBA, "nj", "Brooklyn Nets"),
        (Sport.NBA, "Seattle SuperSonics", "Oklahoma City Thunder"),
        (Sport.NBA, "New Jersey Nets", "Brooklyn Nets"),
        (Sport.NBA, "Charlotte Bobcats", "Charlotte Hornets"),
        (Sport.NBA, "New Orleans Hornets", "New Orleans Pelicans"),
        (Sport.NFL, "KC", "Kansas City Chiefs"),
        (Sport.NFL, "OAK", "Las Vegas Raiders"),
        (Sport.NFL, "Oakland Raiders", "Las Vegas Raiders"),
        (Sport.NFL, "SD", "Los Angeles Chargers"),
        (Sport.NFL, "San Diego Chargers", "Los Angeles Chargers"),
        (Sport.NFL, "STL", "Los Angeles Rams"),
        (Sport.NFL, "LA", "Los Angeles Rams"),
        (Sport.NFL, "St. Louis Rams", "Los Angeles Rams"),
        (Sport.NFL, "Washington Redskins", "Washington Commanders"),
        (Sport.NFL, "Washington Football Team", "Washington Commanders"),
        (Sport.NFL, "NYGiants", "New York Giants"),
        (Sport.NHL, "St.Louis", "St Louis Blues"),
        (Sport.NHL, "St. Louis Blues", "St Louis Blues"),
        (Sport.NHL, "Montreal Canadiens", "Montréal Canadiens"),
        (Sport.NHL, "NYRangers", "New York Rangers"),
        (Sport.NHL, "TampaBay", "Tampa Bay Lightning"),
        (Sport.NHL, "Tampa", "Tampa Bay Lightning"),
        (Sport.NHL, "Arizona Coyotes", "Utah Mammoth"),
        (Sport.NHL, "Utah Hockey Club", "Utah Mammoth"),
        (Sport.MLB, "Cleveland Indians", "Cleveland Guardians"),
        (Sport.MLB, "Oakland Athletics", "Athletics"),
        (Sport.MLB, "SDG", "San Diego Padres"),
        (Sport.MLB, "CUB", "Chicago Cubs"),
        (Sport.EPL, "Man United", "Manchester United"),
        (Sport.EPL, "Nott'm Forest", "Nottingham Forest"),
        (Sport.EPL, "Wolves", "Wolverhampton Wanderers"),
        (Sport.EPL, "Brighton", "Brighton and Hove Albion"),
        (Sport.EPL, "Sheffield United", "Sheffield United"),
        (Sport.EPL, "AFC Bournemouth", "Bournemouth"),
    ],
)
def test_aliases(sport: Sport, spelling: str, canonical: str) -> None:
    assert canonical_team(sport, spelling) == canonical


def test_a_token_means_different_teams_in_different_sports() -> None:
    assert canonical_team(Sport.NFL, "Arizona") == "Arizona Cardinals"
    assert canonical_team(Sport.NHL, "Arizona") == "Utah Mammoth"
    assert canonical_team(Sport.MLB, "Arizona") == "Arizona Diamondbacks"
    assert canonical_team(Sport.NBA, "sea") == "Oklahoma City Thunder"
    assert canonical_team(Sport.NFL, "sea") == "Seattle Seahawks"


def test_unknown_team_names_sport_and_name() -> None:
    with pytest.raises(InvalidInput, match=r"NBA.*'Gotham Rogues'"):
        canonical_team(Sport.NBA, "Gotham Rogues")
    with pytest.raises(InvalidInput, match="Los Angeles Lakers"):
        canonical_team(Sport.NFL, "Los Angeles Lakers")


def _odds_api_names(shared_data: Path) -> dict[Sport, set[str]]:
    prefixes = {
        "basketball_nba": Sport.NBA,
        "americanfootball_nfl": Sport.NFL,
        "icehockey_nhl": Sport.NHL,
        "soccer_epl": Sport.EPL,
    }
    names: dict[Sport, set[str]] = {sport: set() for sport in prefixes.values()}
    for path in (shared_data / "oddsapi").glob("v4_odds_*.json"):
        sport = next(s for key, s in prefixes.items() if key in path.name)
        for event in json.loads(path.read_text()):
            names[sport] |= {event["home_team"], event["away_team"]}
    with (shared_data / "nhl" / "oddsapi_nhl_pregame_noonET_2023-24_2024-25.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names[Sport.NHL] |= {row["home_team"], row["away_team"]}
    return names


def test_canonical_names_are_the_odds_apis_spellings(shared_data: Path) -> None:
    for sport, names in _odds_api_names(shared_data).items():
        # The Odds API renamed these clubs after the staged snapshots were taken.
        renamed = {"Arizona Coyotes", "Utah Hockey Club"}
        assert names - renamed <= set(CANONICAL[sport]), sport


def test_every_team_in_the_shared_history_files_is_known(shared_data: Path) -> None:
    spellings: dict[Sport, set[str]] = {sport: set() for sport in Sport}
    for path in (shared_data / "epl").glob("E0_*.csv"):
        with path.open(encoding="latin-1") as f:
            for row in csv.DictReader(f):
                spellings[Sport.EPL] |= {row["HomeTeam"], row["AwayTeam"]}
    for sport in (Sport.NBA, Sport.NFL, Sport.NHL, Sport.MLB):
        for path in (shared_data / sport.short).glob("sbr_*.csv"):
            with path.open(encoding="utf-8-sig") as f:
                spellings[sport] |= {row[3] for row in list(csv.reader(f))[1:] if len(row) > 3}
    with (shared_data / "nba" / "kaggle_nba_2008-2024_lines.csv").open() as f:
        for row in csv.DictReader(f):
            spellings[Sport.NBA] |= {row["home"], row["away"]}
    with (shared_data / "nfl" / "nflverse_games.csv").open() as f:
        for row in csv.DictReader(f):
            spellings[Sport.NFL] |= {row["home_team"], row["away_team"]}
    resolved = {sport: {canonical_team(sport, name) for name in names} for sport, names in spellings.items()}
    assert len(resolved[Sport.EPL]) == 34
    assert len(resolved[Sport.NBA]) == 30
    assert len(resolved[Sport.NFL]) == 32  # OAK/LV, SD/LAC and STL/LA fold into today's teams
    assert resolved[Sport.NHL] <= set(CANONICAL[Sport.NHL])
    assert len(resolved[Sport.MLB]) == 30
