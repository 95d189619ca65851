"""Chainlit 2.12's tables: users, threads, steps, elements, feedbacks

Revision ID: 0001
Revises:
Create Date: 2026-12-08 01:30:00.000000

The documented tables plus the columns Chainlit's code writes (``steps."autoCollapse"``,
``steps.modes``), typed for PostgreSQL (UUID, JSONB, TEXT[]) and plain on SQLite.

Before this chain the app made the same tables at every start. So each table is made only if
missing, and a table found is taken over as it is, rows and all, with any column or index it
lacks added: a history from before the chain upgrades in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _schema() -> str | None:
    """``chainlit`` on PostgreSQL, None on SQLite (its own file)."""
    schema: str | None = context.config.attributes.get("schema")
    return schema


def _tables(schema: str | None) -> sa.MetaData:
    uid = UUID(as_uuid=False).with_variant(sa.Text(), "sqlite")
    jsonb = JSONB().with_variant(sa.JSON(), "sqlite")
    texts = ARRAY(sa.Text()).with_variant(sa.JSON(), "sqlite")
    prefix = f"{schema}." if schema else ""
    md = sa.MetaData(schema=schema)
    sa.Table(
        "users",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("identifier", sa.Text, nullable=False, unique=True),
        sa.Column("metadata", jsonb, nullable=False),
        sa.Column("createdAt", sa.Text),
    )
    sa.Table(
        "threads",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("createdAt", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("userId", uid, sa.ForeignKey(f"{prefix}users.id", ondelete="CASCADE")),
        sa.Column("userIdentifier", sa.Text),
        sa.Column("tags", texts),
        sa.Column("metadata", jsonb),
    )
    sa.Table(
        "steps",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("threadId", uid, sa.ForeignKey(f"{prefix}threads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("parentId", uid),
        sa.Column("streaming", sa.Boolean, nullable=False),
        sa.Column("waitForAnswer", sa.Boolean),
        sa.Column("isError", sa.Boolean),
        sa.Column("metadata", jsonb),
        sa.Column("tags", texts),
        sa.Column("input", sa.Text),
        sa.Column("output", sa.Text),
        sa.Column("createdAt", sa.Text),
        sa.Column("command", sa.Text),
        sa.Column("start", sa.Text),
        sa.Column("end", sa.Text),
        sa.Column("generation", jsonb),
        sa.Column("showInput", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("indent", sa.Integer),
        sa.Column("defaultOpen", sa.Boolean),
        sa.Column("autoCollapse", sa.Boolean),  # written by Step.to_dict, missing from the docs
        sa.Column("modes", sa.JSON),  # written by Message.to_dict since 2.9.4
        sa.Index("ix_chainlit_steps_thread_id", "threadId"),
    )
    sa.Table(
        "elements",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("threadId", uid, sa.ForeignKey(f"{prefix}threads.id", ondelete="CASCADE")),
        sa.Column("type", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("chainlitKey", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("display", sa.Text),
        sa.Column("objectKey", sa.Text),
        sa.Column("size", sa.Text),
        sa.Column("page", sa.Integer),
        sa.Column("language", sa.Text),
        sa.Column("forId", uid),
        sa.Column("mime", sa.Text),
        sa.Column("props", jsonb),
        sa.Column("autoPlay", sa.Boolean),
        sa.Column("playerConfig", jsonb),
        sa.Index("ix_chainlit_elements_thread_id", "threadId"),
    )
    sa.Table(
        "feedbacks",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("forId", uid, nullable=False),
        sa.Column("threadId", uid, sa.ForeignKey(f"{prefix}threads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
    )
    return md


def upgrade() -> None:
    schema, bind = _schema(), op.get_bind()
    inspector = sa.inspect(bind)
    present = set(inspector.get_table_names(schema=schema))
    for table in _tables(schema).sorted_tables:
        if table.name not in present:
            table.create(bind)  # with its indexes
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name, schema=schema)}
        for column in table.columns:
            if column.name not in columns:
                # Nullable, as a column added to a table with rows must be.
                op.add_column(table.name, sa.Column(column.name, column.type), schema=schema)
        indexes = {ix["name"] for ix in inspector.get_indexes(table.name, schema=schema)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(bind)


def downgrade() -> None:
    schema = _schema()
    for table in reversed(_tables(schema).sorted_tables):
        op.drop_table(table.name, schema=schema)
