"""What the models say and how they fare: predictions, their grades, the rollups a comparison
reads, each day's verdict per model, and the weekly fits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import json_field

__all__ = ["ModelAdjustment", "ModelFit", "ModelRollup", "ModelTotal", "Prediction", "Verification"]

# The rows each latest-pick index covers, written as the queries write them (``latest IS 1`` on
# SQLite) so that SQLite, which matches a partial index's terms literally, reads through them.
_LATEST = sa.column("latest", sa.Boolean).is_(True)
_USER_MODEL = sa.column("user_model_id").is_not(None)
_SYSTEM_LATEST = sa.and_(_LATEST, sa.column("user_model_id").is_(None))
_USER_MODEL_LATEST = sa.and_(_LATEST, _USER_MODEL)


class Prediction(SQLModel, table=True):
    """What a model (or a user model) said about one side of one market, and the inverse of it.

    The seed system calls these analyses. ``confidence`` starts as ``probability`` and is then
    scaled by the model's record; both are kept.
    """

    __tablename__ = "predictions"
    __table_args__ = (
        sa.Index("ix_predictions_model_sport_market_asof", "model", "sport_key", "market", "as_of"),
        sa.Index("ix_predictions_game_latest", "game_id", "latest"),
        # A user model's rows; the system models' (NULL) are left out, so that SQLite, without
        # statistics, never picks this index to look for them and walks the whole ledger.
        sa.Index(
            "ix_predictions_user_model",
            "user_model_id",
            sqlite_where=_USER_MODEL,
            postgresql_where=_USER_MODEL,
        ),
        # One latest original and one latest inverse per game, model and market: "latest" is a
        # rule of the database, not of its writers. Two indexes, because a unique index counts
        # NULLs as distinct: system models (no user model) and user models (model is shared).
        sa.Index(
            "uq_predictions_latest",
            "game_id",
            "model",
            "market",
            "is_inverse",
            unique=True,
            sqlite_where=_SYSTEM_LATEST,
            postgresql_where=_SYSTEM_LATEST,
        ),
        sa.Index(
            "uq_predictions_latest_user_model",
            "game_id",
            "user_model_id",
            "model",
            "market",
            "is_inverse",
            unique=True,
            sqlite_where=_USER_MODEL_LATEST,
            postgresql_where=_USER_MODEL_LATEST,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    sport_key: str = Field(foreign_key="sports.key", max_length=64)
    model: str = Field(max_length=64)
    user_model_id: int | None = Field(default=None, foreign_key="user_models.id")
    market: str = Field(max_length=16)
    side: str = Field(max_length=8)
    point: float | None = None
    price_decimal: float | None = None
    probability: float
    confidence: float
    is_inverse: bool = False
    inverse_of_id: int | None = Field(default=None, foreign_key="predictions.id")
    as_of: datetime
    snapshot_id: int | None = Field(default=None, foreign_key="odds_snapshots.id")
    latest: bool = True
    reason: dict[str, Any] | None = json_field()


class Verification(SQLModel, table=True):
    """The grade of one prediction, written exactly once (the prediction id is unique)."""

    __tablename__ = "verifications"
    __table_args__ = (
        sa.Index("ix_verifications_model_sport_market", "model", "sport_key", "market", "verified_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    prediction_id: int = Field(foreign_key="predictions.id", unique=True)
    model: str = Field(max_length=64)
    sport_key: str = Field(max_length=64)
    market: str = Field(max_length=16)
    is_inverse: bool = False
    result: str = Field(max_length=16)  # won, lost, push, void, half_won, half_lost
    profit_units: float | None = None  # per unit staked at the recorded price; None without a price
    brier: float | None = None
    log_loss: float | None = None
    clv: float | None = None
    verified_at: datetime


class _RollupSums(SQLModel):
    """The sums both rollup tables keep."""

    graded: int = 0
    won: float = 0.0
    lost: float = 0.0
    brier_sum: float = 0.0
    brier_n: int = 0
    log_loss_sum: float = 0.0
    profit_units: float = 0.0
    staked_units: float = 0.0
    clv_sum: float = 0.0
    clv_n: int = 0


class ModelRollup(_RollupSums, table=True):
    """Sums of one model's grades per sport, market, day and side (original or inverse).

    Kept up to date as grades are written, so a windowed comparison reads a few rows per model
    and day however long the ledger grows. ``user_model_id`` is 0 for the system models.
    """

    __tablename__ = "model_rollups"
    __table_args__ = (
        sa.UniqueConstraint(
            "model", "user_model_id", "sport_key", "market", "day", "is_inverse", name="uq_model_rollups_key"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    model: str = Field(max_length=64)
    user_model_id: int = 0
    sport_key: str = Field(max_length=64)
    market: str = Field(max_length=16)
    day: date
    is_inverse: bool = False


class ModelTotal(_RollupSums, table=True):
    """The same sums over all days: the all-time comparison reads one row per model, sport, market, side."""

    __tablename__ = "model_totals"
    __table_args__ = (
        sa.UniqueConstraint(
            "model", "user_model_id", "sport_key", "market", "is_inverse", name="uq_model_totals_key"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    model: str = Field(max_length=64)
    user_model_id: int = 0
    sport_key: str = Field(max_length=64)
    market: str = Field(max_length=16)
    is_inverse: bool = False


class ModelAdjustment(SQLModel, table=True):
    """The daily verdict per model, sport and market: ORIGINAL, INVERSE or AVOID, with a multiplier."""

    __tablename__ = "model_adjustments"
    __table_args__ = (
        sa.UniqueConstraint(
            "model", "sport_key", "market", "day", name="uq_model_adjustments_model_sport_market_day"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    model: str = Field(max_length=64)
    sport_key: str = Field(max_length=64)
    market: str = Field(max_length=16)
    day: date
    action: str = Field(max_length=16)
    multiplier: float
    n: float = 0.0  # graded predictions; a half-won or half-lost quarter line counts half
    accuracy: float | None = None
    inverse_accuracy: float | None = None


class ModelFit(SQLModel, table=True):
    """A model's parameters as fit at a weekly fit moment, kept so every run that week reuses them."""

    __tablename__ = "model_fits"
    __table_args__ = (sa.UniqueConstraint("model", "fitted_for", name="uq_model_fits_model_fitted_for"),)

    id: int | None = Field(default=None, primary_key=True)
    model: str = Field(max_length=64)
    fitted_for: datetime  # the fit moment: only results known before it were used
    examples: int  # finished games the fit could draw on
    state: dict[str, Any] = json_field(nullable=False)
    created_at: datetime
