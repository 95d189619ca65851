"""Fixtures for the tool tests: a database that has seen a night of predictions and results."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from store.db import unit_of_work
from store.users import create_user
from tests.conftest import NOW, make_settings
from tools.analyze import analyze
from tools.collect import collect_odds, collect_scores
from tools.context import ToolContext, bind, open_context
from tools.demo import seed_demo


@pytest.fixture
def graded(any_engine: Engine, db_url: str) -> tuple[ToolContext, FixedClock]:
    """Simulated odds at NOW, every model's predictions for the night, then the results a day later."""
    clock = FixedClock(NOW)
    ctx = replace(open_context(settings=make_settings(db_url), engine=any_engine), clock=clock)
    seed_demo(ctx)
    with bind(ctx):
        analyze(hours=12)
        clock.advance(timedelta(days=1))
        collect_odds(source="sim")  # captures the closing lines of the games that started
        collect_scores(source="sim")  # the results: the hook grades in the same transaction
    return ctx, clock


@pytest.fixture
def alice(any_engine: Engine, db_url: str) -> ToolContext:
    """Two users, alice and bob; the context is alice's."""
    with unit_of_work(any_engine) as session:
        create_user(session=session, name="alice", now=NOW)
        create_user(session=session, name="bob", now=NOW)
    return open_context(settings=make_settings(db_url), engine=any_engine).as_user("alice")
