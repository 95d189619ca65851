"""all-time model totals

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 08:31:24.532294
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_totals",
        sa.Column("graded", sa.Integer(), nullable=False),
        sa.Column("won", sa.Float(), nullable=False),
        sa.Column("lost", sa.Float(), nullable=False),
        sa.Column("brier_sum", sa.Float(), nullable=False),
        sa.Column("brier_n", sa.Integer(), nullable=False),
        sa.Column("log_loss_sum", sa.Float(), nullable=False),
        sa.Column("profit_units", sa.Float(), nullable=False),
        sa.Column("staked_units", sa.Float(), nullable=False),
        sa.Column("clv_sum", sa.Float(), nullable=False),
        sa.Column("clv_n", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_model_id", sa.Integer(), nullable=False),
        sa.Column("sport_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("is_inverse", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "model", "user_model_id", "sport_key", "market", "is_inverse", name="uq_model_totals_key"
        ),
    )


def downgrade() -> None:
    op.drop_table("model_totals")
