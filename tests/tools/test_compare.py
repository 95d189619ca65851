"""The model comparison reads rollups that equal a slow recount of the grades; adjustments are daily."""

from __future__ import annotations

from collections import defaultdict

import pytest
import sqlalchemy as sa

from core.clock import FixedClock
from core.errors import InvalidInput
from services.model_records import adjust
from store.db import unit_of_work
from store.tables import ModelAdjustment, Verification, table_of
from tools.comparison import compare_models
from tools.context import ToolContext, bind

CREDIT = {"won": (1.0, 0.0), "lost": (0.0, 1.0), "half_won": (0.5, 0.0), "half_lost": (0.0, 0.5)}


def test_comparison_equals_a_slow_recount_of_the_grades(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, _ = graded
    with unit_of_work(ctx.engine) as session:
        grades = [dict(r._mapping) for r in session.execute(sa.select(table_of(Verification)))]
    slow: dict[tuple[str, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for g in grades:
        if g["is_inverse"]:
            continue
        key = (g["model"], g["sport_key"], g["market"])
        won, lost = CREDIT.get(g["result"], (0.0, 0.0))
        slow[key]["won"] += won
        slow[key]["lost"] += lost
        if g["brier"] is not None:
            slow[key]["brier"] += g["brier"]
            slow[key]["brier_n"] += 1
    with bind(ctx):
        rows = compare_models(days="all")
    assert {(r.model, r.sport, r.market) for r in rows} == set(slow)
    for r in rows:
        expected = slow[(r.model, r.sport, r.market)]
        graded_n = expected["won"] + expected["lost"]
        assert r.n == pytest.approx(graded_n)
        if graded_n:
            assert r.accuracy == pytest.approx(expected["won"] / graded_n, abs=1e-6)
            assert r.accuracy_low is not None and r.accuracy_low <= r.accuracy <= (r.accuracy_high or 1)
        if expected["brier_n"]:
            assert r.brier == pytest.approx(expected["brier"] / expected["brier_n"], abs=1e-6)
        assert r.recommendation in ("ORIGINAL", "INVERSE", "AVOID")


def test_windows_and_filters(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, clock = graded
    with bind(ctx):
        everything = compare_models(days="all")
        nba = compare_models(sport="nba", days="7")
        assert {r.sport for r in nba} <= {"basketball_nba"}
        assert compare_models(market="totals") and all(
            r.market == "totals" for r in compare_models(market="totals")
        )
        with pytest.raises(InvalidInput, match="days: Input should be '7', '30', '90' or 'all', got '12'"):
            compare_models(days="12")  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="market must be"):
            compare_models(market="props")
        clock.set(clock().replace(year=clock().year + 1))
        assert compare_models(days="90") == []  # a year later the 90-day window is empty
    assert everything


def test_adjustments_are_one_row_per_model_sport_market_and_day(
    graded: tuple[ToolContext, FixedClock],
) -> None:
    ctx, _ = graded
    with bind(ctx):
        first = adjust(ctx)
        again = adjust(ctx)
    with unit_of_work(ctx.engine) as session:
        stored = session.execute(
            sa.select(sa.func.count()).select_from(table_of(ModelAdjustment))
        ).scalar_one()
    assert first.adjustments == again.adjustments == stored > 0
    # Too few graded predictions on one night for a verdict: every model is used as it is.
    assert set(first.by_action) == {"original"}
