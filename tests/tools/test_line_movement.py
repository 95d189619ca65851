"""line_movement: the stored snapshots up to the clock, and the consensus a slow recount of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from core.errors import InvalidInput, NotFound
from core.odds import american_price
from services.collect import collect_odds
from services.demo import seed_demo
from store.db import unit_of_work
from store.tables import Game, OddsSnapshot, Team, table_of
from tests.conftest import NOW, make_settings
from tools.context import ToolContext, bind, open_context
from tools.line_movement import line_movement

LATER = NOW + timedelta(hours=2)  # the clock the tests read at: one collection is stamped after it


@pytest.fixture
def moving(any_engine: Engine, db_url: str) -> ToolContext:
    """The simulated book collected at NOW, two hours later and four hours later; the clock back at +2h."""
    clock = FixedClock(NOW)
    ctx = replace(open_context(settings=make_settings(db_url), engine=any_engine), clock=clock)
    seed_demo(ctx)
    with bind(ctx):
        for hours in (2, 4):
            clock.set(NOW + timedelta(hours=hours))
            collect_odds(ctx, source="sim")
    clock.set(LATER)
    return ctx


def _stored(ctx: ToolContext, game_id: str, market: str) -> list[dict[str, Any]]:
    snap = table_of(OddsSnapshot)
    with unit_of_work(ctx.engine) as session:
        rows = session.execute(
            sa.select(snap.c.book, snap.c.side, snap.c.price_decimal, snap.c.point, snap.c.seen_at).where(
                snap.c.game_id == game_id, snap.c.market == market
            )
        )
        return [dict(r._mapping) for r in rows]


def _games(ctx: ToolContext, sport_key: str) -> list[dict[str, Any]]:
    game, home, away = table_of(Game), table_of(Team).alias("home"), table_of(Team).alias("away")
    with unit_of_work(ctx.engine) as session:
        rows = session.execute(
            sa.select(game.c.id, game.c.commence_time, home.c.name.label("home"), away.c.name.label("away"))
            .join(home, home.c.id == game.c.home_team_id)
            .join(away, away.c.id == game.c.away_team_id)
            .where(game.c.sport_key == sport_key, game.c.commence_time >= LATER)
            .order_by(game.c.commence_time, game.c.id)
        )
        return [dict(r._mapping) for r in rows]


def _slow_consensus(rows: list[dict[str, Any]], at: datetime) -> float:
    """Home's moneyline consensus as of ``at``: each book's newest line, devigged, the sharp book twice."""
    newest: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["seen_at"] <= at:
            newest.setdefault(r["book"], {}).setdefault(r["seen_at"], {})[r["side"]] = r["price_decimal"]
    fair, weights = [], []
    for book, by_time in newest.items():
        line = by_time[max(t for t, sides in by_time.items() if {"home", "away"} <= set(sides))]
        implied = {s: 1.0 / line[s] for s in ("home", "away")}
        fair.append(implied["home"] / sum(implied.values()))
        weights.append(2.0 if book == "pinnacle" else 1.0)
    return sum(f * w for f, w in zip(fair, weights, strict=True)) / sum(weights)


def test_the_series_are_the_stored_snapshots_up_to_the_clock(moving: ToolContext) -> None:
    game = _games(moving, "basketball_nba")[0]
    with bind(moving):
        move = line_movement(game_id=game["id"])
    rows = _stored(moving, game["id"], "h2h")
    assert any(r["seen_at"] > LATER for r in rows)  # a later collection is stored, and must not show
    visible = [r for r in rows if r["seen_at"] <= LATER]
    expected: dict[datetime, dict[str, dict[str, tuple[int, float, float | None]]]] = defaultdict(dict)
    for r in visible:
        prices = (american_price(r["price_decimal"]), round(r["price_decimal"], 4), r["point"])
        expected[r["seen_at"]].setdefault(r["book"], {})[r["side"]] = prices
    assert (move.game_id, move.market, move.sides, move.as_of) == (game["id"], "h2h", ["home", "away"], LATER)
    assert move.matchup == f"{game['away']} @ {game['home']}"
    assert [s.seen_at for s in move.snapshots] == sorted(expected)
    assert len({s.seen_at for s in move.snapshots}) >= 3  # the line has a history
    for snapshot in move.snapshots:
        shown = {
            q.book: {p.side: (p.odds_american, p.odds_decimal, p.point) for p in q.sides}
            for q in snapshot.quotes
        }
        assert shown == expected[snapshot.seen_at]
        assert [q.book for q in snapshot.quotes] == sorted(shown)
        assert snapshot.consensus_probability == pytest.approx(
            _slow_consensus(visible, snapshot.seen_at), abs=5e-5
        )
    consensus = [s.consensus_probability for s in move.snapshots]
    assert (move.consensus_opening, move.consensus_latest) == (consensus[0], consensus[-1])
    assert move.consensus_move == pytest.approx(consensus[-1] - consensus[0], abs=1e-4)


def test_each_books_opening_and_latest_are_its_first_and_last_snapshot(moving: ToolContext) -> None:
    game = _games(moving, "icehockey_nhl")[0]
    with bind(moving):
        move = line_movement(game_id=game["id"], market="totals")
    rows = [r for r in _stored(moving, game["id"], "totals") if r["seen_at"] <= LATER]
    assert move.sides == ["over", "under"] and move.books
    assert {b.book for b in move.books} == {r["book"] for r in rows}
    for book in move.books:
        mine = sorted((r for r in rows if r["book"] == book.book), key=lambda r: (r["seen_at"], r["side"]))
        first, last = mine[0]["seen_at"], mine[-1]["seen_at"]
        assert (book.opening_at, book.latest_at) == (first, last)
        assert book.snapshots == len({r["seen_at"] for r in mine})
        for moment, prices in ((first, book.opening), (last, book.latest)):
            stored = {r["side"]: (r["price_decimal"], r["point"]) for r in mine if r["seen_at"] == moment}
            assert {p.side: (p.odds_american, p.point) for p in prices} == {
                side: (american_price(price), point) for side, (price, point) in stored.items()
            }


def test_a_team_finds_its_next_game(moving: ToolContext) -> None:
    games = _games(moving, "basketball_nba")
    game = games[0]
    nickname = game["home"].split()[-1]  # "Philadelphia 76ers" -> "76ers": an alias of the catalog
    soonest = next(g for g in games if game["home"] in (g["home"], g["away"]))
    with bind(moving):
        by_name = line_movement(team=nickname.lower(), market="spreads")
        by_away = line_movement(team=game["away"])
        by_id = line_movement(game_id=game["id"], market="spreads", team="not a team: the id wins")
    assert by_name.game_id == soonest["id"] and by_name.market == "spreads"
    assert by_away.game_id == next(g["id"] for g in games if game["away"] in (g["home"], g["away"]))
    assert by_id.game_id == game["id"]


def test_bad_arguments_are_refused(moving: ToolContext) -> None:
    game = _games(moving, "basketball_nba")[0]
    with bind(moving):
        with pytest.raises(NotFound, match="no game 'nope'"):
            line_movement(game_id="nope")
        with pytest.raises(InvalidInput, match="market must be h2h, spreads or totals"):
            line_movement(game_id=game["id"], market="props")
        with pytest.raises(InvalidInput, match="name the game"):
            line_movement()
        with pytest.raises(InvalidInput, match="unknown team"):
            line_movement(team="Springfield Isotopes")
    clock = moving.clock
    assert isinstance(clock, FixedClock)
    clock.set(NOW + timedelta(days=365))  # long after the simulated slate
    with bind(moving), pytest.raises(NotFound, match=f"no game of {game['home']} in the next 7 days"):
        line_movement(team=game["home"])


def test_a_game_before_its_first_snapshot_has_no_history(moving: ToolContext) -> None:
    game = _games(moving, "basketball_nba")[0]
    clock = moving.clock
    assert isinstance(clock, FixedClock)
    clock.set(NOW - timedelta(days=1))
    with bind(moving):
        move = line_movement(game_id=game["id"])
    assert move.snapshots == [] and move.books == [] and move.consensus_move is None
