"""Benny's /metrics through the real app: Prometheus' text format, with the live loop's numbers."""

from __future__ import annotations

import httpx

from tests.app.conftest import LiveApp
from tests.app.test_health import running_health
from tests.web.test_metrics import parse_exposition

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def test_metrics_is_prometheus_text_that_parses(scheduler_app: LiveApp) -> None:
    running_health(scheduler_app)
    response = httpx.get(f"{scheduler_app.url}/metrics", timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE
    samples, types, helped = parse_exposition(response.text)  # fails on any line it cannot read
    assert {name for name, _ in samples} <= set(types) == helped
    assert samples[("benny_scheduler_up", frozenset())] == 1
    assert samples[("benny_api_credits_remaining", frozenset())] >= 0
    assert ("benny_predictions_total", frozenset()) in samples


def test_metrics_say_the_scheduler_is_down_where_none_runs(live_app: LiveApp) -> None:
    response = httpx.get(f"{live_app.url}/metrics", timeout=5)
    assert response.status_code == 200
    samples, _, _ = parse_exposition(response.text)
    assert samples[("benny_scheduler_up", frozenset())] == 0
