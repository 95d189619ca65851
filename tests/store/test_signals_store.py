"""Stored user-model signals read back whole, lean and full, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from core.importers.base import HistoricalGame
from core.quotes import FinalScore
from store.db import unit_of_work
from store.history import save_history
from store.signals import finished_signal_table, latest_signals, save_signals
from tests.conftest import NOW
from tests.factories import game


def test_signals_round_trip_and_only_finished_games_are_read_lean(any_engine: Engine) -> None:
    done, coming = game("g1", start=NOW - timedelta(days=1)), game("g2", start=NOW + timedelta(hours=5))
    with unit_of_work(any_engine) as session:
        save_history(
            session=session,
            games=[
                HistoricalGame(done, (), FinalScore(done, 101, 99, NOW - timedelta(hours=20)), "test", None),
                HistoricalGame(coming, (), None, "test", None),
            ],
        )
        rows = [
            {
                "game_id": g.id, "market": "h2h", "as_of": g.commence_time - timedelta(hours=1),
                "prior_logit": 0.25, "signals": {"recent_form": 1.5, "injuries": None}, "point": None,
                "fair": {"home": 0.56, "away": 0.44}, "prices": {"home": 1.74, "away": 2.2},
            }
            for g in (done, coming)
        ]  # fmt: skip
        assert save_signals(session=session, rows=rows) == 2
        assert save_signals(session=session, rows=rows) == 0  # once per game, market and moment
    with unit_of_work(any_engine) as session:
        lean = finished_signal_table(
            session=session, sport_key=done.sport.value, market="h2h",
            sources=["recent_form", "injuries", "h2h"], sides=["home", "away"],
            start=NOW - timedelta(days=3), end=NOW + timedelta(days=1), known_before=NOW,
        )  # fmt: skip
        full = latest_signals(
            session=session, sport_keys=[done.sport.value], markets=["h2h"], start=NOW - timedelta(days=3),
            end=NOW + timedelta(days=1),
        )  # fmt: skip
    assert [r.game_id for r in full] == ["g1", "g2"] and full[0].signals == {
        "recent_form": 1.5,
        "injuries": None,
    }
    # Only the finished game, as plain numbers: a JSON null and a missing key both read as None.
    assert lean == [(0.25, None, 101, 99, 1.5, None, None, 0.56, 0.44, 1.74, 2.2)]
