"""Logins on the real server, over HTTP: Chainlit's /login runs Benny's password check."""

from __future__ import annotations

import stat

import httpx

from tests.app.conftest import PASSWORD, USER, LiveApp


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
