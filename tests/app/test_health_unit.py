"""/health, /health/detail, /metrics and the embedded scheduler, no server: a database that is
unreachable, deleted and restored, or corrupt; the public health against the detail; a loop
started and stopped."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.testclient import TestClient

from agent.runtime import Runtime
from services.tokens import issue_token
from store import migrate
from tests.conftest import NOW
from web import app_state, chat, routes

PUBLIC = {"status", "database", "schema", "feed", "llm", "service"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(routes.routes)
    with TestClient(app) as client:
        yield client


def _runtime_on(monkeypatch: pytest.MonkeyPatch, url: str) -> Runtime:
    monkeypatch.setenv("BENNY_DATABASE_URL", url)
    monkeypatch.setenv("BENNY_NOW", NOW.isoformat())
    monkeypatch.setattr(app_state, "_runtime", [])
    return app_state.runtime()


@pytest.fixture
def sqlite_runtime(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Iterator[Runtime]:
    rt = _runtime_on(monkeypatch, sqlite_url)
    yield rt
    rt.engine.dispose()


def _token(rt: Runtime) -> str:
    return issue_token(engine=rt.engine, user="local", now=NOW).token


def _database_file(rt: Runtime) -> Path:
    return Path(str(rt.engine.url.database))


def test_unreachable_database_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, client: TestClient
) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    monkeypatch.setenv("BENNY_DATABASE_URL", "postgresql+psycopg://benny@127.0.0.1:1/benny?connect_timeout=2")
    monkeypatch.setattr(app_state, "_runtime", [])
    response = client.get("/health")
    assert response.status_code == 503
    # Nothing about where the database is: the reason goes to the app's log.
    assert response.json() == {
        "status": "degraded",
        "database": "error",
        "schema": None,
        "feed": None,
        "llm": None,
        "service": "benny",
    }
    assert client.get("/health/detail").status_code == 503  # no token can be checked: /health's body
    metrics = client.get("/metrics")
    assert metrics.status_code == 503 and metrics.text.startswith("# benny cannot read its metrics")


def test_health_sees_a_deleted_database_file_and_recovers_when_it_is_restored(
    sqlite_runtime: Runtime, client: TestClient, tmp_path: Path
) -> None:
    path = _database_file(sqlite_runtime)
    ok = client.get("/health")
    assert (ok.status_code, ok.json()["schema"]) == (200, migrate.head_revision())
    source, backup = sqlite3.connect(path), sqlite3.connect(tmp_path / "backup.db")
    source.backup(backup)
    source.close()
    backup.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    gone = client.get("/health")
    assert (gone.status_code, gone.json()["status"], gone.json()["database"]) == (503, "degraded", "error")
    assert client.get("/metrics").status_code == 503
    assert not path.exists()  # the checks did not make an empty database in its place

    shutil.copy(tmp_path / "backup.db", path)  # restored, without restarting the app
    assert client.get("/health").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_a_corrupt_database_is_a_json_503_not_a_500(sqlite_runtime: Runtime, client: TestClient) -> None:
    sqlite_runtime.engine.dispose()
    with _database_file(sqlite_runtime).open("r+b") as file:
        file.write(b"not an SQLite header" * 5)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    metrics = client.get("/metrics")
    assert metrics.status_code == 503
    assert metrics.text == (
        "# benny cannot read its metrics: the database is not usable (the reason is in the app's log)\n"
    )


def test_a_schema_behind_the_code_is_degraded(sqlite_runtime: Runtime, client: TestClient) -> None:
    with sqlite3.connect(_database_file(sqlite_runtime)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0013'")
    response = client.get("/health")
    assert response.status_code == 503
    assert (response.json()["database"], response.json()["schema"]) == ("schema mismatch", "0013")


def test_public_health_shows_no_host_or_process_and_the_detail_takes_a_token(
    sqlite_runtime: Runtime, client: TestClient
) -> None:
    public = client.get("/health")
    assert set(public.json()) == PUBLIC  # no host, pid, scheduler or credits
    for headers in ({}, {"Authorization": "Bearer benny_not-a-token"}):
        refused = client.get("/health/detail", headers=headers)
        assert (refused.status_code, refused.headers["www-authenticate"]) == (401, "Bearer")
    detail = client.get("/health/detail", headers={"Authorization": f"Bearer {_token(sqlite_runtime)}"})
    assert detail.status_code == 200
    body = detail.json()
    assert set(body) > PUBLIC and {key: body[key] for key in PUBLIC} == public.json()
    assert body["process"] == f"{socket.gethostname()}:{os.getpid()}"
    assert (body["problem"], body["schema_head"]) == (None, migrate.head_revision())
    assert body["scheduler"]["state"] == "off" and "runner" in body["scheduler"]


def test_the_embedded_loop_runs_and_lets_a_job_under_way_finish_on_shutdown(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    monkeypatch.setenv("BENNY_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("BENNY_NOW", NOW.isoformat())
    monkeypatch.setattr(app_state, "_runtime", [])
    monkeypatch.setattr(app_state, "_live_loop", [])
    rt = app_state.runtime()
    started, finished = threading.Event(), threading.Event()

    def slow_job() -> None:  # a job on the scheduler's worker thread, still busy when the app stops
        loop = app_state.live_loop()
        assert loop is not None
        with loop.working():  # as the scheduler's entry points count every job
            started.set()
            time.sleep(0.5)
            finished.set()

    async def app_lifetime() -> tuple[dict[str, object], bool, str]:
        app_state.start_live_loop(rt)
        loop = app_state.live_loop()
        assert loop is not None
        while loop.state != "running":
            await asyncio.sleep(0.01)
        token = HTTPAuthorizationCredentials(scheme="Bearer", credentials=_token(rt))
        body = json.loads((await asyncio.to_thread(routes.health_detail, token)).body)
        assert loop.scheduler is not None
        loop.scheduler.add_job(slow_job, jobstore="process")
        await asyncio.to_thread(started.wait, 5)
        await chat.shut_down()  # the app's shutdown hook
        return body["scheduler"], finished.is_set(), loop.state  # before asyncio.run waits for threads

    try:
        scheduler, job_finished, state = asyncio.run(asyncio.wait_for(app_lifetime(), timeout=20))
    finally:
        rt.engine.dispose()
    assert scheduler["enabled"] is True and scheduler["state"] == "running" and scheduler["alive"] is True
    assert job_finished  # Chainlit exits right after the hook: the job must finish inside it
    assert state == "stopped"
