"""Benny's own /health, served by the real app ahead of Chainlit's."""

from __future__ import annotations

import httpx

from tests.app.conftest import LiveApp


def test_health_is_bennys_json(live_app: LiveApp) -> None:
    response = httpx.get(f"{live_app.url}/health", timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "database": "ok", "feed": "sim", "llm": "offline", "service": "benny"}


def test_the_chat_page_is_still_chainlits(live_app: LiveApp) -> None:
    response = httpx.get(live_app.url, timeout=5)
    assert response.status_code == 200
    assert "<html" in response.text.lower()
