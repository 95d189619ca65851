"""Turn tool results into Markdown for chat: tables of the tools' own numbers, nothing recomputed.

Each renderer takes a tool's JSON result and the arguments it was called with (an empty result
gets a sentence that names the window and filters asked for). Numbers are only formatted:
probabilities, rates, ROI, CLV and expected value as percentages with one decimal, prices as
signed American odds, money in dollars and cents.

This module is the entry (``tool_result``), holds the shared formatting and renders the odds
tools (the board, the slate, value bets, line movement, credits). The models' and Benny's
renderers are in ``presentation.render_models``, the live loop's status in ``presentation.render_ops``;
``presentation.charts`` hands a UI the series a chart would plot, from the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from core.errors import InvalidInput
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


def american(odds: int) -> str:
    return f"+{odds}" if odds > 0 else str(odds)


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal (0.5256 -> 52.6%); a dash when there is none."""
    return "–" if value is None else f"{value * 100:.1f}%"


def usd(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}${abs(value):,.2f}"


def price(odds_decimal: float | None) -> str:
    """A stored decimal price shown as the American price a book quotes for it."""
    return "–" if odds_decimal is None else american(american_price(odds_decimal))


def sport_label(name: str | None) -> str:
    if not name:
        return "every sport"
    try:
        return parse_sport(name).title
    except InvalidInput:
        return name


def _line(point: float | None, *, signed: bool) -> str:
    if point is None:
        return ""
    if signed:
        return "PK" if point == 0 else f"{point:+g}"
    return f"{point:g}"


def _cell(side: dict[str, Any] | None, *, show_point: bool = False, signed: bool = False) -> str:
    if side is None:
        return "–"
    prefix = f"{_line(side['point'], signed=signed)} " if show_point else ""
    return f"{prefix}{american(side['odds_american'])} ({side['book']})"


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


def odds_board(board: dict[str, Any], args: Args | None = None) -> str:
    """The odds board as a table: one row per game, the best price per side and its book."""
    games = board["games"]
    if not games:
        return f"No {board['sport']} games with odds in the next {board['window_hours']} hours."
    lines = [
        f"**Best prices, {len(games)} games** (as of {start_time(board['as_of'])} UTC; book in brackets)",
        "",
        "| Start (UTC) | Matchup | Away ML | Home ML | Home spread | Away spread | Over | Under |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for game in games:
        by_market = {m["market"]: {s["side"]: s for s in m["sides"]} for m in game["markets"]}
        h2h, spreads, totals = (
            by_market.get("h2h", {}),
            by_market.get("spreads", {}),
            by_market.get("totals", {}),
        )
        row = [
            start_time(game["commence_time"]),
            f"{game['away_team']} @ {game['home_team']}",
            _cell(h2h.get("away")),
            _cell(h2h.get("home")),
            _cell(spreads.get("home"), show_point=True, signed=True),
            _cell(spreads.get("away"), show_point=True, signed=True),
            _cell(totals.get("over"), show_point=True),
            _cell(totals.get("under"), show_point=True),
        ]
        if "draw" in h2h:
            row[3] = f"{row[3]} · draw {_cell(h2h['draw'])}"
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def games_list(games: list[dict[str, Any]], args: Args | None = None) -> str:
    if not games:
        return "No upcoming games with odds."
    lines = ["| Start (UTC) | Matchup | Books |", "|---|---|---|"]
    lines += [
        f"| {start_time(g['commence_time'])} | {g['away_team']} @ {g['home_team']} | {g['books']} |"
        for g in games
    ]
    return "\n".join(lines)


def value_bets(rows: list[dict[str, Any]], args: Args) -> str:
    """The sides whose best price beats the devigged consensus, largest expected value first."""
    sport, hours = sport_label(args.get("sport") or "nba"), hours_of(args, 24)
    floor = f"{float(args.get('min_edge') or 0.0) * 100:g}%"
    if not rows:
        return f"No {sport} value bets at or above {floor} expected value in the next {hours} hours."
    table = md_table(
        ("Start (UTC)", "Matchup", "Pick", "Book", "Odds", "Fair", "EV"),
        [
            (
                start_time(r["commence_time"]),
                r["matchup"],
                r["pick"],
                r["book"],
                american(r["odds_american"]),
                pct(r["fair_probability"]),
                pct(r["expected_value"]),
            )
            for r in rows
        ],
    )
    head = (
        f"**{len(rows)} {sport} value bets** at or above {floor} expected value, next {hours} hours "
        "(fair = the books' devigged consensus; EV per dollar staked at the best price)"
    )
    return "\n".join([head, "", *table])


def credits(report: dict[str, Any], args: Args | None = None) -> str:
    """The Odds API credits in one line: what is left, and what the month can still pay for."""
    if report["remaining"] is None:
        left = "no call to the provider yet"
    else:
        left = f"{report['remaining']:,} left, {report['used'] or 0:,} used"
    return (
        f"**Odds API credits** ({report['feed']}): {left}. This month's budget is "
        f"{report['monthly_budget']:,}: {report['allowance']:,} may still be spent, "
        f"{report['closing_reserve']:,} kept for closing lines; a five-league sweep costs "
        f"{report['sweep_cost']:,}, so {report['sweeps_affordable']:,} more sweeps "
        f"({report['sweeps_per_day']:g} a day)."
    )


SIDE_TITLES = {"home": "Home", "away": "Away", "draw": "Draw", "over": "Over", "under": "Under"}
MARKET_NAMES = {"h2h": "moneyline", "spreads": "spread", "totals": "total"}


def _quoted(sides: list[dict[str, Any]], side: str, market: str) -> str:
    """One side's price as a book posts it: the point (spreads and totals), then the American price."""
    found = next((s for s in sides if s["side"] == side), None)
    if found is None:
        return "–"
    point = _line(found["point"], signed=market == "spreads")
    return f"{point} {american(found['odds_american'])}".strip()


def _side_label(move: dict[str, Any], side: str) -> str:
    teams: dict[str, str] = {"home": move["home_team"], "away": move["away_team"]}
    return teams.get(side, SIDE_TITLES.get(side, side))


def line_history(move: dict[str, Any], args: Args | None = None) -> str:
    """A game's line movement: each book's opening and latest price of every side, and the consensus move."""
    market, snapshots = move["market"], move["snapshots"]
    starts = f"starts {start_time(move['commence_time'])} UTC"
    if not snapshots:
        return (
            f"No {MARKET_NAMES.get(market, market)} prices stored for {move['matchup']} ({starts}) "
            f"as of {start_time(move['as_of'])} UTC."
        )
    sides = move["sides"]
    header = ["Book", "First seen (UTC)"]
    header += [f"{SIDE_TITLES.get(s, s)} {moment}" for s in sides for moment in ("open", "now")]
    rows = [
        (
            b["book"],
            start_time(b["opening_at"]),
            *(_quoted(b[moment], s, market) for s in sides for moment in ("opening", "latest")),
            str(b["snapshots"]),
        )
        for b in move["books"]
    ]
    lines = [
        f"**Line movement, {move['matchup']}** ({sport_label(move['sport'])} "
        f"{MARKET_NAMES.get(market, market)}, {starts}): {len(snapshots)} snapshots from "
        f"{len(move['books'])} books as of {start_time(move['as_of'])} UTC",
        "",
        *md_table([*header, "Snapshots"], rows),
        "",
    ]
    first = _side_label(move, sides[0])
    if move["consensus_opening"] is None or move["consensus_latest"] is None:
        lines.append(f"No consensus for {first}: no book outside the exchanges priced the market.")
    else:
        lines.append(
            f"Consensus for {first} (devigged, at the main line): {pct(move['consensus_opening'])} at the "
            f"first snapshot, {pct(move['consensus_latest'])} now "
            f"({move['consensus_move'] * 100:+.1f} points)."
        )
    return "\n".join(lines)


RENDERERS: dict[str, Renderer] = {
    "get_odds": odds_board,
    "get_games": games_list,
    "best_value_bets": value_bets,
    "line_movement": line_history,
    "api_credits": credits,
}
VIEWS: dict[str, Renderer] = {}  # another reading of a tool's result than its own table


def _dispatch() -> tuple[dict[str, Renderer], dict[str, Renderer]]:
    # The models', Benny's and the live loop's renderers are built on this module's helpers, so
    # they are imported on first use: importing them at the top would have each wait on the other.
    from presentation import render_models, render_ops

    renderers = {**RENDERERS, **render_models.RENDERERS, **render_ops.RENDERERS}
    return renderers, {**VIEWS, **render_models.VIEWS}


def tool_result(name: str, result: Any, arguments: Args | None = None, *, view: str | None = None) -> str:
    renderers, views = _dispatch()
    renderer = views.get(view or "") or renderers.get(name)
    if renderer is None:
        return f"`{name}` returned:\n```json\n{result}\n```"
    return renderer(result, arguments or {})
