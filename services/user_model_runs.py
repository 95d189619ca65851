"""Running users' models from a queue in the database, after each analysis run.

``queue_user_models`` stores the coming games' signals as of the analysis moment, fills in the
closing signals of newly finished games, and queues one run per active model for that moment
(queuing twice adds nothing). ``run_queue`` claims runs one at a time with a conditional update,
so two workers never take the same run, and runs each at least once: a run left ``running`` by a
crash is queued again after ``STALE``, and a run whose predictions are already stored is done
without storing them twice. A model's predictions are the market prior moved by its weighted
view with a slope fit on the year before the moment; they are stored with the model's id,
graded like every prediction and shown to their owner beside the system models.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import sqlalchemy as sa
from pydantic import BaseModel

from core.models.base import MarketPrediction
from core.quotes import GameInfo
from core.sports import Market
from core.user_models.spec import ModelSpec, Source
from services.context import ToolContext
from services.user_model_backtest import FIT_YEARS, Arrays, fitted_slope, probabilities
from services.user_model_signals import backfill_closing, record_upcoming
from store.db import Session
from store.odds import games_with_ids
from store.predictions import Predicted, save_predictions
from store.signals import SignalRow, latest_signals
from store.tables import GameSignal, Prediction, UserModel, UserModelRun, table_of
from store.upsert import insert_ignore

log = logging.getLogger("benny.user_models")

STALE = timedelta(hours=1)  # a run "running" this long was abandoned by a crashed worker
MAX_ATTEMPTS = 3
USER_MODEL = "user_model"  # the model name on a user model's predictions; user_model_id says whose


class QueueSummary(BaseModel):
    queued: int
    ran: int
    failed: int
    predictions: int


def queue_user_models(session: Session, *, now: datetime) -> int:
    """Signals for the coming games and for newly finished ones, then a run per active model; runs queued."""
    models = table_of(UserModel)
    active = session.execute(sa.select(models.c.id).where(models.c.status == "active")).scalars().all()
    if not active:
        return 0  # no model to run: no signals to compute (a backtest fills in history itself)
    record_upcoming(session, now=now)
    backfill_closing(session, before=now)
    rows = [
        {
            "user_model_id": mid,
            "as_of": now,
            "status": "queued",
            "attempts": 0,
            "enqueued_at": now,
            "predictions": 0,
        }
        for mid in active
    ]
    return insert_ignore(session, table_of(UserModelRun), rows, conflict=["user_model_id", "as_of"])


def _claim(ctx: ToolContext) -> tuple[int, int, datetime] | None:
    runs = table_of(UserModelRun)
    now = ctx.now()
    with ctx.unit_of_work() as session:
        session.execute(
            sa.update(runs)
            .where(runs.c.status == "running", runs.c.started_at < now - STALE)
            .values(status="queued")
        )
        candidate = session.execute(
            sa.select(runs.c.id)
            .where(runs.c.status == "queued")
            .order_by(runs.c.enqueued_at, runs.c.id)
            .limit(1)
        ).scalar_one_or_none()
        if candidate is None:
            return None
        claimed = session.execute(
            sa.update(runs)
            .where(runs.c.id == candidate, runs.c.status == "queued")
            .values(status="running", attempts=runs.c.attempts + 1, started_at=now)
            .returning(runs.c.id, runs.c.user_model_id, runs.c.as_of)
        ).first()
    return None if claimed is None else (int(claimed[0]), int(claimed[1]), claimed[2])


def run_queue(ctx: ToolContext, *, limit: int = 200) -> QueueSummary:
    """Run queued user models until none is left (or ``limit`` runs), each run in its own transaction."""
    runs = table_of(UserModelRun)
    ran = failed = stored = 0
    for _ in range(limit):
        claimed = _claim(ctx)
        if claimed is None:
            break
        run_id, model_id, as_of = claimed
        try:
            with ctx.unit_of_work() as session:
                count = _run_one(session, model_id=model_id, as_of=as_of)
                session.execute(
                    sa.update(runs)
                    .where(runs.c.id == run_id)
                    .values(status="done", finished_at=ctx.now(), predictions=count, error=None)
                )
            ran, stored = ran + 1, stored + count
        except Exception as exc:  # a model's failure is recorded; the others still run
            log.exception("user model run %s failed", run_id)
            failed += 1
            with ctx.unit_of_work() as session:
                attempts = session.execute(sa.select(runs.c.attempts).where(runs.c.id == run_id)).scalar_one()
                session.execute(
                    sa.update(runs)
                    .where(runs.c.id == run_id)
                    .values(
                        status="queued" if attempts < MAX_ATTEMPTS else "failed",
                        finished_at=ctx.now(),
                        error=f"{type(exc).__name__}: {exc}"[:2000],
                    )
                )
    with ctx.unit_of_work() as session:
        left = session.execute(
            sa.select(sa.func.count()).select_from(runs).where(runs.c.status == "queued")
        ).scalar_one()
    return QueueSummary(queued=int(left), ran=ran, failed=failed, predictions=stored)


def _run_one(session: Session, *, model_id: int, as_of: datetime) -> int:
    """Store one model's predictions of the games signalled at ``as_of``; 0 when already stored."""
    pred, models, signals = table_of(Prediction), table_of(UserModel), table_of(GameSignal)
    done = session.execute(
        sa.select(pred.c.id).where(pred.c.user_model_id == model_id, pred.c.as_of == as_of).limit(1)
    ).first()
    if done is not None:
        return 0  # a rerun of a run that stored its predictions before a crash: nothing twice
    row = session.execute(sa.select(models.c.spec, models.c.status).where(models.c.id == model_id)).first()
    if row is None or row.status != "active":
        return 0
    spec = ModelSpec.from_json(row.spec)
    weights = [spec.weights[s] for s in Source]
    sports, markets = [s.value for s in spec.sports], [m.value for m in spec.markets]
    # Signals of the games still to start, as of the run's moment.
    upcoming_ids = (
        session.execute(
            sa.select(signals.c.game_id)
            .where(signals.c.as_of == as_of, signals.c.market.in_(markets))
            .distinct()
        )
        .scalars()
        .all()
    )
    games = {g.game.id: g.game for g in games_with_ids(session=session, game_ids=list(upcoming_ids))}
    upcoming = [
        r
        for r in latest_signals(
            session=session, sport_keys=sports, markets=markets, start=as_of, end=as_of + timedelta(days=14)
        )
        if r.as_of == as_of and r.game_id in games
    ]
    items: list[Predicted] = []
    for sport in spec.sports:
        for market in spec.markets:
            now_rows = [r for r in upcoming if r.sport_key == sport.value and r.market == market.value]
            if not now_rows:
                continue
            past = Arrays.load(session, sport, market, as_of - FIT_YEARS, as_of, known_before=as_of)
            k = fitted_slope(past, weights) if len(past) else 0.0
            arrays = Arrays.of_rows(now_rows, sport, market)
            probs = probabilities(arrays, weights, k)
            items += _predictions(now_rows, arrays, probs, games, model_id, market, k)
    return save_predictions(session=session, items=items, as_of=as_of) if items else 0


def _predictions(
    rows: Sequence[SignalRow],
    arrays: Arrays,
    probs: np.ndarray,
    games: dict[str, GameInfo],
    model_id: int,
    market: Market,
    k: float,
) -> list[Predicted]:
    out = []
    for i, row in enumerate(rows):
        p = probs[i]
        if np.any(np.isnan(p)):
            continue
        pick = max(range(len(arrays.sides)), key=lambda j: p[j])
        side = arrays.sides[pick]
        prices = {
            s: float(arrays.prices[i][j])
            for j, s in enumerate(arrays.sides)
            if not np.isnan(arrays.prices[i][j])
        }
        prediction = MarketPrediction(
            market=market,
            point=row.point,
            probabilities={s: float(p[j]) for j, s in enumerate(arrays.sides)},
            pick=side,
            reason={"source": "user_model", "slope": round(k, 4)},
            price_decimal=prices.get(side),
            prices=prices,
        )
        game = games[row.game_id]
        out.append(
            Predicted(
                game=game,
                model=USER_MODEL,
                prediction=prediction,
                confidence=float(p[pick]),
                user_model_id=model_id,
            )
        )
    return out
