"""User models run from a queue after each analysis: at least once, never twice, graded, the owner's."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from core.clock import FixedClock
from core.sim.history import sim_history
from core.sports import Sport
from live.jobs import job_user_models
from services.collect import collect_odds, collect_scores
from services.feeds import sim_world
from services.setup import prepare_database
from store.db import unit_of_work
from store.history import save_history
from store.tables import Prediction, UserModelRun, table_of
from store.users import create_user
from tests.conftest import make_settings
from tools.comparison import compare_models
from tools.context import ToolContext, bind, open_context
from tools.user_models import create_user_model

NOW = datetime(2025, 12, 20, 12, tzinfo=UTC)


@pytest.fixture
def alice(tmp_path: object, sqlite_url: str) -> ToolContext:
    settings = make_settings(sqlite_url, BENNY_NOW=NOW.isoformat())
    engine = prepare_database(settings)
    games = sim_history(sim_world(settings.sim_seed), Sport.NBA, NOW - timedelta(days=60), NOW)
    with unit_of_work(engine) as session:
        save_history(session=session, games=games)
        create_user(session=session, name="alice", now=NOW)
        create_user(session=session, name="bob", now=NOW)
    ctx = replace(open_context(settings=settings, engine=engine), clock=FixedClock(NOW)).as_user("alice")
    with bind(ctx):
        collect_odds(ctx, source="sim", sport="nba")
        create_user_model("NBA: 60% recent form, 40% line movement, bet above 55%", confirm=True)
    return ctx


def _user_predictions(ctx: ToolContext) -> list[dict[str, object]]:
    pred = table_of(Prediction)
    with unit_of_work(ctx.engine) as session:
        rows = session.execute(sa.select(pred).where(pred.c.user_model_id.is_not(None)))
        return [dict(r._mapping) for r in rows]


def test_a_queued_model_predicts_the_coming_games_once(alice: ToolContext) -> None:
    first = job_user_models(alice)
    stored = _user_predictions(alice)
    assert first.ran == 1 and first.failed == 0 and stored
    assert {p["model"] for p in stored} == {"user_model"} and all(p["as_of"] == NOW for p in stored)
    again = job_user_models(alice)  # the same moment: queued once, nothing stored twice
    assert again.ran == 0 and len(_user_predictions(alice)) == len(stored)
    # A worker that died mid-run: its run is taken up again later, and stores nothing twice.
    runs = table_of(UserModelRun)
    with unit_of_work(alice.engine) as session:
        session.execute(sa.update(runs).values(status="running", started_at=NOW - timedelta(hours=2)))
    assert job_user_models(alice).ran == 1
    assert len(_user_predictions(alice)) == len(stored)


def test_graded_and_shown_to_their_owner_alone(alice: ToolContext) -> None:
    job_user_models(alice)
    clock = alice.clock
    assert isinstance(clock, FixedClock)
    clock.set(NOW + timedelta(days=2))
    with bind(alice):
        collect_scores(alice, source="sim", sport="nba")
        theirs = compare_models(sport="nba", days="7")
    assert any(r.model.endswith("(yours)") for r in theirs)
    with bind(alice.as_user("bob")):
        assert not any("(yours)" in r.model for r in compare_models(sport="nba", days="7"))
