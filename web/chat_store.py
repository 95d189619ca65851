"""The chat's history for the app: Chainlit's data layer, its schema made, charts kept on disk.

History needs logged-in users (Chainlit lists threads per user), so the app opens it only when
``BENNY_AUTH`` is on. See ``store/chat_history.py`` for where the tables live and why apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.settings import Settings
from store.chat_history import (
    FILES_ROUTE,
    ChatHistoryLocation,
    LocalFileStorage,
    chat_history_location,
    create_chat_schema,
    open_data_layer,
)
from store.db import make_engine

__all__ = ["FILES_ROUTE", "ChatHistory", "LocalFileStorage", "prepare_chat_history"]


@dataclass(frozen=True)
class ChatHistory:
    location: ChatHistoryLocation
    files: LocalFileStorage

    def data_layer(self) -> Any:
        """A new Chainlit ``SQLAlchemyDataLayer`` (Chainlit asks for it once, on first use)."""
        return open_data_layer(self.location, self.files)


def prepare_chat_history(settings: Settings) -> ChatHistory | None:
    """Create the history's schema (idempotent) and its file store; None for an in-memory database."""
    location = chat_history_location(settings.resolved_database_url)
    if location is None:
        return None
    engine = make_engine(location.sync_url)
    try:
        create_chat_schema(engine, location.schema)
    finally:
        engine.dispose()
    return ChatHistory(location=location, files=LocalFileStorage(settings.home.resolve() / "files"))
