"""Verification: every prediction and its inverse graded once when the result arrives.

The collectors call ``verify_new_results`` in the transaction that stores new results, so
results collected by any path are graded with them; ``verify`` catches up on anything left
ungraded (idempotent).
Each grade holds the result, the profit per unit at the recorded price, the Brier and
log-loss terms of the pick's event, and the closing-line value against the devigged closing
consensus at the same line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from core import scoring
from core import verify as grading
from core.quotes import FinalScore
from core.sports import Market, Side, Sport, sides_for
from services.context import ToolContext
from store.db import Session
from store.rollups import add_grades
from store.verifications import Due, closing_fair, due_for_grading, grade_row, save_grades

_SCORING = {
    grading.Grade.WON: 1.0,
    grading.Grade.LOST: 0.0,
    grading.Grade.HALF_WON: 1.0,
    grading.Grade.HALF_LOST: 0.0,
}


def _grade_one(
    due: Due, fair: dict[tuple[str, str, str, float | None], float], now: datetime
) -> dict[str, Any]:
    sport, market, side = Sport(due.sport_key), Market(due.market), Side(due.side)
    three_way_inverse = due.is_inverse and len(sides_for(sport, market)) == 3
    grade = grading.grade_not if three_way_inverse else grading.grade
    result = grade(
        sport=sport,
        market=market,
        side=side,
        point=due.point,
        home_score=due.home_score,
        away_score=due.away_score,
    )
    profit = None if due.price_decimal is None else grading.settle_units(result, due.price_decimal)
    outcome = _SCORING.get(result)
    brier = None if outcome is None else scoring.brier_binary(due.probability, int(outcome))
    log_loss = None
    if outcome is not None:
        log_loss = scoring.log_loss_terms(due.probability if outcome else 1.0 - due.probability)
    close = fair.get((due.game_id, due.market, due.side, due.point))
    if close is not None and three_way_inverse:
        close = 1.0 - close
    clv = None if close is None or due.price_decimal is None else grading.clv(due.price_decimal, close)
    return grade_row(
        due,
        result=result.value,
        profit_units=profit,
        brier=brier,
        log_loss=log_loss,
        clv=clv,
        verified_at=now,
    )


def grade_due(session: Session, *, now: datetime, game_ids: Sequence[str] | None = None) -> int:
    """Grade every ungraded latest prediction of games whose results were known by ``now``."""
    due = due_for_grading(session=session, game_ids=game_ids, known_by=now)
    if not due:
        return 0
    fair = closing_fair(session=session, game_ids=[d.game_id for d in due])
    rows = [_grade_one(d, fair, now) for d in due]
    new = save_grades(session=session, rows=rows)
    days = {d.prediction_id: (d.commence_time.date(), d.user_model_id) for d in due}
    add_grades(
        session=session,
        grades=[
            row | {"day": days[row["prediction_id"]][0], "user_model_id": days[row["prediction_id"]][1]}
            for row in rows
            if row["prediction_id"] in new
        ],
    )
    return len(new)


def verify_new_results(session: Session, scores: Sequence[FinalScore]) -> None:
    """Grade the predictions of the games whose results just arrived (none: nothing to do)."""
    if not scores:
        return
    latest = max(s.completed_at for s in scores)
    grade_due(session, now=latest, game_ids=[s.game.id for s in scores])


class VerifySummary(BaseModel):
    graded: int


def verify(ctx: ToolContext) -> VerifySummary:
    """Grade everything left ungraded (safe to run any time: a grade is written once)."""
    with ctx.unit_of_work() as session:
        return VerifySummary(graded=grade_due(session, now=ctx.now()))
