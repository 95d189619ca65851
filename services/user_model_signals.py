"""The user-model signals of games, computed by the live code from their contexts and stored once.

``signal_rows`` turns game contexts into ``game_signals`` rows: per market, the devigged
consensus (the prior), the five standardised signals (``core.user_models.signals``), the main
line and the best price of every side. ``record_upcoming`` stores them for the coming games at a
moment; ``backfill_closing`` stores each finished game's closing signals (as of its last snapshot
before the start), the history user models are fit and backtested on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.models.base import GameContext, best_prices
from core.models.consensus import market_fair
from core.models.offset_logistic import binary_logit
from core.user_models.signals import signal_vector
from services.game_contexts import closing_contexts, contexts_at
from store.db import Session
from store.evaluation import snapshot_schedule
from store.odds import games_between, games_with_ids
from store.signals import finished_without_signals, save_signals

UPCOMING = timedelta(hours=48)


def signal_rows(contexts: Sequence[GameContext]) -> list[dict[str, Any]]:
    """One ``game_signals`` row per priced market of each context, as of the context's moment."""
    rows = []
    for context in contexts:
        for market, book in sorted(context.markets.items()):
            prior = market_fair(book)
            if prior is None:
                continue
            best = best_prices(book)
            rows.append(
                {
                    "game_id": context.game.id,
                    "market": market.value,
                    "as_of": context.as_of,
                    "prior_logit": float(binary_logit(prior)),
                    "signals": {
                        k: (None if v is None else float(v))
                        for k, v in signal_vector(context, market).items()
                    },
                    "point": book.point,
                    "fair": {side.value: float(p) for side, p in zip(book.sides, prior, strict=True)},
                    "prices": {side.value: line.prices[side] for side, line in best.items()},
                }
            )
    return rows


def record_upcoming(session: Session, *, now: datetime) -> list[GameContext]:
    """Store the signals of the games starting in the next 48 hours, as of ``now``; their contexts."""
    contexts = contexts_at(
        session, now=now, rows=games_between(session=session, start=now, end=now + UPCOMING)
    )
    save_signals(session=session, rows=signal_rows(contexts))
    return contexts


def backfill_closing(session: Session, *, before: datetime, batch: int = 2000) -> int:
    """Store the closing signals of finished games that have none yet; how many games were filled."""
    # Only the finished games still without signals are read: a run that has nothing to fill in
    # costs one query, not a pass over every snapshot and result in the store.
    todo = finished_without_signals(session=session, before=before)
    closing = {t.game_id: t.closing for t in snapshot_schedule(session=session, game_ids=todo)}
    missing = sorted(closing)
    filled = 0
    for start in range(0, len(missing), batch):
        ids = missing[start : start + batch]
        rows = [
            r
            for s in range(0, len(ids), 500)
            for r in games_with_ids(session=session, game_ids=ids[s : s + 500])
        ]
        items = sorted(((row, closing[row.game.id]) for row in rows), key=lambda i: (i[1], i[0].game.id))
        save_signals(session=session, rows=signal_rows(closing_contexts(session, items=items, before=before)))
        filled += len(items)
    return filled
