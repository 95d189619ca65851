"""calibration: the bins hold every graded original pick once, each bin a slow recount of the grades."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from core.clock import FixedClock
from core.errors import InvalidInput
from core.scoring import ece_from_bins
from store.db import unit_of_work
from store.graded_picks import GradedPick
from store.tables import Prediction, Verification, table_of
from tests.conftest import NOW
from tools.calibration import calibration, calibration_bins
from tools.context import ToolContext, bind

CREDIT = {"won": (1.0, 0.0), "lost": (0.0, 1.0), "half_won": (0.5, 0.0), "half_lost": (0.0, 0.5)}
SPORTS = {"basketball_nba": "nba", "icehockey_nhl": "nhl", "soccer_epl": "epl"}


def _graded_originals(ctx: ToolContext) -> list[dict[str, Any]]:
    """Every graded original of a system model, with the probability its prediction gave the pick."""
    with unit_of_work(ctx.engine) as session:
        grades = [dict(r._mapping) for r in session.execute(sa.select(table_of(Verification)))]
        predictions = {r.id: dict(r._mapping) for r in session.execute(sa.select(table_of(Prediction)))}
    return [
        g | {"probability": predictions[g["prediction_id"]]["probability"]}
        for g in grades
        if not g["is_inverse"] and predictions[g["prediction_id"]]["user_model_id"] is None
    ]


def _slow_bin(probability: float) -> int:
    return next((b for b in range(10) if probability < (b + 1) / 10), 9)


def _slow(rows: list[dict[str, Any]]) -> dict[int, dict[str, float]]:
    bins: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in rows:
        b = bins[_slow_bin(r["probability"])]
        won, lost = CREDIT.get(r["result"], (0.0, 0.0))
        b["count"] += 1
        b["won"] += won
        b["lost"] += lost
        b["probability_sum"] += r["probability"]
    return bins


def test_every_bin_is_a_slow_recount_of_the_grades(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, _ = graded
    rows = _graded_originals(ctx)
    boards = {(r["model"], r["sport_key"], r["market"]) for r in rows}
    assert len(boards) >= 6  # several models, sports and markets were graded
    for model, sport_key, market in sorted(boards):
        mine = [r for r in rows if (r["model"], r["sport_key"], r["market"]) == (model, sport_key, market)]
        with bind(ctx):
            report = calibration(model=model, sport=SPORTS[sport_key], market=market, days="all")
        slow = _slow(mine)
        assert report.message is None and report.n == len(mine)
        assert sum(b.count for b in report.bins) == len(mine)
        assert [round(b.low * 10) for b in report.bins] == sorted(slow)
        for b in report.bins:
            expected = slow[round(b.low * 10)]
            decided = expected["won"] + expected["lost"]
            assert b.high == pytest.approx(b.low + 0.1)
            assert (b.count, b.decided) == (expected["count"], pytest.approx(decided))
            assert b.mean_probability == pytest.approx(
                expected["probability_sum"] / expected["count"], abs=1e-6
            )
            if decided:
                assert b.observed == pytest.approx(expected["won"] / decided, abs=1e-6)
            else:
                assert b.observed is None
        weighted = [
            (b.decided, abs(b.mean_probability - b.observed)) for b in report.bins if b.observed is not None
        ]
        ece = sum(w * gap for w, gap in weighted) / sum(w for w, _ in weighted)
        assert report.ece == pytest.approx(ece, abs=1e-6)
        won = sum(CREDIT.get(r["result"], (0.0, 0.0))[0] for r in mine)
        assert report.observed == pytest.approx(won / report.decided, abs=1e-6)
        assert report.summary.startswith(f"{model}'s picks were given")


def test_every_sport_and_the_window(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, clock = graded
    rows = [r for r in _graded_originals(ctx) if (r["model"], r["market"]) == ("consensus", "h2h")]
    with bind(ctx):
        every = calibration(model="consensus")  # h2h, every sport, the last 90 days
        week = calibration(model="consensus", days="7")
    assert every.sport is None and every.n == len(rows) == week.n
    clock.set(NOW + timedelta(days=200))
    with bind(ctx):
        assert calibration(model="consensus", days="all").n == len(rows)
        gone = calibration(model="consensus", days="90")
    assert gone.n == 0 and gone.bins == [] and gone.ece is None
    assert gone.message == (
        "No graded h2h picks from consensus over the last 90 days: the plot fills in as games finish "
        "and the model's picks are graded."
    )
    clock.set(NOW)  # before the results: no grade is known yet
    with bind(ctx):
        before = calibration(model="consensus", sport="nba", days="all")
    assert before.bins == [] and before.message is not None and "in NBA" in before.message


def test_a_model_without_grades_says_so(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, _ = graded
    with bind(ctx):
        report = calibration()  # the ensemble: unfitted members, so no picks to grade
    assert (report.model, report.n, report.bins) == ("ensemble", 0, [])
    assert report.message and report.message.startswith("No graded h2h picks from ensemble")


def test_bad_arguments_are_refused(graded: tuple[ToolContext, FixedClock]) -> None:
    ctx, _ = graded
    with bind(ctx):
        with pytest.raises(InvalidInput, match="model must be one of"):
            calibration(model="oracle")
        with pytest.raises(InvalidInput, match="market must be"):
            calibration(market="props")
        with pytest.raises(InvalidInput, match="sport must be"):
            calibration(sport="cricket")
        with pytest.raises(InvalidInput, match="days: Input should be '7', '30', '90' or 'all', got '12'"):
            calibration(days="12")  # type: ignore[arg-type]


def test_half_results_count_half_and_pushes_are_left_out() -> None:
    picks = [
        GradedPick(1, "basketball_nba", 0.55, "won"),
        GradedPick(2, "basketball_nba", 0.58, "half_won"),
        GradedPick(3, "basketball_nba", 0.52, "lost"),
        GradedPick(4, "basketball_nba", 0.51, "push"),
        GradedPick(5, "basketball_nba", 0.95, "lost"),
        GradedPick(6, "basketball_nba", 0.91, "half_lost"),
    ]
    middle, top = calibration_bins(picks)
    assert (middle.low, middle.count, middle.decided) == (0.5, 4, 2.5)
    assert middle.mean_probability == pytest.approx(0.54)
    assert middle.observed == pytest.approx(0.6)  # 1.5 won of 2.5 decided
    assert (top.low, top.count, top.decided, top.observed) == (0.9, 2, 1.5, 0.0)
    assert top.mean_probability == pytest.approx(0.93)
    # (2.5 x |0.54 - 0.6| + 1.5 x |0.93 - 0|) / 4
    means, rates = [middle.mean_probability, top.mean_probability], [middle.observed, top.observed]
    assert ece_from_bins(means, rates, [middle.decided, top.decided]) == pytest.approx(0.38625)
