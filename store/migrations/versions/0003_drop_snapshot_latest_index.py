"""odds snapshots are read through the unique index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 08:01:27.712545
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("odds_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_odds_snapshots_game_market_latest"))


def downgrade() -> None:
    with op.batch_alter_table("odds_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_odds_snapshots_game_market_latest"), ["game_id", "market", "latest"], unique=False
        )
