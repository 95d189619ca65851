"""Alembic environment of the chat history: ``store.chat_history`` passes the connection and schema."""

from __future__ import annotations

from alembic import context


def _run() -> None:
    attributes = context.config.attributes
    connection = attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "the chat history's migrations run through store.chat_history, which supplies a connection"
        )
    context.configure(
        connection=connection,
        target_metadata=None,  # Chainlit's tables are Chainlit's: revisions are written by hand
        version_table=attributes["version_table"],
        version_table_schema=attributes.get("schema"),
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


_run()
