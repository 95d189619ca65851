"""The REST API through the app's real server: mounted ahead of Chainlit's routes, tokens from the CLI."""

from __future__ import annotations

import httpx

from tests.app.conftest import LiveApp, benny


def test_the_api_answers_on_the_apps_own_port(live_app: LiveApp) -> None:
    spec = httpx.get(f"{live_app.url}/api/v1/openapi.json", timeout=10)
    assert spec.status_code == 200 and "/games" in spec.json()["paths"]
    games = httpx.get(f"{live_app.url}/api/v1/games", params={"sport": "nba"}, timeout=10)
    assert games.status_code == 200 and games.headers["content-type"] == "application/json"
    assert int(games.headers["x-total-count"]) == len(games.json()["games"])
    refused = httpx.get(f"{live_app.url}/api/v1/user-models", timeout=10)
    assert refused.status_code == 401 and refused.json() == {
        "detail": "a token is needed: `benny users token NAME`"
    }
    token = benny(live_app.env, "users", "token", "local").strip()
    mine = httpx.get(
        f"{live_app.url}/api/v1/user-models", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert mine.status_code == 200 and isinstance(mine.json(), list)
    assert token not in live_app.log.read_text()
