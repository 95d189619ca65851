"""bets one per game and market

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:06:28.602787
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "analyst",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="offline",
            )
        )
        batch_op.add_column(sa.Column("clv", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("post_mortem", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.create_unique_constraint("uq_bets_game_market", ["game_id", "market"])


def downgrade() -> None:
    with op.batch_alter_table("bets", schema=None) as batch_op:
        batch_op.drop_constraint("uq_bets_game_market", type_="unique")
        batch_op.drop_column("post_mortem")
        batch_op.drop_column("clv")
        batch_op.drop_column("analyst")
