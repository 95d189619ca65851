"""SimWorld: deterministic, seeded, and nothing after ``as_of`` leaks into what it serves."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from core.errors import InvalidInput, NotFound
from core.sim import SimWorld
from core.sim.quoting import book_views, grid_index
from core.sports import Market, Sport

MID_SEASON = datetime(2025, 11, 20, 18, 0, tzinfo=UTC)  # NBA, NFL, NHL and EPL in season
JULY = datetime(2025, 7, 10, 18, 0, tzinfo=UTC)  # only MLB plays
ALL_MARKETS = (Market.H2H, Market.SPREADS, Market.TOTALS)


@pytest.fixture(scope="module")
def world() -> SimWorld:
    return SimWorld(7)


def test_same_seed_same_answers_different_seed_different_prices() -> None:
    a, b, c = SimWorld(3), SimWorld(3), SimWorld(4)
    for sport in Sport:
        assert a.odds(sport, MID_SEASON, markets=ALL_MARKETS) == b.odds(
            sport, MID_SEASON, markets=ALL_MARKETS
        )
        assert a.scores(sport, MID_SEASON, 3) == b.scores(sport, MID_SEASON, 3)
        assert a.injuries(sport, MID_SEASON) == b.injuries(sport, MID_SEASON)
    assert a.odds(Sport.NBA, MID_SEASON) != c.odds(Sport.NBA, MID_SEASON)
    assert a.scores(Sport.NBA, MID_SEASON, 3) != c.scores(Sport.NBA, MID_SEASON, 3)


def test_answers_do_not_depend_on_what_was_asked_before() -> None:
    fresh, used = SimWorld(5), SimWorld(5)
    for days in (40, 10, -20):  # the used world has generated and served other times first
        used.odds(Sport.NHL, MID_SEASON + timedelta(days=days), markets=ALL_MARKETS)
    assert fresh.odds(Sport.NHL, MID_SEASON, markets=ALL_MARKETS) == used.odds(
        Sport.NHL, MID_SEASON, markets=ALL_MARKETS
    )


def test_odds_are_only_for_games_not_yet_started(world: SimWorld) -> None:
    for sport in Sport:
        for hours in range(0, 72, 5):
            moment = MID_SEASON + timedelta(hours=hours)
            for odds in world.odds(sport, moment):
                assert odds.event.commence_time > moment
                for book in odds.bookmakers:
                    assert book.last_update <= moment
                    assert all(m.last_update <= moment for m in book.markets)


def test_events_include_live_games_and_odds_open_days_ahead(world: SimWorld) -> None:
    nfl = world.odds(Sport.NFL, MID_SEASON)
    assert max(o.event.commence_time for o in nfl) - MID_SEASON > timedelta(days=4)
    events = world.events(Sport.NBA, MID_SEASON + timedelta(hours=7))
    assert any(e.commence_time <= MID_SEASON + timedelta(hours=7) for e in events)  # in play


def test_scores_appear_only_after_the_game_ends(world: SimWorld) -> None:
    event = world.events(Sport.NBA, MID_SEASON)[0]
    truth = world.truth(event.id)

    def score_at(moment: datetime) -> tuple[bool, int | None, int | None]:
        found = [s for s in world.scores(Sport.NBA, moment, 1) if s.event.id == event.id]
        assert len(found) == 1
        return found[0].completed, found[0].home_score, found[0].away_score

    assert score_at(event.commence_time - timedelta(minutes=1)) == (False, None, None)
    live = score_at(event.commence_time + timedelta(minutes=30))
    assert live[0] is False and live[1] is not None and live[1] <= truth.home_score
    assert score_at(truth.end_time - timedelta(seconds=1))[0] is False
    assert score_at(truth.end_time) == (True, truth.home_score, truth.away_score)


def test_out_of_season_leagues_have_nothing(world: SimWorld) -> None:
    for sport in (Sport.NBA, Sport.NFL, Sport.NHL, Sport.EPL):
        assert world.events(sport, JULY) == []
        assert world.odds(sport, JULY) == []
        assert world.scores(sport, JULY, 3) == []
        assert world.injuries(sport, JULY) == []
    assert world.odds(Sport.MLB, JULY)
    active = {s.sport for s in world.sports(JULY) if s.active}
    assert active == {Sport.MLB}


def test_epl_h2h_is_three_way_and_every_book_has_its_margin(world: SimWorld) -> None:
    odds = world.odds(Sport.EPL, MID_SEASON, markets=ALL_MARKETS)
    assert odds
    keys = {b.key for b in odds[0].bookmakers}
    assert {"pinnacle", "draftkings", "fanduel", "betmgm", "williamhill_us", "betrivers", "bovada"} <= keys
    for game in odds:
        for book in game.bookmakers:
            h2h, spreads, totals = book.markets
            names = {o.name for o in h2h.outcomes}
            assert names == {game.event.home_team, game.event.away_team, "Draw"}
            booksum = sum(1 / o.price_decimal for o in h2h.outcomes)
            assert 1.0 < booksum < 1.12
            assert spreads.outcomes[0].point == -spreads.outcomes[1].point  # type: ignore[operator]
            assert (spreads.outcomes[0].point or 0) % 0.25 == 0
            assert totals.outcomes[0].point in (1.5, 2.5, 3.5, 4.5)


def test_american_and_decimal_prices_agree(world: SimWorld) -> None:
    for odds in world.odds(Sport.NBA, MID_SEASON, markets=ALL_MARKETS):
        for book in odds.bookmakers:
            for market in book.markets:
                for o in market.outcomes:
                    assert abs(o.price_american) >= 100
                    implied = 1 + (
                        o.price_american / 100 if o.price_american > 0 else 100 / -o.price_american
                    )
                    assert abs(implied - o.price_decimal) < 0.02 * o.price_decimal


def test_injury_reports_are_published_before_they_are_served(world: SimWorld) -> None:
    for sport in Sport:
        entries = world.injuries(sport, MID_SEASON)
        for entry in entries:
            assert entry.reported_at <= entry.updated_at <= MID_SEASON
            assert entry.status in {"Out", "Doubtful", "Questionable", "Day-To-Day"}
    nba = world.injuries(Sport.NBA, MID_SEASON)
    assert 15 <= len(nba) <= 90  # two or so a team, as on a real mid-season report


def test_injuries_reported_later_do_not_move_todays_line(world: SimWorld) -> None:
    league = world.season(Sport.NBA, 2025)
    moment = MID_SEASON.timestamp()
    games = league.starting_between(moment, moment + 2 * 86_400)
    k = grid_index(league, games, moment)
    games, k = games[k >= league.market.k_open[games]], k[k >= league.market.k_open[games]]
    before = book_views(league, games, k)
    log = league.injuries
    # Push every report published after the moment far into the future: nothing may change.
    hidden = dataclasses.replace(log, reported_at=np.where(log.reported_at > moment, np.inf, log.reported_at))
    after = book_views(dataclasses.replace(league, injuries=hidden), games, k)
    np.testing.assert_array_equal(before.side, after.side)
    np.testing.assert_array_equal(before.total, after.total)


def test_playoff_games_appear_only_once_both_teams_are_known(world: SimWorld) -> None:
    league = world.season(Sport.NBA, 2025)
    playoff = np.flatnonzero(league.stage > 0)
    assert 60 <= len(playoff) <= 105
    game = int(playoff[-1])  # the last game of the finals
    announced = datetime.fromtimestamp(int(league.announced[game]), UTC)
    assert announced > datetime.fromtimestamp(int(league.commence[playoff[0]]), UTC)
    ids_before = {e.id for e in world.events(Sport.NBA, announced - timedelta(seconds=1))}
    ids_after = {e.id for e in world.events(Sport.NBA, announced)}
    assert league.ids[game] not in ids_before
    assert league.ids[game] in ids_after


def test_truth_is_there_for_generated_games_only(world: SimWorld) -> None:
    event = world.events(Sport.EPL, MID_SEASON)[0]
    truth = world.truth(event.id)
    assert abs(truth.p_home + truth.p_draw + truth.p_away - 1) < 1e-9
    assert truth.home_team == event.home_team
    with pytest.raises(NotFound):
        world.truth("0" * 32)


def test_game_ids_are_32_hex_and_stable() -> None:
    ids_a = [e.id for e in SimWorld(9).events(Sport.NFL, MID_SEASON)]
    ids_b = [e.id for e in SimWorld(9).events(Sport.NFL, MID_SEASON - timedelta(hours=3))]
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids_a)
    assert set(ids_a) & set(ids_b)


def test_naive_times_and_bad_seeds_are_refused(world: SimWorld) -> None:
    with pytest.raises(InvalidInput):
        world.odds(Sport.NBA, datetime(2025, 11, 20, 18, 0))
    with pytest.raises(InvalidInput):
        SimWorld(-1)
