"""Odds storage: every snapshot kept, re-collection adds nothing, the newest is flagged latest."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import select

from core.sports import Sport
from store.db import unit_of_work
from store.odds import count_rows, latest_board, save_quotes
from store.tables import OddsSnapshot, Team, TeamAlias
from tests.conftest import NOW
from tests.factories import full_quotes, game, h2h_quotes


def test_saving_the_same_quotes_twice_adds_nothing(any_engine: Engine) -> None:
    g = game()
    quotes = full_quotes(g, "pinnacle") + full_quotes(g, "fanduel")
    with unit_of_work(any_engine) as session:
        first = save_quotes(session=session, quotes=quotes)
    with unit_of_work(any_engine) as session:
        before = count_rows(session=session)
        second = save_quotes(session=session, quotes=quotes)
        after = count_rows(session=session)
    assert (first.games, first.snapshots) == (1, 12)
    assert (second.games, second.snapshots) == (0, 0)
    assert before == after == {"games": 1, "snapshots": 12, "teams": 2}


def test_the_newest_snapshot_per_game_book_and_market_is_latest(any_engine: Engine) -> None:
    g = game()
    later = NOW + timedelta(hours=1)
    with unit_of_work(any_engine) as session:
        save_quotes(session=session, quotes=full_quotes(g, "pinnacle") + full_quotes(g, "fanduel"))
        # Only pinnacle's h2h moves an hour later; every other line keeps its first snapshot as latest.
        save_quotes(session=session, quotes=h2h_quotes(g, "pinnacle", 1.55, 2.55, later))
    with unit_of_work(any_engine) as session:
        rows = session.exec(select(OddsSnapshot)).all()
    latest = {(r.book, r.market, r.side, r.seen_at) for r in rows if r.latest}
    assert len(rows) == 14
    assert ("pinnacle", "h2h", "home", later) in latest
    assert ("pinnacle", "h2h", "home", NOW) not in latest
    assert ("fanduel", "h2h", "home", NOW) in latest
    assert ("pinnacle", "spreads", "home", NOW) in latest
    assert len(latest) == 12


def test_the_uniqueness_rule_lives_in_the_database(any_engine: Engine) -> None:
    g = game()
    with unit_of_work(any_engine) as session:
        save_quotes(session=session, quotes=h2h_quotes(g, "pinnacle", 1.6, 2.4))
    table = OddsSnapshot.__table__
    with pytest.raises(sa.exc.IntegrityError), unit_of_work(any_engine) as session:
        session.execute(
            sa.insert(table).values(
                game_id=g.id,
                book="pinnacle",
                market="h2h",
                side="home",
                price_decimal=1.7,
                seen_at=NOW,
                latest=False,
            )
        )


def test_a_failed_save_leaves_nothing_half_written(any_engine: Engine) -> None:
    g = game()
    with pytest.raises(RuntimeError), unit_of_work(any_engine) as session:
        save_quotes(session=session, quotes=full_quotes(g, "pinnacle"))
        raise RuntimeError("the collector crashed mid-run")
    with unit_of_work(any_engine) as session:
        assert count_rows(session=session) == {"games": 0, "snapshots": 0, "teams": 0}


def test_teams_are_canonical_with_aliases(any_engine: Engine) -> None:
    with unit_of_work(any_engine) as session:
        save_quotes(session=session, quotes=h2h_quotes(game("a"), "pinnacle", 1.6, 2.4))
        save_quotes(
            session=session,
            quotes=h2h_quotes(game("b", home="New York Knicks", away="Boston Celtics"), "x", 2, 2),
        )
    with unit_of_work(any_engine) as session:
        teams = session.exec(select(Team.name).order_by(Team.name)).all()
        aliases = session.exec(select(TeamAlias.alias)).all()
    assert teams == ["Boston Celtics", "New York Knicks"]
    assert sorted(aliases) == teams


def test_latest_board_reads_the_window_soonest_first(any_engine: Engine) -> None:
    soon, later, gone = (
        game("soon"),
        game("later", start=NOW + timedelta(hours=30)),
        game("gone", start=NOW - timedelta(hours=1)),
    )
    with unit_of_work(any_engine) as session:
        for g in (later, soon, gone):
            save_quotes(session=session, quotes=h2h_quotes(g, "pinnacle", 1.6, 2.4, NOW - timedelta(hours=2)))
        rows = latest_board(session=session, sport=Sport.NBA, start=NOW, end=NOW + timedelta(hours=36))
    assert [r.game_id for r in rows] == ["soon", "soon", "later", "later"]
    assert rows[0].commence_time.tzinfo is not None
