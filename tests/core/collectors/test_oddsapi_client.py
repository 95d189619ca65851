"""Contract: every real Odds API payload replayed through OddsApiClient (fetch) and the parsers.

A MockTransport plays the provider: it checks the path and query the client sent (with
``apiKey`` filtered out, as a cassette would store them), answers with the real file's bytes
and the quota headers, and records every request.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import httpx
import numpy as np
import pytest

from core.collectors.oddsapi_client import ApiResponse, OddsApiClient, Quota, estimate_cost, scores_cost
from core.collectors.oddsapi_parse import parse_events, parse_odds, parse_scores, parse_sports
from core.errors import InvalidInput
from core.odds import decimal_to_american
from core.sports import Sport
from tests.core.collectors.support import API_KEY, QUOTA_HEADERS, FakeSleep, Recorder, mock_transport

T = TypeVar("T")
FETCHED_AT = datetime(2030, 1, 1, tzinfo=UTC)


def run_with_client(
    handler: Callable[[httpx.Request], httpx.Response],
    call: Callable[[OddsApiClient], Awaitable[T]],
    **client_options: Any,
) -> tuple[T, Recorder, OddsApiClient]:
    """Open a client on a mock transport, run one call, close everything."""
    transport, recorder = mock_transport(handler)
    holder: list[OddsApiClient] = []

    async def scenario() -> T:
        async with httpx.AsyncClient(transport=transport) as http:
            client = OddsApiClient(
                http, API_KEY, sleep=FakeSleep(), rng=np.random.default_rng(7), **client_options
            )
            holder.append(client)
            return await call(client)

    result = asyncio.run(scenario())
    return result, recorder, holder[0]


def replay(path: Path, *, headers: dict[str, str] | None = None) -> Callable[[httpx.Request], httpx.Response]:
    body = path.read_bytes()
    return lambda request: httpx.Response(200, content=body, headers=headers or QUOTA_HEADERS)


# --- one test per real file: fetch + parse -----------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "sport", "markets", "extra", "expected_quotes"),
    [
        (
            "v4_odds_americanfootball_nfl_h2h_spreads_totals_us_decimal_iso.json",
            Sport.NFL,
            ("h2h", "spreads", "totals"),
            {"regions": "us", "dateFormat": "iso"},
            920,
        ),
        (
            "v4_odds_americanfootball_nfl_spreads_totals_unix.json",
            Sport.NFL,
            ("spreads", "totals"),
            {"bookmakers": "williamhill_us", "dateFormat": "unix"},
            60,
        ),
        (
            "v4_odds_basketball_nba_h2h_spreads_totals_fanduel_iso.json",
            Sport.NBA,
            ("h2h", "spreads", "totals"),
            {"bookmakers": "fanduel", "dateFormat": "iso"},
            72,
        ),
        (
            "v4_odds_icehockey_nhl_fanduel_iso.json",
            Sport.NHL,
            ("h2h", "spreads", "totals"),
            {"bookmakers": "fanduel", "dateFormat": "iso"},
            24,
        ),
        (
            "v4_odds_soccer_epl_h2h_h2hlay_eu_uk.json",
            Sport.EPL,
            ("h2h", "h2h_lay"),
            {"regions": "eu,uk", "dateFormat": "iso"},
            930,
        ),
    ],
)
def test_odds_files_replay_through_fetch_and_parse(
    oddsapi_dir: Path,
    filename: str,
    sport: Sport,
    markets: tuple[str, ...],
    extra: dict[str, str],
    expected_quotes: int,
) -> None:
    bookmakers = extra["bookmakers"].split(",") if "bookmakers" in extra else None
    regions = tuple(extra["regions"].split(",")) if "regions" in extra else ("us",)
    date_format = extra["dateFormat"]

    response, recorder, _ = run_with_client(
        replay(oddsapi_dir / filename),
        lambda c: c.odds(
            sport,
            regions=regions,
            markets=markets,
            odds_format="decimal",
            bookmakers=bookmakers,
            date_format=date_format,  # type: ignore[arg-type]
        ),
    )
    assert recorder.calls == 1
    request = recorder.requests[0]
    assert request.url.host == "api.the-odds-api.com"
    assert request.url.path == f"/v4/sports/{sport.value}/odds"
    assert recorder.sent_key() == API_KEY
    assert recorder.params() == {"markets": ",".join(markets), "oddsFormat": "decimal", **extra}

    assert response.quota == Quota(remaining=497, used=3, last=3)
    assert response.cost_estimate == estimate_cost(markets, regions, bookmakers)
    assert response.odds_format == "decimal"
    assert response.payload == json.loads((oddsapi_dir / filename).read_text())
    quotes = parse_odds(response.payload, seen_at=FETCHED_AT, odds_format=response.odds_format)
    assert len(quotes) == expected_quotes


def test_american_odds_replay(oddsapi_dir: Path) -> None:
    """LABELLED TRANSFORMATION: the real NBA FanDuel payload with every price rewritten as the
    integer American price (the shared data has no American-format response)."""
    payload = json.loads(
        (oddsapi_dir / "v4_odds_basketball_nba_h2h_spreads_totals_fanduel_iso.json").read_text()
    )
    american = copy.deepcopy(payload)
    for event in american:
        for book in event["bookmakers"]:
            for market in book["markets"]:
                for outcome in market["outcomes"]:
                    outcome["price"] = round(decimal_to_american(outcome["price"]))
    body = json.dumps(american).encode()

    response, recorder, _ = run_with_client(
        lambda request: httpx.Response(200, content=body, headers=QUOTA_HEADERS),
        lambda c: c.odds(Sport.NBA),  # the client's defaults: us, 3 markets, american
    )
    assert recorder.params() == {
        "markets": "h2h,spreads,totals",
        "oddsFormat": "american",
        "regions": "us",
        "dateFormat": "iso",
    }
    assert response.odds_format == "american"
    assert response.cost_estimate == 3
    quotes = parse_odds(response.payload, seen_at=FETCHED_AT, odds_format=response.odds_format)
    reference = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert [q.price_decimal for q in quotes] == pytest.approx([q.price_decimal for q in reference], abs=0.006)


@pytest.mark.parametrize(
    ("filename", "days_from", "date_format", "finals", "events"),
    [
        ("v4_scores_americanfootball_nfl_mixed_unix.json", 3, "unix", 1, 27),
        ("v4_scores_americanfootball_nfl_upcoming_iso.json", None, "iso", 0, 31),
    ],
)
def test_scores_files_replay_through_fetch_and_parse(
    oddsapi_dir: Path, filename: str, days_from: int | None, date_format: str, finals: int, events: int
) -> None:
    headers = {
        "x-requests-remaining": "480",
        "x-requests-used": "20",
        "x-requests-last": str(scores_cost(days_from)),
    }
    response, recorder, _ = run_with_client(
        replay(oddsapi_dir / filename, headers=headers),
        lambda c: c.scores(Sport.NFL, days_from=days_from, date_format=date_format),  # type: ignore[arg-type]
    )
    assert recorder.requests[0].url.path == "/v4/sports/americanfootball_nfl/scores"
    expected_params = {"dateFormat": date_format} | ({"daysFrom": str(days_from)} if days_from else {})
    assert recorder.params() == expected_params
    assert response.cost_estimate == (2 if days_from else 1)
    assert response.quota == Quota(remaining=480, used=20, last=response.cost_estimate)
    assert len(parse_scores(response.payload)) == finals
    assert len(parse_events(response.payload)) == events


def test_sports_list_replays_and_costs_nothing(oddsapi_dir: Path) -> None:
    headers = {"x-requests-remaining": "500", "x-requests-used": "0", "x-requests-last": "0"}
    response, recorder, _ = run_with_client(
        replay(oddsapi_dir / "v4_sports_list.json", headers=headers), lambda c: c.sports()
    )
    assert recorder.requests[0].url.path == "/v4/sports"
    assert recorder.params() == {}
    assert response.cost_estimate == 0
    assert response.quota == Quota(remaining=500, used=0, last=0)  # a zero is a value, not "missing"
    assert len(parse_sports(response.payload)) == 59


def test_events_endpoint_replays_an_odds_payload_as_event_metadata(oddsapi_dir: Path) -> None:
    """/events returns the odds shape without bookmakers: the EPL odds file minus its books."""
    events = json.loads((oddsapi_dir / "v4_odds_soccer_epl_h2h_h2hlay_eu_uk.json").read_text())
    for event in events:
        del event["bookmakers"]  # labelled transformation: /odds → /events shape
    body = json.dumps(events).encode()
    start = datetime(2024, 10, 19, 7, 30, tzinfo=timezone(timedelta(hours=-4)))  # 11:30Z
    response, recorder, _ = run_with_client(
        lambda request: httpx.Response(200, content=body, headers={"x-requests-last": "0"}),
        lambda c: c.events(Sport.EPL, commence_from=start, commence_to=start + timedelta(days=9)),
    )
    assert recorder.params() == {
        "dateFormat": "iso",
        "commenceTimeFrom": "2024-10-19T11:30:00Z",
        "commenceTimeTo": "2024-10-28T11:30:00Z",
    }
    assert response.cost_estimate == 0
    assert response.quota == Quota(remaining=None, used=None, last=0)
    assert len(parse_events(response.payload)) == 20


# --- request building ---------------------------------------------------------------------------


def test_bookmakers_replace_regions_and_are_billed_per_ten() -> None:
    books = [f"book{i}" for i in range(11)]
    response, recorder, _ = run_with_client(
        lambda request: httpx.Response(200, json=[]),
        lambda c: c.odds("basketball_nba", bookmakers=books, regions=("us", "eu")),
    )
    assert "regions" not in recorder.params()
    assert recorder.params()["bookmakers"] == ",".join(books)
    assert response.cost_estimate == 3 * 2
    assert response.quota == Quota(None, None, None)


@pytest.mark.parametrize(
    ("markets", "regions", "bookmakers", "cost"),
    [
        (["h2h", "spreads", "totals"], ["us"], None, 3),
        (["h2h", "spreads", "totals"], ["us", "uk"], None, 6),
        (["h2h", "spreads", "totals"], ["us", "eu"], None, 6),
        (["h2h"], ["us"], None, 1),
        (["h2h", "h2h"], ["us", "us"], None, 1),
        (["h2h", "totals"], ["us"], ["pinnacle"], 2),
        (["h2h", "totals"], ["us"], [f"b{i}" for i in range(10)], 2),
        (["h2h", "totals"], ["us"], [f"b{i}" for i in range(21)], 6),
    ],
)
def test_estimate_cost(
    markets: list[str], regions: list[str], bookmakers: list[str] | None, cost: int
) -> None:
    assert estimate_cost(markets, regions, bookmakers) == cost


def test_estimate_cost_rejects_nothing_to_price() -> None:
    with pytest.raises(InvalidInput, match="markets"):
        estimate_cost([], ["us"])
    with pytest.raises(InvalidInput, match="regions"):
        estimate_cost(["h2h"], [])


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.odds("basketball_nba/../../v4/sports"),
        lambda c: c.odds(""),
        lambda c: c.odds(Sport.NBA, odds_format="fractional"),
        lambda c: c.odds(Sport.NBA, markets=()),
        lambda c: c.odds(Sport.NBA, date_format="rfc"),
        lambda c: c.odds(Sport.NBA, commence_from=datetime(2025, 1, 1)),
        lambda c: c.scores(Sport.NBA, days_from=4),
        lambda c: c.scores(Sport.NBA, days_from=0),
    ],
)
def test_bad_arguments_fail_before_any_request(
    call: Callable[[OddsApiClient], Awaitable[ApiResponse]],
) -> None:
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    with pytest.raises(InvalidInput):
        run_with_client(never, call)


def test_quota_headers_tolerate_odd_values() -> None:
    assert Quota.from_headers({"x-requests-remaining": "12.0", "x-requests-used": "x"}) == Quota(
        12, None, None
    )


def test_a_custom_base_url_is_used() -> None:
    _, recorder, _ = run_with_client(
        lambda request: httpx.Response(200, json=[]),
        lambda c: c.sports(include_inactive=True),
        base_url="https://ipv6-api.the-odds-api.com/",
    )
    assert str(recorder.requests[0].url).startswith("https://ipv6-api.the-odds-api.com/v4/sports?")
    assert recorder.params() == {"all": "true"}
