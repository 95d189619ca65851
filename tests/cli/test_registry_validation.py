"""Every `benny` command that calls a registered tool calls it through the registry, as REST and the
chat do: an invalid value comes back as the registry's own message, on one line of stderr, with
exit status 2.

The registry's call path (``ToolSpec.invoke``) is watched: a command that called the tool's
function directly would not be seen there, so its case fails. Commands that take no input are
held to it by a registry that refuses everything. The cases must cover every tool the CLI names.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import cli
from cli.tool_commands import ToolCommand
from core.errors import BennyError, InvalidInput
from tests.conftest import NOW, ROOT
from tools import REGISTRY
from tools.registry import ToolSpec

runner = CliRunner()

# (command, an invocation with an invalid value, the tool refusing it, what it says). The messages
# "tool: field: problem" are the registry's validation (the tool's input model); the last two are
# the tool's own checks, which the CLI reaches through the registry's call as well.
INVALID: list[tuple[str, list[str], str, str]] = [
    ("odds", ["odds", "--hours", "x"], "get_odds", "get_odds: hours: Input should be a valid integer"),
    ("compare", ["compare", "--days", "5"], "compare_models", "compare_models: days: Input should be '7'"),
    ("jobs", ["jobs", "--recent", "x"], "system_status", "system_status: recent: Input should be a valid"),
    (
        "models create",
        ["models", "create", "--text", "NBA\x00"],
        "create_user_model",
        "create_user_model: description: contains a NUL character",
    ),
    (
        "models update",
        ["models", "update", "abc", "--text", "make injuries 50%"],
        "show_user_model",
        "show_user_model: model_id: Input should be a valid integer",
    ),
    ("models pause", ["models", "pause", "abc"], "show_user_model", "show_user_model: model_id: Input"),
    ("models resume", ["models", "resume", "1x"], "show_user_model", "show_user_model: model_id: Input"),
    (
        "models delete",
        ["models", "delete", "abc"],
        "delete_user_model",
        "delete_user_model: model_id: Input should be a valid integer",
    ),
    (
        "models show",
        ["models", "show", "99999999999"],
        "show_user_model",
        "show_user_model: model_id: a number out of range",
    ),
    (
        "models delete",
        ["models", "delete", "99999999999999999999", "--yes"],
        "delete_user_model",
        "delete_user_model: model_id: a number out of range",
    ),
    (
        "models create",  # a byte the terminal's encoding lacks reaches argv as a lone surrogate
        ["models", "create", "--text", "NBA: 100% injuries \udcff"],
        "create_user_model",
        "create_user_model: description: contains half a character (a lone UTF-16 surrogate)",
    ),
    (
        "models backtest",
        ["models", "backtest", "1", "--days", "x"],
        "backtest_user_model",
        "backtest_user_model: days: Input should be a valid integer",
    ),
    ("odds", ["odds", "--hours", "0"], "get_odds", "hours must be between 1 and 336, got 0"),
    ("odds", ["odds", "--sport", "xyz"], "get_odds", "got 'xyz'"),
]
# The commands that take no input: only a refusing registry (below) can hold them to it.
NO_INPUT = {"dashboard", "credits", "models list"}
# Every command that calls a tool, with a valid invocation and the tool it calls first.
TOOL_COMMANDS: dict[str, tuple[list[str], str]] = {
    "odds": (["odds"], "get_odds"),
    "compare": (["compare"], "compare_models"),
    "dashboard": (["dashboard"], "benny_dashboard"),
    "credits": (["credits"], "api_credits"),
    "jobs": (["jobs"], "system_status"),
    "models create": (["models", "create", "--text", "NBA: 60% recent form"], "create_user_model"),
    "models update": (["models", "update", "1", "--text", "make injuries 50%"], "show_user_model"),
    "models pause": (["models", "pause", "1"], "show_user_model"),
    "models resume": (["models", "resume", "1"], "show_user_model"),
    "models delete": (["models", "delete", "1"], "delete_user_model"),
    "models list": (["models", "list"], "list_user_models"),
    "models show": (["models", "show", "1"], "show_user_model"),
    "models backtest": (["models", "backtest", "1"], "backtest_user_model"),
}
# The tools the hand-written commands call after the first one (`models update` shows, then updates).
ALSO_CALLED = {"update_user_model"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BENNY_NOW": NOW.isoformat()}
    assert runner.invoke(cli.app, ["init"], env=env).exit_code == 0
    return env


@pytest.fixture
def invoked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """The calls through the registry: (tool, the message it refused with, or None)."""
    calls: list[tuple[str, str | None]] = []
    real = ToolSpec.invoke

    def watched(spec: ToolSpec, arguments: dict[str, Any]) -> Any:
        try:
            result = real(spec, arguments)
        except BennyError as exc:
            calls.append((spec.name, str(exc)))
            raise
        calls.append((spec.name, None))
        return result

    monkeypatch.setattr(ToolSpec, "invoke", watched)
    return calls


@pytest.mark.parametrize(
    ("command", "argv", "tool", "says"), INVALID, ids=[" ".join(argv) for _, argv, _, _ in INVALID]
)
def test_an_invalid_value_gets_the_registrys_message_and_status_2(
    command: str,
    argv: list[str],
    tool: str,
    says: str,
    env: dict[str, str],
    invoked: list[tuple[str, str | None]],
) -> None:
    result = runner.invoke(cli.app, argv, env=env)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [(name, message)] = invoked  # one call, through the registry, which refused it
    assert name == tool and message is not None and says in message
    assert result.stderr == f"error: {message}\n"


@pytest.mark.parametrize("case", sorted(TOOL_COMMANDS))
def test_every_tool_command_goes_through_the_registry(
    case: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registry that refuses every call: each command reports the refusal and runs no tool."""
    argv, tool = TOOL_COMMANDS[case]
    seen: list[str] = []

    def refuse(spec: ToolSpec, arguments: dict[str, Any]) -> Any:
        seen.append(spec.name)
        raise InvalidInput(f"{spec.name}: arguments: refused by the test")

    monkeypatch.setattr(ToolSpec, "validate", refuse)
    result = runner.invoke(cli.app, argv, env=env)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == f"error: {tool}: arguments: refused by the test\n"
    assert seen == [tool]


def _commands() -> Iterator[tuple[str, Any]]:
    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        for name, sub in getattr(command, "commands", {}).items():
            if hasattr(sub, "commands"):
                yield from walk(sub, (*path, name))
            else:
                yield " ".join((*path, name)), sub

    return walk(typer.main.get_command(cli.app), ())


def _tool_names_in_cli() -> set[str]:
    """Every registered tool the CLI's sources name (as a string: the registry's call takes names)."""
    names = set()
    for path in sorted((ROOT / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in REGISTRY:
                names.add(node.value)
    return names


def test_the_cases_cover_every_tool_the_cli_calls() -> None:
    generated = {
        name: command.tool_command.tool
        for name, command in _commands()
        if isinstance(getattr(command, "tool_command", None), ToolCommand)
    }
    assert {name: TOOL_COMMANDS.get(name, ([], ""))[1] for name in generated} == generated
    assert _tool_names_in_cli() == {tool for _, tool in TOOL_COMMANDS.values()} | ALSO_CALLED
    assert {command for command, *_ in INVALID} | NO_INPUT == set(TOOL_COMMANDS)
    assert set(TOOL_COMMANDS) <= {name for name, _ in _commands()}


def test_no_command_imports_a_tool_function() -> None:
    """The CLI reaches a tool only by name, through the registry: never `from tools.x import tool`."""
    offenders = []
    for path in sorted((ROOT / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tools":
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name in REGISTRY]
    assert offenders == []
