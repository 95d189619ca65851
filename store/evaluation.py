"""What a replay needs from the store: when each game's snapshots were taken, and the ledger to score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import Game, OddsSnapshot, Outcome, Prediction, Verification, table_of


@dataclass(frozen=True, slots=True)
class SnapshotTimes:
    game_id: str
    commence_time: datetime
    opening: datetime
    closing: datetime


def snapshot_schedule(*, session: Session, game_ids: Sequence[str] | None = None) -> list[SnapshotTimes]:
    """Each game's first snapshot and its last before the start (its opening and closing moments).

    Every game's, or only the named games' (read in chunks).
    """
    snap, game = table_of(OddsSnapshot), table_of(Game)
    query = (
        sa.select(game.c.id, game.c.commence_time, sa.func.min(snap.c.seen_at), sa.func.max(snap.c.seen_at))
        .join(snap, snap.c.game_id == game.c.id)
        .where(snap.c.seen_at < game.c.commence_time)
        .group_by(game.c.id, game.c.commence_time)
        .order_by(game.c.commence_time, game.c.id)
    )
    if game_ids is None:
        return [SnapshotTimes(*row) for row in session.execute(query)]
    ids = list(dict.fromkeys(game_ids))
    found = [
        SnapshotTimes(*row)
        for start in range(0, len(ids), 500)
        for row in session.execute(query.where(game.c.id.in_(ids[start : start + 500])))
    ]
    return sorted(found, key=lambda t: (t.commence_time, t.game_id))


def results(*, session: Session) -> dict[str, tuple[int, int, datetime]]:
    """Every stored result: game id -> (home score, away score, when it became known)."""
    outcome = table_of(Outcome)
    rows = session.execute(
        sa.select(outcome.c.game_id, outcome.c.home_score, outcome.c.away_score, outcome.c.completed_at)
    )
    return {game_id: (home, away, known) for game_id, home, away, known in rows}


def originals(*, session: Session, start_from: datetime | None) -> list[dict[str, Any]]:
    """Every original prediction of games starting from ``start_from``, with its grade when graded."""
    pred, game, verification = table_of(Prediction), table_of(Game), table_of(Verification)
    query = (
        sa.select(
            pred.c.id,
            pred.c.game_id,
            pred.c.sport_key,
            game.c.commence_time,
            pred.c.model,
            pred.c.market,
            pred.c.side,
            pred.c.point,
            pred.c.price_decimal,
            pred.c.probability,
            pred.c.as_of,
            pred.c.latest,
            pred.c.reason,
            verification.c.result,
            verification.c.profit_units,
            pred.c.inverse_of_id,
        )
        .join(game, game.c.id == pred.c.game_id)
        .outerjoin(verification, verification.c.prediction_id == pred.c.id)
        .order_by(pred.c.as_of, pred.c.id)
    )
    if start_from is not None:
        query = query.where(game.c.commence_time >= start_from)
    return [dict(row._mapping) for row in session.execute(query)]
