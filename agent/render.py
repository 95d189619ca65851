"""Turn tool results into Markdown for chat: tables of the tools' own numbers, nothing recomputed.

Each renderer takes a tool's JSON result and the arguments it was called with (an empty result
gets a sentence that names the window and filters asked for). Numbers are only formatted:
probabilities, rates, ROI, CLV and expected value as percentages with one decimal, prices as
signed American odds, money in dollars and cents. ``chart_data`` hands a UI the series a chart
would plot, from the same numbers.
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


def _start(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%a %H:%M")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, hint: str = "") -> list[str]:
    """A Markdown table of at most ``MAX_ROWS`` rows; a cut table says so and how to narrow it."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines += ["", f"_Showing the first {MAX_ROWS} of {len(rows)}{'; ' + hint if hint else ''}._"]
    return lines


def _hours(args: Args, default: int) -> int:
    return int(args.get("hours") or default)


def odds_board(board: dict[str, Any], args: Args | None = None) -> str:
    """The odds board as a table: one row per game, the best price per side and its book."""
    games = board["games"]
    if not games:
        return f"No {board['sport']} games with odds in the next {board['window_hours']} hours."
    lines = [
        f"**Best prices, {len(games)} games** (as of {_start(board['as_of'])} UTC; book in brackets)",
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
            _start(game["commence_time"]),
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
        f"| {_start(g['commence_time'])} | {g['away_team']} @ {g['home_team']} | {g['books']} |"
        for g in games
    ]
    return "\n".join(lines)


def _pick(label: str, market: str, point: float | None) -> str:
    if point is None:
        return label
    return f"{label} {point:+g}" if market == "spreads" else f"{label} {point:g}"


def predictions(rows: list[dict[str, Any]], args: Args) -> str:
    """The models' picks: one row per model, game and market, with the price when it was made."""
    sport, hours, model = sport_label(args.get("sport") or "nba"), _hours(args, 48), args.get("model")
    source = f" from {model}" if model else ""
    if not rows:
        return (
            f"No {sport} predictions{source} for games in the next {hours} hours. The models' picks "
            "appear after an analysis run (`benny analyze`); a model that is not fitted yet predicts nothing."
        )
    models = sorted({r["model"] for r in rows})
    table = _table(
        ("Start (UTC)", "Matchup", "Model", "Market", "Pick", "Prob.", "Conf.", "Price", "Book"),
        [
            (
                _start(r["commence_time"]),
                r["matchup"],
                r["model"],
                r["market"],
                _pick(r["pick_label"], r["market"], r["point"]),
                pct(r["probability"]),
                pct(r["confidence"]),
                price(r["odds_decimal"]),
                r["book"] or "–",
            )
            for r in rows
        ],
        hint="name one model (*momentum picks*) or a shorter window (*today*)",
    )
    head = (
        f"**{len(rows)} {sport} predictions** from {', '.join(models)}, games in the next {hours} hours "
        "(confidence is the probability scaled by the model's record; price at the time of the pick)"
    )
    return "\n".join([head, "", *table])


def value_bets(rows: list[dict[str, Any]], args: Args) -> str:
    """The sides whose best price beats the devigged consensus, largest expected value first."""
    sport, hours = sport_label(args.get("sport") or "nba"), _hours(args, 24)
    floor = f"{float(args.get('min_edge') or 0.0) * 100:g}%"
    if not rows:
        return f"No {sport} value bets at or above {floor} expected value in the next {hours} hours."
    table = _table(
        ("Start (UTC)", "Matchup", "Pick", "Book", "Odds", "Fair", "EV"),
        [
            (
                _start(r["commence_time"]),
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


def _window(args: Args) -> str:
    return WINDOW_LABELS.get(str(args.get("days") or "30"), f"the last {args.get('days')} days")


def _scope(args: Args) -> str:
    parts = [sport_label(args["sport"])] if args.get("sport") else []
    parts += [str(args["market"])] if args.get("market") else []
    return f" ({' '.join(parts)})" if parts else ""


def _accuracy(r: dict[str, Any]) -> str:
    if r["accuracy"] is None:
        return "–"
    if r["accuracy_low"] is None or r["accuracy_high"] is None:
        return pct(r["accuracy"])
    return f"{pct(r['accuracy'])} ({r['accuracy_low'] * 100:.1f}–{r['accuracy_high'] * 100:.1f})"


def _brier(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def leaderboard(rows: list[dict[str, Any]], args: Args) -> str:
    """Each model's record by sport and market, in the tool's order (best accuracy first in each)."""
    if not rows:
        return (
            f"No graded predictions in {_window(args)}{_scope(args)}: the leaderboard fills in as games "
            "finish and the models' picks are graded."
        )
    table = _table(
        ("Model", "Sport", "Market", "n", "Accuracy (95% CI)", "Inverse", "Brier", "ROI", "CLV", "Verdict"),
        [
            (
                r["model"],
                sport_label(r["sport"]),
                r["market"],
                f"{r['n']:g}",
                _accuracy(r),
                pct(r["inverse_accuracy"]),
                _brier(r["brier"]),
                pct(r["roi"]),
                pct(r["clv"]),
                r["recommendation"],
            )
            for r in rows
        ],
        hint="name a sport or a market (*NBA spreads*) to narrow it",
    )
    head = (
        f"**Model leaderboard, {_window(args)}**{_scope(args)}: {len(rows)} records "
        "(ROI at 1 unit a pick; verdict ORIGINAL = use, INVERSE = fade, AVOID = neither pays)"
    )
    return "\n".join([head, "", *table])


def _short_table(rows: list[dict[str, Any]]) -> list[str]:
    return _table(
        ("Model", "Sport", "Market", "n", "Accuracy", "Inverse", "ROI"),
        [
            (
                r["model"],
                sport_label(r["sport"]),
                r["market"],
                f"{r['n']:g}",
                pct(r["accuracy"]),
                pct(r["inverse_accuracy"]),
                pct(r["roi"]),
            )
            for r in rows
        ],
    )


def fade(rows: list[dict[str, Any]], args: Args) -> str:
    """Which models to fade: the records whose verdict is INVERSE; and the ones to avoid altogether."""
    window = f"{_window(args)}{_scope(args)}"
    if not rows:
        return f"No graded predictions in {window}, so there is no model to fade yet."
    inverse = [r for r in rows if r["recommendation"] == "INVERSE"]
    avoid = [r for r in rows if r["recommendation"] == "AVOID"]
    if inverse:
        lines = [
            f"**Fade these {len(inverse)}** ({window}): the opposite of their pick did significantly "
            "better than the pick itself.",
            "",
            *_short_table(inverse),
        ]
    else:
        lines = [
            f"**No model qualifies to fade** in {window}: in none of the {len(rows)} records did the "
            "opposite pick do significantly better than the pick itself."
        ]
    if avoid:
        lines += [
            "",
            f"**Avoid these {len(avoid)}**: neither their pick nor its opposite beat break-even.",
            "",
            *_short_table(avoid),
        ]
    else:
        lines += ["", "No model is marked AVOID either."]
    return "\n".join(lines)


def _numbers_row(label: str, n: dict[str, Any]) -> tuple[str, ...]:
    return (
        label,
        str(n["bets"]),
        usd(n["staked_usd"]),
        usd(n["pnl_usd"], signed=True),
        pct(n["roi"]),
        pct(n["win_rate"]),
        pct(n["clv"]),
    )


_NUMBERS_HEADER = ("Bets", "Staked", "P&L", "ROI", "Win rate", "CLV")


def dashboard(board: dict[str, Any], args: Args | None = None) -> str:
    """Benny's record: a headline, his numbers by sport, and the baseline bettors beside him."""
    if not board["bets"]:
        return "Benny has not placed a bet yet: his dashboard fills in once he trades (`benny trade`)."
    o = board["overall"]
    lines = [
        f"**Benny**: {board['bets']} bets ({board['settled']} settled, {board['pending']} pending) · "
        f"bankroll {usd(board['bankroll_usd'], signed=True)} · ROI {pct(o['roi'])} · "
        f"win rate {pct(o['win_rate'])} · CLV {pct(o['clv'])} · "
        f"max drawdown {usd(o['max_drawdown_usd'])}",
        "",
    ]
    if board["by_sport"]:
        rows = [_numbers_row(sport_label(g["key"]), g) for g in board["by_sport"]]
        lines += ["**By sport** (settled bets)", "", *_table(("Sport", *_NUMBERS_HEADER), rows), ""]
    else:
        lines += ["No bet has settled yet.", ""]
    rows = [_numbers_row("Benny", o)]
    rows += [_numbers_row(BASELINE_LABELS.get(k, k), v) for k, v in board["baselines"].items()]
    lines += [
        "**Beside the baselines** (same games, stakes and weekly budget)",
        "",
        *_table(("Bettor", *_NUMBERS_HEADER), rows),
    ]
    return "\n".join(lines)


def bets(rows: list[dict[str, Any]], args: Args) -> str:
    """Benny's bets, newest first, as the tool lists them."""
    status = args.get("status")
    if not rows:
        return f"Benny has no {status} bets." if status else "Benny has not placed a bet yet."
    table = _table(
        ("#", "Start (UTC)", "Matchup", "Pick", "Book", "Odds", "Stake", "Prob.", "Status", "P&L", "CLV"),
        [
            (
                str(r["bet_id"]),
                _start(r["commence_time"]),
                r["matchup"],
                r["pick"],
                r["book"],
                american(r["odds_american"]),
                usd(r["stake_usd"]),
                pct(r["probability"]),
                r["status"],
                usd(r["profit_usd"], signed=True),
                pct(r["clv"]),
            )
            for r in rows
        ],
    )
    kind = f"{status} bets" if status else "bets"
    head = f"**Benny's {kind}**, newest first ({len(rows)}; *explain bet N* says why he made one)"
    return "\n".join([head, "", *table])


def explanation(bet: dict[str, Any], args: Args | None = None) -> str:
    """Why Benny made a bet: what he backed, his reasoning, and the numbers behind the stake."""
    outcome = bet["status"]
    if bet["profit_usd"] is not None:
        outcome += f", {usd(bet['profit_usd'], signed=True)}"
    lines = [
        f"**Bet #{bet['bet_id']}**: {bet['pick']} ({bet['market']}) in {bet['matchup']}, "
        f"{_start(bet['commence_time'])} UTC, at {american(bet['odds_american'])} with {bet['book']}, "
        f"stake {usd(bet['stake_usd'])}; {outcome}.",
    ]
    if bet["reasoning"]:
        lines += ["", f"Reasoning ({bet['analyst']} analyst): {bet['reasoning']}"]
    lines += [
        "",
        f"- Probability: the analyst's {pct(bet['probability'])}, "
        f"the market's {pct(bet['market_probability'])}, blended {pct(bet['blended_probability'])}; "
        f"edge {pct(bet['edge'])}",
        f"- Stake: {bet['stake_rule']}",
    ]
    if bet["key_factors"]:
        lines.append(f"- Key factors: {'; '.join(bet['key_factors'])}")
    if bet["risks"]:
        lines.append(f"- Risks: {'; '.join(bet['risks'])}")
    if bet["clv"] is not None:
        lines.append(f"- Closing-line value: {pct(bet['clv'])}")
    if bet["post_mortem"]:
        lines.append(f"- Post-mortem: {bet['post_mortem']}")
    return "\n".join(lines)


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


RENDERERS: dict[str, Renderer] = {
    "get_odds": odds_board,
    "get_games": games_list,
    "get_predictions": predictions,
    "best_value_bets": value_bets,
    "compare_models": leaderboard,
    "benny_dashboard": dashboard,
    "benny_bets": bets,
    "explain_bet": explanation,
    "api_credits": credits,
}
VIEWS: dict[str, Renderer] = {"fade": fade}  # another reading of a tool's result than its own table


def tool_result(name: str, result: Any, arguments: Args | None = None, *, view: str | None = None) -> str:
    renderer = VIEWS.get(view or "") or RENDERERS.get(name)
    if renderer is None:
        return f"`{name}` returned:\n```json\n{result}\n```"
    return renderer(result, arguments or {})


def _plain(result: Any) -> Any:
    if hasattr(result, "model_dump"):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [_plain(r) for r in result]
    return result


def chart_data(name: str, result: Any) -> dict[str, Any] | None:
    """What a chart of a tool's result would plot, as plain lists of the tool's own numbers.

    ``compare_models``: ``{"kind": "accuracy", "label", "model", "sport", "market", "accuracy",
    "low", "high"}``, one entry per graded record (accuracy with its 95% interval).
    ``benny_dashboard``: ``{"kind": "bankroll", "x": [ISO times], "y": [bankroll in USD]}``.
    Any other tool, or nothing to plot: ``None``.
    """
    data = _plain(result)
    if name == "compare_models":
        rows = [r for r in data if r["accuracy"] is not None]
        if not rows:
            return None
        return {
            "kind": "accuracy",
            "label": [f"{r['model']} · {sport_label(r['sport'])} {r['market']}" for r in rows],
            "model": [r["model"] for r in rows],
            "sport": [r["sport"] for r in rows],
            "market": [r["market"] for r in rows],
            "accuracy": [r["accuracy"] for r in rows],
            "low": [r["accuracy_low"] for r in rows],
            "high": [r["accuracy_high"] for r in rows],
        }
    if name == "benny_dashboard":
        points = data["bankroll"]
        if not points:
            return None
        return {
            "kind": "bankroll",
            "x": [p["at"] for p in points],
            "y": [p["bankroll_usd"] for p in points],
        }
    return None
