"""Chainlit's ``SQLAlchemyDataLayer`` as the chat history uses it, its two reads that answered 500 mended.

- Chainlit's routes on a thread (read, rename, share, delete) first ask ``is_thread_author``,
  which answers 404 when the data layer gives no author; ``get_thread_author`` raised instead, so
  each of those routes answered 500 for a thread that does not exist.
- ``get_element`` read ``props`` with ``json.loads``, which fails on NULL (a chart has no props)
  and on PostgreSQL, whose driver already gives a dict. It now reads the element as the thread's
  read does, with no SQL of its own.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

if TYPE_CHECKING:
    from chainlit.element import ElementDict


class ChatDataLayer(SQLAlchemyDataLayer):
    async def get_thread_author(self, thread_id: str) -> str:
        """The thread's author; "" when there is no such thread (Chainlit then answers 404)."""
        try:
            return await super().get_thread_author(thread_id)
        except ValueError:  # Chainlit's "Author not found for thread_id ..."
            return ""

    async def get_element(self, thread_id: str, element_id: str) -> ElementDict | None:
        """The thread's element ``element_id``, its props a dict; None if the thread has none such."""
        thread = await self.get_thread(thread_id)
        elements = (thread["elements"] if thread is not None else None) or []
        for element in elements:
            if element["id"] == element_id:
                props = element.get("props")
                element["props"] = json.loads(props) if isinstance(props, str) else props or {}
                return element
        return None
