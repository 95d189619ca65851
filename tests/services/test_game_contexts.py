"""Live contexts carry the injury report when a fresh one was collected, and say "unknown" otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from core.clock import FixedClock
from core.models.base import GameContext
from services.collect import collect_injuries, collect_odds
from services.game_contexts import contexts_at
from store.db import unit_of_work
from store.odds import games_between
from tests.conftest import NOW, make_settings
from tools.context import bind, open_context


def _contexts(engine: Engine, at: datetime) -> list[GameContext]:
    with unit_of_work(engine) as session:
        rows = games_between(session=session, start=at, end=at + timedelta(hours=24))
        return contexts_at(session, now=at, rows=rows)


def test_injuries_reach_the_context_only_from_a_fresh_report(any_engine: Engine, db_url: str) -> None:
    clock = FixedClock(NOW)
    ctx = replace(open_context(settings=make_settings(db_url), engine=any_engine), clock=clock)
    with bind(ctx):
        collect_odds(ctx, source="sim")
    assert all(c.injuries is None for c in _contexts(any_engine, NOW))  # never collected: unknown
    with bind(ctx):
        summary = collect_injuries(ctx, source="sim")
    assert sum(r.injuries for r in summary.runs) > 0
    contexts = _contexts(any_engine, NOW)
    assert contexts and all(c.injuries is not None for c in contexts)
    listed = [p for c in contexts for p in c.injuries or ()]
    assert listed and all(
        p.team in (c.game.home_team, c.game.away_team) for c in contexts for p in c.injuries or ()
    )
    # Two days on with no new collection, the report is stale: unknown again.
    later = NOW + timedelta(days=2)
    assert all(c.injuries is None for c in _contexts(any_engine, later))
