"""Collection end to end: real Odds API payloads through fetch, parse and the store, on both databases.

The payloads come from ../shared/data at test time. The Odds API's NBA file is in decimal odds;
when the client asks for American odds the mock transport converts each price with
``decimal_to_american`` (a labelled transformation of the real payload).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.odds import decimal_to_american
from services import collect as collect_service
from services.collect import collect_closing, collect_odds, collect_scores
from store.db import unit_of_work
from store.odds import count_rows
from store.tables import CollectorRun, Outcome, TeamOutcome
from tests.conftest import make_settings
from tools.context import ToolContext, bind, open_context

KEY = "test-key-3f9a"
BEFORE_TIPOFF = datetime(2023, 11, 6, 12, 0, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


def _american(payload: Any) -> Any:
    """The real decimal payload with every price turned into American odds, as the API would send them."""
    events = json.loads(json.dumps(payload))
    for event in events:
        for book in event["bookmakers"]:
            for market in book["markets"]:
                for outcome in market["outcomes"]:
                    outcome["price"] = round(decimal_to_american(outcome["price"]))
    return events


def _served(shared: Path, remaining: list[int]) -> Handler:
    nba = json.loads(
        (shared / "oddsapi" / "v4_odds_basketball_nba_h2h_spreads_totals_fanduel_iso.json").read_text()
    )
    scores = json.loads((shared / "oddsapi" / "v4_scores_americanfootball_nfl_mixed_unix.json").read_text())

    def handle(request: httpx.Request) -> httpx.Response:
        assert request.url.params["apiKey"] == KEY
        path = request.url.path
        if path.endswith("/odds"):
            cost, body = 3, (_american(nba) if request.url.params["oddsFormat"] == "american" else nba)
            if not path.startswith("/v4/sports/basketball_nba/"):
                body = []
        elif path.endswith("/scores"):
            cost, body = 2, (scores if path.startswith("/v4/sports/americanfootball_nfl/") else [])
        else:
            return httpx.Response(404, json={"message": "Unknown sport", "error_code": "UNKNOWN_SPORT"})
        remaining[0] -= cost
        headers = {"x-requests-remaining": str(remaining[0]), "x-requests-used": str(500 - remaining[0]),
                   "x-requests-last": str(cost)}  # fmt: skip
        return httpx.Response(200, json=body, headers=headers)

    return handle


def _ctx(engine: Engine, url: str, handler: Handler, **settings: object) -> ToolContext:
    config = make_settings(url, **{"ODDS_API_KEY": KEY, "BENNY_NOW": BEFORE_TIPOFF.isoformat(), **settings})
    ctx = open_context(settings=config, engine=engine)
    return replace(ctx, transport=httpx.MockTransport(handler), sleep=_no_wait)


async def _no_wait(_seconds: float) -> None:
    return None


@pytest.fixture
def live(any_engine: Engine, db_url: str, shared_data: Path) -> ToolContext:
    return _ctx(any_engine, db_url, _served(shared_data, [500]))


def test_collecting_the_same_odds_twice_changes_no_row_count(live: ToolContext) -> None:
    with bind(live):
        first = collect_odds(live, sport="nba")
        with unit_of_work(live.engine) as session:
            after_first = count_rows(session=session)
        second = collect_odds(live, sport="nba")
        with unit_of_work(live.engine) as session:
            after_second = count_rows(session=session)
    assert first.runs[0].status == "ok"
    assert (first.runs[0].games, first.runs[0].snapshots) == (12, after_first["snapshots"])
    assert after_first["snapshots"] > 12 * 6 - 10
    assert (second.runs[0].games, second.runs[0].snapshots) == (0, 0)
    assert after_first == after_second
    assert second.runs[0].credits_remaining == 494


def test_a_result_is_stored_once_and_graded_once(live: ToolContext, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def verify(_session: Any, scores: Any) -> None:
        seen.extend(s.game.id for s in scores)

    monkeypatch.setattr(collect_service, "verify_new_results", verify)
    with bind(live):
        first = collect_scores(live, sport="nfl")
        second = collect_scores(live, sport="nfl")
    assert [r.results for r in first.runs] == [1]
    assert [r.results for r in second.runs] == [0]
    assert len(seen) == 1
    with unit_of_work(live.engine) as session:
        assert len(session.exec(select(Outcome)).all()) == 1
        assert len(session.exec(select(TeamOutcome)).all()) == 2


def test_a_failed_call_writes_nothing_but_its_run(any_engine: Engine, db_url: str) -> None:
    def broken(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="upstream exploded")

    ctx = _ctx(any_engine, db_url, broken)
    with bind(ctx):
        summary = collect_odds(ctx, sport="nba")
    run = summary.runs[0]
    assert run.status == "failed"
    assert KEY not in run.message
    with unit_of_work(any_engine) as session:
        assert count_rows(session=session)["snapshots"] == 0
        runs = session.exec(select(CollectorRun)).all()
    assert [(r.status, r.kind) for r in runs] == [("failed", "odds")]
    assert runs[0].error and KEY not in runs[0].error


def test_out_of_credits_stops_paid_calls_until_the_reset(any_engine: Engine, db_url: str) -> None:
    def spent(_request: httpx.Request) -> httpx.Response:
        body = {"message": "Usage quota has been reached.", "error_code": "OUT_OF_USAGE_CREDITS"}
        return httpx.Response(401, json=body, headers={"x-requests-remaining": "0", "x-requests-used": "500"})

    ctx = _ctx(any_engine, db_url, spent)
    with bind(ctx):
        first = collect_odds(ctx)
        again = collect_odds(ctx, sport="nhl")
    assert [r.status for r in first.runs] == ["failed"]  # the other four sports are not even tried
    assert "quota resets" in first.runs[0].message
    assert again.runs[0].status == "skipped"
    assert "0 left this period" in again.runs[0].message


def test_the_budget_skips_sweeps_and_says_why(any_engine: Engine, db_url: str, shared_data: Path) -> None:
    ctx = _ctx(any_engine, db_url, _served(shared_data, [500]), ODDS_API_MONTHLY_BUDGET="4")
    with bind(ctx):
        summary = collect_odds(ctx, sport="nba")
    assert summary.runs[0].status == "skipped"
    assert "kept for closing lines" in summary.runs[0].message or "pace" in summary.runs[0].message


def test_closing_captures_come_before_sweeps_in_the_budget(
    any_engine: Engine, db_url: str, shared_data: Path
) -> None:
    from store.tables import Prediction

    run = _ctx(any_engine, db_url, _served(shared_data, [500]))
    collect_odds(run, sport="nba")  # the morning sweep stores the night's games (3 credits used)
    near_tipoff = datetime(2023, 11, 6, 23, 30, tzinfo=UTC)  # the first games start at 00:10
    with unit_of_work(any_engine) as session:
        session.add(
            Prediction(
                game_id="88b6c95aa5c16857922d78700d0a11fa",  # Mavericks at Magic, 00:10
                sport_key="basketball_nba",
                model="consensus",
                market="h2h",
                side="home",
                probability=0.52,
                confidence=0.52,
                as_of=near_tipoff,
            )
        )
    # A budget of 10 this period: 7 left, and an even pace allows only 2 by the 6th.
    tight = _ctx(
        any_engine,
        db_url,
        _served(shared_data, [497]),
        ODDS_API_MONTHLY_BUDGET="10",
        BENNY_NOW=near_tipoff.isoformat(),
    )
    with bind(tight):
        sweep = collect_odds(tight, sport="nba")
        closing = collect_closing(tight)
    assert sweep.runs[0].status == "skipped" and "pace" in sweep.runs[0].message
    assert [(r.sport, r.status, r.games) for r in closing.runs] == [("nba", "ok", 1)]
    assert closing.runs[0].credits_used == 3  # the call was paid for (the prices had not moved since morning)
