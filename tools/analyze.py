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
from sqlmodel import Session

from core.confidence import adjusted_confidence
from core.errors import InvalidInput
from core.form import TeamGame
from core.models import REGISTRY
from core.models.base import GameContext, Model
from core.models.training import run_models
from core.sports import Market, parse_sport
from store.adjustments import current_multipliers
from store.form import HistoryIndex
from store.odds import GameRow, games_between
from store.predictions import Predicted, latest_predictions, save_predictions
from tools.context import current
from tools.fitting import fitted_models
from tools.game_contexts import contexts_at
from tools.registry import tool


class AnalysisSummary(BaseModel):
    as_of: datetime
    games: int
    predictions: int = Field(description="rows stored: each prediction and its inverse")
    by_model: dict[str, int]
    model_ms: float = Field(description="time the models took")
    write_ms: float = Field(description="time storing took")


def analyze(*, sport: str | None = None, hours: int = 48) -> AnalysisSummary:
    """Predict every market of every game starting in the next ``hours`` with every model; one transaction.

    The models are the week's fit (``tools.fitting``): the first run of a week fits them on the
    stored history and keeps the fit.
    """
    if not 1 <= hours <= 336:
        raise InvalidInput(f"hours must be between 1 and 336, got {hours}")
    ctx = current()
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


class PredictionView(BaseModel):
    game_id: str
    commence_time: datetime
    matchup: str
    model: str
    market: str
    pick: str = Field(description="the side picked: home, away, draw, over or under")
    pick_label: str = Field(description="the team, 'Draw', 'Over' or 'Under'")
    point: float | None
    probability: float
    confidence: float
    odds_decimal: float | None = Field(description="the best price for the pick when it was made")
    book: str | None


@tool(tags=("models",))
def get_predictions(
    sport: str = "nba",
    model: str | None = None,
    game_id: str | None = None,
    hours: int = 48,
    market: str | None = None,
) -> list[PredictionView]:
    """The models' latest predictions for upcoming games: pick, probability, confidence and price.

    Args:
        sport: nba, nfl, mlb, nhl or epl.
        model: only this model (consensus, value, ...); omitted, every model.
        game_id: only this game.
        hours: games starting within this many hours (1 to 336).
        market: only this market (h2h, spreads or totals); omitted, every market.
    """
    if not 1 <= hours <= 336:
        raise InvalidInput(f"hours must be between 1 and 336, got {hours}")
    if market is not None and market not in {m.value for m in Market}:
        raise InvalidInput(f"market must be h2h, spreads or totals, got {market!r}")
    if model is not None and model not in REGISTRY:
        raise InvalidInput(f"model must be one of {', '.join(sorted(REGISTRY))}, got {model!r}")
    ctx = current()
    now = ctx.now()
    with ctx.unit_of_work() as session:
        rows = latest_predictions(
            session=session,
            sport_key=parse_sport(sport).value,
            model=model,
            game_id=game_id,
            start=now,
            end=now + timedelta(hours=hours),
        )
    views = []
    for r in rows:
        if market is not None and r.market != market:
            continue
        labels = {"home": r.home_team, "away": r.away_team}
        views.append(
            PredictionView(
                game_id=r.game_id,
                commence_time=r.commence_time,
                matchup=f"{r.away_team} @ {r.home_team}",
                model=r.model,
                market=r.market,
                pick=r.side,
                pick_label=labels.get(r.side) or r.side.title(),
                point=r.point,
                probability=round(r.probability, 4),
                confidence=round(r.confidence, 4),
                odds_decimal=r.price_decimal,
                book=(r.reason or {}).get("book"),
            )
        )
    return views
