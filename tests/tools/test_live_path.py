"""No look-ahead, and one pipeline: replays store what the live run would, at the same clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from core.models import Consensus, Value
from store.db import make_engine, unit_of_work
from store.evaluation import snapshot_schedule
from store.odds import games_with_ids
from store.tables import Prediction, table_of
from tests.conftest import NOW, make_settings
from tools.analyze import analyze, run_analysis
from tools.collect import collect_odds, collect_scores
from tools.context import bind, open_context
from tools.demo import seed_demo
from tools.evaluate import evaluate
from tools.history import import_history
from tools.setup import prepare_database

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
        collect_odds(source="sim")
        clock.set(NOW + timedelta(days=2))
        collect_scores(source="sim")
        clock.set(NOW)
        analyze(hours=12)
    assert before and _latest(engine) == before
    engine.dispose()


def test_evaluate_stores_what_a_live_run_stores_at_the_same_clock(tmp_path: Path, shared_data: Path) -> None:
    season = shared_data / "nfl" / "sbr_nfl_odds_2021-22.csv"
    replay_url = f"sqlite:///{tmp_path / 'replay.db'}"
    evaluate([season], score_from=datetime(2022, 1, 1, tzinfo=UTC), database_url=replay_url)
    replay = make_engine(replay_url)
    with unit_of_work(replay) as session:
        closing = {t.game_id: t.closing for t in snapshot_schedule(session=session)}
    game_id, moment = sorted(closing.items(), key=lambda kv: kv[1])[200]
    # A live database with the same history, analysed at the game's closing moment.
    live_url = f"sqlite:///{tmp_path / 'live.db'}"
    settings = make_settings(live_url, BENNY_NOW=moment.isoformat())
    live = prepare_database(settings)
    with bind(open_context(settings=settings, engine=live)):
        import_history([season])
    with unit_of_work(live) as session:
        rows = games_with_ids(session=session, game_ids=[game_id])
        run_analysis(session, now=moment, rows=rows, models=[Consensus(), Value()])

    def for_game(engine: Engine) -> set[tuple[Any, ...]]:
        return {row for row in _latest(engine, ("consensus", "value")) if row[0] == game_id}

    assert for_game(live) and for_game(live) == for_game(replay)
    replay.dispose()
    live.dispose()
