"""Stored user-model signals: each market of each game, as of a moment, written once.

The live user-models job stores the signals of the coming games at each run, and the closing
signals of finished games (as of each game's last snapshot before its start) are filled in for
history; backtests and fits then read plain arrays instead of rebuilding contexts.
"""

from __future__ import annotations

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


def finished_signal_table(
    *,
    session: Session,
    sport_key: str,
    market: str,
    sources: Sequence[str],
    sides: Sequence[str],
    start: datetime,
    end: datetime,
    known_before: datetime,
) -> list[tuple[float | None, ...]]:
    """``latest_signals`` of one sport and market's games whose results were known before ``known_before``.

    Backtests read tens of thousands of these, so the database picks the numbers out of the JSON
    and each row comes back as plain numbers: prior_logit, point, home_score, away_score, then
    each source's signal, each side's fair probability and each side's price (None where absent).
    Ordered by start, then game id.
    """
    sig, game, outcome = table_of(GameSignal), table_of(Game), table_of(Outcome)
    newest = _newest([sport_key], [market], start, end)
    columns = [
        sig.c.prior_logit, sig.c.point, outcome.c.home_score, outcome.c.away_score,
        *(sig.c.signals[name].as_float() for name in sources),
        *(sig.c.fair[side].as_float() for side in sides),
        *(sig.c.prices[side].as_float() for side in sides),
    ]  # fmt: skip
    rows = session.execute(
        sa.select(*columns)
        .join(newest, sa.and_(
            sig.c.game_id == newest.c.game_id, sig.c.market == newest.c.market, sig.c.as_of == newest.c.as_of
        ))
        .join(game, game.c.id == sig.c.game_id)
        .join(outcome, outcome.c.game_id == sig.c.game_id)
        .where(outcome.c.completed_at < known_before)
        .order_by(game.c.commence_time, sig.c.game_id)
    )  # fmt: skip
    return [tuple(row) for row in rows]


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


def signalled_games(*, session: Session, as_of: datetime, markets: Sequence[str]) -> list[str]:
    """The games with signals in any of ``markets`` recorded at exactly ``as_of``."""
    sig = table_of(GameSignal)
    return list(
        session.execute(
            sa.select(sig.c.game_id).where(sig.c.as_of == as_of, sig.c.market.in_(markets)).distinct()
        ).scalars()
    )
