"""Chainlit's thread, element, share and upload routes on the real server, over HTTP: 404s, never 500s.

Alice's thread (a tool step and its chart) is written into the server's history in-process,
through Chainlit's own data layer, as a chat turn would leave it.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import chainlit as cl
import httpx
import plotly.graph_objects as go
import pytest
from chainlit.context import init_http_context

from core.settings import load_settings
from tests.app.conftest import PASSWORD, LiveApp
from web.chat_store import prepare_chat_history


def _cookies(app: LiveApp, name: str) -> httpx.Cookies:
    response = httpx.post(f"{app.url}/login", data={"username": name, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text
    return response.cookies


async def _alices_thread(app: LiveApp, *, shared: bool = False) -> tuple[str, str]:
    """A thread of alice's with a tool step and its chart; its id and the chart's."""
    history = prepare_chat_history(load_settings(_env_file=None, BENNY_HOME=str(app.home)))
    assert history is not None
    init_http_context()
    layer = history.data_layer()
    try:
        user = await layer.create_user(cl.User(identifier="alice"))
        assert user is not None
        thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
        metadata = {"is_shared": True} if shared else None  # as a thread shared before would be
        await layer.update_thread(thread_id, name="Model leaderboard", user_id=user.id, metadata=metadata)
        step = cl.Step(name="compare_models", type="tool", thread_id=thread_id, id=step_id)
        step.output = "alice's leaderboard"
        await layer.create_step(step.to_dict())
        chart = cl.Plotly(name="leaderboard", figure=go.Figure(go.Scatter(x=[0.6], y=["value"])))
        chart.thread_id, chart.for_id = thread_id, step_id
        await layer.create_element(chart)
        return thread_id, chart.id
    finally:
        await layer.close()


@pytest.fixture(scope="module")
def people(logins_app: LiveApp) -> dict[str, Any]:
    return {name: _cookies(logins_app, name) for name in ("alice", "bob")}


def test_a_thread_cannot_be_shared_nor_read_by_another_while_sharing_is_off(
    logins_app: LiveApp, people: dict[str, Any]
) -> None:
    thread_id, _ = asyncio.run(_alices_thread(logins_app))
    share = httpx.put(
        f"{logins_app.url}/project/thread/share",
        json={"threadId": thread_id, "isShared": True},
        cookies=people["alice"],
        timeout=10,
    )
    assert (share.status_code, share.json()) == (404, {"detail": "thread sharing is off"})
    shared_before, _ = asyncio.run(_alices_thread(logins_app, shared=True))
    for cookies in (people["bob"], None):
        read = httpx.get(f"{logins_app.url}/project/share/{shared_before}", cookies=cookies, timeout=10)
        assert read.status_code == 404 and "alice's leaderboard" not in read.text


def test_unknown_threads_are_404_and_a_chart_element_reads_back(
    logins_app: LiveApp, people: dict[str, Any]
) -> None:
    alice, url = people["alice"], logins_app.url
    unknown = str(uuid.uuid4())
    deleted = httpx.request("DELETE", f"{url}/project/thread", json={"threadId": unknown}, cookies=alice)
    assert deleted.status_code == 404
    renamed = httpx.put(f"{url}/project/thread", json={"threadId": unknown, "name": "x"}, cookies=alice)
    assert renamed.status_code == 404
    assert httpx.get(f"{url}/project/thread/{unknown}", cookies=alice).status_code == 404

    thread_id, chart_id = asyncio.run(_alices_thread(logins_app))
    element = httpx.get(f"{url}/project/thread/{thread_id}/element/{chart_id}", cookies=alice, timeout=10)
    assert element.status_code == 200
    assert (element.json()["name"], element.json()["props"]) == ("leaderboard", {})
    theirs = httpx.get(f"{url}/project/thread/{thread_id}/element/{chart_id}", cookies=people["bob"])
    assert theirs.status_code == 401  # Chainlit's answer to a thread of someone else's


def test_the_upload_route_is_closed(logins_app: LiveApp, people: dict[str, Any]) -> None:
    upload = httpx.post(
        f"{logins_app.url}/project/file",
        params={"session_id": str(uuid.uuid4())},
        files={"file": ("odds.csv", b"date,home,away\n" * 1000, "text/csv")},
        cookies=people["alice"],
        timeout=10,
    )
    assert (upload.status_code, upload.json()) == (404, {"detail": "file uploads are off"})
