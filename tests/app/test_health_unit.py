"""/health reports a database it cannot reach instead of failing."""

from __future__ import annotations

import json

import pytest


def test_unreachable_database_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import app

    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    monkeypatch.setenv("BENNY_DATABASE_URL", "postgresql+psycopg://benny@127.0.0.1:1/benny?connect_timeout=2")
    monkeypatch.setattr(app, "_runtime", [])
    response = app.health()
    body = json.loads(response.body)
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["database"].startswith("error: cannot reach the database")
