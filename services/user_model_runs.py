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
from pydantic import BaseModel, computed_field

from core.models.base import MarketPrediction
from core.quotes import GameInfo
from core.sports import Market
from core.user_models.spec import ModelSpec, Source
from services.context import ToolContext
from services.run_status import RunStatus, combined
from services.user_model_backtest import FIT_YEARS, Arrays, fitted_slope, probabilities
from services.user_model_signals import backfill_closing, record_upcoming
from store.db import Session
from store.odds import games_with_ids
from store.predictions import Predicted, has_user_model_predictions, save_predictions
from store.signals import SignalRow, latest_signals, signalled_games
from store.user_model_runs import (
    ClaimedRun,
    active_model_ids,
    active_spec,
    claim_run,
    fail_run,
    finish_run,
    queue_runs,
    queued_runs,
)

log = logging.getLogger("benny.user_models")

STALE = timedelta(hours=1)  # a run "running" this long was abandoned by a crashed worker
MAX_ATTEMPTS = 3
USER_MODEL = "user_model"  # the model name on a user model's predictions; user_model_id says whose


class QueueSummary(BaseModel):
    queued: int
    ran: int
    failed: int
    predictions: int
    last_error: str | None = None  # the last failed run's (each run's is in user_model_runs)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> RunStatus:
        """ok, partial (some model runs failed) or failed (every run taken failed)."""
        return combined(["ok"] * self.ran + ["failed"] * self.failed)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def error(self) -> str | None:
        if not self.failed:
            return None
        last = f"; the last: {self.last_error}" if self.last_error else ""
        return f"{self.failed} of {self.ran + self.failed} user-model runs failed{last}"


def queue_user_models(session: Session, *, now: datetime) -> int:
    """Signals for the coming games and for newly finished ones, then a run per active model; runs queued."""
    active = active_model_ids(session=session)
    if not active:
        return 0  # no model to run: no signals to compute (a backtest fills in history itself)
    record_upcoming(session, now=now)
    backfill_closing(session, before=now)
    return queue_runs(session=session, model_ids=active, as_of=now, now=now)


def _claim(ctx: ToolContext) -> ClaimedRun | None:
    with ctx.unit_of_work() as session:
        return claim_run(session=session, now=ctx.now(), stale=STALE)


def run_queue(ctx: ToolContext, *, limit: int = 200) -> QueueSummary:
    """Run queued user models until none is left (or ``limit`` runs), each run in its own transaction."""
    ran = failed = stored = 0
    last_error = ""
    for _ in range(limit):
        claimed = _claim(ctx)
        if claimed is None:
            break
        try:
            with ctx.unit_of_work() as session:
                count = _run_one(session, model_id=claimed.user_model_id, as_of=claimed.as_of)
                finish_run(session=session, run_id=claimed.id, now=ctx.now(), predictions=count)
            ran, stored = ran + 1, stored + count
        except Exception as exc:  # a model's failure is recorded; the others still run
            log.exception("user model run %s failed", claimed.id)
            failed += 1
            last_error = f"{type(exc).__name__}: {exc}"
            with ctx.unit_of_work() as session:
                fail_run(
                    session=session,
                    run_id=claimed.id,
                    now=ctx.now(),
                    error=last_error,
                    max_attempts=MAX_ATTEMPTS,
                )
    with ctx.unit_of_work() as session:
        left = queued_runs(session=session)
    return QueueSummary(
        queued=left, ran=ran, failed=failed, predictions=stored, last_error=last_error or None
    )


def _run_one(session: Session, *, model_id: int, as_of: datetime) -> int:
    """Store one model's predictions of the games signalled at ``as_of``; 0 when already stored."""
    if has_user_model_predictions(session=session, user_model_id=model_id, as_of=as_of):
        return 0  # a rerun of a run that stored its predictions before a crash: nothing twice
    stored_spec = active_spec(session=session, model_id=model_id)
    if stored_spec is None:
        return 0
    spec = ModelSpec.from_json(stored_spec)
    weights = [spec.weights[s] for s in Source]
    sports, markets = [s.value for s in spec.sports], [m.value for m in spec.markets]
    # Signals of the games still to start, as of the run's moment.
    upcoming_ids = signalled_games(session=session, as_of=as_of, markets=markets)
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
