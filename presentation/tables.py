"""What every renderer builds on: the renderer's type, the labels, the Markdown table and its cells.

The renderers (``presentation.render`` for the odds tools, ``presentation.render_models`` for the
models and Benny, ``presentation.render_ops`` for the live loop) and ``presentation.charts`` import
these; none of them imports another renderer, so ``presentation.render`` can gather them all.
Numbers are formatted by ``core.formatting``; the cells here are the chat's own (times, sports).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from core.errors import InvalidInput
from core.formatting import MISSING, american
from core.odds import american_price
from core.sports import parse_sport

Args = Mapping[str, Any]
Renderer = Callable[[Any, Args], str]

MAX_ROWS = 40  # a chat table longer than this is cut, with a line saying how to narrow it
BASELINE_LABELS = {
    "consensus_favourite": "Backing the consensus favourite",
    "fade_benny": "Fading Benny",
    "random": "Random bettor (seeded)",
}
WINDOW_LABELS = {
    "7": "the last 7 days",
    "30": "the last 30 days",
    "90": "the last 90 days",
    "all": "all time",
}
MARKET_NAMES = {"h2h": "moneyline", "spreads": "spread", "totals": "total"}


def price(odds_decimal: float | None) -> str:
    """A stored decimal price shown as the American price a book quotes for it."""
    return MISSING if odds_decimal is None else american(american_price(odds_decimal))


def sport_label(name: str | None) -> str:
    if not name:
        return "every sport"
    try:
        return parse_sport(name).title
    except InvalidInput:
        return name


def start_time(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%a %H:%M")


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, hint: str = "") -> list[str]:
    """A Markdown table of at most ``MAX_ROWS`` rows; a cut table says so and how to narrow it."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines += ["", f"_Showing the first {MAX_ROWS} of {len(rows)}{'; ' + hint if hint else ''}._"]
    return lines


def hours_of(args: Args, default: int) -> int:
    return int(args.get("hours") or default)
