"""job runs claimed per fire time, and the scheduler's lease

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 13:38:04.533973
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("runner", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("beat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    # Nothing wrote job_runs before the scheduler; its new columns are required.
    op.execute("DELETE FROM job_runs")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheduled_for", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False))
        batch_op.add_column(sa.Column("trigger", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False))
        batch_op.add_column(sa.Column("runner", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_index("ix_job_runs_started", ["started_at"], unique=False)
        batch_op.create_unique_constraint("uq_job_runs_job_scheduled_for", ["job", "scheduled_for"])


def downgrade() -> None:
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_job_runs_job_scheduled_for", type_="unique")
        batch_op.drop_index("ix_job_runs_started")
        batch_op.drop_column("attempts")
        batch_op.drop_column("runner")
        batch_op.drop_column("trigger")
        batch_op.drop_column("scheduled_for")
    op.drop_table("scheduler_leases")
