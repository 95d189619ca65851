"""Results are stored once with two team rows; closing lines are the last snapshot before the start."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from core.quotes import FinalScore
from store.db import unit_of_work
from store.odds import save_quotes
from store.outcomes import capture_closing_lines, save_scores
from store.tables import ClosingLine, Game, Outcome, TeamOutcome
from tests.conftest import NOW
from tests.factories import game, h2h_quotes


def test_a_result_is_stored_once_with_two_team_rows(any_engine: Engine) -> None:
    g = game(start=NOW - timedelta(hours=4))
    score = FinalScore(g, 110, 104, NOW - timedelta(hours=1))
    with unit_of_work(any_engine) as session:
        assert save_scores(session=session, scores=[score, score]) == [score]
    with unit_of_work(any_engine) as session:
        assert save_scores(session=session, scores=[FinalScore(g, 111, 104, NOW)]) == []
        outcomes = session.exec(select(Outcome)).all()
        rows = sorted(session.exec(select(TeamOutcome)).all(), key=lambda r: not r.is_home)
        stored_game = session.get(Game, g.id)
    assert [(o.home_score, o.away_score) for o in outcomes] == [(110, 104)]
    assert [(r.is_home, r.points_for, r.points_against, r.result) for r in rows] == [
        (True, 110, 104, "W"),
        (False, 104, 110, "L"),
    ]
    assert rows[0].team_id == rows[1].opponent_id
    assert stored_game is not None and stored_game.completed


def test_draws_are_draws(any_engine: Engine) -> None:
    g = game(home="Arsenal", away="Chelsea", start=NOW - timedelta(hours=3))
    with unit_of_work(any_engine) as session:
        save_scores(session=session, scores=[FinalScore(g, 1, 1, NOW)])
        assert {r.result for r in session.exec(select(TeamOutcome)).all()} == {"D"}


def test_closing_line_is_the_last_snapshot_before_the_start(any_engine: Engine) -> None:
    start = NOW + timedelta(hours=2)
    g = game(start=start)
    with unit_of_work(any_engine) as session:
        save_quotes(session=session, quotes=h2h_quotes(g, "pinnacle", 1.80, 2.10, start - timedelta(hours=6)))
        save_quotes(
            session=session, quotes=h2h_quotes(g, "pinnacle", 1.70, 2.25, start - timedelta(minutes=5))
        )
        save_quotes(
            session=session, quotes=h2h_quotes(g, "pinnacle", 1.20, 5.00, start + timedelta(minutes=30))
        )
        # Not started yet at NOW: nothing is closed.
        assert capture_closing_lines(session=session, as_of=NOW) == 0
        assert capture_closing_lines(session=session, as_of=start + timedelta(hours=1)) == 2
        assert capture_closing_lines(session=session, as_of=start + timedelta(hours=1)) == 0  # nothing new
        lines = {c.side: c for c in session.exec(select(ClosingLine)).all()}
    assert {side: line.price_decimal for side, line in lines.items()} == {"home": 1.70, "away": 2.25}
    assert lines["home"].seen_at == start - timedelta(minutes=5)
    assert lines["home"].snapshot_id is not None
