"""Commands generated from the tool registry, as the REST routes are: each a plain read of one tool.

A ``ToolCommand`` names the tool, the input fields the command offers (an option each, or a
positional argument) and how the result is shown; ``--json`` prints the result itself. Each
option's type and default are the field's own, its help the field's description unless the
command words it its own way. The values reach the registry as they were typed, so its
validation is the only one: `benny odds --hours x` is refused with the registry's message, as
REST and the chat refuse it.

The parameters are made from the tool's input model the first time the command is used (its
help or a run), so listing the commands does not import every tool.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

import typer
from typer.core import TyperCommand

from cli.common import LOCAL, JsonOpt, UserOpt, as_typed, busy, call_tool, print_json


@dataclass(frozen=True)
class Field:
    """One input field of the tool, offered on the command line."""

    name: str
    help: str | None = None  # the command's own wording; by default the field's description
    argument: bool = False  # positional (`benny models show ID`) rather than an option


@dataclass(frozen=True)
class ToolCommand:
    """A command that reads one registered tool and shows what it returns."""

    tool: str
    help: str
    show: Callable[[Any], None]  # prints the result for a reader; --json prints it as JSON
    fields: tuple[Field, ...] = ()
    user: bool = False  # a --user option: whose context the tool runs in (else the user 'local')
    busy: Callable[[Mapping[str, Any]], str] | None = None  # a spinner's words, for a long read
    prepare: bool = True  # make the user 'local' if missing, as most commands do


def add_tool_command(group: typer.Typer, name: str, command: ToolCommand) -> None:
    """Register ``command`` under ``name``; its parameters are made on first use."""
    cls = type(f"{command.tool}_command", (_Generated,), {"tool_command": command})
    group.command(name, help=command.help, cls=cls)(_placeholder)


def _placeholder() -> None:
    """Stands in for the command's callback until the command is first used."""


class _Generated(TyperCommand):
    """A command whose parameters and callback are built from its tool's input model when first read."""

    tool_command: ClassVar[ToolCommand]
    _made: TyperCommand | None = None

    def _real(self) -> TyperCommand:
        if self._made is None:
            self._made = _build(self.name or self.tool_command.tool, self.tool_command)
        return self._made

    @property
    def params(self) -> list[Any]:
        return self._real().params

    @params.setter
    def params(self, value: list[Any]) -> None:
        pass  # the placeholder's (none): the tool's own replace them

    @property
    def callback(self) -> Callable[..., Any] | None:
        return self._real().callback

    @callback.setter
    def callback(self, value: Callable[..., Any] | None) -> None:
        pass


def _build(name: str, command: ToolCommand) -> TyperCommand:
    from tools import REGISTRY
    from tools.registry import jsonable

    fields = REGISTRY.get(command.tool).input_model.model_fields
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("ctx", kind, annotation=typer.Context)]
    for field in command.fields:
        info = fields[field.name]
        description = field.help or _sentence(info.description or "")
        declared = (
            typer.Argument(help=description, parser=as_typed)
            if field.argument
            else typer.Option("--" + field.name.replace("_", "-"), help=description, parser=as_typed)
        )
        default = inspect.Parameter.empty if info.is_required() else info.default
        parameters.append(
            inspect.Parameter(
                field.name, kind, annotation=Annotated[info.annotation, declared], default=default
            )
        )
    if command.user:
        parameters.append(inspect.Parameter("user", kind, annotation=UserOpt, default=LOCAL))
    parameters.append(inspect.Parameter("as_json", kind, annotation=JsonOpt, default=False))

    def run(ctx: typer.Context, **values: Any) -> None:
        as_json = values.pop("as_json")
        user = values.pop("user", LOCAL)
        words = command.busy(values) if command.busy is not None else ""
        with busy(words, quiet=as_json or command.busy is None):
            result = call_tool(ctx, command.tool, values, user=user, prepare=command.prepare)
        if as_json:
            print_json(jsonable(result))
        else:
            command.show(result)

    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    one = typer.Typer(add_completion=False)
    one.command(name, help=command.help)(run)
    made = typer.main.get_command(one)
    assert isinstance(made, TyperCommand)
    return made


def _sentence(description: str) -> str:
    return description[:1].upper() + description[1:]
