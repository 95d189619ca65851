"""Load shedding for the REST API: a few requests served at once, the others wait briefly or are refused.

The API's routes are synchronous: each request waits for a worker thread, and past the server's
capacity that wait grew without bound (requests answered after 9 to 28 s, none refused). Now at
most ``limit`` requests are served at once (their work is Python under one lock, so more at once
only adds contention); one more waits for a place at most ``MAX_WAIT_SECONDS``, and is answered
503 with ``Retry-After`` if none frees up by then. However much is offered, what is admitted is
answered within about that wait plus its own work, and a client learns within a second to come
back later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_WAIT_SECONDS = 0.5
RETRY_AFTER_SECONDS = 1


class InFlightLimit:
    """ASGI middleware: at most ``limit()`` requests served at once, a request waits at most
    ``max_wait_seconds`` for its turn, and is answered 503 with Retry-After past it.

    ``limit`` is asked on the first request (reading the setting may build the runtime, so on a
    worker thread) and kept; while it gives None (the settings cannot be read yet) requests go
    through unlimited, and the app answers for itself.
    """

    def __init__(
        self, app: ASGIApp, limit: Callable[[], int | None], max_wait_seconds: float = MAX_WAIT_SECONDS
    ) -> None:
        self.app, self._limit, self.max_wait_seconds = app, limit, max_wait_seconds
        self._places: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._places is None:
            limit = await asyncio.to_thread(self._limit)
            if limit is not None and self._places is None:  # another first request may have set it
                self._places = asyncio.Semaphore(limit)
        places = self._places
        if places is None:
            await self.app(scope, receive, send)
            return
        try:
            await asyncio.wait_for(places.acquire(), timeout=self.max_wait_seconds)
        except TimeoutError:
            busy = JSONResponse(
                {"detail": f"Benny is busy: retry after {RETRY_AFTER_SECONDS} s"},
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
            await busy(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            places.release()
