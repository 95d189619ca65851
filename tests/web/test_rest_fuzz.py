"""Schemathesis against the API's own OpenAPI document: no 5xx and every answer as documented.

Hypothesis draws each operation's arguments from the schema (valid and invalid alike) and the
API is called in-process; the checks are the server-error check and the conformance checks of
status codes, content types, headers and bodies. The token is Alice's, so per-user routes run
their code rather than stopping at 401.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.test_rest import Api, api  # noqa: F401 - the fixture, shared
from web.rest import build_api

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 25


def test_every_operation_answers_as_its_schema_says(api: Api) -> None:  # noqa: F811
    app = build_api(lambda: (api.settings, api.engine))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    statuses: list[int] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        @given(case=operation.as_strategy())
        def conforms(case: schemathesis.Case) -> None:
            response = case.call(headers=api.alice)
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        conforms()
    # The run exercised the routes' code: successes and refusals both, many times over.
    assert len(statuses) >= 5 * len(operations)
    assert {200, 422} <= set(statuses), sorted(set(statuses))
