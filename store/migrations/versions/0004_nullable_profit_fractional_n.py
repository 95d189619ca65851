"""profit without a price is unknown, and half results count half

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 08:16:18.787425
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("model_adjustments", schema=None) as batch_op:
        batch_op.alter_column("n", existing_type=sa.INTEGER(), type_=sa.Float(), existing_nullable=False)

    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.alter_column("profit_units", existing_type=sa.FLOAT(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.alter_column("profit_units", existing_type=sa.FLOAT(), nullable=False)

    with op.batch_alter_table("model_adjustments", schema=None) as batch_op:
        batch_op.alter_column("n", existing_type=sa.Float(), type_=sa.INTEGER(), existing_nullable=False)
