"""The analysis run: every model on every upcoming game, with inverses, latest flagged, on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.errors import InvalidInput
from services.demo import seed_demo
from store.db import unit_of_work
from store.tables import Prediction, table_of
from tests.conftest import make_settings
from tools.context import ToolContext, bind, open_context
from tools.predictions import analyze, get_predictions


@pytest.fixture
def seeded(any_engine: Engine, db_url: str) -> ToolContext:
    ctx = open_context(settings=make_settings(db_url), engine=any_engine)
    seed_demo(ctx)
    return ctx


def _rows(engine: Engine) -> list[dict[str, object]]:
    with unit_of_work(engine) as session:
        return [dict(r._mapping) for r in session.execute(sa.select(table_of(Prediction)))]


def test_every_prediction_has_its_inverse(seeded: ToolContext) -> None:
    with bind(seeded):
        summary = analyze()
    rows = _rows(seeded.engine)
    assert summary.games > 0 and summary.predictions == len(rows)
    originals = {r["id"]: r for r in rows if not r["is_inverse"]}
    inverses = [r for r in rows if r["is_inverse"]]
    assert len(inverses) == len(originals)
    for inverse in inverses:
        original = originals[inverse["inverse_of_id"]]
        assert inverse["probability"] == pytest.approx(1 - original["probability"])
        assert inverse["confidence"] == pytest.approx(1 - original["confidence"])
        three_way = original["market"] == "h2h" and original["sport_key"] == "soccer_epl"
        if three_way:
            assert inverse["side"] == original["side"]  # "not home": the same side, negated
        else:
            assert inverse["side"] != original["side"]
            if original["market"] == "spreads":
                assert inverse["point"] == -original["point"]
            if original["market"] == "totals":
                assert inverse["point"] == original["point"]


def test_a_second_run_keeps_history_and_moves_the_latest_flag(seeded: ToolContext) -> None:
    with bind(seeded):
        first = analyze()
        second = analyze()
    rows = _rows(seeded.engine)
    assert len(rows) == first.predictions + second.predictions
    assert sum(bool(r["latest"]) for r in rows) == second.predictions


def test_get_predictions_reads_the_latest(seeded: ToolContext) -> None:
    with bind(seeded):
        analyze(sport="nba")
        views = get_predictions(sport="nba")
        only_value = get_predictions(sport="nba", model="value")
        with pytest.raises(InvalidInput, match="model must be one of"):
            get_predictions(model="astrology")
    models = {v.model for v in views}
    assert {"consensus", "value", "benny"} <= models
    # Models with parameters predict nothing until they are fit on history; this database has none.
    assert not models & {"momentum", "hot_cold", "rest_schedule", "matchup", "contrarian"}
    assert {v.model for v in only_value} == {"value"}
    # consensus picks the likelier side; the others pick the best expected value, underdog or not.
    assert all(0.5 <= v.probability < 1 for v in views if v.model == "consensus")
