"""The chat's history for the app: Chainlit's data layer on a migrated schema, charts kept on disk.

History needs logged-in users (Chainlit lists threads per user), so the app opens it only when
``BENNY_AUTH`` is on. See ``store/chat_history.py`` for where the tables live, why apart, and
how they are migrated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.settings import Settings
from store.chat_history import ChatHistoryLocation, chat_history_location, upgrade_chat_history
from web.files import LocalFileStorage

if TYPE_CHECKING:
    from web.chat_data_layer import ChatDataLayer


@dataclass(frozen=True)
class ChatHistory:
    location: ChatHistoryLocation
    files: LocalFileStorage

    def data_layer(self) -> ChatDataLayer:
        """A new Chainlit data layer (Chainlit asks for it once, on first use)."""
        return open_data_layer(self.location, self.files)


def prepare_chat_history(settings: Settings) -> ChatHistory | None:
    """Upgrade the history's schema (a no-op at head), open its file store; None for an in-memory database."""
    location = chat_history_location(settings.resolved_database_url)
    if location is None:
        return None
    upgrade_chat_history(location)
    return ChatHistory(location=location, files=LocalFileStorage(settings.home.resolve() / "files"))


def open_data_layer(location: ChatHistoryLocation, files: LocalFileStorage) -> ChatDataLayer:
    """Chainlit's ``SQLAlchemyDataLayer`` (``ChatDataLayer``) on the history's database, elements
    kept in ``files``."""
    from web.chat_data_layer import ChatDataLayer  # only with logins on: not at import

    return ChatDataLayer(
        conninfo=location.async_url,
        connect_args=dict(location.connect_args),
        ssl_require=location.ssl_require,
        storage_provider=files,
    )
