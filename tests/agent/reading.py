"""Reading the offline brain's answers back: its tables cell by cell, and the tools' numbers
formatted by hand, independently of the renderers, so a renderer that recomputed or rounded
anything differently would fail the tests that compare them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from agent.brain import OfflineBrain
from agent.graph import ask, build_graph
from agent.state import text_of, tool_uses
from core.clock import FixedClock
from live.jobs import job_settle
from services.collect import collect_scores
from tests.conftest import NOW
from tools.context import ToolContext
from tools.registry import REGISTRY, Registry

# --- formatting, written out independently of presentation.render -------------------------------------


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def usd(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}${abs(value):,.2f}"


def american(odds: int) -> str:
    return f"+{odds}" if odds > 0 else str(odds)


def start(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%a %H:%M")


SPORTS = {"basketball_nba": "NBA", "icehockey_nhl": "NHL", "soccer_epl": "EPL"}


# --- reading an answer back ---------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table in an answer, each as its rows keyed by the header."""
    lines, found = text.splitlines(), []
    for i, line in enumerate(lines[:-1]):
        if line.startswith("| ") and lines[i + 1].startswith("|---"):
            header, rows = _cells(line), []
            for row in lines[i + 2 :]:
                if not row.startswith("| "):
                    break
                rows.append(dict(zip(header, _cells(row), strict=True)))
            found.append(rows)
    return found


def run(ctx: ToolContext, text: str, registry: Registry = REGISTRY) -> tuple[dict[str, Any], Any, str]:
    """One turn through the real graph: the single tool call, its result as the brain read it, the answer."""
    turn = ask(build_graph(OfflineBrain(), registry), text, ctx)
    [call] = tool_uses(turn[1])
    [block] = turn[2]["content"]
    assert block["is_error"] is False, block["content"]
    return call, json.loads(block["content"]), text_of(turn[-1])


def dumped(value: Any) -> Any:
    if isinstance(value, list):
        return [v.model_dump(mode="json") for v in value]
    return value.model_dump(mode="json")


def settle(ctx: ToolContext) -> None:
    """Two days later: the results collected and Benny's bets settled."""
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    clock.set(NOW + timedelta(days=2))
    collect_scores(ctx, source="sim")
    assert job_settle(ctx).settled
