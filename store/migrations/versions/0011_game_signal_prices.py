"""game signal prices

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 11:25:14.595673
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("game_signals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("point", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "fair",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "prices",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("game_signals", schema=None) as batch_op:
        batch_op.drop_column("prices")
        batch_op.drop_column("fair")
        batch_op.drop_column("point")
