"""Logins on the real server, over HTTP: Chainlit's /login runs Benny's password check, throttled."""

from __future__ import annotations

import stat
import time

import httpx

from tests.app.conftest import PASSWORD, USER, LiveApp
from web.login_throttle import ADDRESS_FREE_FAILURES, USER_FREE_FAILURES


def _login(app: LiveApp, username: str, password: str) -> httpx.Response:
    return httpx.post(f"{app.url}/login", data={"username": username, "password": password}, timeout=10)


def test_the_right_password_gets_a_session_and_nothing_else_does(auth_app: LiveApp) -> None:
    assert _login(auth_app, USER, PASSWORD).status_code == 200
    assert _login(auth_app, USER, PASSWORD + "x").status_code == 401
    assert _login(auth_app, "nobody", PASSWORD).status_code == 401
    assert _login(auth_app, "local", "").status_code in (401, 422)  # local has no password


def test_the_signing_secret_is_made_once_private_and_never_logged(auth_app: LiveApp) -> None:
    path = auth_app.home / "chainlit_auth_secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = path.read_text().strip()
    assert len(secret) >= 32
    assert secret not in auth_app.log.read_text()


def test_stored_charts_need_their_owners_login(auth_app: LiveApp) -> None:
    url = f"{auth_app.url}/benny-files/00000000-0000-0000-0000-000000000000/chart/leaderboard"
    assert httpx.get(url, timeout=5).status_code == 401
    cookies = _login(auth_app, USER, PASSWORD).cookies
    assert httpx.get(url, cookies=cookies, timeout=5).status_code == 404  # not alice's key


def test_health_stays_open_with_logins_on(auth_app: LiveApp) -> None:
    response = httpx.get(f"{auth_app.url}/health", timeout=5)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def _login_from(app: LiveApp, address: str, username: str, password: str) -> httpx.Response:
    """A login sent from ``address`` (another loopback address keeps 127.0.0.1 out of the throttle)."""
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10) as http:
        return http.post(f"{app.url}/login", data={"username": username, "password": password})


def test_wrong_passwords_lock_the_name_out_then_the_right_one_gets_in(logins_app: LiveApp) -> None:
    for _ in range(USER_FREE_FAILURES + 1):  # the last one past the free ones: locked out for 1 s
        assert _login_from(logins_app, "127.0.0.2", "carol", "not the password").status_code == 401
    refused = _login_from(logins_app, "127.0.0.2", "carol", PASSWORD)
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "1")
    assert _login_from(logins_app, "127.0.0.3", "carol", PASSWORD).status_code == 429  # the name, anywhere
    time.sleep(1)  # the lockout's end: there is nothing to wait on but the clock
    assert _login_from(logins_app, "127.0.0.2", "carol", PASSWORD).status_code == 200
    log = logins_app.log.read_text()
    assert "login failed for 'carol' from 127.0.0.2" in log
    assert "not the password" not in log


def test_a_hundred_guesses_are_mostly_refused_unchecked(logins_app: LiveApp) -> None:
    statuses = [_login_from(logins_app, "127.0.0.4", "dave", f"guess {i}").status_code for i in range(100)]
    # Each failure past the free ones doubles the lockout: a few seconds of guessing buys a handful.
    assert statuses.count(401) <= USER_FREE_FAILURES + 6
    assert statuses.count(429) == 100 - statuses.count(401)


def test_an_address_with_many_failures_is_locked_out_for_every_name(logins_app: LiveApp) -> None:
    for i in range(ADDRESS_FREE_FAILURES + 1):
        assert _login_from(logins_app, "127.0.0.5", f"nobody{i}", "guess").status_code == 401
    assert _login_from(logins_app, "127.0.0.5", "alice", PASSWORD).status_code == 429
    assert _login(logins_app, "alice", PASSWORD).status_code == 200  # from another address
