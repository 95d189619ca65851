"""The `benny` command: Benny's second face, beside the Chainlit app.

Every command reads the settings once (the callback below) and passes them down. Errors a user
can fix (bad input, an argument a tool's registry refuses, an unknown user, a malformed
DATABASE_URL) print one line and exit with status 2.

A module per command group: ``setup`` (init, db, users), ``collect`` (collect, the odds board),
``models`` (analyze, verify, adjust, compare), ``history`` (import, evaluate), ``benny`` (chat,
trade, settle, dashboard), ``user_models`` (models ...) and ``ops`` (run, replay, credits,
scheduler, mcp, jobs); ``common`` holds what they share and ``tool_commands`` makes the commands
that are a plain read of one registered tool. Commands import their work when they run, so
`benny --help` answers without loading the models, the store or the tools.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from cli import benny, collect, history, models, ops, setup, user_models
from cli.tool_commands import add_tool_command
from core.errors import BennyError, ConfigError, DatabaseUnavailable, InvalidInput, NotFound
from core.settings import load_settings


class BennyGroup(TyperGroup):
    """Turns Benny's own errors into one line on stderr, anywhere below it: exit status 2 for what
    the user can fix in the command, 1 for the rest. A database that cannot be used is named (its
    URL, password hidden): the store's message says why, and only here is it safe to say where."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (InvalidInput, NotFound, ConfigError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except DatabaseUnavailable as exc:
            from store.db import redacted_url  # here, not at import: `benny --help` stays quick

            settings = (ctx.obj or {}).get("settings")
            where = f" ({redacted_url(settings.resolved_database_url)})" if settings is not None else ""
            typer.echo(f"error: {exc}{where}", err=True)
            raise typer.Exit(1) from None
        except BennyError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=BennyGroup,
    help="Benny: sports-betting analytics and a paper-trading agent. Offline by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_callback(ctx: typer.Context) -> None:
    """Benny: odds, ten models, graded predictions, and Benny, an agent that paper-trades $100 a week.

    Works offline by default (a simulated feed and an offline brain); ODDS_API_KEY and
    ANTHROPIC_API_KEY switch to the real services. See README.md for every setting.
    """
    ctx.ensure_object(dict)
    ctx.obj["settings"] = load_settings()


# The commands in the order `benny --help` lists them, then the groups.
app.command("init")(setup.init)
app.command("run")(ops.run)
add_tool_command(app, "odds", collect.ODDS)
app.command("analyze")(models.analyze)
app.command("verify")(models.verify_cmd)
app.command("adjust")(models.adjust)
add_tool_command(app, "compare", models.COMPARE)
app.command("evaluate")(history.evaluate)
app.command("chat")(benny.chat_cmd)
app.command("trade")(benny.trade_cmd)
app.command("settle")(benny.settle_cmd)
add_tool_command(app, "dashboard", benny.DASHBOARD)
app.command("replay")(ops.replay_cmd)
app.command("import")(history.import_cmd)
add_tool_command(app, "credits", ops.CREDITS)
app.command("scheduler")(ops.scheduler_cmd)
app.command("mcp")(ops.mcp_cmd)
add_tool_command(app, "jobs", ops.JOBS)
app.add_typer(setup.db_app, name="db")
app.add_typer(setup.users_app, name="users")
app.add_typer(collect.collect_app, name="collect")
app.add_typer(user_models.models_app, name="models")


def main() -> None:
    app(prog_name="benny")
