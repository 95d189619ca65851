"""Benny's paper trading: the bets and the bankroll ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import json_field

__all__ = ["BankrollEntry", "Bet"]


class Bet(SQLModel, table=True):
    """A paper bet by Benny, at the chosen book's real American odds."""

    __tablename__ = "bets"
    __table_args__ = (
        sa.Index("ix_bets_status_commence", "status", "commence_time"),
        # One bet per game and market, whatever reruns or crashes happen: the database says no.
        sa.UniqueConstraint("game_id", "market", name="uq_bets_game_market"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    commence_time: datetime
    market: str = Field(max_length=16)
    side: str = Field(max_length=8)
    point: float | None = None
    book: str = Field(max_length=64)
    odds_american: int
    snapshot_id: int | None = Field(default=None, foreign_key="odds_snapshots.id")
    prediction_id: int | None = Field(default=None, foreign_key="predictions.id")
    stake_usd: float
    probability: float
    week: str = Field(max_length=8)  # ISO week, e.g. 2025-W38
    status: str = Field(default="pending", max_length=16)
    profit_usd: float | None = None
    placed_at: datetime
    settled_at: datetime | None = None
    reasons: dict[str, Any] | None = json_field()
    analyst: str = Field(default="offline", max_length=16)  # who proposed it: claude or offline
    clv: float | None = None  # price taken / devigged closing fair price - 1, once settled
    post_mortem: str | None = Field(default=None, max_length=500)


class BankrollEntry(SQLModel, table=True):
    """The ledger: every stake and every settlement moves the bankroll by one entry."""

    __tablename__ = "bankroll_ledger"
    __table_args__ = (sa.UniqueConstraint("bet_id", "kind", name="uq_bankroll_ledger_bet_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    bet_id: int | None = Field(default=None, foreign_key="bets.id")
    kind: str = Field(max_length=16)  # stake, settle
    amount_usd: float
    week: str = Field(max_length=8)
    at: datetime
