"""Schemathesis against the API's own OpenAPI document: no 5xx and every answer as documented.

Hypothesis draws each operation's arguments from the schema, valid ones and (schemathesis's
negative mode) invalid ones, and the API is called in-process; the checks are the server-error
check and the conformance checks of status codes, content types, headers and bodies. The token
is Alice's, so per-user routes run their code rather than stopping at 401.

Beside what Hypothesis draws, every parameter of every operation (query, path, and each field of
a body, nested ones and a map's keys included, found by walking the document) is sent the values
a generator rarely reaches: dates at the ends of the calendar and past them, numbers past 64
bits, NUL, lone surrogates and very long strings. A lone surrogate cannot travel as UTF-8 text:
in a query or a path it goes as the bytes a client can still put on the wire, in a JSON body as
its ``\\u`` escape.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.test_rest import TEXT, Api, api  # noqa: F401 - the fixture, shared
from web.rest import RateLimiter, build_api

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 25

DATES = ["0001-01-01", "9999-12-31", "0000-00-00", "10000-01-01", "9999-12-32", "2025-02-30", "-2025-01-01"]
TEXTS = [
    "\x00", "nba\x00", "\ud800", "a\udfffz", "\ud83d", "", " ", "\u202e\ufeff",
    "😀" * 2_000, "x" * 10_000, "x" * 70_000,  # the last is over the body limit: 413 there
]  # fmt: skip
NUMBERS = ["99999999999999999999", "-9223372036854775809", "1e309", "NaN", "-0"]
EXTREMES: list[Any] = DATES + TEXTS + NUMBERS
JSON_ONLY: list[Any] = [2**64, -(2**63) - 1, 1e308, -1, 0, True, None, [], {}]  # what a body alone carries
KEY = object()  # a slot that is a map's key rather than a value

# A body each operation accepts, where the walk puts one value at a time; a model's fields go in
# ``spec``, which is read instead of the words when it is given.
BODIES: dict[str, dict[str, Any]] = {
    "post_create_user_model": {"description": TEXT},
    "patch_update_user_model": {"description": "make injuries 50%"},
    "post_backtest_user_model": {"days": 30},
}
SPEC = {"sports": ["nba"], "weights": {"injuries": 1}}


def test_every_operation_answers_as_its_schema_says(api: Api) -> None:  # noqa: F811
    app = build_api(lambda: (api.settings, api.engine))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    statuses: list[int] = []
    for operation, mode in itertools.product(operations, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):

        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=operation.as_strategy(mode))
        def conforms(case: schemathesis.Case) -> None:
            response = case.call(headers=api.alice)
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        conforms()
    # The run exercised the routes' code: successes and refusals both, many times over.
    assert len(statuses) >= 10 * len(operations)
    assert {200, 422} <= set(statuses), sorted(set(statuses))


def test_every_parameter_survives_extreme_dates_numbers_and_unicode(api: Api) -> None:  # noqa: F811
    # A rate no run reaches: every request here must reach the route's code, not the limiter.
    app = build_api(lambda: (api.settings, api.engine), limiter=RateLimiter(per_minute=1_000_000))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    document = app.openapi()
    failures: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        spec = document["paths"][operation.path][operation.method.lower()]
        for where, name, value in _cases(spec, document):
            case = _case(operation, spec["operationId"], where, name, value, api.model_id)
            sent += 1
            said = f"{operation.method} {operation.path} {where} {name!r}={value!r:.40}"
            try:
                response = case.call(headers=api.alice)
            except Exception as exc:  # the in-process client re-raises what would be a 500
                failures.append(f"{said}: raised {exc!r:.200}")
                continue
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, BaseExceptionGroup):
                failures.append(f"{said}: {response.status_code} {response.text[:200]}")
    assert not failures, "\n".join(failures)
    assert sent > 1_000


def _cases(operation: dict[str, Any], document: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """Every (location, parameter or body path, value) to send to one operation."""
    for parameter in operation.get("parameters", []):
        for value in EXTREMES:
            if value == "" and parameter["in"] == "path":
                continue  # an empty segment is another route's address, not this one's value
            yield parameter["in"], parameter["name"], value
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body is not None:
        for path in _body_slots(body, document, ()):
            for value in EXTREMES + ([] if path[-1] is KEY else JSON_ONLY):
                yield "body", path, value


def _body_slots(
    schema: dict[str, Any], document: dict[str, Any], path: tuple[Any, ...]
) -> Iterator[tuple[Any, ...]]:
    """The paths into a body where a value goes: each property, an array's item, a map's key and value."""
    schema = _resolved(schema, document)
    if path:
        yield path
    if schema.get("type") == "object":
        for name, field in schema.get("properties", {}).items():
            yield from _body_slots(field, document, (*path, name))
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            key = schema.get("propertyNames", {}).get("enum", ["key"])[0]
            yield (*path, KEY)
            yield from _body_slots(values, document, (*path, key))
    elif schema.get("type") == "array":
        yield from _body_slots(schema["items"], document, (*path, 0))


def _resolved(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """A schema with its reference followed and, for an optional field, its non-null branch."""
    if "anyOf" in schema:
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _case(
    operation: Any, operation_id: str, where: str, name: Any, value: Any, model_id: int
) -> schemathesis.Case:
    path_parameters = {"model_id": model_id} if "{model_id}" in operation.path else None
    if where == "path":
        # Quoted by hand: schemathesis puts path values in as they are, and NUL or '/' would vanish.
        path_parameters = {name: quote(_wire(value), safe="")}
        if operation_id in BODIES:
            return operation.Case(path_parameters=path_parameters, body=copy.deepcopy(BODIES[operation_id]))
        return operation.Case(path_parameters=path_parameters)
    if where == "query":
        return operation.Case(path_parameters=path_parameters, query={name: _wire(value)})
    body = copy.deepcopy({"spec": SPEC} if name[0] == "spec" else BODIES[operation_id])
    _put(body, name, value)
    return operation.Case(path_parameters=path_parameters, body=body)


def _wire(value: Any) -> str | bytes:
    """A query or path value as a client sends it: text, or for a lone surrogate its raw bytes."""
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
    return text


def _put(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    """Put ``value`` at ``path`` in ``body``, making the lists and maps on the way that are missing."""
    here: Any = body
    for step, after in itertools.pairwise(path):
        if isinstance(here, dict) and step not in here:
            here[step] = [None] if isinstance(after, int) else {}
        here = here[step]
    last = path[-1]
    if last is KEY:
        here.clear()
        here[str(value)] = 1
    elif isinstance(here, list):
        here[:] = [value]
    else:
        here[last] = value
