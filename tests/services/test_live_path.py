"""No look-ahead, and one pipeline: replays store what the live run would, at the same clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from services.collect import collect_odds, collect_scores
from services.demo import seed_demo
from services.evaluate import evaluate
from services.setup import prepare_database
from store.db import make_engine, unit_of_work
from store.evaluation import snapshot_schedule
from store.tables import ModelFit, Prediction, Verification, table_of
from tests.conftest import NOW, make_settings
from tools.context import bind, open_context
from tools.predictions import analyze

COLUMNS = (
    "game_id",
    "model",
    "market",
    "side",
    "point",
    "price_decimal",
    "probability",
    "confidence",
    "is_inverse",
)


def _latest(engine: Engine, models: tuple[str, ...] | None = None) -> set[tuple[Any, ...]]:
    table = table_of(Prediction)
    query = sa.select(*(table.c[c] for c in COLUMNS), table.c.reason).where(table.c.latest.is_(True))
    if models is not None:
        query = query.where(table.c.model.in_(models))
    with unit_of_work(engine) as session:
        return {(*row[:-1], str(row[-1])) for row in session.execute(query)}


def test_data_stamped_after_as_of_changes_no_prediction(sqlite_url: str) -> None:
    engine = prepare_database(make_settings(sqlite_url))
    clock = FixedClock(NOW)
    ctx = replace(open_context(settings=make_settings(sqlite_url), engine=engine), clock=clock)
    seed_demo(ctx)
    with bind(ctx):
        analyze(hours=12)
        before = _latest(engine)
        # Later snapshots and results arrive; then the same analysis is run again at the same clock.
        clock.set(NOW + timedelta(hours=4))
        collect_odds(ctx, source="sim")
        clock.set(NOW + timedelta(days=2))
        collect_scores(ctx, source="sim")
        clock.set(NOW)
        analyze(hours=12)
    assert before and _latest(engine) == before
    engine.dispose()


def _forget_from(engine: Engine, moment: datetime) -> None:
    """Make a replay's database the live one as it stood at ``moment``: no prediction made since, no fit."""
    pred, verification = table_of(Prediction), table_of(Verification)
    later = sa.select(pred.c.id).where(pred.c.as_of >= moment)
    with unit_of_work(engine) as session:
        session.execute(sa.delete(verification).where(verification.c.prediction_id.in_(later)))
        session.execute(sa.delete(pred).where(pred.c.inverse_of_id.in_(later)))
        session.execute(sa.delete(pred).where(pred.c.as_of >= moment))
        session.execute(sa.delete(table_of(ModelFit)))


def test_evaluate_stores_what_a_live_run_stores_at_the_same_clock(tmp_path: Path, shared_data: Path) -> None:
    season = shared_data / "nfl" / "sbr_nfl_odds_2021-22.csv"
    url = f"sqlite:///{tmp_path / 'replay.db'}"
    evaluate([season], score_from=datetime(2022, 1, 1, tzinfo=UTC), database_url=url)
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        closing = {t.game_id: t.closing for t in snapshot_schedule(session=session)}
    # A late game: by its week the feature models have a season's results to be fit on.
    game_id, moment = sorted(closing.items(), key=lambda kv: kv[1])[-3]

    def for_game() -> set[tuple[Any, ...]]:
        return {row for row in _latest(engine) if row[0] == game_id}

    replayed = for_game()
    assert {"momentum", "rest_schedule", "ensemble", "benny"} <= {row[1] for row in replayed}
    # The live run at the same clock: it finds no stored fit, refits from the store's history
    # and the predictions it holds, and predicts the game with every model.
    _forget_from(engine, moment)
    assert not for_game()
    settings = make_settings(url, BENNY_NOW=moment.isoformat())
    with bind(open_context(settings=settings, engine=engine)):
        summary = analyze(hours=1)
    assert summary.games >= 1
    assert for_game() == replayed
    engine.dispose()
