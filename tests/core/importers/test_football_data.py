"""football-data.co.uk EPL files: one golden match per header era, counts and the Pinnacle baseline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from core.devig import devig
from core.importers import ImportResult, football_data
from core.importers.base import CLOSING_LEAD, OPENING_LEAD
from core.scoring import brier_multiclass
from core.sports import Side, Sport
from core.teams import CANONICAL
from tests.core.importers.helpers import h2h_prices, parsed, quote_map


def _season(shared_data: Path, code: str) -> ImportResult:
    return parsed(shared_data / "epl" / f"E0_{code}.csv")


def test_ten_seasons_give_3800_games(shared_data: Path) -> None:
    results = [parsed(path) for path in sorted((shared_data / "epl").glob("E0_*.csv"))]
    assert [len(r.games) for r in results] == [380] * 10
    games = [g for r in results for g in r.games]
    assert len({g.game.id for g in games}) == 3800
    assert all(g.game.sport is Sport.EPL and g.score is not None for g in games)
    assert {g.game.home_team for g in games} <= set(CANONICAL[Sport.EPL])
    assert {g.season for g in games} == {f"{y}-{(y + 1) % 100:02d}" for y in range(2015, 2025)}


def test_1516_era_opening_and_pinnacle_closing(shared_data: Path) -> None:
    game = _season(shared_data, "1516").games[0]  # 08/08/2015 Bournemouth 0-1 Aston Villa
    assert (game.game.home_team, game.game.away_team) == ("Bournemouth", "Aston Villa")
    assert game.game.commence_time == datetime(2015, 8, 8, 23, 0, tzinfo=UTC)  # no Time column
    assert game.score is not None and (game.score.home_score, game.score.away_score) == (0, 1)
    pinnacle_open = quote_map(game, "pinnacle", closing=False)
    assert pinnacle_open == {
        ("h2h", "home"): (1.95, None),
        ("h2h", "draw"): (3.65, None),
        ("h2h", "away"): (4.27, None),
    }
    assert quote_map(game, "pinnacle", closing=True) == {
        ("h2h", "home"): (1.82, None),
        ("h2h", "draw"): (3.88, None),
        ("h2h", "away"): (4.7, None),
    }
    assert quote_map(game, "ladbrokes_uk", closing=False)[("h2h", "home")] == (2.05, None)
    assert quote_map(game, "bet365", closing=True) == {}  # only Pinnacle closes before 2019-20


def test_two_digit_years(shared_data: Path) -> None:
    game = _season(shared_data, "1617").games[0]  # 13/08/16
    assert game.game.commence_time.date().isoformat() == "2016-08-13"
    assert (game.game.home_team, game.game.away_team) == ("Burnley", "Swansea City")


def test_1819_era_has_no_ladbrokes(shared_data: Path) -> None:
    result = _season(shared_data, "1819")
    game = result.games[0]
    assert (game.game.home_team, game.game.away_team) == ("Manchester United", "Leicester City")
    assert quote_map(game, "pinnacle", closing=True)[("h2h", "away")] == (7.69, None)
    assert "ladbrokes_uk" not in {q.book for g in result.games for q in g.quotes}


def test_1920_era_renamed_over_under_headers_and_asian_handicap(shared_data: Path) -> None:
    game = _season(shared_data, "1920").games[0]  # 09/08/2019 20:00 Liverpool 4-1 Norwich
    assert game.game.commence_time == datetime(2019, 8, 9, 19, 0, tzinfo=UTC)  # 20:00 BST
    opening = quote_map(game, "pinnacle", closing=False)
    assert opening[("totals", "over")] == (1.4, 2.5)  # P_2_5 → P>2.5
    assert opening[("totals", "under")] == (3.11, 2.5)  # P_2_5_1 → P<2.5
    assert opening[("spreads", "home")] == (1.97, -2.25)
    assert opening[("spreads", "away")] == (1.95, 2.25)
    closing = quote_map(game, "pinnacle", closing=True)
    assert closing[("totals", "over")] == (1.34, 2.5)
    assert closing[("spreads", "home")] == (1.94, -2.25)
    assert quote_map(game, "bet365", closing=True)[("totals", "under")] == (3.5, 2.5)


def test_2324_pristine_headers(shared_data: Path) -> None:
    game = _season(shared_data, "2324").games[0]  # Burnley 0-3 Man City
    assert (game.game.home_team, game.game.away_team) == ("Burnley", "Manchester City")
    closing = quote_map(game, "pinnacle", closing=True)
    assert closing[("h2h", "home")] == (9.62, None)
    assert closing[("totals", "under")] == (2.35, 2.5)
    assert closing[("spreads", "home")] == (1.95, 1.5)  # the underdog gets +1.5
    assert closing[("spreads", "away")] == (1.97, -1.5)


def test_2425_adds_exchange_and_onexbet_and_drops_iw_vc(shared_data: Path) -> None:
    result = _season(shared_data, "2425")
    game = result.games[0]  # Man United 1-0 Fulham
    exchange = quote_map(game, "betfair_ex_uk", closing=True)
    assert exchange[("h2h", "home")] == (1.72, None)
    assert exchange[("spreads", "home")] == (1.9, -0.75)
    assert quote_map(game, "onexbet", closing=False)[("h2h", "draw")] == (4.32, None)
    books = {q.book for g in result.games for q in g.quotes}
    assert {"betfair_ex_uk", "betfair_sb_uk", "onexbet", "pinnacle", "bet365"} <= books
    assert not {"interwetten", "betvictor"} & books


def test_aggregates_are_never_books(shared_data: Path) -> None:
    books = {
        q.book
        for path in (shared_data / "epl").glob("E0_*.csv")
        for g in parsed(path).games
        for q in g.quotes
    }
    assert books == {
        "bet365",
        "bwin",
        "interwetten",
        "pinnacle",
        "williamhill",
        "betvictor",
        "ladbrokes_uk",
        "onexbet",
        "betfair_sb_uk",
        "betfair_ex_uk",
    }


def test_pinnacle_closing_baseline_pooled(shared_data: Path) -> None:
    order = (Side.HOME, Side.DRAW, Side.AWAY)
    odds, outcomes = [], []
    for path in sorted((shared_data / "epl").glob("E0_*.csv")):
        for game in parsed(path).games:
            prices = h2h_prices(game, "pinnacle", order)
            assert prices is not None and game.score is not None
            odds.append(prices)
            diff = game.score.home_score - game.score.away_score
            outcomes.append(0 if diff > 0 else 1 if diff == 0 else 2)
    assert len(odds) == 3800
    fair = devig(np.array(odds), "multiplicative")
    assert brier_multiclass(fair, outcomes) == pytest.approx(0.5622, abs=0.0005)


def test_skips_are_reported_not_fatal(shared_data: Path) -> None:
    assert _season(shared_data, "2122").skipped == [
        (168, "bet365 totals close: decimal price '0.0' is impossible (must be > 1)")
    ]
    reasons = _season(shared_data, "2425").skipped
    assert reasons and all("betfair_ex_uk" in reason and "overround" in reason for _, reason in reasons)


HEADER = (
    "Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,PSH,PSD,PSA,PSCH,PSCD,PSCA,MaxH,MaxD,MaxA,"
    + "AvgCH,AvgCD,AvgCA"
)


def test_synthetic_rows_bad_cells_and_winter_time() -> None:
    text = "\n".join(
        [
            HEADER,
            "E0,26/12/2023,15:00,Wolves,Brighton,1,1,D,2.5,3.4,2.9,x,3.4,2.9,2.6,3.5,3.0,2.5,3.4,2.9",
            "E0,27/12/23,,Man United,Nott'm Forest,,,,,,,1.5,4.5,6.0,,,,,,",
            "E0,not a date,,Arsenal,Chelsea,0,0,D,2,3,4,2,3,4,,,,,,",
        ]
    )
    result = football_data.parse(text)
    first, second = result.games
    assert first.game.commence_time == datetime(2023, 12, 26, 15, 0, tzinfo=UTC)  # GMT in winter
    assert {q.seen_at for q in first.quotes} == {first.game.commence_time - OPENING_LEAD}
    assert second.game.home_team == "Manchester United"
    assert second.game.commence_time == datetime(2023, 12, 27, 23, 0, tzinfo=UTC)  # blank time
    assert second.score is None
    assert {q.seen_at for q in second.quotes} == {second.game.commence_time - CLOSING_LEAD}
    assert second.season == "2023-24"
    assert [row for row, _ in result.skipped] == [2, 4]
    assert "pinnacle h2h close" in result.skipped[0][1]
    assert all(q.book == "pinnacle" for g in result.games for q in g.quotes)
    assert first.game.commence_time - timedelta(hours=48) == first.quotes[0].seen_at
