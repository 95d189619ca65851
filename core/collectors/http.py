"""HTTP and wire-format helpers every collector shares: the retrying GET, key redaction, JSON
decoding and timestamps.

What is retried: HTTP 429, any 5xx, timeouts and transport errors (connection refused, reset,
protocol errors). Anything else comes back to the caller on the first answer, because a 4xx
means the request itself is wrong and asking again only burns credits; other httpx request
errors (too many redirects, an undecodable body) become ``UpstreamError`` at once.

How long it waits: ``Retry-After`` (seconds) when the server sends it, capped so a bad header
cannot stall a job; otherwise ``min(cap, base * 2**n)`` with "equal jitter" (half fixed, half
drawn from the injected RNG) so parallel collectors do not retry in lockstep. tenacity's
``AsyncRetrying`` runs the attempts with the injected sleep function, so tests record the
delays instead of waiting; ``RetryPolicy`` says how many and how long.

Secrets: The Odds API takes its key as the query parameter ``apiKey``, so every URL httpx
builds contains it, and httpx puts URLs into its exception strings and its INFO log line.
``redact`` scrubs text, ``install_log_redaction`` scrubs httpx's own log records, and errors
raised here never chain the original httpx exception (``from None``), whose text and request
would carry the URL into tracebacks.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import numpy as np
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
)

from core.clock import parse_instant
from core.errors import InvalidInput, UpstreamError

__all__ = [
    "Fetched",
    "RedactingFilter",
    "RetryPolicy",
    "Sleep",
    "decode_json",
    "get_with_retries",
    "install_log_redaction",
    "is_retryable_status",
    "parse_timestamp",
    "redact",
]

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
QueryValue = str | int | float

REDACTED = "***"
# Any query parameter that looks like a key, whatever the provider calls it.
_KEY_PARAM = re.compile(r"(?i)\b((?:api[_-]?key|apikey|access[_-]?token|token|key)=)[^&\s\"'<>)]+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove every known secret (raw and URL-encoded) and any ``apiKey=...`` value from ``text``."""
    for secret in secrets:
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, REDACTED)
    return _KEY_PARAM.sub(lambda m: m.group(1) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites a record's message with ``redact`` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to logging's own handling
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


def install_log_redaction(logger_names: Iterable[str] = ("httpx",)) -> None:
    """Attach one ``RedactingFilter`` to each named logger (idempotent).

    httpx logs ``HTTP Request: GET <full url>`` at INFO on its own logger, key included. A
    filter on that logger runs before any handler, whichever handlers the app configures.
    """
    for name in logger_names:
        target = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter())


def is_retryable_status(status: int) -> bool:
    """429 (rate limited) and every 5xx are worth another try; other statuses are final."""
    return status == 429 or 500 <= status <= 599


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter; ``max_retries`` counts retries, not attempts."""

    max_retries: int = 4
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 8.0
    retry_after_cap_s: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise InvalidInput(f"max_retries must be >= 0, got {self.max_retries}")
        for name in ("backoff_base_s", "backoff_cap_s", "retry_after_cap_s"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise InvalidInput(f"{name} must be finite and >= 0, got {value}")

    def backoff_s(self, retry_index: int, rng: np.random.Generator) -> float:
        """The wait before retry number ``retry_index`` (0-based) when the server gave no hint."""
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2.0**retry_index)
        return ceiling / 2.0 + float(rng.uniform(0.0, ceiling / 2.0))

    def delay_s(self, retry_index: int, rng: np.random.Generator, retry_after_s: float | None) -> float:
        if retry_after_s is not None:
            return min(retry_after_s, self.retry_after_cap_s)
        return self.backoff_s(retry_index, rng)


@dataclass(frozen=True, slots=True)
class Fetched:
    """The final response (any status) and how many attempts it took."""

    response: httpx.Response
    attempts: int


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header; the HTTP-date form is ignored (we would need a clock)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


async def get_with_retries(
    http: httpx.AsyncClient,
    url: str,
    *,
    params: Mapping[str, QueryValue] | None = None,
    policy: RetryPolicy,
    sleep: Sleep = asyncio.sleep,
    rng: np.random.Generator,
    provider: str,
    endpoint: str,
    secrets: Iterable[str] = (),
) -> Fetched:
    """GET ``url`` and retry what is worth retrying.

    Returns the first non-retryable response, or the last response once retries run out on
    429/5xx, so the caller can turn the provider's error body into its own error. Raises
    ``UpstreamError`` when every attempt failed in transport (timeout, connection error).
    ``endpoint`` is a key-free label (a path) used in logs and messages.
    """
    secret_list = [s for s in secrets if s]
    attempts_allowed = policy.max_retries + 1
    query = dict(params) if params is not None else None
    attempts = 0

    async def attempt() -> httpx.Response:
        nonlocal attempts
        attempts += 1
        try:
            return await http.get(url, params=query)
        except httpx.TransportError:  # timeouts, refused or reset connections, protocol errors
            raise
        except httpx.RequestError as exc:
            # Too many redirects, an undecodable body: asking again would not help.
            detail = redact(f"{type(exc).__name__}: {exc}", secret_list)
            raise UpstreamError(f"{provider} {endpoint} failed: {detail}") from None

    def wait(state: RetryCallState) -> float:
        if state.attempt_number >= attempts_allowed:
            return 0.0  # no retry follows, so no jitter is drawn: the RNG sees one draw per wait
        return policy.delay_s(state.attempt_number - 1, rng, _retry_after(state))

    async def before_sleep(state: RetryCallState) -> None:
        failure = _transport_failure(state, secret_list)
        if failure is not None:
            kind, detail = failure
            logger.warning(
                "%s %s %s (attempt %d/%d); retrying in %.2fs",
                provider,
                endpoint,
                kind,
                state.attempt_number,
                attempts_allowed,
                state.upcoming_sleep,
                extra={
                    "provider": provider,
                    "endpoint": endpoint,
                    "attempt": state.attempt_number,
                    "error": detail,
                },
            )
            return
        response = _response(state)
        logger.warning(
            "%s %s answered HTTP %d (attempt %d/%d); retrying in %.2fs",
            provider,
            endpoint,
            response.status_code,
            state.attempt_number,
            attempts_allowed,
            state.upcoming_sleep,
            extra={
                "provider": provider,
                "endpoint": endpoint,
                "attempt": state.attempt_number,
                "status": response.status_code,
                "retry_after_s": _retry_after(state),
            },
        )
        await response.aclose()

    def give_up(state: RetryCallState) -> httpx.Response:
        failure = _transport_failure(state, secret_list)
        if failure is None:
            return _response(state)  # the last 429/5xx goes back to the caller
        kind, detail = failure
        raise UpstreamError(
            f"{provider} {endpoint} {kind} after {state.attempt_number} attempt(s): {detail}"
        ) from None

    retrying = AsyncRetrying(
        sleep=sleep,
        stop=stop_after_attempt(attempts_allowed),
        wait=wait,
        retry=retry_if_exception_type(httpx.TransportError)
        | retry_if_result(lambda response: is_retryable_status(response.status_code)),
        before_sleep=before_sleep,
        retry_error_callback=give_up,
    )
    response: httpx.Response = await retrying(attempt)
    return Fetched(response=response, attempts=attempts)


def _response(state: RetryCallState) -> httpx.Response:
    """The response an attempt answered with (only called when it did not raise)."""
    assert state.outcome is not None
    response: httpx.Response = state.outcome.result()
    return response


def _retry_after(state: RetryCallState) -> float | None:
    """The ``Retry-After`` seconds of the attempt's response, or None (no header, or it raised)."""
    assert state.outcome is not None
    if state.outcome.failed:
        return None
    return parse_retry_after(_response(state).headers.get("retry-after"))


def _transport_failure(state: RetryCallState, secrets: Sequence[str]) -> tuple[str, str] | None:
    """What went wrong when the attempt failed in transport (kind, redacted detail); None if it
    answered."""
    assert state.outcome is not None
    exc = state.outcome.exception()
    if exc is None:
        return None
    if isinstance(exc, httpx.TimeoutException):
        kind = "timed out"
    elif isinstance(exc, httpx.ConnectError):
        kind = "failed to connect"
    else:
        kind = "failed in transport"
    return kind, redact(f"{type(exc).__name__}: {exc}", secrets)


def decode_json(
    response: httpx.Response, *, provider: str, endpoint: str, secrets: Iterable[str] = ()
) -> Any:
    """The response body as JSON, or ``UpstreamError`` saying the provider sent something else."""
    try:
        return response.json()
    except ValueError:  # json.JSONDecodeError and UnicodeDecodeError are both ValueErrors
        snippet = redact(response.text[:120], secrets) if response.content else "<empty body>"
        raise UpstreamError(
            f"{provider} {endpoint} returned malformed JSON (HTTP {response.status_code}): {snippet!r}"
        ) from None


def parse_timestamp(value: object) -> datetime:
    """An aware UTC datetime from ISO 8601 text (``2023-11-06T01:22:47Z``) or epoch seconds.

    Providers send ISO by default and integers with ``dateFormat=unix``; both arrive here.
    Raises ``InvalidInput`` for anything else (None, bools, junk text).
    """
    if isinstance(value, bool):  # bool is an int subclass; True is not 1970-01-01T00:00:01Z
        raise InvalidInput(f"expected a timestamp, got {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise InvalidInput(f"expected a timestamp, got {value!r}")
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return datetime.fromtimestamp(int(text), UTC)
        return parse_instant(text)
    raise InvalidInput(f"expected a timestamp, got {value!r}")
