"""Predictions and their inverses: stored together, the newest per game, model and market flagged latest.

The inverse of a two-way prediction is the other side at the mirrored line, with probability
and confidence 1 - the original's. For a three-way market (soccer's moneyline) the inverse of
"home" is "not home" (a draw or an away win): it is stored on the same side with
``is_inverse`` set, and graded as the negation of that side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from core.models.base import MarketPrediction
from core.quotes import GameInfo
from core.sports import Market, Side, sides_for
from store.tables import Prediction, table_of


@dataclass(frozen=True, slots=True)
class Predicted:
    """One model's prediction of one market of one game, ready to store."""

    game: GameInfo
    model: str
    prediction: MarketPrediction
    confidence: float
    user_model_id: int | None = None


def _side_point(market: Market, side: Side, home_or_over_point: float | None) -> float | None:
    """The point from ``side``'s own perspective (spreads mirror; totals and moneylines do not)."""
    if market is Market.SPREADS and home_or_over_point is not None and side is Side.AWAY:
        return -home_or_over_point + 0.0
    return home_or_over_point


def _other(sides: tuple[Side, ...], side: Side) -> Side:
    return next(s for s in sides if s is not side)


# The key of the PostgreSQL advisory lock that one transaction at a time holds while it moves the
# latest flag ("LATEST" in ASCII; the scheduler's key is another).
_LATEST_LOCK_KEY = 0x4C4154455354


def save_predictions(*, session: Session, items: Sequence[Predicted], as_of: datetime) -> int:
    """Store each prediction with its inverse as the latest of its pick; earlier ones stay as history.

    The database holds the rule (one latest original and one latest inverse per game, model or
    user model, and market: ``uq_predictions_latest*``); this keeps to it when analyses run at
    once. Unflagging the previous latest rows and inserting the new ones is serialized per
    database, in the caller's transaction until it commits: on SQLite the first UPDATE takes the
    write lock before it reads a row, on PostgreSQL an advisory lock comes first. A later writer
    then sees the earlier one's rows and unflags them, so five analyses at once leave what one
    leaves. One lock rather than one per game: a write takes milliseconds to a second, the
    lock table stays small whatever the slate, and two writers cannot deadlock over its order.

    A handful of statements whatever the slate's size: one UPDATE per model and market, the
    originals inserted (their ids come back in order), then the inverses pointing at them.
    """
    if not items:
        return 0
    table = table_of(Prediction)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LATEST_LOCK_KEY)))
    picks: dict[tuple[int | None, str, str], set[str]] = defaultdict(set)
    for p in items:
        picks[(p.user_model_id, p.model, p.prediction.market.value)].add(p.game.id)
    for (user_model_id, model, market), game_ids in picks.items():
        owner = (
            table.c.user_model_id.is_(None)
            if user_model_id is None
            else table.c.user_model_id == user_model_id
        )
        games = sorted(game_ids)
        for start in range(0, len(games), 500):
            # Found through the (game_id, latest) index, then read and written in one statement.
            session.execute(
                sa.update(table)
                .where(
                    table.c.game_id.in_(games[start : start + 500]),
                    table.c.latest.is_(True),
                    table.c.model == model,
                    table.c.market == market,
                    owner,
                )
                .values(latest=False)
            )
    originals = []
    for item in items:
        pred = item.prediction
        row = _row(
            item, side=pred.pick, probability=pred.probability, confidence=item.confidence, as_of=as_of
        )
        row["price_decimal"] = item.prediction.price_decimal
        originals.append(row)
    ids = (
        session.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), originals)
        .scalars()
        .all()
    )
    inverses = []
    for item, original_id in zip(items, ids, strict=True):
        pred = item.prediction
        sides = sides_for(item.game.sport, pred.market)
        if len(sides) == 2:
            inverse_side = _other(sides, pred.pick)
            inverse_price = pred.prices.get(inverse_side)
        else:
            inverse_side = pred.pick  # "not pick": same side, flagged inverse
            others = [pred.prices[s] for s in sides if s is not pred.pick and s in pred.prices]
            # Backing both other outcomes in proportion pays this single price (a "dutch").
            inverse_price = 1.0 / sum(1.0 / p for p in others) if len(others) == len(sides) - 1 else None
        inverse = _row(
            item,
            side=inverse_side,
            probability=1.0 - pred.probability,
            confidence=1.0 - item.confidence,
            as_of=as_of,
        )
        inverse.update(is_inverse=True, inverse_of_id=original_id, price_decimal=inverse_price)
        inverses.append(inverse)
    session.execute(sa.insert(table), inverses)
    return len(originals) + len(inverses)


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars (models compute with numpy) become Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def _row(
    item: Predicted, *, side: Side, probability: float, confidence: float, as_of: datetime
) -> dict[str, Any]:
    pred = item.prediction
    return {
        "game_id": item.game.id,
        "sport_key": item.game.sport.value,
        "model": item.model,
        "user_model_id": item.user_model_id,
        "market": pred.market.value,
        "side": side.value,
        "point": _side_point(pred.market, side, pred.point),
        "probability": probability,
        "confidence": confidence,
        "is_inverse": False,
        "as_of": as_of,
        "latest": True,
        # Every side's probability rides along, so multi-outcome scores can be computed later.
        "reason": _plain(
            dict(pred.reason)
            | ({"book": pred.book} if pred.book else {})
            | {"probabilities": {side.value: p for side, p in pred.probabilities.items()}}
        ),
    }


@dataclass(frozen=True, slots=True)
class StoredPrediction:
    id: int
    game_id: str
    sport_key: str
    commence_time: datetime
    home_team: str
    away_team: str
    model: str
    market: str
    side: str
    point: float | None
    price_decimal: float | None
    probability: float
    confidence: float
    is_inverse: bool
    as_of: datetime
    reason: dict[str, Any] | None


def latest_predictions(
    *,
    session: Session,
    sport_key: str | None = None,
    model: str | None = None,
    game_id: str | None = None,
    game_ids: Sequence[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    include_inverse: bool = False,
) -> list[StoredPrediction]:
    """The latest predictions of games starting in [start, end), soonest first."""
    from store.tables import Game, Team

    pred, game = table_of(Prediction), table_of(Game)
    home, away = table_of(Team).alias("home"), table_of(Team).alias("away")
    query = (
        sa.select(
            pred.c.id, pred.c.game_id, pred.c.sport_key, game.c.commence_time, home.c.name, away.c.name,
            pred.c.model, pred.c.market, pred.c.side, pred.c.point, pred.c.price_decimal, pred.c.probability,
            pred.c.confidence, pred.c.is_inverse, pred.c.as_of, pred.c.reason,
        )
        .join(game, game.c.id == pred.c.game_id)
        .join(home, home.c.id == game.c.home_team_id)
        .join(away, away.c.id == game.c.away_team_id)
        .where(pred.c.latest.is_(True), pred.c.user_model_id.is_(None))
        .order_by(game.c.commence_time, pred.c.game_id, pred.c.model, pred.c.market, pred.c.is_inverse)
    )  # fmt: skip
    if not include_inverse:
        query = query.where(pred.c.is_inverse.is_(False))
    if sport_key is not None:
        query = query.where(pred.c.sport_key == sport_key)
    if model is not None:
        query = query.where(pred.c.model == model)
    if game_id is not None:
        query = query.where(pred.c.game_id == game_id)
    if game_ids is not None:
        query = query.where(pred.c.game_id.in_(list(game_ids)))
    if start is not None:
        query = query.where(game.c.commence_time >= start)
    if end is not None:
        query = query.where(game.c.commence_time < end)
    return [StoredPrediction(*row) for row in session.execute(query)]


def latest_originals(*, session: Session, game_ids: Sequence[str]) -> list[StoredPrediction]:
    """The system models' latest original predictions of the named games (what each said last)."""
    out: list[StoredPrediction] = []
    ids = sorted(set(game_ids))
    for start in range(0, len(ids), 500):
        out.extend(
            p
            for p in latest_predictions(session=session, game_ids=ids[start : start + 500])
            if not p.is_inverse
        )
    return out


def latest_prediction_id(*, session: Session, game_id: str, model: str, market: str) -> int | None:
    """The id of a system model's latest original prediction of a game's market."""
    pred = table_of(Prediction)
    return session.execute(
        sa.select(pred.c.id).where(
            pred.c.game_id == game_id,
            pred.c.model == model,
            pred.c.market == market,
            pred.c.latest.is_(True),
            pred.c.is_inverse.is_(False),
            pred.c.user_model_id.is_(None),
        )
    ).scalar_one_or_none()


def has_user_model_predictions(*, session: Session, user_model_id: int, as_of: datetime) -> bool:
    """Whether a user model's predictions as of ``as_of`` are stored (a rerun must not store them twice)."""
    pred = table_of(Prediction)
    found = session.execute(
        sa.select(pred.c.id).where(pred.c.user_model_id == user_model_id, pred.c.as_of == as_of).limit(1)
    ).first()
    return found is not None
