"""The week's fit: made once from stored history, kept, and read back by every later run that week."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.models.walk_forward import fit_moment
from services.demo import seed_demo
from services.model_fits import fitted_models
from store.db import unit_of_work
from store.fits import load_fits, save_fits
from store.tables import ModelFit, table_of
from tests.conftest import NOW, make_settings
from tools.context import ToolContext, bind, open_context
from tools.predictions import analyze


@pytest.fixture
def seeded(any_engine: Engine, db_url: str) -> ToolContext:
    ctx = open_context(settings=make_settings(db_url), engine=any_engine)
    seed_demo(ctx)
    return ctx


def _fits(engine: Engine) -> list[tuple[str, object]]:
    table = table_of(ModelFit)
    with unit_of_work(engine) as session:
        return [tuple(r) for r in session.execute(sa.select(table.c.model, table.c.fitted_for))]


def test_the_first_run_of_a_week_stores_the_fit_and_later_runs_reuse_it(seeded: ToolContext) -> None:
    engine = seeded.engine
    with bind(seeded):
        analyze(hours=24)
    stored = _fits(engine)
    names = {name for name, _ in stored}
    assert {"momentum", "rest_schedule", "matchup", "ensemble"} <= names
    assert {"consensus", "value", "benny"}.isdisjoint(names)
    assert {moment for _, moment in stored} == {fit_moment(NOW)}
    # A state written by the week's first run is what later runs get, whatever history arrives.
    table = table_of(ModelFit)
    marker = {"coefficients": [["basketball_nba", "h2h", [0.5], 1.0, 999]]}
    with unit_of_work(engine) as session:
        session.execute(sa.update(table).where(table.c.model == "momentum").values(state=marker))
    with unit_of_work(engine) as session:
        models = {m.name: m for m in fitted_models(session, now=NOW + timedelta(hours=3))}
    assert models["momentum"].fitted_state() == marker  # type: ignore[attr-defined]
    assert len(_fits(engine)) == len(stored)


def test_a_fit_is_stored_once_per_model_and_moment(any_engine: Engine) -> None:
    moment = fit_moment(NOW)
    with unit_of_work(any_engine) as session:
        first = save_fits(
            session=session, fitted_for=moment, states={"momentum": {"a": 1}}, examples=3, created_at=NOW
        )
        again = save_fits(
            session=session, fitted_for=moment, states={"momentum": {"a": 2}}, examples=4, created_at=NOW
        )
    with unit_of_work(any_engine) as session:
        assert (first, again) == (1, 0)
        assert load_fits(session=session, fitted_for=moment) == {"momentum": {"a": 1}}
        assert load_fits(session=session, fitted_for=moment - timedelta(days=7)) == {}
