"""user model slots queue signals

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 11:07:52.249727
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_model_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_model_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("enqueued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("predictions", sa.Integer(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_model_id"],
            ["user_models.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_model_id", "as_of", name="uq_user_model_runs_model_as_of"),
    )
    with op.batch_alter_table("user_model_runs", schema=None) as batch_op:
        batch_op.create_index("ix_user_model_runs_status", ["status", "enqueued_at"], unique=False)

    op.create_table(
        "game_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("as_of", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("prior_logit", sa.Float(), nullable=False),
        sa.Column(
            "signals",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("game_id", "market", "as_of", name="uq_game_signals_game_market_as_of"),
    )
    with op.batch_alter_table("user_models", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slot", sa.Integer(), nullable=True))
    # Existing models take the slots in the order they were made.
    op.execute(
        "UPDATE user_models SET slot = (SELECT count(*) FROM user_models AS earlier "
        "WHERE earlier.user_id = user_models.user_id AND earlier.id <= user_models.id)"
    )
    with op.batch_alter_table("user_models", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_user_models_user_slot", ["user_id", "slot"])
        batch_op.create_check_constraint("ck_user_models_slot", "slot BETWEEN 1 AND 5")


def downgrade() -> None:
    with op.batch_alter_table("user_models", schema=None) as batch_op:
        batch_op.drop_constraint("ck_user_models_slot", type_="check")
        batch_op.drop_constraint("uq_user_models_user_slot", type_="unique")
        batch_op.drop_column("slot")

    op.drop_table("game_signals")
    with op.batch_alter_table("user_model_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_user_model_runs_status")

    op.drop_table("user_model_runs")
