"""The models as fit for a moment: read from the week's stored fit, or fit from stored history once.

Every analysis run — the live loop's, the CLI's and ``benny evaluate``'s — predicts with the
models as fit at the week's fit moment (``core.models.walk_forward.fit_moment``). The first run of a
week finds no stored fit, rebuilds the training examples the store holds (each finished game's
context at its last snapshot before the start, the models' last predictions of it as the
signals the ensemble learns from, and the final score), fits the trainable models on those
whose results were known before the fit moment, and stores the parameters; later runs that
week read them back. A replay fits in memory as it goes and stores its fits the same way, so a
live database and a replay of the same history fit the same models for the same week.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import datetime
from weakref import WeakKeyDictionary

from core.models import REGISTRY
from core.models.base import MarketPrediction, Model
from core.models.training import TrainingExample
from core.models.walk_forward import Trainer, fit_moment, fitted_states, restore
from core.sports import Market, Side
from services.game_contexts import closing_contexts
from store.db import Session
from store.evaluation import results, snapshot_schedule
from store.fits import load_fits, save_fits
from store.odds import games_with_ids
from store.predictions import StoredPrediction, latest_originals


@dataclass
class _Memo:
    """A trainer kept per database between runs, so a week's refit only adds the newly finished games."""

    trainer: Trainer
    lock: threading.Lock = field(default_factory=threading.Lock)


# Keyed by engine (one per database in a process) and the models' names; dropped with the engine.
_MEMOS: WeakKeyDictionary[object, dict[tuple[str, ...], _Memo]] = WeakKeyDictionary()


def fitted_models(session: Session, *, now: datetime, models: Sequence[Model] | None = None) -> list[Model]:
    """The models as fit for ``now``: the week's stored fit, or one made now from stored history and kept."""
    base = list(REGISTRY.values()) if models is None else list(models)
    moment = fit_moment(now)
    restored = restore(base, load_fits(session=session, fitted_for=moment))
    if restored is not None:
        return restored
    memos = _MEMOS.setdefault(session.get_bind(), {})
    memo = memos.setdefault(tuple(m.name for m in base), _Memo(Trainer(base)))
    with memo.lock:
        trainer = memo.trainer
        for example in stored_examples(session, before=moment, skip=trainer.games):
            trainer.add(example)
        fitted = trainer.models_at(moment)
    keep_fit(session, trainer=trainer, models=fitted, created_at=now)
    return fitted


def keep_fit(session: Session, *, trainer: Trainer, models: Sequence[Model], created_at: datetime) -> None:
    """Store the trainer's current fit for its fit moment (a fit already stored for it is kept)."""
    if trainer.last_fit is not None:
        save_fits(
            session=session,
            fitted_for=trainer.last_fit,
            states=fitted_states(models),
            examples=trainer.examples,
            created_at=created_at,
        )


def stored_examples(
    session: Session, *, before: datetime, skip: AbstractSet[str] = frozenset()
) -> list[TrainingExample]:
    """Every finished game whose result was known before ``before`` (except ``skip``), as a training example.

    Its context is the one its last snapshot before the start gave (the closing moment the live
    loop and a replay predict it at), with the system models' last predictions as its signals.
    """
    known = {gid: r for gid, r in results(session=session).items() if r[2] < before and gid not in skip}
    closing = {t.game_id: t.closing for t in snapshot_schedule(session=session) if t.game_id in known}
    ids = sorted(closing)
    rows = [
        row
        for start in range(0, len(ids), 500)
        for row in games_with_ids(session=session, game_ids=ids[start : start + 500])
    ]
    signals = _signals(latest_originals(session=session, game_ids=ids))
    items = sorted(((row, closing[row.game.id]) for row in rows), key=lambda item: (item[1], item[0].game.id))
    examples = []
    for context in closing_contexts(session, items=items, before=before):
        home, away, completed_at = known[context.game.id]
        context = replace(context, signals=signals.get(context.game.id, {}))
        examples.append(TrainingExample(context, home, away, completed_at=completed_at))
    return examples


def _signals(rows: Sequence[StoredPrediction]) -> dict[str, dict[str, tuple[MarketPrediction, ...]]]:
    """Stored predictions back as the models' signals, by game and model."""
    out: dict[str, dict[str, list[MarketPrediction]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.model not in REGISTRY:
            continue
        market, side = Market(row.market), Side(row.side)
        probabilities = (row.reason or {}).get("probabilities")
        if not probabilities:
            continue
        # The stored point is the pick's own; a prediction's point is the home handicap or the total.
        point = row.point
        if market is Market.SPREADS and point is not None and side is Side.AWAY:
            point = -point + 0.0
        out[row.game_id][row.model].append(
            MarketPrediction(
                market=market,
                point=point,
                probabilities={Side(s): float(p) for s, p in probabilities.items()},
                pick=side,
                reason={},
                price_decimal=row.price_decimal,
            )
        )
    return {
        game: {model: tuple(preds) for model, preds in by_model.items()} for game, by_model in out.items()
    }
