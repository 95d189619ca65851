"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 06:59:36.624405
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collector_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("credits_used", sa.Integer(), nullable=True),
        sa.Column("credits_remaining", sa.Integer(), nullable=True),
        sa.Column("credits_last", sa.Integer(), nullable=True),
        sa.Column(
            "counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("collector_runs", schema=None) as batch_op:
        batch_op.create_index("ix_collector_runs_source_started", ["source", "started_at"], unique=False)

    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index("ix_job_runs_job_started", ["job", "started_at"], unique=False)

    op.create_table(
        "model_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("multiplier", sa.Float(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("accuracy", sa.Float(), nullable=True),
        sa.Column("inverse_accuracy", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "model", "sport_key", "market", "day", name="uq_model_adjustments_model_sport_market_day"
        ),
    )
    op.create_table(
        "sports",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("has_draw", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["sport_key"],
            ["sports.key"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sport_key", "name", name="uq_teams_sport_name"),
    )
    op.create_table(
        "user_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "spec",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("min_confidence", sa.Float(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "name", name="uq_user_models_user_name"),
    )
    with op.batch_alter_table("user_models", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_models_user_id"), ["user_id"], unique=False)

    op.create_table(
        "games",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("commence_time", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("home_team_id", sa.Integer(), nullable=False),
        sa.Column("away_team_id", sa.Integer(), nullable=False),
        sa.Column("neutral_site", sa.Boolean(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["away_team_id"],
            ["teams.id"],
        ),
        sa.ForeignKeyConstraint(
            ["home_team_id"],
            ["teams.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sport_key"],
            ["sports.key"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.create_index("ix_games_sport_commence", ["sport_key", "commence_time"], unique=False)

    op.create_table(
        "injuries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("player_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "player_name", "reported_at", name="uq_injuries_team_player_reported"),
    )
    with op.batch_alter_table("injuries", schema=None) as batch_op:
        batch_op.create_index("ix_injuries_team_reported", ["team_id", "reported_at"], unique=False)

    op.create_table(
        "team_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("alias", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sport_key"],
            ["sports.key"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sport_key", "alias", name="uq_team_aliases_sport_alias"),
    )
    with op.batch_alter_table("team_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_aliases_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column(
            "stats",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "as_of", "source", name="uq_team_stats_team_asof_source"),
    )
    op.create_table(
        "odds_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("book", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("point", sa.Float(), nullable=True),
        sa.Column("price_decimal", sa.Float(), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "game_id",
            "book",
            "market",
            "side",
            "seen_at",
            name="uq_odds_snapshots_game_book_market_side_seen",
        ),
    )
    with op.batch_alter_table("odds_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_odds_snapshots_game_market_latest", ["game_id", "market", "latest"], unique=False
        )

    op.create_table(
        "outcomes",
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("home_score", sa.Integer(), nullable=False),
        sa.Column("away_score", sa.Integer(), nullable=False),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.PrimaryKeyConstraint("game_id"),
    )
    op.create_table(
        "player_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("player_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("player_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("as_of", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "stats",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("game_id", "team_id", "player_key", name="uq_player_stats_game_team_player"),
    )
    with op.batch_alter_table("player_stats", schema=None) as batch_op:
        batch_op.create_index("ix_player_stats_team_time", ["team_id", "as_of"], unique=False)

    op.create_table(
        "team_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("opponent_id", sa.Integer(), nullable=False),
        sa.Column("is_home", sa.Boolean(), nullable=False),
        sa.Column("commence_time", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("points_for", sa.Integer(), nullable=False),
        sa.Column("points_against", sa.Integer(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opponent_id"],
            ["teams.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("game_id", "team_id", name="uq_team_outcomes_game_team"),
    )
    with op.batch_alter_table("team_outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_team_outcomes_team_time", ["team_id", "commence_time"], unique=False)

    op.create_table(
        "closing_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("book", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("point", sa.Float(), nullable=True),
        sa.Column("price_decimal", sa.Float(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["odds_snapshots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "game_id", "book", "market", "side", name="uq_closing_lines_game_book_market_side"
        ),
    )
    op.create_table(
        "predictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_model_id", sa.Integer(), nullable=True),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("point", sa.Float(), nullable=True),
        sa.Column("price_decimal", sa.Float(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("is_inverse", sa.Boolean(), nullable=False),
        sa.Column("inverse_of_id", sa.Integer(), nullable=True),
        sa.Column("as_of", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column(
            "reason",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.ForeignKeyConstraint(
            ["inverse_of_id"],
            ["predictions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["odds_snapshots.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sport_key"],
            ["sports.key"],
        ),
        sa.ForeignKeyConstraint(
            ["user_model_id"],
            ["user_models.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.create_index("ix_predictions_game_latest", ["game_id", "latest"], unique=False)
        batch_op.create_index(
            "ix_predictions_model_sport_market_asof", ["model", "sport_key", "market", "as_of"], unique=False
        )
        batch_op.create_index("ix_predictions_user_model", ["user_model_id"], unique=False)

    op.create_table(
        "bets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("commence_time", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("point", sa.Float(), nullable=True),
        sa.Column("book", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("odds_american", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("prediction_id", sa.Integer(), nullable=True),
        sa.Column("stake_usd", sa.Float(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("week", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("profit_usd", sa.Float(), nullable=True),
        sa.Column("placed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("settled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["odds_snapshots.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bets", schema=None) as batch_op:
        batch_op.create_index("ix_bets_status_commence", ["status", "commence_time"], unique=False)

    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("is_inverse", sa.Boolean(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("profit_units", sa.Float(), nullable=False),
        sa.Column("brier", sa.Float(), nullable=True),
        sa.Column("log_loss", sa.Float(), nullable=True),
        sa.Column("clv", sa.Float(), nullable=True),
        sa.Column("verified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["prediction_id"],
            ["predictions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("prediction_id"),
    )
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_verifications_model_sport_market",
            ["model", "sport_key", "market", "verified_at"],
            unique=False,
        )

    op.create_table(
        "bankroll_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bet_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("amount_usd", sa.Float(), nullable=False),
        sa.Column("week", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bet_id"],
            ["bets.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bet_id", "kind", name="uq_bankroll_ledger_bet_kind"),
    )


def downgrade() -> None:
    op.drop_table("bankroll_ledger")
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index("ix_verifications_model_sport_market")

    op.drop_table("verifications")
    with op.batch_alter_table("bets", schema=None) as batch_op:
        batch_op.drop_index("ix_bets_status_commence")

    op.drop_table("bets")
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_index("ix_predictions_user_model")
        batch_op.drop_index("ix_predictions_model_sport_market_asof")
        batch_op.drop_index("ix_predictions_game_latest")

    op.drop_table("predictions")
    op.drop_table("closing_lines")
    with op.batch_alter_table("team_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_team_outcomes_team_time")

    op.drop_table("team_outcomes")
    with op.batch_alter_table("player_stats", schema=None) as batch_op:
        batch_op.drop_index("ix_player_stats_team_time")

    op.drop_table("player_stats")
    op.drop_table("outcomes")
    with op.batch_alter_table("odds_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_odds_snapshots_game_market_latest")

    op.drop_table("odds_snapshots")
    op.drop_table("team_stats")
    with op.batch_alter_table("team_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_aliases_team_id"))

    op.drop_table("team_aliases")
    with op.batch_alter_table("injuries", schema=None) as batch_op:
        batch_op.drop_index("ix_injuries_team_reported")

    op.drop_table("injuries")
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.drop_index("ix_games_sport_commence")

    op.drop_table("games")
    with op.batch_alter_table("user_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_models_user_id"))

    op.drop_table("user_models")
    op.drop_table("teams")
    op.drop_table("users")
    op.drop_table("sports")
    op.drop_table("model_adjustments")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_job_runs_job_started")

    op.drop_table("job_runs")
    with op.batch_alter_table("collector_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_collector_runs_source_started")

    op.drop_table("collector_runs")
