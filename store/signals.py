"""Stored user-model signals: each market of each game, as of a moment, written once.

The live user-models job stores the signals of the coming games at each run, and the closing
signals of finished games (as of each game's last snapshot before its start) are filled in for
history; backtests and fits then read plain arrays instead of rebuilding contexts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import Game, GameSignal, Outcome, table_of
from store.upsert import insert_ignore


def save_signals(*, session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Store signal rows (GameSignal columns); one already stored for its game, market and moment stays."""
    return insert_ignore(session, table_of(GameSignal), list(rows), conflict=["game_id", "market", "as_of"])


@dataclass(frozen=True, slots=True)
class SignalRow:
    game_id: str
    sport_key: str
    commence_time: datetime
    market: str
    as_of: datetime
    prior_logit: float
    signals: dict[str, Any]
    point: float | None
    fair: dict[str, Any] | None
    prices: dict[str, Any] | None
    home_score: int | None
    away_score: int | None
    completed_at: datetime | None


def _newest(sport_keys: Sequence[str], markets: Sequence[str], start: datetime, end: datetime) -> Any:
    """Per game and market starting in [start, end): the moment of its newest signals before the start."""
    sig, game = table_of(GameSignal), table_of(Game)
    return (
        sa.select(sig.c.game_id, sig.c.market, sa.func.max(sig.c.as_of).label("as_of"))
        .join(game, game.c.id == sig.c.game_id)
        .where(
            game.c.sport_key.in_(list(sport_keys)),
            sig.c.market.in_(list(markets)),
            game.c.commence_time >= start,
            game.c.commence_time < end,
            sig.c.as_of < game.c.commence_time,
        )
        .group_by(sig.c.game_id, sig.c.market)
        .subquery()
    )


def latest_signals(
    *,
    session: Session,
    sport_keys: Sequence[str],
    markets: Sequence[str],
    start: datetime,
    end: datetime,
) -> list[SignalRow]:
    """Per game and market starting in [start, end): its newest signals from before the start, and its result.

    Ordered by start, then game id, then market: the order games are played and backtested in.
    """
    sig, game, outcome = table_of(GameSignal), table_of(Game), table_of(Outcome)
    newest = _newest(sport_keys, markets, start, end)
    rows = session.execute(
        sa.select(
            sig.c.game_id, game.c.sport_key, game.c.commence_time, sig.c.market, sig.c.as_of,
            sig.c.prior_logit, sig.c.signals, sig.c.point, sig.c.fair, sig.c.prices, outcome.c.home_score,
            outcome.c.away_score, outcome.c.completed_at,
        )
        .join(newest, sa.and_(
            sig.c.game_id == newest.c.game_id, sig.c.market == newest.c.market, sig.c.as_of == newest.c.as_of
        ))
        .join(game, game.c.id == sig.c.game_id)
        .outerjoin(outcome, outcome.c.game_id == sig.c.game_id)
        .order_by(game.c.commence_time, sig.c.game_id, sig.c.market)
    )  # fmt: skip
    return [SignalRow(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class FinishedSignals:
    """A finished game's closing signals and result, read lean for backtests."""

    game_id: str
    sport_key: str
    market: str
    prior_logit: float
    signals: dict[str, Any]
    point: float | None
    fair: dict[str, Any] | None
    prices: dict[str, Any] | None
    home_score: int
    away_score: int


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def finished_signals(
    *,
    session: Session,
    sport_keys: Sequence[str],
    markets: Sequence[str],
    start: datetime,
    end: datetime,
    known_before: datetime,
) -> list[FinishedSignals]:
    """``latest_signals`` of the games whose results were known before ``known_before``, read lean.

    Backtests read tens of thousands of these: the JSON comes back as text and is parsed once, and
    no timestamp is converted, which is most of what reading them costs.
    """
    sig, game, outcome = table_of(GameSignal), table_of(Game), table_of(Outcome)
    newest = _newest(sport_keys, markets, start, end)
    text = sa.String
    rows = session.execute(
        sa.select(
            sig.c.game_id, game.c.sport_key, sig.c.market, sig.c.prior_logit,
            sa.type_coerce(sig.c.signals, text), sig.c.point, sa.type_coerce(sig.c.fair, text),
            sa.type_coerce(sig.c.prices, text),
            outcome.c.home_score, outcome.c.away_score,
        )
        .join(newest, sa.and_(
            sig.c.game_id == newest.c.game_id, sig.c.market == newest.c.market, sig.c.as_of == newest.c.as_of
        ))
        .join(game, game.c.id == sig.c.game_id)
        .join(outcome, outcome.c.game_id == sig.c.game_id)
        .where(outcome.c.completed_at < known_before)
        .order_by(game.c.commence_time, sig.c.game_id, sig.c.market)
    )  # fmt: skip
    return [
        FinishedSignals(gid, sport, market, prior, _json(s), point, _json(f), _json(p), home, away)
        for gid, sport, market, prior, s, point, f, p, home, away in rows
    ]


def finished_without_signals(*, session: Session, before: datetime) -> list[str]:
    """Games whose results were known before ``before`` and that have no signals from before their start."""
    sig, game, outcome = table_of(GameSignal), table_of(Game), table_of(Outcome)
    stored = sa.exists().where(sig.c.game_id == game.c.id, sig.c.as_of < game.c.commence_time)
    return list(
        session.execute(
            sa.select(game.c.id)
            .join(outcome, outcome.c.game_id == game.c.id)
            .where(outcome.c.completed_at < before, ~stored)
            .order_by(game.c.id)
        ).scalars()
    )
