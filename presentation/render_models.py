"""The models' and Benny's results as Markdown: the tools' own numbers, only formatted.

Picks, the leaderboard, whom to fade, calibration, the dashboard, the bets and one bet explained;
and the user's own models: a change shown back (weights, sports, markets, threshold) before it is
saved, a saved change, a request not understood, the list and one model.
The shared pieces are in ``presentation.tables``; the dispatch (``tool_result``) in
``presentation.render``.
"""

from __future__ import annotations

from typing import Any

from core.formatting import (
    american,
    percent,
    points,
    signed_percent,
    signed_points,
    signed_usd,
    usd,
    with_line,
)
from core.user_models.spec import Source
from presentation.tables import (
    BASELINE_LABELS,
    WINDOW_LABELS,
    Args,
    Renderer,
    hours_of,
    md_table,
    price,
    sport_label,
    start_time,
)


def predictions(rows: list[dict[str, Any]], args: Args) -> str:
    """The models' picks: one row per model, game and market, with the price when it was made."""
    sport, hours, model = sport_label(args.get("sport") or "nba"), hours_of(args, 48), args.get("model")
    source = f" from {model}" if model else ""
    if not rows:
        return (
            f"No {sport} predictions{source} for games in the next {hours} hours. The models' picks "
            "appear after an analysis run (`benny analyze`); a model that is not fitted yet predicts nothing."
        )
    models = sorted({r["model"] for r in rows})
    table = md_table(
        ("Start (UTC)", "Matchup", "Model", "Market", "Pick", "Prob.", "Conf.", "Price", "Book"),
        [
            (
                start_time(r["commence_time"]),
                r["matchup"],
                r["model"],
                r["market"],
                with_line(r["pick_label"], r["market"], r["point"]),
                percent(r["probability"]),
                percent(r["confidence"]),
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
        return percent(r["accuracy"])
    return f"{percent(r['accuracy'])} ({points(r['accuracy_low'])}–{points(r['accuracy_high'])})"


def _brier(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def leaderboard(rows: list[dict[str, Any]], args: Args) -> str:
    """Each model's record by sport and market, in the tool's order (best accuracy first in each)."""
    if not rows:
        return (
            f"No graded predictions in {_window(args)}{_scope(args)}: the leaderboard fills in as games "
            "finish and the models' picks are graded."
        )
    table = md_table(
        ("Model", "Sport", "Market", "n", "Accuracy (95% CI)", "Inverse", "Brier", "ROI", "CLV", "Verdict"),
        [
            (
                r["model"],
                sport_label(r["sport"]),
                r["market"],
                f"{r['n']:g}",
                _accuracy(r),
                percent(r["inverse_accuracy"]),
                _brier(r["brier"]),
                percent(r["roi"]),
                percent(r["clv"]),
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
    return md_table(
        ("Model", "Sport", "Market", "n", "Accuracy", "Inverse", "ROI"),
        [
            (
                r["model"],
                sport_label(r["sport"]),
                r["market"],
                f"{r['n']:g}",
                percent(r["accuracy"]),
                percent(r["inverse_accuracy"]),
                percent(r["roi"]),
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


def calibration(report: dict[str, Any], args: Args | None = None) -> str:
    """A model's calibration: per probability bin, the picks, their mean probability and their win rate."""
    if report["message"]:
        return str(report["message"])
    scope = (
        f"{sport_label(report['sport'])} {report['market']}"
        if report["sport"]
        else f"{report['market']}, every sport"
    )
    window = WINDOW_LABELS.get(report["days"], f"the last {report['days']} days")
    table = md_table(
        ("Probability", "Picks", "Decided", "Mean predicted", "Won"),
        [
            (
                f"{points(b['low'], 0)}–{percent(b['high'], 0)}",
                str(b["count"]),
                f"{b['decided']:g}",
                percent(b["mean_probability"]),
                percent(b["observed"]),
            )
            for b in report["bins"]
        ],
    )
    head = (
        f"**Calibration of {report['model']}**, {scope}, {window}: "
        f"{report['n']} graded picks, ECE {percent(report['ece'])} "
        "(won = won / decided; pushes left out, half results count half)"
    )
    return "\n".join([head, "", str(report["summary"]), "", *table])


def _numbers_row(label: str, n: dict[str, Any]) -> tuple[str, ...]:
    return (
        label,
        str(n["bets"]),
        usd(n["staked_usd"]),
        signed_usd(n["pnl_usd"]),
        percent(n["roi"]),
        percent(n["win_rate"]),
        percent(n["clv"]),
    )


_NUMBERS_HEADER = ("Bets", "Staked", "P&L", "ROI", "Win rate", "CLV")


def dashboard(board: dict[str, Any], args: Args | None = None) -> str:
    """Benny's record: a headline, his numbers by sport, and the baseline bettors beside him."""
    if not board["bets"]:
        return "Benny has not placed a bet yet: his dashboard fills in once he trades (`benny trade`)."
    o = board["overall"]
    lines = [
        f"**Benny**: {board['bets']} bets ({board['settled']} settled, {board['pending']} pending) · "
        f"bankroll {signed_usd(board['bankroll_usd'])} · ROI {percent(o['roi'])} · "
        f"win rate {percent(o['win_rate'])} · CLV {percent(o['clv'])} · "
        f"max drawdown {usd(o['max_drawdown_usd'])}",
        "",
    ]
    if board["by_sport"]:
        rows = [_numbers_row(sport_label(g["key"]), g) for g in board["by_sport"]]
        lines += ["**By sport** (settled bets)", "", *md_table(("Sport", *_NUMBERS_HEADER), rows), ""]
    else:
        lines += ["No bet has settled yet.", ""]
    rows = [_numbers_row("Benny", o)]
    rows += [_numbers_row(BASELINE_LABELS.get(k, k), v) for k, v in board["baselines"].items()]
    lines += [
        "**Beside the baselines** (same games, stakes and weekly budget)",
        "",
        *md_table(("Bettor", *_NUMBERS_HEADER), rows),
    ]
    return "\n".join(lines)


def bets(rows: list[dict[str, Any]], args: Args) -> str:
    """Benny's bets, newest first, as the tool lists them."""
    status = args.get("status")
    if not rows:
        return f"Benny has no {status} bets." if status else "Benny has not placed a bet yet."
    table = md_table(
        ("#", "Start (UTC)", "Matchup", "Pick", "Book", "Odds", "Stake", "Prob.", "Status", "P&L", "CLV"),
        [
            (
                str(r["bet_id"]),
                start_time(r["commence_time"]),
                r["matchup"],
                r["pick"],
                r["book"],
                american(r["odds_american"]),
                usd(r["stake_usd"]),
                percent(r["probability"]),
                r["status"],
                signed_usd(r["profit_usd"]),
                percent(r["clv"]),
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
        outcome += f", {signed_usd(bet['profit_usd'])}"
    lines = [
        f"**Bet #{bet['bet_id']}**: {bet['pick']} ({bet['market']}) in {bet['matchup']}, "
        f"{start_time(bet['commence_time'])} UTC, at {american(bet['odds_american'])} with {bet['book']}, "
        f"stake {usd(bet['stake_usd'])}; {outcome}.",
    ]
    if bet["reasoning"]:
        lines += ["", f"Reasoning ({bet['analyst']} analyst): {bet['reasoning']}"]
    lines += [
        "",
        f"- Probability: the analyst's {percent(bet['probability'])}, "
        f"the market's {percent(bet['market_probability'])}, blended {percent(bet['blended_probability'])}; "
        f"edge {percent(bet['edge'])}",
        f"- Stake: {bet['stake_rule']}",
    ]
    if bet["key_factors"]:
        lines.append(f"- Key factors: {'; '.join(bet['key_factors'])}")
    if bet["risks"]:
        lines.append(f"- Risks: {'; '.join(bet['risks'])}")
    if bet["clv"] is not None:
        lines.append(f"- Closing-line value: {percent(bet['clv'])}")
    if bet["post_mortem"]:
        lines.append(f"- Post-mortem: {bet['post_mortem']}")
    return "\n".join(lines)


_MARKET_WORDS = {"h2h": "moneyline", "spreads": "spreads", "totals": "totals"}
_EXAMPLE_CREATE = "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%"


def _source_label(key: str) -> str:
    try:
        return Source(key).label
    except ValueError:
        return key.replace("_", " ")


def _weights_table(weights: dict[str, float]) -> list[str]:
    return md_table(("Source", "Share"), [(_source_label(k), percent(v)) for k, v in weights.items()])


def _model_lines(model: dict[str, Any]) -> list[str]:
    """A model's weights as a table, then its sports, markets, threshold and status."""
    return [
        *_weights_table(model["weights"]),
        "",
        f"- Sports: {', '.join(sport_label(s) for s in model['sports'])}",
        f"- Markets: {', '.join(_MARKET_WORDS.get(m, m) for m in model['markets'])}",
        f"- Threshold: bets only at or above {percent(model['min_confidence'])}",
        f"- Status: {model['status']}",
    ]


def _model_change(*examples: str) -> Renderer:
    def render(change: dict[str, Any], args: Args) -> str:
        """A change to one of the user's models: not understood, shown back for a yes, or saved."""
        model, message = change["model"], str(change["message"])
        if change["action"] == "not_understood":
            lines = [message]
            if change["unknown_words"]:
                words = ", ".join(f"*{w}*" for w in change["unknown_words"])
                lines += ["", f"Words I could not place: {words}."]
            works = " or ".join(f"*{e}*" for e in examples)
            return "\n".join([*lines, "", f"A phrasing that works: {works}"])
        if not change["saved"]:
            what = "delete it" if change["action"] == "delete" else "save it"
            if model is None:
                return "\n".join([message, "", f"Say **yes** to {what}, or **no** to leave it."])
            pending = "Not deleted yet" if change["action"] == "delete" else "Not saved yet"
            head = f"**{pending}: model '{model['name']}'** ({change['action']}). {message}"
            return "\n".join(
                [head, "", *_model_lines(model), "", f"Say **yes** to {what}, or **no** to leave it."]
            )
        if model is None:
            return f"**Saved.** {message}"
        head = f"**Saved.** {message} Model **#{model['id']}** '{model['name']}' now reads:"
        return "\n".join([head, "", *_model_lines(model)])

    return render


def user_models(rows: list[dict[str, Any]], args: Args) -> str:
    """The user's own models, one row each, with every source's share."""
    if not rows:
        return f"You have no models yet. Describe one to build it, for example *{_EXAMPLE_CREATE}*."
    sources = list(rows[0]["weights"])
    table = md_table(
        (
            "#",
            "Name",
            "Sports",
            "Markets",
            *(_source_label(k).capitalize() for k in sources),
            "Threshold",
            "Status",
        ),
        [
            (
                str(r["id"]),
                r["name"],
                ", ".join(sport_label(s) for s in r["sports"]),
                ", ".join(_MARKET_WORDS.get(m, m) for m in r["markets"]),
                *(percent(r["weights"].get(k)) for k in sources),
                percent(r["min_confidence"]),
                r["status"],
            )
            for r in rows
        ],
    )
    head = f"**Your models** ({len(rows)}; *show model N* for one in full, *make injuries 50%* to change one)"
    return "\n".join([head, "", *table])


def user_model(model: dict[str, Any], args: Args | None = None) -> str:
    """One of the user's models in full."""
    head = f"**Model #{model['id']} '{model['name']}'**: {model['description']}"
    return "\n".join([head, "", *_model_lines(model)])


def _backtest_rows(markets: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| Sport | Market | Games | Bets | Accuracy (95%) | ROI (95%) | Brier | CLV | Drawdown |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in markets:
        acc = percent(m["accuracy"])
        if m["accuracy_interval"]:
            low, high = m["accuracy_interval"]
            acc += f" ({points(low)}–{points(high)})"
        roi = signed_percent(m["roi"])
        if m["roi_interval"]:
            low, high = m["roi_interval"]
            roi += f" ({signed_points(low)} to {signed_points(high)})"
        brier = "–" if m["brier"] is None else f"{m['brier']:.4f}"
        clv = signed_percent(m["clv"])
        lines.append(
            f"| {sport_label(m['sport'])} | {m['market']} | {m['games']} | {m['bets']} | {acc} | {roi} | "
            f"{brier} | {clv} | {m['max_drawdown_units']:.1f} u |"
        )
    if not markets:
        lines.append("| – | – | 0 | 0 | – | – | – | – | – |")
    return lines


def user_backtest(view: dict[str, Any], args: Args | None = None) -> str:
    """A backtest's record per sport and market, the later window beside it, and the variants warning."""
    lines = [
        f"**Backtest of '{view['model']}'**, {view['start'][:10]} to {view['end'][:10]} "
        "(one-unit bets where it reaches its threshold at a positive expected value)",
        "",
        *_backtest_rows(view["markets"]),
    ]
    if view["end"] != view["later_end"]:
        lines += [
            "",
            f"**Later window**, {view['end'][:10]} to {view['later_end'][:10]}: kept out of the "
            f"comparison of variants ({view['later_variants']} shown these days so far)",
            "",
            *_backtest_rows(view["later"]),
        ]
    if view.get("warning"):
        lines += ["", f"⚠️ {view['warning']}"]
    return "\n".join(lines)


RENDERERS: dict[str, Renderer] = {
    "backtest_user_model": user_backtest,
    "create_user_model": _model_change(_EXAMPLE_CREATE),
    "update_user_model": _model_change("make injuries 50%", "pause my NBA model", "delete model 3"),
    "delete_user_model": _model_change("delete model 3"),
    "list_user_models": user_models,
    "show_user_model": user_model,
    "get_predictions": predictions,
    "compare_models": leaderboard,
    "calibration": calibration,
    "benny_dashboard": dashboard,
    "benny_bets": bets,
    "explain_bet": explanation,
}
VIEWS: dict[str, Renderer] = {"fade": fade}  # another reading of a tool's result than its own table
