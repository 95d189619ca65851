"""Users and what is theirs: API tokens, their own models, those models' queued runs and their
backtests.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import json_field

__all__ = ["ApiToken", "BacktestRun", "User", "UserModel", "UserModelRun"]


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    created_at: datetime
    password_hash: str | None = Field(default=None, max_length=255)


class ApiToken(SQLModel, table=True):
    """A user's API token, kept only as its SHA-256 hash: the token itself is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # the token's first characters, to tell tokens apart in listings
    created_at: datetime
    revoked_at: datetime | None = None


class UserModel(SQLModel, table=True):
    """A user's own weighted model. Owned by one user; never visible to another."""

    __tablename__ = "user_models"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "name", name="uq_user_models_user_name"),
        # At most five per user, held by the database even when creations race: each model takes
        # one of five numbered slots, and a slot is taken once (NULLs, deleted models, never clash).
        sa.UniqueConstraint("user_id", "slot", name="uq_user_models_user_slot"),
        sa.CheckConstraint("slot BETWEEN 1 AND 5", name="ck_user_models_slot"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    slot: int | None = None  # 1-5 while the model exists; a deleted model gives its slot back (NULL)
    name: str = Field(max_length=80)
    spec: dict[str, Any] | None = json_field(nullable=False)
    min_confidence: float = 0.5
    status: str = Field(default="active", max_length=16)
    created_at: datetime
    updated_at: datetime


class UserModelRun(SQLModel, table=True):
    """The user-models queue: one run of one user model after one analysis run, done at least once."""

    __tablename__ = "user_model_runs"
    __table_args__ = (
        sa.UniqueConstraint("user_model_id", "as_of", name="uq_user_model_runs_model_as_of"),
        sa.Index("ix_user_model_runs_status", "status", "enqueued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_model_id: int = Field(foreign_key="user_models.id")
    as_of: datetime  # the analysis run it follows: the games and prices it predicts from
    status: str = Field(default="queued", max_length=16)  # queued, running, done, failed
    attempts: int = 0
    enqueued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    predictions: int = 0
    error: str | None = Field(default=None, max_length=2000)


class BacktestRun(SQLModel, table=True):
    """A user's backtest of one model spec on one window: how many variants were tried on the same games."""

    __tablename__ = "backtest_runs"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "start_day", "end_day", "spec_key", name="uq_backtest_runs_variant"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    start_day: date
    end_day: date
    spec_key: str = Field(max_length=64)  # a hash of the spec's weights, markets, sports and threshold
    created_at: datetime
