"""A team's history as of a moment: only results known by then, with closing consensus lines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from core.quotes import FinalScore, OddsQuote
from core.sports import Market, Side
from store.db import unit_of_work
from store.form import team_history
from store.odds import save_quotes
from store.outcomes import capture_closing_lines, save_scores
from store.tables import Team
from tests.conftest import NOW
from tests.factories import game


def test_history_sees_only_results_known_at_as_of(any_engine: Engine) -> None:
    early = game("early", start=NOW - timedelta(days=2))
    late = game("late", start=NOW - timedelta(hours=3))
    seen = NOW - timedelta(days=3)
    quotes = [
        OddsQuote(early, book, Market.SPREADS, side, 1.91, seen, point)
        for book, home_point in (("a", -4.5), ("b", -5.5), ("c", -4.5))
        for side, point in ((Side.HOME, home_point), (Side.AWAY, -home_point))
    ]
    with unit_of_work(any_engine) as session:
        save_quotes(session=session, quotes=quotes)
        capture_closing_lines(session=session, as_of=NOW)
        save_scores(
            session=session, scores=[FinalScore(early, 110, 100, early.commence_time + timedelta(hours=3))]
        )
        # The late game's result only arrives after NOW.
        save_scores(session=session, scores=[FinalScore(late, 90, 99, NOW + timedelta(hours=1))])
        celtics = session.exec(select(Team).where(Team.name == "Boston Celtics")).one()
        assert celtics.id is not None
        history = team_history(session=session, team_id=celtics.id, as_of=NOW)
        later = team_history(session=session, team_id=celtics.id, as_of=NOW + timedelta(hours=2))
    assert [g.game_id for g in history] == ["early"]
    assert history[0].spread_close == -4.5  # the median of -4.5, -5.5, -4.5
    assert [g.game_id for g in later] == ["late", "early"]
