"""SimbookTransport speaks The Odds API v4 (and ESPN's injuries) to the real client code."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from core.clock import FixedClock
from core.collectors import espn_client, espn_parse, oddsapi_client, oddsapi_parse
from core.collectors.simbook import SimbookTransport
from core.errors import OddsApiError, OutOfCredits
from core.game_reports import InjuryStatus
from core.sim import SimWorld
from core.sports import Sport

START = datetime(2025, 11, 20, 18, 0, tzinfo=UTC)
BASE = "https://api.the-odds-api.com"
HEX32 = re.compile(r"^[0-9a-f]{32}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ODDS = {"apiKey": "k", "regions": "us,eu", "markets": "h2h,spreads,totals", "oddsFormat": "american"}


@pytest.fixture(scope="module")
def shared_world() -> SimWorld:
    return SimWorld(21)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def client(shared_world: SimWorld, clock: FixedClock) -> httpx.Client:
    return httpx.Client(transport=SimbookTransport(shared_world, clock, monthly_credits=500), base_url=BASE)


def _quota(response: httpx.Response) -> tuple[int, int, int]:
    h = response.headers
    return int(h["x-requests-remaining"]), int(h["x-requests-used"]), int(h["x-requests-last"])


def _check_event_meta(row: dict[str, Any], sport: Sport) -> None:
    assert HEX32.match(row["id"])
    assert row["sport_key"] == sport.value and row["sport_title"] == sport.title
    assert ISO.match(row["commence_time"])
    assert row["home_team"] != row["away_team"]


def test_sports_is_free_and_lists_the_leagues_in_season(client: httpx.Client) -> None:
    response = client.get("/v4/sports", params={"apiKey": "k"})
    assert response.status_code == 200
    assert _quota(response) == (500, 0, 0)
    rows = response.json()
    assert {r["key"] for r in rows} == {
        "basketball_nba",
        "americanfootball_nfl",
        "icehockey_nhl",
        "soccer_epl",
    }
    assert set(rows[0]) == {"key", "group", "title", "description", "active", "has_outrights"}
    every = client.get("/v4/sports", params={"apiKey": "k", "all": "true"}).json()
    assert {r["key"]: r["active"] for r in every}["baseball_mlb"] is False


def test_odds_have_the_v4_shape_and_cost_markets_times_regions(client: httpx.Client) -> None:
    response = client.get("/v4/sports/basketball_nba/odds", params=ODDS)
    assert response.status_code == 200
    assert _quota(response) == (494, 6, 6)
    rows = response.json()
    assert rows
    for row in rows:
        _check_event_meta(row, Sport.NBA)
        assert datetime.fromisoformat(row["commence_time"].replace("Z", "+00:00")) > START
        assert {b["key"] for b in row["bookmakers"]} == {
            "draftkings",
            "fanduel",
            "betmgm",
            "williamhill_us",
            "betrivers",
            "bovada",
            "pinnacle",
        }
        for book in row["bookmakers"]:
            assert set(book) == {"key", "title", "last_update", "markets"}
            assert [m["key"] for m in book["markets"]] == ["h2h", "spreads", "totals"]
            for market in book["markets"]:
                assert ISO.match(market["last_update"])
                for outcome in market["outcomes"]:
                    assert isinstance(outcome["price"], int) and abs(outcome["price"]) >= 100
                    assert ("point" in outcome) == (market["key"] != "h2h")
    again = client.get("/v4/sports/basketball_nba/odds", params={**ODDS, "bookmakers": "pinnacle,fanduel"})
    assert _quota(again) == (491, 9, 3)  # bookmakers win over regions: up to ten books = one region
    assert {b["key"] for b in again.json()[0]["bookmakers"]} == {"pinnacle", "fanduel"}


def test_decimal_prices_unix_dates_and_a_commence_window(client: httpx.Client) -> None:
    params = {"apiKey": "k", "regions": "eu", "dateFormat": "unix", "commenceTimeTo": "2025-11-22T00:00:00Z"}
    rows = client.get("/v4/sports/soccer_epl/odds", params=params).json()
    late = client.get(
        "/v4/sports/soccer_epl/odds", params={**params, "commenceTimeTo": "2025-11-30T00:00:00Z"}
    )
    assert len(late.json()) > len(rows)
    for row in late.json():
        assert isinstance(row["commence_time"], int)
        (book,) = row["bookmakers"]
        assert book["key"] == "pinnacle" and isinstance(book["last_update"], int)
        (market,) = book["markets"]
        assert market["key"] == "h2h" and len(market["outcomes"]) == 3
        assert all(isinstance(o["price"], float) and o["price"] > 1 for o in market["outcomes"])


def test_events_are_free_and_join_odds_by_id(client: httpx.Client) -> None:
    events = client.get("/v4/sports/icehockey_nhl/events", params={"apiKey": "k"})
    assert _quota(events)[2] == 0
    odds = client.get("/v4/sports/icehockey_nhl/odds", params=ODDS).json()
    event_ids = {e["id"] for e in events.json()}
    assert {o["id"] for o in odds} <= event_ids
    for row in events.json():
        _check_event_meta(row, Sport.NHL)
        assert "bookmakers" not in row


def test_scores_appear_only_after_games_end(client: httpx.Client, clock: FixedClock) -> None:
    upcoming = client.get("/v4/sports/basketball_nba/scores", params={"apiKey": "k"})
    assert _quota(upcoming)[2] == 1
    target = upcoming.json()[0]
    assert target["completed"] is False and target["scores"] is None and target["last_update"] is None
    start = datetime.fromisoformat(target["commence_time"].replace("Z", "+00:00"))
    seen: list[tuple[bool, Any]] = []
    for minutes in range(-30, 240, 15):
        clock.set(start + timedelta(minutes=minutes))
        response = client.get("/v4/sports/basketball_nba/scores", params={"apiKey": "k", "daysFrom": 1})
        assert _quota(response)[2] == 2
        row = next(r for r in response.json() if r["id"] == target["id"])
        seen.append((row["completed"], row["scores"]))
        if row["scores"] is not None:
            assert {s["name"] for s in row["scores"]} == {row["home_team"], row["away_team"]}
            assert all(isinstance(s["score"], str) for s in row["scores"])
    assert seen[0] == (False, None)
    assert seen[-1][0] is True
    completed_at = next(i for i, (done, _) in enumerate(seen) if done)
    assert all(done for done, _ in seen[completed_at:])
    assert any(scores is not None and not done for done, scores in seen)  # live, incomplete


def test_out_of_season_leagues_answer_an_empty_list(client: httpx.Client, clock: FixedClock) -> None:
    clock.set(datetime(2025, 7, 10, 18, 0, tzinfo=UTC))
    for sport in ("basketball_nba", "americanfootball_nfl", "icehockey_nhl", "soccer_epl"):
        for resource in ("odds", "events", "scores"):
            response = client.get(f"/v4/sports/{sport}/{resource}", params=ODDS)
            assert response.status_code == 200 and response.json() == []
    assert client.get("/v4/sports/baseball_mlb/odds", params=ODDS).json()


NBA_ODDS = "/v4/sports/basketball_nba/odds"
PROPS = {"apiKey": "k", "regions": "us", "markets": "h2h,player_points"}


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        (NBA_ODDS, {"regions": "us"}, 401, "MISSING_KEY"),
        ("/v4/sports/cricket_ipl/odds", {"apiKey": "k", "regions": "us"}, 404, "UNKNOWN_SPORT"),
        (NBA_ODDS, PROPS, 422, "INVALID_MARKET"),
        (NBA_ODDS, {"apiKey": "k"}, 422, "MISSING_REGION"),
        ("/v4/sports/basketball_nba/scores", {"apiKey": "k", "daysFrom": "9"}, 422, "INVALID_DAYS_FROM"),
    ],
)
def test_errors_have_the_documented_shape_and_cost_nothing(
    client: httpx.Client, path: str, params: dict[str, str], status: int, code: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"message", "error_code", "details_url"}
    assert body["error_code"] == code
    assert _quota(response)[1:] == (0, 0)


def test_the_monthly_quota_runs_out_and_resets(shared_world: SimWorld, clock: FixedClock) -> None:
    client = httpx.Client(transport=SimbookTransport(shared_world, clock, monthly_credits=7), base_url=BASE)
    assert client.get("/v4/sports/basketball_nba/odds", params=ODDS).status_code == 200
    refused = client.get("/v4/sports/basketball_nba/odds", params=ODDS)
    assert refused.status_code == 401 and refused.json()["error_code"] == "OUT_OF_USAGE_CREDITS"
    assert _quota(refused) == (1, 6, 0)
    clock.set(datetime(2025, 12, 1, 18, 0, tzinfo=UTC))
    assert _quota(client.get("/v4/sports/basketball_nba/odds", params=ODDS)) == (1, 6, 6)


def test_the_real_async_client_and_parsers_run_unchanged(shared_world: SimWorld, clock: FixedClock) -> None:
    async def collect() -> None:
        transport = SimbookTransport(shared_world, clock)
        async with httpx.AsyncClient(transport=transport) as http:
            api = oddsapi_client.OddsApiClient(http, "offline")
            odds = await api.odds(Sport.NFL, regions=("us", "eu"))
            quotes = oddsapi_parse.parse_odds(odds.payload, seen_at=clock(), odds_format="american")
            assert odds.quota.last == odds.cost_estimate == 6
            assert len({q.book for q in quotes}) == 7 and len({q.market for q in quotes}) == 3
            scores = await api.scores(Sport.NBA, days_from=3)
            finals = oddsapi_parse.parse_scores(scores.payload)
            assert finals and all(f.completed_at <= clock() for f in finals)
            games = oddsapi_parse.parse_events((await api.events(Sport.EPL)).payload)
            assert len(games) >= 10
            with pytest.raises(OddsApiError):
                await api.odds("golf_masters_tournament_winner")
            report = espn_parse.parse_injuries(
                await espn_client.fetch_injuries(http, Sport.NBA), seen_at=clock()
            )
            assert len(report) >= 10
            assert {r.status for r in report} <= {
                InjuryStatus.OUT,
                InjuryStatus.DOUBTFUL,
                InjuryStatus.QUESTIONABLE,
                InjuryStatus.DAY_TO_DAY,
            }
            assert all(r.espn_athlete_id and r.position and r.expected_return for r in report)
            broke = SimbookTransport(shared_world, clock, monthly_credits=2)
            async with httpx.AsyncClient(transport=broke) as poor:
                with pytest.raises(OutOfCredits):
                    await oddsapi_client.OddsApiClient(poor, "offline").odds(Sport.NBA)

    asyncio.run(collect())


def test_espn_injuries_follow_the_real_payload(client: httpx.Client) -> None:
    payload = client.get("https://site.api.espn.com/apis/site/v2/sports/football/nfl/injuries").json()
    assert set(payload) == {"timestamp", "status", "season", "injuries"}
    assert payload["season"]["type"] == 2 and payload["season"]["year"] == 2025
    team = payload["injuries"][0]
    assert set(team) == {"id", "displayName", "injuries"}
    entry = team["injuries"][0]
    assert set(entry) == {
        "id",
        "longComment",
        "shortComment",
        "status",
        "date",
        "athlete",
        "source",
        "type",
        "details",
    }
    assert set(entry["athlete"]) >= {"firstName", "lastName", "displayName", "links", "position", "team"}
    assert entry["athlete"]["team"]["uid"].startswith("s:20~l:28~t:")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\dZ$", entry["date"])
    assert entry["type"]["name"].startswith("INJURY_STATUS_")
    assert set(entry["details"]) >= {"fantasyStatus", "type", "location", "returnDate"}


def test_a_week_of_four_hourly_sweeps_serves_games_every_sweep() -> None:
    # Speed is measured in bench/bench_sim_collect.py; this checks what a sweep serves.
    clock = FixedClock(START)
    client = httpx.Client(
        transport=SimbookTransport(SimWorld(33), clock, monthly_credits=10**6), base_url=BASE
    )
    per_sweep = []
    for step in range(7 * 6):
        clock.set(START + timedelta(hours=4 * step))
        per_sweep.append(
            sum(len(client.get(f"/v4/sports/{sport.value}/odds", params=ODDS).json()) for sport in Sport)
        )
    assert min(per_sweep) > 0
    assert sum(per_sweep) > 1_000
