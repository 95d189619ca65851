"""The shared helpers: redaction, the log filter, the retry policy, Retry-After and timestamps."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import numpy as np
import pytest

from core.collectors.http import (
    RedactingFilter,
    RetryPolicy,
    install_log_redaction,
    is_retryable_status,
    parse_retry_after,
    parse_timestamp,
    redact,
)
from core.errors import InvalidInput
from tests.core.collectors.support import API_KEY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"GET https://api.the-odds-api.com/v4/sports?apiKey={API_KEY}&all=true",
            "GET https://api.the-odds-api.com/v4/sports?apiKey=***&all=true",
        ),
        (f"...?api_key={API_KEY}", "...?api_key=***"),
        (f"...?APIKEY={API_KEY}'", "...?APIKEY=***'"),
        (f"key is {API_KEY}.", "key is ***."),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text, [API_KEY]) == expected


def test_redact_catches_url_encoded_keys() -> None:
    key = "a b/c+d"
    assert redact("token a%20b%2Fc%2Bd and a+b%2Fc%2Bd", [key]) == "token *** and ***"


def test_redact_ignores_empty_secrets() -> None:
    assert redact("abc", ["", "b"]) == "a***c"


def test_redacting_filter_rewrites_formatted_messages() -> None:
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        'HTTP Request: %s %s "%s"',
        ("GET", f"https://x/?apiKey={API_KEY}", "200"),
        None,
    )
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == 'HTTP Request: GET https://x/?apiKey=*** "200"'
    assert API_KEY not in repr(record.__dict__)


def test_install_log_redaction_is_idempotent() -> None:
    name = "tests.collectors.some_library"
    install_log_redaction([name])
    install_log_redaction([name])
    assert sum(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters) == 1


@pytest.mark.parametrize(
    ("status", "retry"),
    [
        (200, False),
        (401, False),
        (404, False),
        (422, False),
        (429, True),
        (500, True),
        (503, True),
        (599, True),
    ],
)
def test_retryable_statuses(status: int, retry: bool) -> None:
    assert is_retryable_status(status) is retry


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff_base_s=0.5, backoff_cap_s=8.0)
    rng = np.random.default_rng(0)
    for retry in range(10):
        ceiling = min(8.0, 0.5 * 2**retry)
        for _ in range(20):
            assert ceiling / 2 <= policy.backoff_s(retry, rng) <= ceiling


def test_retry_after_wins_but_is_capped() -> None:
    policy = RetryPolicy(retry_after_cap_s=30.0)
    rng = np.random.default_rng(0)
    assert policy.delay_s(0, rng, 3.0) == 3.0
    assert policy.delay_s(5, rng, 3.0) == 3.0
    assert policy.delay_s(0, rng, 120.0) == 30.0


@pytest.mark.parametrize(
    "options",
    [
        {"max_retries": -1},
        {"backoff_base_s": -0.1},
        {"backoff_cap_s": float("nan")},
        {"retry_after_cap_s": float("inf")},
    ],
)
def test_retry_policy_validates(options: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        RetryPolicy(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2.0),
        (" 1.5 ", 1.5),
        ("0", 0.0),
        (None, None),
        ("-3", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-06T01:22:47Z", datetime(2023, 11, 6, 1, 22, 47, tzinfo=UTC)),
        ("2026-02-08T23:30Z", datetime(2026, 2, 8, 23, 30, tzinfo=UTC)),  # ESPN: no seconds
        ("2024-10-19T13:30:00+02:00", datetime(2024, 10, 19, 11, 30, tzinfo=UTC)),
        (1731070100, datetime(2024, 11, 8, 12, 48, 20, tzinfo=UTC)),
        (1731070100.0, datetime(2024, 11, 8, 12, 48, 20, tzinfo=UTC)),
        ("1731070100", datetime(2024, 11, 8, 12, 48, 20, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(value: object, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize("value", [None, True, "yesterday", float("nan"), [], {}])
def test_parse_timestamp_rejects_junk(value: object) -> None:
    with pytest.raises(InvalidInput):
        parse_timestamp(value)
