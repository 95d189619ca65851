"""collector runs keep the quota used this period

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 07:21:02.155785
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collector_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credits_used_period", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("collector_runs", schema=None) as batch_op:
        batch_op.drop_column("credits_used_period")
