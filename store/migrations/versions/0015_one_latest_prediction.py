"""one latest prediction per game, model, market and side, kept by unique indexes

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_LATEST = sa.column("latest", sa.Boolean).is_(True)
_USER_MODEL = sa.column("user_model_id").is_not(None)
_SYSTEM_LATEST = sa.and_(_LATEST, sa.column("user_model_id").is_(None))
_USER_MODEL_LATEST = sa.and_(_LATEST, _USER_MODEL)

_predictions = sa.table(
    "predictions",
    sa.column("id", sa.Integer),
    sa.column("game_id", sa.String),
    sa.column("model", sa.String),
    sa.column("user_model_id", sa.Integer),
    sa.column("market", sa.String),
    sa.column("is_inverse", sa.Boolean),
    sa.column("inverse_of_id", sa.Integer),
    sa.column("as_of", sa.DateTime),
    sa.column("latest", sa.Boolean),
)


def _unflag_older(*, originals_only: bool) -> None:
    """Unflag every latest row that a newer latest row of the same pick outranks.

    A pick is a game, model (or user model), market and inverse flag. Newest by ``as_of``, then
    by id: analyses that raced may share a moment, and the later insert wins.
    """
    p, newer = _predictions, _predictions.alias("newer")
    outranked = sa.exists().where(
        newer.c.latest.is_(True),
        newer.c.game_id == p.c.game_id,
        newer.c.model == p.c.model,
        newer.c.market == p.c.market,
        newer.c.is_inverse == p.c.is_inverse,
        sa.or_(
            newer.c.user_model_id == p.c.user_model_id,
            sa.and_(newer.c.user_model_id.is_(None), p.c.user_model_id.is_(None)),
        ),
        sa.or_(newer.c.as_of > p.c.as_of, sa.and_(newer.c.as_of == p.c.as_of, newer.c.id > p.c.id)),
    )
    stale = sa.update(p).where(p.c.latest.is_(True), outranked)
    if originals_only:
        stale = stale.where(p.c.is_inverse.is_(False))
    op.execute(stale.values(latest=False))


def upgrade() -> None:
    # Analyses that raced left several latest rows per pick. Originals are settled first, then
    # every inverse follows its original, so a kept pair is one analysis's pair; the last pass
    # covers an inverse written without its original's id, which the store never does.
    _unflag_older(originals_only=True)
    p, original = _predictions, _predictions.alias("original")
    op.execute(
        sa.update(p)
        .where(
            p.c.latest.is_(True),
            p.c.is_inverse.is_(True),
            sa.exists().where(original.c.id == p.c.inverse_of_id, original.c.latest.is_(False)),
        )
        .values(latest=False)
    )
    _unflag_older(originals_only=False)
    op.create_index(
        "uq_predictions_latest",
        "predictions",
        ["game_id", "model", "market", "is_inverse"],
        unique=True,
        sqlite_where=_SYSTEM_LATEST,
        postgresql_where=_SYSTEM_LATEST,
    )
    op.create_index(
        "uq_predictions_latest_user_model",
        "predictions",
        ["game_id", "user_model_id", "model", "market", "is_inverse"],
        unique=True,
        sqlite_where=_USER_MODEL_LATEST,
        postgresql_where=_USER_MODEL_LATEST,
    )
    # Without the system models' rows, SQLite no longer walks this index to find them.
    op.drop_index("ix_predictions_user_model", table_name="predictions")
    op.create_index(
        "ix_predictions_user_model",
        "predictions",
        ["user_model_id"],
        sqlite_where=_USER_MODEL,
        postgresql_where=_USER_MODEL,
    )


def downgrade() -> None:
    op.drop_index("ix_predictions_user_model", table_name="predictions")
    op.create_index("ix_predictions_user_model", "predictions", ["user_model_id"])
    op.drop_index("uq_predictions_latest_user_model", table_name="predictions")
    op.drop_index("uq_predictions_latest", table_name="predictions")
