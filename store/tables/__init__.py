"""SQLModel tables: Benny's persistent state.

Named ``tables`` so they never clash with the prediction models in ``core/models``. Mapping
between these rows and the domain values lives in the repository modules beside this one.
The schema itself is created and upgraded by the Alembic revisions in ``store/migrations``;
``SQLModel.metadata`` here is what those revisions are checked against.

Prices are stored as decimal odds (``price_decimal``); American odds are kept alongside only
where the seed's rules settle on them (bets). Times are aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

# JSON that is JSONB on PostgreSQL. Assign a new dict to save a change: in-place edits are not tracked.
JsonType = sa.JSON().with_variant(JSONB(), "postgresql")


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a table class, for bulk statements."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    return table


def _json_field(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=sa.Column(JsonType, nullable=nullable))


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


class SportRow(SQLModel, table=True):
    __tablename__ = "sports"

    key: str = Field(primary_key=True, max_length=64)
    title: str = Field(max_length=32)
    has_draw: bool = False


class Team(SQLModel, table=True):
    __tablename__ = "teams"
    __table_args__ = (sa.UniqueConstraint("sport_key", "name", name="uq_teams_sport_name"),)

    id: int | None = Field(default=None, primary_key=True)
    sport_key: str = Field(foreign_key="sports.key", max_length=64)
    name: str = Field(max_length=128)


class TeamAlias(SQLModel, table=True):
    """Every spelling a source uses for a team (``Man United``, ``GoldenState``, ``gs``)."""

    __tablename__ = "team_aliases"
    __table_args__ = (sa.UniqueConstraint("sport_key", "alias", name="uq_team_aliases_sport_alias"),)

    id: int | None = Field(default=None, primary_key=True)
    sport_key: str = Field(foreign_key="sports.key", max_length=64)
    alias: str = Field(max_length=128)
    team_id: int = Field(foreign_key="teams.id", index=True)


class Game(SQLModel, table=True):
    """One event; its id is The Odds API event id (or a stable id derived from the source)."""

    __tablename__ = "games"
    __table_args__ = (sa.Index("ix_games_sport_commence", "sport_key", "commence_time"),)

    id: str = Field(primary_key=True, max_length=64)
    sport_key: str = Field(foreign_key="sports.key", max_length=64)
    commence_time: datetime
    home_team_id: int = Field(foreign_key="teams.id")
    away_team_id: int = Field(foreign_key="teams.id")
    neutral_site: bool = False
    completed: bool = False
    source: str = Field(default="", max_length=32)


class OddsSnapshot(SQLModel, table=True):
    """The price of one side at one book at one time. Every snapshot is kept: line history."""

    __tablename__ = "odds_snapshots"
    __table_args__ = (
        # Re-collecting the same payload must add nothing.
        sa.UniqueConstraint(
            "game_id",
            "book",
            "market",
            "side",
            "seen_at",
            name="uq_odds_snapshots_game_book_market_side_seen",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    book: str = Field(max_length=64)
    market: str = Field(max_length=16)
    side: str = Field(max_length=8)
    point: float | None = None
    price_decimal: float
    seen_at: datetime
    latest: bool = False


class ClosingLine(SQLModel, table=True):
    """A game's last snapshot before its start, per book, market and side."""

    __tablename__ = "closing_lines"
    __table_args__ = (
        sa.UniqueConstraint(
            "game_id", "book", "market", "side", name="uq_closing_lines_game_book_market_side"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    book: str = Field(max_length=64)
    market: str = Field(max_length=16)
    side: str = Field(max_length=8)
    point: float | None = None
    price_decimal: float
    snapshot_id: int | None = Field(default=None, foreign_key="odds_snapshots.id")
    seen_at: datetime


class Outcome(SQLModel, table=True):
    __tablename__ = "outcomes"

    game_id: str = Field(primary_key=True, foreign_key="games.id", max_length=64)
    home_score: int
    away_score: int
    completed_at: datetime
    source: str = Field(default="", max_length=32)


class TeamOutcome(SQLModel, table=True):
    """Two rows per completed game, one from each team's side: the form statistics read these."""

    __tablename__ = "team_outcomes"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "team_id", name="uq_team_outcomes_game_team"),
        sa.Index("ix_team_outcomes_team_time", "team_id", "commence_time"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    team_id: int = Field(foreign_key="teams.id")
    opponent_id: int = Field(foreign_key="teams.id")
    is_home: bool
    commence_time: datetime
    points_for: int
    points_against: int
    result: str = Field(max_length=1)  # W, L or D


class TeamStat(SQLModel, table=True):
    __tablename__ = "team_stats"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "as_of", "source", name="uq_team_stats_team_asof_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id")
    as_of: datetime
    source: str = Field(max_length=32)
    stats: dict[str, Any] | None = _json_field()


class PlayerStat(SQLModel, table=True):
    __tablename__ = "player_stats"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "team_id", "player_key", name="uq_player_stats_game_team_player"),
        sa.Index("ix_player_stats_team_time", "team_id", "as_of"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str | None = Field(default=None, foreign_key="games.id", max_length=64)
    team_id: int = Field(foreign_key="teams.id")
    player_key: str = Field(max_length=64)
    player_name: str = Field(max_length=128)
    as_of: datetime
    stats: dict[str, Any] | None = _json_field()


class Injury(SQLModel, table=True):
    __tablename__ = "injuries"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "player_name", "reported_at", name="uq_injuries_team_player_reported"),
        sa.Index("ix_injuries_team_reported", "team_id", "reported_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id")
    player_name: str = Field(max_length=128)
    status: str = Field(max_length=32)
    detail: str = Field(default="", max_length=512)
    reported_at: datetime
    source: str = Field(default="", max_length=32)


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
    spec: dict[str, Any] | None = _json_field(nullable=False)
    min_confidence: float = 0.5
    status: str = Field(default="active", max_length=16)
    created_at: datetime
    updated_at: datetime


class Prediction(SQLModel, table=True):
    """What a model (or a user model) said about one side of one market, and the inverse of it.

    The seed system calls these analyses. ``confidence`` starts as ``probability`` and is then
    scaled by the model's record; both are kept.
    """

    __tablename__ = "predictions"
    __table_args__ = (
        sa.Index("ix_predictions_model_sport_market_asof", "model", "sport_key", "market", "as_of"),
        sa.Index("ix_predictions_game_latest", "game_id", "latest"),
        sa.Index("ix_predictions_user_model", "user_model_id"),
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
    reason: dict[str, Any] | None = _json_field()


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
    reasons: dict[str, Any] | None = _json_field()
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


class CollectorRun(SQLModel, table=True):
    """One collection: what was asked, what it cost in API credits, and how it ended."""

    __tablename__ = "collector_runs"
    __table_args__ = (sa.Index("ix_collector_runs_source_started", "source", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    sport_key: str | None = Field(default=None, max_length=64)
    started_at: datetime
    finished_at: datetime | None = None
    status: str = Field(default="running", max_length=16)
    requests: int = 0
    credits_used: int | None = None  # what this run spent
    credits_remaining: int | None = None  # x-requests-remaining after the run
    credits_used_period: int | None = None  # x-requests-used: spent since the quota's last reset
    credits_last: int | None = None  # x-requests-last: the cost of the run's last call
    counts: dict[str, Any] | None = _json_field()
    error: str | None = Field(default=None, max_length=2000)


class JobRun(SQLModel, table=True):
    """One run of a live-loop job: claimed once per job and fire time, then finished with its counts."""

    __tablename__ = "job_runs"
    __table_args__ = (
        sa.UniqueConstraint("job", "scheduled_for", name="uq_job_runs_job_scheduled_for"),
        sa.Index("ix_job_runs_job_started", "job", "started_at"),
        sa.Index("ix_job_runs_started", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    scheduled_for: datetime  # the fire time it runs for (a manual run: the moment it was asked for)
    trigger: str = Field(default="schedule", max_length=16)  # schedule, chain (after another job), manual
    runner: str = Field(max_length=128)  # host:pid of the process that ran it
    started_at: datetime
    finished_at: datetime | None = None
    status: str = Field(default="running", max_length=16)  # running, ok, failed, interrupted
    attempts: int = Field(
        default=1, sa_column_kwargs={"server_default": "1"}
    )  # an interrupted run is taken up again
    counts: dict[str, Any] | None = _json_field()
    error: str | None = Field(default=None, max_length=2000)


class SchedulerLease(SQLModel, table=True):
    """Which process runs the scheduler, since when, and its last heartbeat."""

    __tablename__ = "scheduler_leases"

    name: str = Field(primary_key=True, max_length=32)
    runner: str = Field(max_length=128)
    started_at: datetime
    beat_at: datetime


class ModelFit(SQLModel, table=True):
    """A model's parameters as fit at a weekly fit moment, kept so every run that week reuses them."""

    __tablename__ = "model_fits"
    __table_args__ = (sa.UniqueConstraint("model", "fitted_for", name="uq_model_fits_model_fitted_for"),)

    id: int | None = Field(default=None, primary_key=True)
    model: str = Field(max_length=64)
    fitted_for: datetime  # the fit moment: only results known before it were used
    examples: int  # finished games the fit could draw on
    state: dict[str, Any] = _json_field(nullable=False)
    created_at: datetime


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


class GameSignal(SQLModel, table=True):
    """The five user-model signals of one market of one game, computed once as of an analysis run."""

    __tablename__ = "game_signals"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "market", "as_of", name="uq_game_signals_game_market_as_of"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    market: str = Field(max_length=16)
    as_of: datetime
    prior_logit: float  # the market's first side, devigged consensus
    signals: dict[str, Any] = _json_field(nullable=False)  # source -> standardised value or null
    point: float | None = None  # the main line's first-side point (home handicap, or the total)
    fair: dict[str, Any] | None = _json_field()  # side -> devigged consensus probability at as_of
    prices: dict[str, Any] | None = _json_field()  # side -> best decimal price at as_of


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
