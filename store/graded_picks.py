"""What a calibration plot reads: a system model's graded original picks, each with its probability.

A grade (``verifications``) keeps the result; the probability the model gave its pick lives on
the prediction it grades, so the two are joined. Inverses and user models are left out: the
plot is of what the model itself said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import Game, Prediction, Verification, table_of


@dataclass(frozen=True, slots=True)
class GradedPick:
    """One graded original prediction: the probability of its side, and how the side did."""

    prediction_id: int
    sport_key: str
    probability: float
    result: str  # won, lost, push, void, half_won, half_lost


def graded_originals(
    *,
    session: Session,
    model: str,
    market: str,
    known_by: datetime,
    sport_key: str | None = None,
    starts_from: datetime | None = None,
) -> list[GradedPick]:
    """The system model's graded originals in ``market``, oldest prediction first.

    ``known_by``: only grades written by then (a clock in the past sees no later grade).
    ``starts_from``: only games starting from then, as the leaderboard's windows count them.
    """
    pred, verification, game = table_of(Prediction), table_of(Verification), table_of(Game)
    query = (
        sa.select(pred.c.id, verification.c.sport_key, pred.c.probability, verification.c.result)
        .join(verification, verification.c.prediction_id == pred.c.id)
        .join(game, game.c.id == pred.c.game_id)
        .where(
            verification.c.model == model,
            verification.c.market == market,
            verification.c.is_inverse.is_(False),
            pred.c.user_model_id.is_(None),
            verification.c.verified_at <= known_by,
        )
        .order_by(pred.c.id)
    )
    if sport_key is not None:
        query = query.where(verification.c.sport_key == sport_key)
    if starts_from is not None:
        query = query.where(game.c.commence_time >= starts_from)
    return [GradedPick(*row) for row in session.execute(query)]
