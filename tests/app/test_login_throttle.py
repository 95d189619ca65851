"""The login throttle on its own: failures per name and per address, the lockouts, what is logged.

The middleware wraps a stand-in for Chainlit's ``/login`` (200 for the right password, 401
otherwise) on a clock the test moves; the real server's is tried in test_login_http.py.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from web.login_throttle import (
    ADDRESS_FREE_FAILURES,
    FORGET_SECONDS,
    MAX_FORM_BYTES,
    MAX_LOCK_SECONDS,
    USER_FREE_FAILURES,
    LoginThrottle,
    Throttle,
)

RIGHT = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Server:
    """The stand-in login behind the throttle; ``checked`` counts the passwords it was asked about."""

    def __init__(self, clock: Clock) -> None:
        self.checked = 0

        async def login(request: Request) -> JSONResponse:
            self.checked += 1
            form = await request.form()
            ok = form.get("password") == RIGHT
            return JSONResponse({"ok": ok}, status_code=200 if ok else 401)

        app = Starlette(routes=[Route("/login", login, methods=["POST"])])
        self.app = LoginThrottle(
            app,
            users=Throttle(USER_FREE_FAILURES, clock=clock),
            addresses=Throttle(ADDRESS_FREE_FAILURES, clock=clock),
        )

    def post(self, name: str, password: str, address: str = "203.0.113.7") -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(address, 40000))
            async with httpx.AsyncClient(transport=transport, base_url="http://benny") as http:
                return await http.post("/login", data={"username": name, "password": password})

        return asyncio.run(go())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(clock: Clock) -> Server:
    return Server(clock)


def test_each_failure_past_the_free_ones_doubles_the_lockout_up_to_its_cap(clock: Clock) -> None:
    throttle = Throttle(2, clock=clock)
    locks = []
    for _ in range(15):
        clock.now += throttle.wait("alice")
        locks.append(throttle.failed("alice").locked_until - clock.now)
    assert locks == [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, *[MAX_LOCK_SECONDS] * 3]
    throttle.succeeded("alice")
    assert throttle.wait("alice") == 0 and throttle.failed("alice").count == 1


def test_failures_are_forgotten_an_hour_after_the_last(clock: Clock) -> None:
    throttle = Throttle(0, clock=clock)
    assert throttle.failed("10.0.0.1").count == 1
    clock.now += FORGET_SECONDS - 1
    assert throttle.failed("10.0.0.1").count == 2  # remembered, and remembered anew
    clock.now += FORGET_SECONDS + 1
    assert throttle.wait("10.0.0.1") == 0 and throttle.failed("10.0.0.1").count == 1


def test_a_name_is_locked_out_unchecked_until_its_lock_ends_and_a_success_forgets_it(
    server: Server, clock: Clock
) -> None:
    for _ in range(USER_FREE_FAILURES):
        assert server.post("alice", "guess").status_code == 401
    assert server.post("alice", "guess").status_code == 401  # the first failure past the free ones
    checked = server.checked
    refused = server.post("alice", RIGHT)
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "1")
    assert refused.json() == {"detail": "too many failed logins: try again in 1 s"}
    assert server.checked == checked  # the password was never looked at
    assert server.post("bob", RIGHT, address="198.51.100.1").status_code == 200  # others go on
    clock.now += 1
    assert server.post("alice", RIGHT).status_code == 200
    assert server.post("alice", "guess").status_code == 401  # counted from one again
    assert server.post("alice", RIGHT).status_code == 200


def test_an_address_is_locked_out_across_names_and_a_success_does_not_clear_it(server: Server) -> None:
    assert server.post("mallory", RIGHT).status_code == 200
    for i in range(ADDRESS_FREE_FAILURES):
        assert server.post(f"user{i}", "guess").status_code == 401
    assert server.post("mallory", RIGHT).status_code == 200  # her own account clears nothing
    assert server.post("user99", "guess").status_code == 401
    refused = server.post("alice", RIGHT)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert server.post("alice", RIGHT, address="198.51.100.1").status_code == 200


def test_failures_are_logged_with_name_and_address_never_the_password(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="web.login_throttle")
    for _ in range(USER_FREE_FAILURES + 2):
        server.post("alice", "hunter2-secret")
    failed = [r for r in caplog.records if r.getMessage().startswith("login failed")]
    assert len(failed) == USER_FREE_FAILURES + 1
    assert all(r.login_user == "alice" and r.client_address == "203.0.113.7" for r in failed)  # type: ignore[attr-defined]
    assert "locked out for 1 s" in failed[-1].getMessage()
    assert any("refused unchecked" in r.getMessage() for r in caplog.records)
    assert "hunter2" not in caplog.text


def test_other_routes_pass_untouched_and_an_oversized_form_is_refused(server: Server) -> None:
    big = server.post("alice", "x" * (MAX_FORM_BYTES + 1))
    assert big.status_code == 413 and server.checked == 0

    async def other() -> int:
        transport = httpx.ASGITransport(app=server.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://benny") as http:
            return (await http.get("/login")).status_code

    assert asyncio.run(other()) == 405  # Starlette's own answer: the throttle let it through
