"""The tool registry: one typed, documented function serves the LLM, the library, the CLI and REST.

``@tool`` registers a function once. Its input schema for Claude is derived from the signature
and the Google-style docstring (read by docstring_parser) with pydantic, never written by hand,
and ``invoke`` validates a model's arguments against that same schema before calling the function.
The decorator returns the function wrapped in that same validation, so ``from tools import
get_odds`` checks a library caller's arguments as it checks the chat's, REST's, MCP's and the
CLI's: ``get_odds(hours="5")`` reads 5, ``get_odds(hours="soon")`` is an ``InvalidInput`` naming
``hours``, never a ``TypeError`` from deep inside. ``ToolSpec.func`` is the function itself.

Dependencies (database, clock, settings, the current user) are not parameters: a tool reads
them from ``tools.context.current()``, which the LLM can neither see nor set.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from docstring_parser import DocstringStyle, ParseError
from docstring_parser import parse as parse_docstring
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from core.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])


def _split_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """The description (all before ``Args:``) and each argument's text on one line (Google style)."""
    parsed = parse_docstring(doc, style=DocstringStyle.GOOGLE)
    params = {
        param.arg_name: " ".join(
            line.strip() for line in (param.description or "").splitlines() if line.strip()
        )
        for param in parsed.params
    }
    return parsed.description or "", params


INT32 = 2**31


def jsonable(value: Any) -> Any:
    """A tool's result as plain JSON data: pydantic models (and lists of them) dumped in JSON mode."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


def _out_of_range(value: Any) -> bool:
    """An integer past what an id column holds (PostgreSQL's integer: 32-bit signed)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -INT32 <= value < INT32
    if isinstance(value, BaseModel):
        return _out_of_range(value.model_dump())
    if isinstance(value, dict):
        return any(_out_of_range(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_out_of_range(v) for v in value)
    return False


# Text no database stores: NUL (PostgreSQL refuses it outright), and a lone UTF-16 surrogate
# (what a JSON "\ud800" escape decodes to), which has no UTF-8 form to send to either database
# or back in an answer.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _bad_text(value: Any) -> str | None:
    """Why a text in ``value`` cannot be stored, or None."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is None:
            return None
        if found.group() == "\x00":
            return "contains a NUL character"
        return "contains half a character (a lone UTF-16 surrogate)"
    if isinstance(value, BaseModel):
        return _bad_text(value.model_dump())
    if isinstance(value, dict):
        return next((why for k, v in value.items() if (why := _bad_text(k) or _bad_text(v))), None)
    if isinstance(value, list | tuple):
        return next((why for v in value if (why := _bad_text(v))), None)
    return None


def _problem(err: Any) -> str:
    """One refused argument: where, why, and (when short) the value given, as the faces show it."""
    where = ".".join(str(p) for p in err["loc"]) or "arguments"
    given = "" if err["type"] == "missing" else repr(err.get("input"))
    return f"{where}: {err['msg']}" + (f", got {given}" if given and len(given) <= 60 else "")


@dataclass(frozen=True)
class ToolSpec:
    name: str
    func: Callable[..., Any]
    description: str
    input_model: type[BaseModel]
    per_user: bool
    tags: tuple[str, ...] = field(default=())

    def schema(self) -> dict[str, Any]:
        """The tool in the Anthropic Messages API format."""
        schema = self.input_model.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return {"name": self.name, "description": self.description, "input_schema": schema}

    def validate(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Check arguments against the schema; unknown or mistyped ones are an ``InvalidInput``."""
        try:
            parsed = self.input_model.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(_problem(err) for err in exc.errors())
            raise InvalidInput(f"{self.name}: {problems}") from None
        values = {name: getattr(parsed, name) for name in self.input_model.model_fields}
        for name, value in values.items():
            if (why := _bad_text(value)) is not None:
                raise InvalidInput(f"{self.name}: {name}: {why}")
            if _out_of_range(value):
                raise InvalidInput(
                    f"{self.name}: {name}: a number out of range (whole numbers here are below {INT32:,})"
                )
        return values

    def invoke(self, arguments: dict[str, Any]) -> Any:
        return self.func(**self.validate(arguments))


class Registry:
    def __init__(self) -> None:
        self._tools: dict[str, ToolSpec] = {}

    def add(self, spec: ToolSpec) -> None:
        if spec.name in self._tools:
            raise ValueError(f"tool {spec.name!r} is registered twice")
        self._tools[spec.name] = spec

    def get(self, name: str) -> ToolSpec:
        try:
            return self._tools[name]
        except KeyError:
            raise InvalidInput(
                f"unknown tool {name!r}; known tools: {', '.join(sorted(self._tools))}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> typing.Iterator[ToolSpec]:
        return iter(self._tools.values())

    def names(self) -> list[str]:
        return sorted(self._tools)

    def schemas(self, *, tags: set[str] | None = None) -> list[dict[str, Any]]:
        return [t.schema() for t in self._tools.values() if tags is None or tags & set(t.tags)]


REGISTRY = Registry()


def _input_model(func: Callable[..., Any], name: str, param_docs: dict[str, str]) -> type[BaseModel]:
    hints = typing.get_type_hints(func)
    fields: dict[str, Any] = {}
    for param in inspect.signature(func).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"tool {name}: *args and **kwargs cannot be described to a model")
        if param.name not in hints:
            raise TypeError(f"tool {name}: parameter {param.name!r} needs a type annotation")
        if param.name not in param_docs:
            raise TypeError(
                f"tool {name}: parameter {param.name!r} needs a line under 'Args:' in the docstring"
            )
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (hints[param.name], Field(default, description=param_docs[param.name]))
    model_name = "".join(part.title() for part in name.split("_")) + "Input"
    return create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)


def tool(*, per_user: bool = False, tags: tuple[str, ...] = (), name: str | None = None) -> Callable[[F], F]:
    """Register a function as a tool. Its docstring is its description; ``Args:`` describes each parameter.

    Args:
        per_user: the tool reads or writes the current user's own data.
        tags: labels that group tools (``odds``, ``math`` ...).
        name: the tool's name, when not the function's.
    """

    def register(func: F) -> F:
        tool_name = name or func.__name__
        if not func.__doc__:
            raise TypeError(f"tool {tool_name} needs a docstring: it is the description the model reads")
        try:
            description, param_docs = _split_docstring(func.__doc__)
        except ParseError as exc:
            raise TypeError(f"tool {tool_name}: its docstring does not parse: {exc}") from None
        spec = ToolSpec(
            name=tool_name,
            func=func,
            description=description,
            input_model=_input_model(func, tool_name, param_docs),
            per_user=per_user,
            tags=tags,
        )
        REGISTRY.add(spec)
        signature = inspect.signature(func)

        @functools.wraps(func)
        def validated(*args: Any, **kwargs: Any) -> Any:
            # A library call gets the schema's checks too: the same values invoke would pass.
            return func(**spec.validate(signature.bind(*args, **kwargs).arguments))

        validated.__benny_tool__ = spec  # type: ignore[attr-defined]
        return cast(F, validated)

    return register
