"""The analysis run: every registered model on every upcoming game, stored with inverses in one transaction.

The same function serves the live loop, the CLI and (with an injected clock) replays and
evaluations: a model sees only what the store holds as of the run's clock.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from core.confidence import adjusted_confidence
from core.errors import InvalidInput
from core.form import TeamGame
from core.models.base import GameContext, Model
from core.models.training import run_models
from core.sports import parse_sport
from services.context import ToolContext
from services.game_contexts import contexts_at
from services.model_fits import fitted_models
from store.adjustments import current_multipliers
from store.db import Session
from store.form import HistoryIndex
from store.odds import GameRow, games_between
from store.predictions import Predicted, save_predictions


class AnalysisSummary(BaseModel):
    as_of: datetime
    games: int
    predictions: int = Field(description="rows stored: each prediction and its inverse")
    by_model: dict[str, int]
    model_ms: float = Field(description="time the models took")
    write_ms: float = Field(description="time storing took")


def analyze(ctx: ToolContext, *, sport: str | None = None, hours: int = 48) -> AnalysisSummary:
    """Predict every market of every game starting in the next ``hours`` with every model; one transaction.

    The models are the week's fit (``services.model_fits``): the first run of a week fits them on the
    stored history and keeps the fit.
    """
    if not 1 <= hours <= 336:
        raise InvalidInput(f"hours must be between 1 and 336, got {hours}")
    now = ctx.now()
    chosen = parse_sport(sport) if sport else None
    with ctx.unit_of_work() as session:
        rows = games_between(session=session, start=now, end=now + timedelta(hours=hours), sport=chosen)
        models = fitted_models(session, now=now)
        summary, _ = run_analysis(session, now=now, rows=rows, models=models)
    return summary


def run_analysis(
    session: Session,
    *,
    now: datetime,
    rows: Sequence[GameRow],
    models: Sequence[Model],
    histories: dict[int, list[TeamGame]] | None = None,
    index: HistoryIndex | None = None,
) -> tuple[AnalysisSummary, list[GameContext]]:
    """The analysis of ``rows`` at ``now`` in the caller's transaction: the live run, and replays'.

    ``models`` run in order (ensemble and benny after the models they read); returns the summary
    and each game's context with every model's output in its signals. ``histories`` lets a
    replay reuse teams' histories while no new result has become known (it clears the cache
    when one has); the live run reads them afresh.
    """
    contexts = contexts_at(session, now=now, rows=rows, histories=histories, index=index)
    multipliers = current_multipliers(session=session, as_of=now)
    started = time.perf_counter()
    contexts = [run_models(models, context) for context in contexts]
    predicted = [
        Predicted(
            game=c.game,
            model=name,
            prediction=p,
            # Confidence starts as the probability and is scaled by the model's record.
            confidence=adjusted_confidence(
                p.probability, multipliers.get((name, c.game.sport.value, p.market.value), 1.0)
            ),
        )
        for c in contexts
        for name, predictions in c.signals.items()
        for p in predictions
    ]
    model_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    stored = save_predictions(session=session, items=predicted, as_of=now)
    write_ms = (time.perf_counter() - started) * 1000
    summary = AnalysisSummary(
        as_of=now,
        games=len(rows),
        predictions=stored,
        by_model=dict(Counter(p.model for p in predicted)),
        model_ms=round(model_ms, 2),
        write_ms=round(write_ms, 2),
    )
    return summary, contexts
