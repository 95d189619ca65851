"""Setting Benny up: `benny init`, the schema (`benny db`), users and their API tokens (`benny users`)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.common import JsonOpt, busy, engine_of, migrated_engine, print_json, settings_of
from core.errors import InvalidInput
from core.settings import Settings

db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
users_app = typer.Typer(help="Users: everything per user is scoped by one of them.", no_args_is_help=True)


def init(
    ctx: typer.Context,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Also collect from the simulated sportsbook: odds, results, injuries."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create or upgrade the database and the user 'local'; with --demo, fill it from the simulated book."""
    from services.demo import seed_demo
    from store.db import unit_of_work
    from store.users import LOCAL_USER, ensure_user
    from tools.context import open_context

    settings = settings_of(ctx)
    engine = migrated_engine(ctx)
    clock = settings.clock()
    with unit_of_work(engine) as session:
        ensure_user(session=session, name=LOCAL_USER, now=clock())
    summary: dict[str, Any] = {"database": _redacted_url(settings), "user": LOCAL_USER}
    if demo:
        with busy("collecting odds, results and injuries from the simulated sportsbook", quiet=as_json):
            seeded = seed_demo(open_context(settings=settings, engine=engine, clock=clock))
        summary["demo"] = seeded.model_dump()
    if as_json:
        print_json(summary)
        return
    typer.echo(f"database ready: {summary['database']} (user '{LOCAL_USER}')")
    if demo:
        typer.echo(
            f"simulated book: {seeded.games} new games, {seeded.snapshots} new odds snapshots, "
            f"{seeded.results} new results, {seeded.injuries} injury reports"
        )


def _redacted_url(settings: Settings) -> str:
    from store.db import redacted_url

    return redacted_url(settings.resolved_database_url)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Apply every pending migration (safe to run at any time; it never loses data)."""
    from store import migrate

    engine = engine_of(ctx)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    after = migrate.current_revision(engine)
    if as_json:
        print_json({"from": before, "to": after})
    else:
        typer.echo(f"database at revision {after} (was {before or 'empty'})")


@db_app.command("current")
def db_current(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the database's revision and the newest one this code knows."""
    from store import migrate

    engine = engine_of(ctx)
    payload = {"current": migrate.current_revision(engine), "head": migrate.head_revision()}
    if as_json:
        print_json(payload)
    else:
        typer.echo(f"current {payload['current'] or 'empty'}, head {payload['head']}")


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The new user's name.")],
    password: Annotated[
        bool,
        typer.Option(
            "--password", help="Ask for a password (hidden, twice): the user can log in to the chat."
        ),
    ] = False,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin (scripts)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create a user; with a password, the user can log in to the chat (BENNY_AUTH=1)."""
    from core.passwords import hash_password
    from store.db import unit_of_work
    from store.users import create_user, validate_name

    if password and password_stdin:
        raise InvalidInput("give --password or --password-stdin, not both")
    validate_name(name)
    secret: str | None = None
    if password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    elif password:
        secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if secret is not None and not secret:
        raise InvalidInput("the password must not be empty")
    password_hash = hash_password(secret) if secret is not None else None
    engine = migrated_engine(ctx)
    with unit_of_work(engine) as session:
        user = create_user(
            session=session, name=name, now=settings_of(ctx).clock()(), password_hash=password_hash
        )
        payload = {
            "id": user.id,
            "name": user.name,
            "created_at": user.created_at.isoformat(),
            "can_log_in": password_hash is not None,
        }
    if as_json:
        print_json(payload)
    else:
        typer.echo(f"created user '{name}'" + (" (can log in to the chat)" if password_hash else ""))


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the users."""
    from store.db import unit_of_work
    from store.users import list_users

    engine = migrated_engine(ctx)
    with unit_of_work(engine) as session:
        rows = [
            {"id": u.id, "name": u.name, "created_at": u.created_at.isoformat()}
            for u in list_users(session=session)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "created (UTC)")
    for row in rows:
        table.add_row(str(row["id"]), str(row["name"]), str(row["created_at"])[:16].replace("T", " "))
    Console().print(table)


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="An existing user.")],
    as_json: JsonOpt = False,
) -> None:
    """Make an API token for a user (REST API and MCP); it is shown this once, then kept only as a hash."""
    from services.tokens import issue_token

    settings = settings_of(ctx)
    issued = issue_token(engine=migrated_engine(ctx), user=name, now=settings.clock()())
    if as_json:
        print_json(issued.model_dump(mode="json"))
        return
    typer.echo(issued.token)
    typer.echo(
        f"API token for {issued.user}: send it as 'Authorization: Bearer <token>'. It is not shown again; "
        f"`benny users revoke {issued.user}` cancels it.",
        err=True,
    )


@users_app.command("revoke")
def users_revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="An existing user.")],
    as_json: JsonOpt = False,
) -> None:
    """Revoke every API token of a user at once."""
    from services.tokens import revoke_user_tokens

    settings = settings_of(ctx)
    count = revoke_user_tokens(engine=migrated_engine(ctx), user=name, now=settings.clock()())
    if as_json:
        print_json({"user": name, "revoked": count})
        return
    typer.echo(f"{count} token{'s' if count != 1 else ''} of {name} revoked")
