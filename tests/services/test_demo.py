"""Seeding the demo: the simulated book's odds, results and injuries, or a clear failure."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from core.errors import UpstreamError
from services.demo import seed_demo
from store.db import unit_of_work
from store.odds import count_rows
from tools.context import ToolContext


def test_a_demo_seed_stores_the_simulated_book(ctx: ToolContext) -> None:
    seeded = seed_demo(ctx)
    assert seeded.games > 0 and seeded.snapshots > 0
    with unit_of_work(ctx.engine) as session:
        assert count_rows(session=session)["snapshots"] == seeded.snapshots


def test_a_demo_seed_whose_book_fails_says_so_instead_of_reporting_nothing(ctx: ToolContext) -> None:
    def down(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="the book is down")

    broken = replace(ctx, transport=httpx.MockTransport(down))
    with pytest.raises(UpstreamError, match="simulated sportsbook failed"):
        seed_demo(broken)
