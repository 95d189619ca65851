"""Turn tool results into Markdown for chat: tables of the tools' own numbers, nothing recomputed.

Each renderer takes a tool's JSON result and the arguments it was called with (an empty result
gets a sentence that names the window and filters asked for). Numbers are only formatted:
probabilities, rates, ROI, CLV and expected value as percentages with one decimal, prices as
signed American odds, money in dollars and cents.

This module is the entry (``tool_result``, over every renderer) and renders the odds tools (the
board, the slate, value bets, line movement, credits). The models' and Benny's renderers are in
``presentation.render_models``, the live loop's status in ``presentation.render_ops``, the pieces
they share in ``presentation.tables`` and the numbers' formats in ``core.formatting``;
``presentation.charts`` hands a UI the series a chart would plot, from the same numbers.
"""

from __future__ import annotations

from typing import Any

from core.formatting import MISSING, american, market_line, percent, side_label, signed_points
from presentation import render_models, render_ops
from presentation.tables import (
    MARKET_NAMES,
    Args,
    Renderer,
    hours_of,
    md_table,
    sport_label,
    start_time,
)


def _line(point: float | None, market: str) -> str:
    """A quoted line as the board shows it: a level spread reads PK; a moneyline has none."""
    return "" if point is None else market_line(market, point, pickem="PK")


def _cell(side: dict[str, Any] | None, *, market: str | None = None) -> str:
    """One side's best price and its book, after its line when ``market`` has one."""
    if side is None:
        return MISSING
    prefix = f"{_line(side['point'], market)} " if market else ""
    return f"{prefix}{american(side['odds_american'])} ({side['book']})"


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
            _cell(spreads.get("home"), market="spreads"),
            _cell(spreads.get("away"), market="spreads"),
            _cell(totals.get("over"), market="totals"),
            _cell(totals.get("under"), market="totals"),
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
    floor = percent(float(args.get("min_edge") or 0.0), digits=None)
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
                percent(r["fair_probability"]),
                percent(r["expected_value"]),
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


def _quoted(sides: list[dict[str, Any]], side: str, market: str) -> str:
    """One side's price as a book posts it: the point (spreads and totals), then the American price."""
    found = next((s for s in sides if s["side"] == side), None)
    if found is None:
        return MISSING
    point = _line(found["point"], market)
    return f"{point} {american(found['odds_american'])}".strip()


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
    first = side_label(sides[0], home_team=move["home_team"], away_team=move["away_team"])
    if move["consensus_opening"] is None or move["consensus_latest"] is None:
        lines.append(f"No consensus for {first}: no book outside the exchanges priced the market.")
    else:
        lines.append(
            f"Consensus for {first} (devigged, at the main line): {percent(move['consensus_opening'])} "
            f"at the first snapshot, {percent(move['consensus_latest'])} now "
            f"({signed_points(move['consensus_move'])} points)."
        )
    return "\n".join(lines)


RENDERERS: dict[str, Renderer] = {
    "get_odds": odds_board,
    "get_games": games_list,
    "best_value_bets": value_bets,
    "line_movement": line_history,
    "api_credits": credits,
    **render_models.RENDERERS,
    **render_ops.RENDERERS,
}
VIEWS: dict[str, Renderer] = {**render_models.VIEWS}  # another reading of a tool's result than its own table


def tool_result(name: str, result: Any, arguments: Args | None = None, *, view: str | None = None) -> str:
    renderer = VIEWS.get(view or "") or RENDERERS.get(name)
    if renderer is None:
        return f"`{name}` returned:\n```json\n{result}\n```"
    return renderer(result, arguments or {})
