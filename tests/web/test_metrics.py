"""/metrics' text: the exposition format written right, and the numbers it reads from the database."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.engine import Engine

from store.bets import insert_bet
from store.job_runs import claim_run, finish_run, take_lease
from store.odds import save_games
from store.runs import QuotaSeen, record_run
from store.tables import Outcome, table_of
from tests.conftest import NOW, make_settings
from tests.factories import game
from tools.context import ToolContext, open_context
from tools.operations import LEASE
from web.metrics import exposition, prometheus_text

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse_exposition(text: str) -> tuple[Samples, dict[str, str], set[str]]:
    """(samples by name and labels, each family's TYPE, the families with HELP), failing on any bad line."""
    samples: Samples = {}
    types: dict[str, str] = {}
    helped: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            helped.add(line.split(" ")[2])
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
        elif line.strip():
            match = _SAMPLE.match(line)
            assert match is not None, f"not a sample line: {line!r}"
            name, labels, value = match.groups()
            pairs = _LABEL.findall(labels or "")
            assert ",".join(f'{k}="{v}"' for k, v in pairs) == (labels or ""), f"bad labels: {line!r}"
            unescaped = {k: re.sub(r"\\[\\\"n]", lambda m: _UNESCAPE[m.group()], v) for k, v in pairs}
            samples[(name, frozenset(unescaped.items()))] = float(value)
    return samples, types, helped


@pytest.fixture
def any_ctx(any_engine: Engine, db_url: str) -> ToolContext:
    """A context over an empty database of each kind: the queries run on SQLite and PostgreSQL."""
    return open_context(settings=make_settings(db_url), engine=any_engine)


def _key(name: str, **labels: str) -> tuple[str, frozenset[tuple[str, str]]]:
    return name, frozenset(labels.items())


class _Fixed:
    """A collector of families made by the test, to write through the same exposition as Benny's."""

    def __init__(self, *families: Metric) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        return iter(self.families)


def test_label_values_and_help_are_escaped_as_the_format_asks() -> None:
    family = CounterMetricFamily("x_total", "one \\ two\nthree", labels=["job"])
    family.add_metric(['a"b\\c\nd'], 3)
    text = exposition(_Fixed(family))
    assert "# HELP x_total one \\\\ two\\nthree\n# TYPE x_total counter\n" in text
    assert 'x_total{job="a\\"b\\\\c\\nd"} ' in text
    samples, _, _ = parse_exposition(text)
    assert samples == {_key("x_total", job='a"b\\c\nd'): 3.0}


@pytest.mark.parametrize("value", [3, 2.5, 1e-7, 1.7e9, 1736942402.5, math.inf, -math.inf])
def test_values_are_written_as_the_format_reads_them(value: float) -> None:
    samples, _, _ = parse_exposition(exposition(_Fixed(GaugeMetricFamily("x", "a value", value=value))))
    assert samples == {_key("x"): value}


def test_nan_is_spelled_as_the_format_spells_it() -> None:
    text = exposition(_Fixed(GaugeMetricFamily("x", "a value", value=math.nan)))
    assert text.splitlines()[-1] == "x NaN"
    assert math.isnan(parse_exposition(text)[0][_key("x")])


def test_an_empty_database_has_every_family_and_zeros(ctx: ToolContext) -> None:
    samples, types, helped = parse_exposition(prometheus_text(ctx))
    assert types == {
        "benny_job_runs_total": "counter",
        "benny_job_last_duration_seconds": "gauge",
        "benny_job_last_success_timestamp_seconds": "gauge",
        "benny_scheduler_up": "gauge",
        "benny_api_credits_remaining": "gauge",
        "benny_predictions_total": "counter",
        "benny_bets": "gauge",
        "benny_settlement_lag_seconds": "gauge",
    }
    assert helped == set(types)
    assert samples == {
        _key("benny_scheduler_up"): 0.0,
        _key("benny_predictions_total"): 0.0,
        _key("benny_settlement_lag_seconds"): 0.0,
    }  # no credits seen yet: that sample is left out, not zero


def test_recorded_job_runs_show_in_the_counters_durations_and_last_success(any_ctx: ToolContext) -> None:
    ctx = any_ctx
    with ctx.unit_of_work() as session:
        ok = claim_run(
            session=session, job="odds", scheduled_for=NOW, trigger="schedule", runner="h:1", now=NOW
        )
        assert ok is not None
        finish_run(session=session, run_id=ok, status="ok", finished_at=NOW + timedelta(seconds=2.5))
        later = NOW + timedelta(hours=4)
        failed = claim_run(
            session=session, job="odds", scheduled_for=later, trigger="schedule", runner="h:1", now=later
        )
        assert failed is not None
        finish_run(session=session, run_id=failed, status="failed", finished_at=later + timedelta(seconds=1))
        running = claim_run(
            session=session, job="odds", scheduled_for=later + timedelta(hours=4), trigger="schedule",
            runner="h:1", now=later + timedelta(hours=4),
        )  # fmt: skip
        assert running is not None
    samples, types, helped = parse_exposition(prometheus_text(ctx))
    assert samples[_key("benny_job_runs_total", job="odds", status="ok")] == 1
    assert samples[_key("benny_job_runs_total", job="odds", status="failed")] == 1
    assert samples[_key("benny_job_runs_total", job="odds", status="running")] == 1
    # The newest finished run (the failed one): the one still running has no duration yet.
    assert samples[_key("benny_job_last_duration_seconds", job="odds")] == 1.0
    success = samples[_key("benny_job_last_success_timestamp_seconds", job="odds")]
    assert success == (NOW + timedelta(seconds=2.5)).timestamp()
    assert {name for name, _ in samples} <= set(types) == helped


def test_the_scheduler_is_up_while_its_heartbeat_is_fresh(ctx: ToolContext) -> None:
    with ctx.unit_of_work() as session:
        take_lease(session=session, name=LEASE, runner="h:1", now=NOW - timedelta(seconds=30))
    assert parse_exposition(prometheus_text(ctx))[0][_key("benny_scheduler_up")] == 1
    with ctx.unit_of_work() as session:
        take_lease(session=session, name=LEASE, runner="h:1", now=NOW - timedelta(minutes=5))
    assert parse_exposition(prometheus_text(ctx))[0][_key("benny_scheduler_up")] == 0


def test_credits_show_once_the_provider_has_said(ctx: ToolContext) -> None:
    with ctx.unit_of_work() as session:
        record_run(
            session=session, source="sim", kind="odds", sport_key=None, started_at=NOW, finished_at=NOW,
            status="ok", quota=QuotaSeen(remaining=412, used=88, last=3, seen_at=NOW),
        )  # fmt: skip
    assert parse_exposition(prometheus_text(ctx))[0][_key("benny_api_credits_remaining")] == 412


def _bet(game_id: str, status: str) -> dict[str, object]:
    return {
        "game_id": game_id, "commence_time": NOW - timedelta(hours=6), "market": "h2h", "side": "home",
        "book": "fanduel", "odds_american": -110, "stake_usd": 10.0, "probability": 0.7, "week": "2025-W03",
        "status": status, "placed_at": NOW - timedelta(hours=7),
    }  # fmt: skip


def test_bets_by_status_and_the_lag_of_settling_the_oldest_finished_game(any_ctx: ToolContext) -> None:
    ctx = any_ctx
    games = [
        game(f"g{i}", start=NOW - timedelta(hours=6), home=f"Home {i}", away=f"Away {i}") for i in range(4)
    ]
    with ctx.unit_of_work() as session:
        save_games(session=session, games=games)
        # g0: pending, result in 3 h ago (the lag); g1: settled, result older (not waiting);
        # g2: pending, result stamped after the clock's now (not in yet); g3: pending, no result.
        session.execute(
            sa.insert(table_of(Outcome)),
            [
                {
                    "game_id": "g0",
                    "home_score": 100,
                    "away_score": 90,
                    "completed_at": NOW - timedelta(hours=3),
                },
                {
                    "game_id": "g1",
                    "home_score": 100,
                    "away_score": 90,
                    "completed_at": NOW - timedelta(hours=5),
                },
                {
                    "game_id": "g2",
                    "home_score": 100,
                    "away_score": 90,
                    "completed_at": NOW + timedelta(hours=1),
                },
            ],
        )
        for game_id, status in (("g0", "pending"), ("g1", "won"), ("g2", "pending"), ("g3", "pending")):
            assert insert_bet(session=session, row=_bet(game_id, status)) is not None
    samples, _, _ = parse_exposition(prometheus_text(ctx))
    assert samples[_key("benny_bets", status="pending")] == 3
    assert samples[_key("benny_bets", status="won")] == 1
    assert samples[_key("benny_settlement_lag_seconds")] == 3 * 3600
