"""Chainlit routes Benny keeps closed while their features are off: thread sharing and file uploads.

Chainlit 2.12 serves its share routes (``PUT /project/thread/share`` to share a thread,
``GET /project/share/{id}`` to read a shared one) whatever ``allow_thread_sharing`` says: the
setting only hides the button, so a user could share a thread and anyone could then read it
whole. Its upload route (``POST /project/file``) takes the whole body before it looks at
``spontaneous_file_upload``. While those features are off in ``.chainlit/config.toml``, the
routes answer 404 before Chainlit sees the request or its body.
"""

from __future__ import annotations

import chainlit.server as chainlit_server
from chainlit.config import config
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

SHARE_THREAD = "/project/thread/share"
READ_SHARED = "/project/share/"
UPLOAD = "/project/file"


def closed_because(path: str) -> str | None:
    """Why the route at ``path`` (under Chainlit's root path) is closed; None while it is open."""
    root = config.run.root_path.rstrip("/")
    if root and path.startswith(root):
        path = path[len(root) :]
    if (path == SHARE_THREAD or path.startswith(READ_SHARED)) and not config.features.allow_thread_sharing:
        return "thread sharing is off"
    uploads = config.features.spontaneous_file_upload
    if path == UPLOAD and (uploads is None or not uploads.enabled):  # GET /project/file/{id} stays open
        return "file uploads are off"
    return None


class ClosedRoutes:
    """ASGI middleware: 404 for the routes ``closed_because`` names, before the app reads a byte."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (reason := closed_because(scope["path"])) is not None:
            await JSONResponse({"detail": reason}, status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def close_unused_routes() -> None:
    """Put ``ClosedRoutes`` in front of Chainlit's app (before it starts serving)."""
    chainlit_server.app.add_middleware(ClosedRoutes)
