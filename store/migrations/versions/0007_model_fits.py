"""model fits: stored weekly fits

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:56:27.399530
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_fits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("fitted_for", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("examples", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model", "fitted_for", name="uq_model_fits_model_fitted_for"),
    )


def downgrade() -> None:
    op.drop_table("model_fits")
