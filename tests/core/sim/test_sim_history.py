"""sim_history: the bulk path stores exactly what collecting the simulated book would have stored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from core.collectors.oddsapi_parse import parse_odds
from core.collectors.simbook import SimbookTransport
from core.errors import InvalidInput
from core.importers.base import HistoricalGame
from core.quotes import OddsQuote
from core.sim import SimWorld
from core.sim.history import sim_history
from core.sim.world import season_of
from core.sports import Market, Sport
from core.teams import canonical_team
from services.collect import collect_odds, collect_scores
from services.feeds import ODDS_MARKETS, SIM_REGIONS
from services.setup import prepare_database
from store.db import unit_of_work
from store.history import save_history
from store.tables import ClosingLine, Game, OddsSnapshot, Outcome, Team, table_of
from tests.conftest import make_settings
from tools.context import bind, open_context

SEED = 7  # the settings' default sim_seed: the live path below serves this world
ALL_MARKETS = (Market.H2H, Market.SPREADS, Market.TOTALS)
QuoteKey = tuple[str, str, str, str, float | None, float, datetime]


@pytest.fixture(scope="module")
def world() -> SimWorld:
    return SimWorld(SEED)


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _moments(world: SimWorld, game_id: str) -> tuple[datetime, datetime]:
    """The game's opening and closing grid points (when the live path would collect)."""
    truth = world.truth(game_id)
    league = world.season(truth.sport, truth.season)
    i = league.index[game_id]
    grid_start, market = int(league.market.grid_start[i]), league.market
    return (
        _utc(grid_start + 3600 * int(market.k_open[i])),
        _utc(grid_start + 3600 * int(market.k_close[i])),
    )


def _keys(quotes: Iterable[OddsQuote]) -> list[QuoteKey]:
    return [
        (q.game.id, q.book, q.market.value, q.side.value, q.point, q.price_decimal, q.seen_at) for q in quotes
    ]


# --- equality with the live parse, game by game --------------------------------------------------

# (sport, first, days, playoffs): postseason games are announced late, so their lines open late.
WINDOWS = [
    (Sport.NBA, datetime(2025, 1, 15, tzinfo=UTC), 2, False),
    (Sport.NBA, datetime(2025, 5, 1, tzinfo=UTC), 3, True),
    (Sport.NFL, datetime(2024, 11, 10, tzinfo=UTC), 2, False),
    (Sport.MLB, datetime(2024, 7, 10, tzinfo=UTC), 2, False),
    (Sport.MLB, datetime(2024, 10, 5, tzinfo=UTC), 3, True),
    (Sport.NHL, datetime(2025, 1, 15, tzinfo=UTC), 2, False),
    (Sport.EPL, datetime(2024, 12, 26, tzinfo=UTC), 3, False),  # draws, Asian lines
]


@pytest.mark.parametrize(
    ("sport", "first", "days", "playoffs"),
    WINDOWS,
    ids=[f"{s.short}-{f:%Y-%m-%d}" for s, f, _, _ in WINDOWS],
)
def test_quotes_equal_the_parsed_book_at_each_games_open_and_close(
    world: SimWorld, sport: Sport, first: datetime, days: int, playoffs: bool
) -> None:
    last = first + timedelta(days=days)
    history = sim_history(world, sport, first, last)
    assert history
    clock = FixedClock(first)
    parsed: dict[datetime, list[OddsQuote]] = {}
    params = {
        "apiKey": "k",
        "regions": ",".join(SIM_REGIONS),
        "markets": ",".join(ODDS_MARKETS),
        "oddsFormat": "american",  # what collect_odds asks for
    }
    with httpx.Client(transport=SimbookTransport(world, clock), base_url="https://sim") as http:
        for item in history:
            for moment in _moments(world, item.game.id):
                if moment not in parsed:
                    clock.set(moment)
                    payload = http.get(f"/v4/sports/{sport.value}/odds", params=params).json()
                    parsed[moment] = parse_odds(payload, seen_at=moment, odds_format="american")
    late_openers = 0
    for item in history:
        opening, closing = _moments(world, item.game.id)
        league = world.season(sport, world.truth(item.game.id).season)
        late_openers += int(league.market.k_open[league.index[item.game.id]]) > 0
        live = {
            key
            for moment in (opening, closing)
            for key in _keys(q for q in parsed[moment] if q.game == item.game)
        }
        mine = _keys(item.quotes)
        assert len(mine) == len(set(mine))
        assert set(mine) == live
    assert (late_openers > 0) is playoffs


# --- equality with the store, through the collectors ---------------------------------------------


def _shared_moment_games(
    world: SimWorld, sport: Sport, day: datetime
) -> tuple[list[str], datetime, datetime]:
    """The largest set of games starting on ``day`` that share both collection moments."""
    groups: dict[tuple[datetime, datetime], list[str]] = {}
    season = season_of(sport, day.date())
    assert season is not None
    for event in world.season_games(sport, season):
        if day <= event.commence_time < day + timedelta(days=1):
            groups.setdefault(_moments(world, event.id), []).append(event.id)
    (opening, closing), ids = max(groups.items(), key=lambda item: len(item[1]))
    return ids, opening, closing


def _rows(engine: Engine, game_ids: list[str]) -> dict[str, set[tuple[Any, ...]]]:
    snap, close, outcome = table_of(OddsSnapshot), table_of(ClosingLine), table_of(Outcome)
    game, team = table_of(Game), table_of(Team)
    home, away = team.alias("home"), team.alias("away")
    quote_columns = ("game_id", "book", "market", "side", "point", "price_decimal", "seen_at")
    with unit_of_work(engine) as session:
        return {
            "snapshots": set(
                session.execute(
                    sa.select(*(snap.c[c] for c in quote_columns), snap.c.latest).where(
                        snap.c.game_id.in_(game_ids)
                    )
                ).all()
            ),
            "closing": set(
                session.execute(
                    sa.select(*(close.c[c] for c in quote_columns)).where(close.c.game_id.in_(game_ids))
                ).all()
            ),
            # The outcome's source is left out: save_history writes "import" for every file it stores.
            "outcomes": set(
                session.execute(
                    sa.select(outcome.c.game_id, outcome.c.home_score, outcome.c.away_score,
                              outcome.c.completed_at)
                    .where(outcome.c.game_id.in_(game_ids))
                ).all()
            ),
            "games": set(
                session.execute(
                    sa.select(game.c.id, game.c.sport_key, game.c.commence_time, home.c.name, away.c.name,
                              game.c.completed, game.c.source)
                    .join(home, home.c.id == game.c.home_team_id)
                    .join(away, away.c.id == game.c.away_team_id)
                    .where(game.c.id.in_(game_ids))
                ).all()
            ),
        }  # fmt: skip


@pytest.mark.parametrize(
    ("sport", "day"),
    [(Sport.NBA, datetime(2025, 1, 15, tzinfo=UTC)), (Sport.EPL, datetime(2024, 12, 21, tzinfo=UTC))],
    ids=["nba", "epl"],
)
def test_stored_history_equals_what_the_collectors_store(
    world: SimWorld, tmp_path: Path, sport: Sport, day: datetime
) -> None:
    ids, opening, closing = _shared_moment_games(world, sport, day)
    assert len(ids) >= 2
    finished = max(world.truth(i).end_time for i in ids)

    live_url = f"sqlite:///{(tmp_path / 'live.db').as_posix()}"
    settings = make_settings(live_url)
    assert settings.sim_seed == SEED
    live = prepare_database(settings)
    clock = FixedClock(opening)
    ctx = replace(open_context(settings=settings, engine=live), clock=clock)
    with bind(ctx):
        collect_odds(ctx, sport=sport.value, source="sim")
        clock.set(closing)
        collect_odds(ctx, sport=sport.value, source="sim")
        clock.set(finished + timedelta(minutes=1))
        collect_scores(ctx, sport=sport.value, source="sim")

    bulk_url = f"sqlite:///{(tmp_path / 'bulk.db').as_posix()}"
    bulk = prepare_database(make_settings(bulk_url))
    history = sim_history(world, sport, day, finished + timedelta(minutes=1))
    assert set(ids) <= {item.game.id for item in history}
    with unit_of_work(bulk) as session:
        save_history(session=session, games=history)

    expected, got = _rows(live, ids), _rows(bulk, ids)
    for table in ("snapshots", "closing", "outcomes", "games"):
        assert expected[table], table
        assert got[table] == expected[table], table
    books = {row[1] for row in got["snapshots"]}
    assert len(books) == 8
    assert {row[-1] for row in got["snapshots"]} == {True, False}  # the close is the latest
    live.dispose()
    bulk.dispose()


# --- which games, and what each carries ----------------------------------------------------------


def test_every_game_finished_by_last_appears_once_with_books_and_a_score(world: SimWorld) -> None:
    first = datetime(2025, 1, 10, tzinfo=UTC)
    last = datetime(2025, 1, 17, 2, 30, tzinfo=UTC)  # an NBA evening: some games still in play
    history = sim_history(world, Sport.NBA, first, last)
    league = world.season(Sport.NBA, 2024)
    window = [i for i in range(len(league)) if first.timestamp() <= league.commence[i] < last.timestamp()]
    expected = {league.ids[i] for i in window if league.end[i] <= last.timestamp()}
    in_play = {league.ids[i] for i in window if league.end[i] > last.timestamp()}
    assert in_play  # the cut at ``last`` is exercised
    ids = [item.game.id for item in history]
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    assert [item.game.commence_time for item in history] == sorted(
        item.game.commence_time for item in history
    )
    for item in history:
        truth = world.truth(item.game.id)
        assert item.source == "sim"
        assert item.season == "2024-25"
        assert item.game.commence_time == truth.commence_time
        assert item.score is not None
        assert (item.score.home_score, item.score.away_score) == (truth.home_score, truth.away_score)
        assert item.score.completed_at == truth.end_time <= last
        opening, closing = _moments(world, item.game.id)
        assert all(opening <= q.seen_at <= closing < item.game.commence_time for q in item.quotes)
        books = {m: {q.book for q in item.quotes if q.market is m} for m in ALL_MARKETS}
        assert all(len(b) >= 2 for b in books.values())
        assert any(q.seen_at == opening for q in item.quotes)
        assert max(q.seen_at for q in item.quotes) > opening  # the close is there too


def test_markets_can_be_narrowed_and_inputs_are_checked(world: SimWorld) -> None:
    first, last = datetime(2024, 12, 26, tzinfo=UTC), datetime(2024, 12, 28, tzinfo=UTC)
    h2h = sim_history(world, Sport.EPL, first, last, markets=(Market.H2H,))
    assert h2h
    assert {q.market for item in h2h for q in item.quotes} == {Market.H2H}
    assert all(len(item.quotes) % 3 == 0 for item in h2h)  # home, away, draw
    assert sim_history(world, Sport.EPL, last, first) == []
    with pytest.raises(InvalidInput):
        sim_history(world, Sport.EPL, first.replace(tzinfo=None), last)
    with pytest.raises(InvalidInput):
        sim_history(world, Sport.EPL, first, last, markets=())


def test_a_year_of_five_leagues(world: SimWorld) -> None:
    first = datetime(2024, 9, 1, tzinfo=UTC)
    last = first + timedelta(days=365)
    games: list[HistoricalGame] = []
    for sport in Sport:
        found = sim_history(world, sport, first, last)
        assert len(found) > 250, sport
        games.extend(found)
    assert len({item.game.id for item in games}) == len(games)
    per_sport = Counter(item.game.sport for item in games)
    assert set(per_sport) == set(Sport)
    quotes = np.array([len(item.quotes) for item in games])
    assert quotes.min() > 0
    for item in games:
        assert canonical_team(item.game.sport, item.game.home_team) == item.game.home_team
        assert canonical_team(item.game.sport, item.game.away_team) == item.game.away_team
