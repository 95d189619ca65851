"""Faults: what the client does with each error the provider (or the network) can produce.

Every test runs with a fake sleep that records the delays, and checks that the key appears in
no exception text, traceback or captured log record.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import numpy as np
import pytest

from core.collectors.oddsapi_client import OddsApiClient, Quota
from core.errors import OddsApiError, OutOfCredits, UpstreamError
from core.sports import Sport
from tests.core.collectors.support import (
    API_KEY,
    QUOTA_HEADERS,
    FakeSleep,
    Recorder,
    error_body,
    json_response,
    mock_transport,
)

Handler = Callable[[httpx.Request], httpx.Response]
Step = httpx.Response | Exception | Handler


def scripted(*steps: Step) -> Handler:
    """Answer with each step in turn (the last one repeats); an exception step is raised."""
    queue: Iterator[Step] = iter(steps)

    def handler(request: httpx.Request) -> httpx.Response:
        step = next(queue, steps[-1])
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    return handler


def attempt(
    handler: Handler, **options: Any
) -> tuple[BaseException | None, Recorder, FakeSleep, OddsApiClient]:
    """Call ``odds(NBA)`` on a client over ``handler``; return the error it raised (or None)."""
    transport, recorder = mock_transport(handler)
    sleep = FakeSleep()
    holder: list[OddsApiClient] = []

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=transport) as http:
            client = OddsApiClient(http, API_KEY, sleep=sleep, rng=np.random.default_rng(11), **options)
            holder.append(client)
            await client.odds(Sport.NBA)

    error: BaseException | None = None
    try:
        asyncio.run(scenario())
    except Exception as exc:
        error = exc
    return error, recorder, sleep, holder[0]


def assert_key_never_leaks(error: BaseException | None, caplog: pytest.LogCaptureFixture) -> None:
    texts = [repr(record.__dict__) + record.getMessage() for record in caplog.records]
    if error is not None:
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
    assert texts, "nothing captured: the check would prove nothing"
    for text in texts:
        assert API_KEY not in text


@pytest.fixture(autouse=True)
def _capture_everything(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


# --- not retried ---------------------------------------------------------------------------------


def test_invalid_key_is_not_retried(caplog: pytest.LogCaptureFixture) -> None:
    body = error_body("INVALID_KEY", "API key is not valid. Get an API key at https://the-odds-api.com")
    error, recorder, sleep, _ = attempt(scripted(json_response(body, 401)))
    assert isinstance(error, OddsApiError) and not isinstance(error, OutOfCredits)
    assert (error.status, error.error_code) == (401, "INVALID_KEY")
    assert recorder.calls == 1 and sleep.delays == []
    message = str(error)
    assert "HTTP 401 INVALID_KEY" in message
    assert "API key is not valid" in message
    assert "ODDS_API_KEY" in message
    assert_key_never_leaks(error, caplog)


def test_out_of_credits_stops_at_once_and_keeps_the_quota(caplog: pytest.LogCaptureFixture) -> None:
    body = error_body(
        "OUT_OF_USAGE_CREDITS", "Usage quota has been reached. See usage plans at https://the-odds-api.com"
    )
    headers = {"x-requests-remaining": "0", "x-requests-used": "500", "x-requests-last": "0"}
    error, recorder, sleep, client = attempt(scripted(json_response(body, 401, headers)))
    assert isinstance(error, OutOfCredits)
    assert (error.status, error.error_code) == (401, "OUT_OF_USAGE_CREDITS")
    assert recorder.calls == 1 and sleep.delays == []
    assert "Usage quota has been reached" in str(error) and "quota resets" in str(error)
    assert client.last_quota == Quota(remaining=0, used=500, last=0)
    warning = next(r for r in caplog.records if r.name == "core.collectors.oddsapi_client")
    assert (warning.levelname, warning.status, warning.quota_remaining) == ("WARNING", 401, 0)  # type: ignore[attr-defined]
    assert_key_never_leaks(error, caplog)


@pytest.mark.parametrize(
    ("status", "code", "provider_message"),
    [
        (404, "UNKNOWN_SPORT", "Unknown sport"),
        (422, "INVALID_MARKET", "Markets not supported by this endpoint: player_pass_yds"),
        (422, "MISSING_REGION", "Missing regions or bookmakers key"),
        (401, "MISSING_KEY", "apiKey query parameter is required"),
        (401, "DEACTIVATED_KEY", "API key has been deactivated"),
    ],
)
def test_client_errors_are_not_retried(
    status: int, code: str, provider_message: str, caplog: pytest.LogCaptureFixture
) -> None:
    error, recorder, sleep, _ = attempt(scripted(json_response(error_body(code, provider_message), status)))
    assert isinstance(error, OddsApiError) and not isinstance(error, OutOfCredits)
    assert (error.status, error.error_code) == (status, code)
    assert recorder.calls == 1 and sleep.delays == []
    assert f"/v4/sports/basketball_nba/odds failed: HTTP {status} {code}: {provider_message}" in str(error)
    assert_key_never_leaks(error, caplog)


def test_an_error_body_that_is_not_json_still_gives_a_clear_error(caplog: pytest.LogCaptureFixture) -> None:
    error, recorder, _, _ = attempt(scripted(httpx.Response(403, text="Forbidden by the CDN")))
    assert isinstance(error, OddsApiError)
    assert (error.status, error.error_code) == (403, None)
    assert "HTTP 403: Forbidden by the CDN" in str(error)
    assert recorder.calls == 1
    assert_key_never_leaks(error, caplog)


def test_a_provider_message_echoing_the_key_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    body = error_body("INVALID_KEY", f"API key {API_KEY} is not valid")
    error, _, _, _ = attempt(scripted(json_response(body, 401)))
    assert "API key *** is not valid" in str(error)
    assert_key_never_leaks(error, caplog)


# --- retried -------------------------------------------------------------------------------------


def test_429_then_200_is_retried_after_retry_after(caplog: pytest.LogCaptureFixture) -> None:
    limited = json_response(
        error_body("EXCEEDED_FREQ_LIMIT", "Too many requests"), 429, {"retry-after": "2", **QUOTA_HEADERS}
    )
    error, recorder, sleep, client = attempt(scripted(limited, json_response([], 200, QUOTA_HEADERS)))
    assert error is None
    assert recorder.calls == 2
    assert sleep.delays == [2.0]
    assert client.last_quota == Quota(497, 3, 3)
    retry_logs = [r for r in caplog.records if "retrying in" in r.getMessage()]
    assert len(retry_logs) == 1 and "HTTP 429" in retry_logs[0].getMessage()
    assert_key_never_leaks(error, caplog)


def test_429_without_retry_after_backs_off_with_jitter() -> None:
    limited = json_response(error_body("EXCEEDED_FREQ_LIMIT", "Too many requests"), 429)
    error, recorder, sleep, _ = attempt(scripted(limited, limited, json_response([])))
    assert error is None and recorder.calls == 3
    first, second = sleep.delays
    assert 0.25 <= first <= 0.5  # base 0.5: half fixed, half jitter
    assert 0.5 <= second <= 1.0


def test_a_huge_retry_after_is_capped() -> None:
    limited = json_response({}, 429, {"retry-after": "86400"})
    _, _, sleep, _ = attempt(scripted(limited, json_response([])))
    assert sleep.delays == [60.0]


def test_repeated_500s_give_up_after_bounded_retries(caplog: pytest.LogCaptureFixture) -> None:
    error, recorder, sleep, _ = attempt(scripted(httpx.Response(500, text="Internal Server Error")))
    assert isinstance(error, OddsApiError) and isinstance(error, UpstreamError)
    assert error.status == 500
    assert recorder.calls == 5  # 1 try + max_retries=4
    assert len(sleep.delays) == 4
    for index, delay in enumerate(sleep.delays):
        ceiling = min(8.0, 0.5 * 2**index)
        assert ceiling / 2 <= delay <= ceiling
    assert "HTTP 500" in str(error) and "gave up after 5 attempts" in str(error)
    assert_key_never_leaks(error, caplog)


def test_backoff_is_capped_and_retries_are_configurable() -> None:
    error, recorder, sleep, _ = attempt(
        scripted(httpx.Response(503)), max_retries=6, backoff_base_s=1.0, backoff_cap_s=3.0
    )
    assert isinstance(error, OddsApiError) and error.status == 503
    assert recorder.calls == 7
    assert max(sleep.delays) <= 3.0
    assert all(delay >= 1.5 for delay in sleep.delays[2:])  # at the cap: at least half of it


def test_no_retries_when_max_retries_is_zero() -> None:
    error, recorder, sleep, _ = attempt(scripted(httpx.Response(502)), max_retries=0)
    assert isinstance(error, OddsApiError) and recorder.calls == 1 and sleep.delays == []


def test_jitter_is_reproducible_with_a_seeded_rng() -> None:
    _, _, first, _ = attempt(scripted(httpx.Response(500)))
    _, _, second, _ = attempt(scripted(httpx.Response(500)))
    assert first.delays == second.delays


def _timeout(request: httpx.Request) -> httpx.Response:
    # httpx's own messages can carry the URL; make sure this one does, key and all.
    raise httpx.ReadTimeout(f"timed out reading {request.url}", request=request)


def test_timeouts_are_retried_then_raise_upstream_error(caplog: pytest.LogCaptureFixture) -> None:
    error, recorder, sleep, _ = attempt(_timeout)
    assert type(error) is UpstreamError
    assert recorder.calls == 5 and len(sleep.delays) == 4
    message = str(error)
    assert "The Odds API /v4/sports/basketball_nba/odds timed out after 5 attempt(s)" in message
    assert "ReadTimeout" in message and "apiKey=***" in message
    assert_key_never_leaks(error, caplog)


def test_a_connection_error_then_success_recovers(caplog: pytest.LogCaptureFixture) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"[Errno 111] Connection refused: {request.url}", request=request)

    error, recorder, sleep, _ = attempt(scripted(refused, json_response([], 200, QUOTA_HEADERS)))
    assert error is None and recorder.calls == 2 and len(sleep.delays) == 1
    assert any("failed to connect" in r.getMessage() for r in caplog.records)
    assert_key_never_leaks(error, caplog)


def test_a_dropped_connection_is_retried_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    def dropped(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError(f"peer closed connection for {request.url}", request=request)

    error, recorder, sleep, _ = attempt(dropped, max_retries=1)
    assert type(error) is UpstreamError
    assert "failed in transport after 2 attempt(s): RemoteProtocolError" in str(error)
    assert recorder.calls == 2 and len(sleep.delays) == 1
    assert_key_never_leaks(error, caplog)


def test_other_request_errors_are_not_retried(caplog: pytest.LogCaptureFixture) -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        raise httpx.TooManyRedirects(f"Exceeded maximum allowed redirects at {request.url}", request=request)

    error, recorder, sleep, _ = attempt(loop)
    assert type(error) is UpstreamError and "TooManyRedirects" in str(error)
    assert recorder.calls == 1 and sleep.delays == []
    assert_key_never_leaks(error, caplog)


# --- malformed answers ---------------------------------------------------------------------------


def test_malformed_json_is_an_upstream_error_and_not_retried(caplog: pytest.LogCaptureFixture) -> None:
    error, recorder, sleep, client = attempt(
        scripted(httpx.Response(200, text="<html>maintenance</html>", headers=QUOTA_HEADERS))
    )
    assert type(error) is UpstreamError
    assert "malformed JSON" in str(error) and "<html>maintenance" in str(error)
    assert recorder.calls == 1 and sleep.delays == []
    assert client.last_quota == Quota(497, 3, 3)
    assert_key_never_leaks(error, caplog)


def test_an_empty_body_is_malformed_too() -> None:
    error, _, _, _ = attempt(scripted(httpx.Response(200, content=b"")))
    assert type(error) is UpstreamError and "<empty body>" in str(error)


# --- the key stays out of sight --------------------------------------------------------------------


def test_httpx_request_log_line_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    """httpx logs every request URL at INFO; the client's filter must scrub it."""
    error, _, _, _ = attempt(scripted(json_response([], 200, QUOTA_HEADERS)))
    assert error is None
    httpx_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert httpx_lines and all("apiKey=***" in line for line in httpx_lines)
    call_log = next(r for r in caplog.records if r.name == "core.collectors.oddsapi_client")
    assert call_log.endpoint == "/v4/sports/basketball_nba/odds"  # type: ignore[attr-defined]
    assert call_log.sport == "basketball_nba"  # type: ignore[attr-defined]
    assert (call_log.status, call_log.quota_remaining, call_log.quota_last) == (200, 497, 3)  # type: ignore[attr-defined]
    assert_key_never_leaks(error, caplog)


def test_repr_hides_the_key() -> None:
    async def build() -> str:
        async with httpx.AsyncClient() as http:
            return repr(OddsApiClient(http, API_KEY))

    text = asyncio.run(build())
    assert API_KEY not in text and "api.the-odds-api.com" in text


def test_an_empty_key_is_refused_without_echoing_anything() -> None:
    async def build() -> None:
        async with httpx.AsyncClient() as http:
            OddsApiClient(http, "  ")

    with pytest.raises(ValueError, match="api_key must not be empty"):
        asyncio.run(build())
