"""Logins throttled per user name and per client address, each failure past a few logged and locked out.

A name gets ``USER_FREE_FAILURES`` wrong passwords and an address ``ADDRESS_FREE_FAILURES`` (an
office behind one address has many users); each failure past those locks the name or the
address out for twice as long as the one before, 1 s, 2 s, 4 s, ... up to 15 minutes. While
either is locked out, ``POST /login`` answers 429 with ``Retry-After`` and the password is not
checked at all, so guessing gains nothing from trying faster. A success forgets the name's
failures, not the address's: one account of an attacker's own must not clear the way to guess
at everyone else's. Failures are forgotten an hour after the last one, so one try every 15
minutes stays locked out.

Why a middleware and not the password callback: Chainlit's ``/login`` hands the callback the name
and password alone (no request, so no address), and whatever the callback raises becomes a plain
401. Around Chainlit's app, the middleware sees the client address (behind a proxy, the one
uvicorn takes from ``X-Forwarded-For`` of a trusted proxy: ``FORWARDED_ALLOW_IPS``), reads the
name from the same form Chainlit reads, refuses before Chainlit runs, and learns the outcome from
Chainlit's answer: 200 a success, 401 a failure.

The counts live in each app process; behind a proxy with sticky sessions by address, an
address's tries all reach one process.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import TTLCache
from fastapi.responses import JSONResponse
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

USER_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
MAX_LOCK_SECONDS = 15 * 60.0
FORGET_SECONDS = 60 * 60.0  # after a key's last failure; longer than the longest lock
MAX_FORM_BYTES = 16 * 1024  # a login form is a name and a password


@dataclass(frozen=True)
class Failures:
    count: int
    locked_until: float


class Throttle:
    """Failures per key (a name, an address): ``free`` cost nothing, each later one locks the key.

    The n-th failure past the free ones locks the key for 2**(n-1) seconds, at most
    ``max_lock_seconds``. Keys are kept in a bounded cache, each forgotten ``forget_seconds``
    after its last failure. ``clock`` is monotonic seconds; tests pass their own.
    """

    def __init__(
        self,
        free: int,
        *,
        max_lock_seconds: float = MAX_LOCK_SECONDS,
        forget_seconds: float = FORGET_SECONDS,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if forget_seconds <= max_lock_seconds:
            raise ValueError("the failures must be remembered longer than the lock they earn")
        self.free, self.max_lock_seconds, self.clock = free, max_lock_seconds, clock
        self._failures: TTLCache[str, Failures] = TTLCache(maxsize=max_keys, ttl=forget_seconds, timer=clock)

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        found = self._failures.get(key)
        return max(0.0, found.locked_until - self.clock()) if found is not None else 0.0

    def failed(self, key: str) -> Failures:
        """Count a failure of ``key``; its failures in a row and how long it is now locked out."""
        found = self._failures.get(key)
        count = (found.count if found is not None else 0) + 1
        lock = min(self.max_lock_seconds, 2.0 ** (count - self.free - 1)) if count > self.free else 0.0
        self._failures[key] = Failures(count=count, locked_until=self.clock() + lock)  # the TTL restarts
        return self._failures[key]

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


class LoginThrottle:
    """ASGI middleware around Chainlit's app: ``POST /login`` throttled by name and by address."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        login_path: str = "/login",
        users: Throttle | None = None,
        addresses: Throttle | None = None,
    ) -> None:
        self.app, self.login_path = app, login_path
        self.users = users if users is not None else Throttle(USER_FREE_FAILURES)
        self.addresses = addresses if addresses is not None else Throttle(ADDRESS_FREE_FAILURES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.login_path:
            await self.app(scope, receive, send)
            return
        address = scope["client"][0] if scope.get("client") else "-"
        body = await _whole_body(receive)
        if body is None:
            too_large = JSONResponse({"detail": "the login form is too large"}, status_code=413)
            await too_large(scope, receive, send)
            return
        name = await _login_name(scope, body)
        wait = max(self.addresses.wait(address), self.users.wait(name) if name else 0.0)
        if wait > 0:
            seconds = math.ceil(wait)
            log.info(
                "login for %r from %s refused unchecked: locked out for %d s more",
                name, address, seconds, extra={"login_user": name, "client_address": address},
            )  # fmt: skip
            refused = JSONResponse(
                {"detail": f"too many failed logins: try again in {seconds} s"},
                status_code=429,
                headers={"Retry-After": str(seconds)},
            )
            await refused(scope, receive, send)
            return
        statuses: list[int] = []

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            await send(message)

        await self.app(scope, _replay(body, receive), watched)
        if statuses == [200] and name:
            self.users.succeeded(name)
        elif statuses == [401]:
            self._failed(name, address)

    def _failed(self, name: str, address: str) -> None:
        by_address = self.addresses.failed(address)
        by_name = self.users.failed(name) if name else Failures(count=0, locked_until=0.0)
        lock = max(self.addresses.wait(address), self.users.wait(name) if name else 0.0)
        log.warning(
            "login failed for %r from %s: failure %d in a row for the name, %d for the address%s",
            name, address, by_name.count, by_address.count,
            f"; locked out for {math.ceil(lock)} s" if lock > 0 else "",
            extra={"login_user": name, "client_address": address},
        )  # fmt: skip


async def _whole_body(receive: Receive) -> bytes | None:
    """The request's body; None when it is over ``MAX_FORM_BYTES``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: no answer will reach it
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive | None) -> Receive:
    """A ``receive`` that gives ``body`` again, then whatever the client sends next."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        if receive is None:
            return {"type": "http.disconnect"}
        return await receive()

    return replay


async def _login_name(scope: Scope, body: bytes) -> str:
    """The form's ``username`` as Chainlit reads it (stripped, as the password check strips it)."""
    form: FormData | None = None
    try:
        form = await Request(scope, _replay(body, None)).form()
        value = form.get("username")
    except (MultiPartException, HTTPException):  # a malformed form: Chainlit refuses it too
        return ""
    finally:
        if form is not None:
            await form.close()
    return value.strip()[:64] if isinstance(value, str) else ""
