"""Verification: predictions and inverses graded once when results arrive, on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from services.collect import collect_scores
from store.db import unit_of_work
from store.tables import Prediction, Verification, table_of
from tools.context import ToolContext, bind
from tools.predictions import verify


def _grades(engine: Engine) -> list[dict[str, object]]:
    with unit_of_work(engine) as session:
        pred, ver = table_of(Prediction), table_of(Verification)
        rows = session.execute(
            sa.select(ver, pred.c.side, pred.c.inverse_of_id, pred.c.id.label("pid")).join(
                pred, pred.c.id == ver.c.prediction_id
            )
        )
        return [dict(r._mapping) for r in rows]


def test_each_prediction_and_inverse_is_graded_once(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, _ = graded
    grades = _grades(ctx.engine)
    assert grades, "the night's games should have been graded"
    assert len({g["prediction_id"] for g in grades}) == len(grades)
    with bind(ctx):
        assert verify().graded == 0  # nothing left, nothing graded twice
        collect_scores(ctx, source="sim")
    assert len(_grades(ctx.engine)) == len(grades)


def test_two_way_inverse_accuracy_is_one_minus_accuracy(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, _ = graded
    grades = [g for g in _grades(ctx.engine) if not (g["sport_key"] == "soccer_epl" and g["market"] == "h2h")]
    by_id = {g["pid"]: g for g in grades}
    pairs = [
        (by_id[g["inverse_of_id"]], g) for g in grades if g["is_inverse"] and g["inverse_of_id"] in by_id
    ]
    assert pairs
    won = sum(o["result"] == "won" for o, _ in pairs)
    lost = sum(o["result"] == "lost" for o, _ in pairs)
    inverse_won = sum(i["result"] == "won" for _, i in pairs)
    inverse_lost = sum(i["result"] == "lost" for _, i in pairs)
    assert won + lost > 0
    assert inverse_won / (inverse_won + inverse_lost) == pytest.approx(1 - won / (won + lost))
    for original, inverse in pairs:
        assert {original["result"], inverse["result"]} in (
            {"won", "lost"},
            {"push"},
            {"half_won", "half_lost"},
        )


def test_grades_carry_profit_brier_and_clv(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, _ = graded
    grades = _grades(ctx.engine)
    settled = [g for g in grades if g["result"] in ("won", "lost")]
    assert all(g["brier"] is not None and 0 <= g["brier"] <= 1 for g in settled)
    assert all(
        g["profit_units"] == -1.0 for g in settled if g["result"] == "lost" and g["profit_units"] is not None
    )
    assert any(g["clv"] is not None for g in grades)
    # The consensus prediction was made at the same prices as the close: its CLV is near zero.
    consensus = [g["clv"] for g in grades if g["model"] == "consensus" and g["clv"] is not None]
    assert consensus and max(abs(c) for c in consensus) < 0.2
