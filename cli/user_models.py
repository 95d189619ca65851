"""Your own models (`benny models ...`): built and changed in plain language, listed, backtested.

Every subcommand calls the user-model tools through the registry, as the chat and REST do, in
the context of ``--user``: one user never sees another's models, whatever the id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.common import LOCAL, JsonOpt, UserOpt, as_typed, call_tool, print_json, spark, tool_calls
from cli.tool_commands import Field, ToolCommand, add_tool_command
from core.formatting import percent, points, signed_percent, signed_points

models_app = typer.Typer(
    help="Your own models: five data sources weighted your way, built in plain language.",
    no_args_is_help=True,
)

MODEL_ID_HELP = "The model's number (see `benny models list`)."
TextOpt = Annotated[str, typer.Option("--text", help="The model or the change, in plain language.")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Save without showing a preview first.")]
if TYPE_CHECKING:
    ModelIdArg = str
else:
    # Shown as <int>, the tool's field's type; the text reaches the registry as typed, which
    # parses it (and refuses "abc" with the same message as REST and the chat).
    ModelIdArg = Annotated[int, typer.Argument(help=MODEL_ID_HELP, parser=as_typed)]


def _print_change(change: Any, as_json: bool) -> None:
    if as_json:
        print_json(change.model_dump(mode="json"))
        return
    typer.echo(change.message)
    if change.unknown_words:
        typer.echo(f"not understood: {', '.join(change.unknown_words)}")
    if change.model is not None:
        _print_model(change.model)
    if not change.saved and change.action != "not_understood":
        typer.echo("(a preview: run again with --yes to save it)")


def _print_model(model: Any) -> None:
    table = Table("source", "weight")
    for source, weight in model.weights.items():
        table.add_row(source.replace("_", " "), percent(weight, digits=0))
    label = f"#{model.id}" if model.id else "(new)"
    typer.echo(
        f"{label} {model.name} [{model.status}] · {', '.join(model.sports)} · "
        f"{', '.join(model.markets)} · bets at >= {percent(model.min_confidence, digits=0)}"
    )
    Console().print(table)


@models_app.command("create")
def models_create(
    ctx: typer.Context, text: TextOpt, user: UserOpt = LOCAL, yes: YesOpt = False, as_json: JsonOpt = False
) -> None:
    """Build a model from plain language, e.g. --text "NBA: 40% recent form, 30% injuries, 30% movement"."""
    change = call_tool(ctx, "create_user_model", {"description": text, "confirm": yes}, user=user)
    _print_change(change, as_json)


def _change(
    ctx: typer.Context, user: str, model_id: str, words: Callable[[int], str], *, confirm: bool
) -> Any:
    """A change in words to one of ``user``'s models, the one the id names (``words(id)``)."""
    with tool_calls(ctx, user) as call:
        # Yours, or the same "no model" answer as an id that never was.
        mine = call("show_user_model", {"model_id": model_id})
        return call("update_user_model", {"description": words(mine.id), "confirm": confirm})


@models_app.command("update")
def models_update(
    ctx: typer.Context,
    model_id: ModelIdArg,
    text: TextOpt,
    user: UserOpt = LOCAL,
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Change a model in plain language, e.g. --text "make injuries 50%"."""
    change = _change(ctx, user, model_id, lambda mine: f"model {mine}: {text}", confirm=yes)
    _print_change(change, as_json)


def _status_command(verb: str) -> Any:
    def command(
        ctx: typer.Context, model_id: ModelIdArg, user: UserOpt = LOCAL, as_json: JsonOpt = False
    ) -> None:
        change = _change(ctx, user, model_id, lambda mine: f"{verb} model {mine}", confirm=True)
        _print_change(change, as_json)

    command.__doc__ = f"{verb.title()} a model (paused models make no predictions)."
    return command


models_app.command("pause")(_status_command("pause"))
models_app.command("resume")(_status_command("resume"))


@models_app.command("delete")
def models_delete(
    ctx: typer.Context,
    model_id: ModelIdArg,
    user: UserOpt = LOCAL,
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete a model (its past predictions stay in the record)."""
    change = call_tool(ctx, "delete_user_model", {"model_id": model_id, "confirm": yes}, user=user)
    _print_change(change, as_json)


def _show_models(models: list[Any]) -> None:
    if not models:
        typer.echo('no models yet: benny models create --text "NBA: 60% recent form, 40% injuries"')
    for model in models:
        _print_model(model)


add_tool_command(
    models_app,
    "list",
    ToolCommand(tool="list_user_models", help="Your models (five at most).", show=_show_models, user=True),
)


def _show_backtest(view: Any) -> None:
    def show(title: str, markets: list[Any]) -> None:
        typer.echo(title)
        table = Table(
            "sport", "market", "games", "bets", "accuracy (95%)", "ROI (95%)", "Brier", "CLV", "drawdown"
        )
        for m in markets:
            acc = percent(m.accuracy, missing="-")
            if m.accuracy_interval:
                acc += f" ({points(m.accuracy_interval[0], 0)}-{points(m.accuracy_interval[1], 0)})"
            roi = signed_percent(m.roi, missing="-")
            if m.roi_interval:
                roi += f" ({signed_points(m.roi_interval[0], 0)} to {signed_points(m.roi_interval[1], 0)})"
            table.add_row(
                m.sport, m.market, str(m.games), str(m.bets), acc, roi,
                "-" if m.brier is None else f"{m.brier:.4f}",
                signed_percent(m.clv, missing="-"), f"{m.max_drawdown_units:.1f}u",
            )  # fmt: skip
        Console().print(table)
        for m in markets:
            if m.bankroll_units:
                typer.echo(f"{m.sport} {m.market} bankroll " + spark(m.bankroll_units))

    show(f"{view.model}: {view.start:%Y-%m-%d} to {view.end:%Y-%m-%d}", view.markets)
    if view.end != view.later_end:
        show(
            f"later window {view.end:%Y-%m-%d} to {view.later_end:%Y-%m-%d}, kept out of tuning "
            f"({view.later_variants} variants shown it so far)",
            view.later,
        )
    if view.warning:
        typer.echo(f"warning: {view.warning}")


add_tool_command(
    models_app,
    "backtest",
    ToolCommand(
        tool="backtest_user_model",
        help="How a model would have done on the last days' games, as of each game, flat one-unit bets.",
        show=_show_backtest,
        fields=(
            Field("model_id", help=MODEL_ID_HELP, argument=True),
            Field("days"),
            Field(
                "later_days",
                help="Its last days, kept out of tuning and scored apart (default a quarter; 0 for none).",
            ),
        ),
        user=True,
        busy=lambda given: f"backtesting model {given['model_id']} on the last {given['days']} days' games",
    ),
)
add_tool_command(
    models_app,
    "show",
    ToolCommand(
        tool="show_user_model",
        help="One of your models in full.",
        show=_print_model,
        fields=(Field("model_id", help=MODEL_ID_HELP, argument=True),),
        user=True,
    ),
)
