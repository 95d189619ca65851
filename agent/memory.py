"""The chat's memory: a LangGraph checkpointer keyed by thread, on SQLite or PostgreSQL like the store.

With SQLite the conversations live in a file beside Benny's database (``benny.db`` ->
``benny.chat-memory.db``), so the migrations never see LangGraph's tables; with PostgreSQL they
live in the same database, in LangGraph's own tables. A thread's key always starts with the
logged-in user's id (``agent.graph.ask`` builds it), so one user can never resume another's.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from store.db import create_private_file, memory_location


def open_checkpointer(database_url: str) -> Any:
    """A ready checkpointer (its tables created) for the database Benny uses."""
    where = memory_location(database_url)
    saver: Any
    if where.startswith("postgresql"):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg import Connection
        from psycopg.rows import dict_row

        conn = Connection.connect(where, autocommit=True, prepare_threshold=0, row_factory=dict_row)
        saver = PostgresSaver(conn)
    else:
        from langgraph.checkpoint.sqlite import SqliteSaver

        if where != ":memory:":
            create_private_file(Path(where))  # conversations: owner-only, like the database
        saver = SqliteSaver(sqlite3.connect(where, check_same_thread=False))
    saver.setup()
    return saver
