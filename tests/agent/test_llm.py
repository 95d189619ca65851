"""The LLM wrapper against replayed Messages API exchanges: the real SDK parses every response.

Cassettes in ``tests/cassettes/llm/`` are in vcrpy's format, shaped like the recordings in
``../shared/data/anthropic/``; they carry no key. Requests are matched on method and URL (not
body, as vcrpy replays a sequential conversation); the body that was sent is captured by the
``before_record_request`` hook, after the key headers are filtered, and checked here.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anthropic
import httpx2
import pytest
import vcr
from vcr.request import Request

from agent.llm import LLM, PICKS_TOOL_DESCRIPTION, Usage, cost_usd, prices_for
from core.errors import ConfigError, UpstreamError
from core.proposals import PICK_FIELDS, PICK_SCHEMA, validate_picks

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes" / "llm"
KEY = "test-key"
MODEL = "claude-sonnet-5-5"
SYSTEM = (
    "You are Benny's analyst. Read each game's dossier and call submit_picks once with the picks "
    "you believe in: a probability and your reasons for each. Never give a stake, odds or a price: "
    "Benny's code decides those."
)
DOSSIERS = (
    "Game nba-20250116-bos-lal: Boston Celtics at Los Angeles Lakers, tip-off 2025-01-16T03:30:00Z\n"
    "h2h: home 2.30, away 1.65 | spreads: home +4.5 1.91, away -4.5 1.91 | totals 228.5: over 1.91, "
    "under 1.91\n"
    "\n"
    "Game nba-20250116-mia-nyk: Miami Heat at New York Knicks, tip-off 2025-01-16T00:30:00Z\n"
    "h2h: home 1.55, away 2.55 | totals 214.5: over 1.95, under 1.87\n"
)
BOS_LAL = "nba-20250116-bos-lal"
MIA_NYK = "nba-20250116-mia-nyk"
OFFERED: dict[str, dict[str, tuple[str, ...]]] = {
    BOS_LAL: {"h2h": ("home", "away"), "spreads": ("home", "away"), "totals": ("over", "under")},
    MIA_NYK: {"h2h": ("home", "away"), "totals": ("over", "under")},
}


@contextmanager
def replay(cassette: str) -> Iterator[list[Request]]:
    """Replay one cassette (never record); yields the requests sent, as they would be recorded.

    vcrpy runs the hook on the cassette's own requests as it loads them, and several times on
    each request sent: only what arrives after loading is kept.
    """
    sent: list[Request] = []
    loaded = False

    def capture(request: Request) -> Request:
        if loaded:
            sent.append(request)
        return request

    recorder = vcr.VCR(
        record_mode="none",
        filter_headers=["x-api-key", "authorization"],
        cassette_library_dir=str(CASSETTES),
        before_record_request=capture,
    )
    with recorder.use_cassette(cassette):
        loaded = True
        yield sent


def sdk_client(**options: Any) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=KEY, max_retries=0, base_url="https://api.anthropic.com", **options)


@pytest.fixture
def llm() -> LLM:
    return LLM(api_key=KEY, model=MODEL, client=sdk_client())


def sent_body(sent: list[Request]) -> dict[str, Any]:
    bodies = {request.body for request in sent}
    assert len(bodies) == 1, "one call, so one body however often vcrpy looked at it"
    body: dict[str, Any] = json.loads(bodies.pop())
    return body


def test_two_valid_picks_come_back_as_proposals(llm: LLM) -> None:
    with replay("picks_two_valid.yaml"):
        raw, _ = llm.propose_picks(SYSTEM, DOSSIERS)
    proposals, refusals = validate_picks(raw, OFFERED)

    assert refusals == []
    assert [(p.game_id, p.market, p.side, p.probability) for p in proposals] == [
        (BOS_LAL, "h2h", "away", 0.64),
        (MIA_NYK, "totals", "under", 0.56),
    ]
    assert proposals[1].key_factors == (
        "both teams slow over the last ten games",
        "Miami's recent defensive form",
    )
    assert proposals[1].risks == ("a close game can add free throws late",)


def test_the_request_caches_the_system_prompt_and_forces_submit_picks(llm: LLM) -> None:
    with replay("picks_two_valid.yaml") as sent:
        llm.propose_picks(SYSTEM, DOSSIERS)
    body = sent_body(sent)

    assert body["system"] == [{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}]
    assert body["tool_choice"] == {"type": "tool", "name": "submit_picks", "disable_parallel_tool_use": True}
    assert body["tools"] == [
        {"name": "submit_picks", "description": PICKS_TOOL_DESCRIPTION, "input_schema": PICK_SCHEMA}
    ]
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": DOSSIERS}]}]
    assert (body["model"], body["max_tokens"]) == (MODEL, 2048)
    assert sent[0].uri == "https://api.anthropic.com/v1/messages"
    # The key headers are filtered before anything could be recorded.
    assert KEY not in json.dumps(dict(sent[0].headers))


def test_the_cassette_records_exactly_the_request_benny_sends(llm: LLM) -> None:
    with replay("picks_two_valid.yaml") as sent:
        llm.propose_picks(SYSTEM, DOSSIERS)
    for name in ("picks_two_valid.yaml", "picks_with_stake_and_invented_odds.yaml"):
        recorded = vcr.cassette.Cassette.load(path=str(CASSETTES / name)).requests[0]
        assert json.loads(recorded.body) == sent_body(sent), name


def test_usage_and_cost_of_a_first_call_that_writes_the_cache(llm: LLM) -> None:
    with replay("picks_two_valid.yaml"):
        _, usage = llm.propose_picks(SYSTEM, DOSSIERS)
    # Sonnet at $3 in / $15 out per million: 1,840 x 3 + 2,630 x 3.75 (cache write, 1.25x)
    # + 512 x 15 = 5,520 + 9,862.5 + 7,680 = 23,062.5 millionths of a dollar.
    assert usage == Usage(
        input_tokens=1840,
        output_tokens=512,
        cache_creation_input_tokens=2630,
        cache_read_input_tokens=0,
        cost_usd=pytest.approx(0.0230625),
    )


def test_a_stake_invented_odds_and_an_unknown_game_are_refused(llm: LLM) -> None:
    with replay("picks_with_stake_and_invented_odds.yaml"):
        raw, usage = llm.propose_picks(SYSTEM, DOSSIERS)
    proposals, refusals = validate_picks(raw, OFFERED)

    assert [(r.index, r.reason) for r in refusals] == [
        (1, "picks may not set stakes or prices: stake_usd"),
        (2, "picks may not set stakes or prices: book, odds"),
        (3, "game 'nba-20250116-gsw-phx' is not in today's dossiers"),
    ]
    assert refusals[0].raw["stake_usd"] == 5000
    assert [(p.game_id, p.market, p.side, p.probability) for p in proposals] == [
        (BOS_LAL, "h2h", "away", 0.66)
    ]
    for proposal in proposals:
        assert set(dataclasses.asdict(proposal)) == PICK_FIELDS
        assert not hasattr(proposal, "stake_usd")
        assert "5000" not in repr(proposal)
    # A second call reads the cached prefix: 1,902 x 3 + 2,630 x 0.3 (cache read, 0.1x)
    # + 640 x 15 = 5,706 + 789 + 9,600 = 16,095 millionths of a dollar.
    assert usage == Usage(1902, 640, 0, 2630, pytest.approx(0.016095))


def test_each_call_logs_one_line_with_tokens_and_cost_and_no_key(
    llm: LLM, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with replay("picks_two_valid.yaml"):
        llm.propose_picks(SYSTEM, DOSSIERS)

    lines = [r for r in caplog.records if r.name == "benny.llm"]
    assert len(lines) == 1
    assert lines[0].levelno == logging.INFO
    message = lines[0].getMessage()
    for part in (
        "model=claude-sonnet-5-5",
        "input_tokens=1840",
        "output_tokens=512",
        "cache_write_tokens=2630",
    ):
        assert part in message
    assert "cost_usd=0.0230" in message
    assert getattr(lines[0], "cost_usd") == pytest.approx(0.0230625)  # noqa: B009
    assert KEY not in caplog.text  # at DEBUG, from every logger: the SDK's and httpx2's too


@pytest.mark.parametrize(
    ("cassette", "message"),
    [
        (
            "api_overloaded.yaml",
            "the Anthropic API answered 529 (overloaded_error): Overloaded "
            "[request req_011COverloaded0000000003]",
        ),
        (
            "api_bad_request.yaml",
            "the Anthropic API answered 400 (invalid_request_error): prompt is too long: 215034 tokens > "
            "200000 maximum [request req_011CBadRequest00000000004]",
        ),
    ],
)
def test_api_errors_are_upstream_errors_that_name_no_secret(
    llm: LLM, caplog: pytest.LogCaptureFixture, cassette: str, message: str
) -> None:
    caplog.set_level(logging.DEBUG)
    with replay(cassette), pytest.raises(UpstreamError) as raised:
        llm.propose_picks(SYSTEM, DOSSIERS)

    assert str(raised.value) == message
    assert isinstance(raised.value.__cause__, anthropic.APIStatusError)
    assert KEY not in str(raised.value)
    assert KEY not in caplog.text
    assert [r.levelno for r in caplog.records if r.name == "benny.llm"] == [logging.WARNING]


def test_an_unreachable_api_is_an_upstream_error() -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    client = sdk_client(http_client=httpx2.Client(transport=httpx2.MockTransport(refuse)))
    with pytest.raises(UpstreamError, match=r"^could not reach the Anthropic API \(APIConnectionError\)$"):
        LLM(api_key=KEY, model=MODEL, client=client).propose_picks(SYSTEM, DOSSIERS)


def test_an_answer_without_the_tool_gives_empty_input_and_is_refused_whole() -> None:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200,
            json={
                "id": "msg_01TextOnly",
                "type": "message",
                "role": "assistant",
                "model": "claude-haiku-5-5",
                "content": [{"type": "text", "text": "No picks today: I would bet the Knicks for $500."}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": 1000, "output_tokens": 20},
            },
        )

    http = httpx2.Client(transport=httpx2.MockTransport(answer))
    raw, usage = LLM(api_key=KEY, model="claude-haiku-5-5", http_client=http).propose_picks(SYSTEM, DOSSIERS)

    assert raw == {}
    # Haiku at $1 in / $5 out per million: 1,000 x 1 + 20 x 5 = 1,100 millionths.
    assert usage == Usage(1000, 20, 0, 0, pytest.approx(0.0011))
    proposals, refusals = validate_picks(raw, OFFERED)
    assert proposals == [] and len(refusals) == 1


def test_prices_by_model_family_with_sonnet_as_the_default() -> None:
    assert prices_for("claude-opus-5-5") == (5.0, 25.0)
    assert prices_for("claude-sonnet-5-5") == prices_for("claude-sonnet-4-5-20250929") == (3.0, 15.0)
    assert prices_for("claude-haiku-5-5") == (1.0, 5.0)
    assert prices_for("some-future-model") == (3.0, 15.0)


def test_cost_prices_cache_writes_at_one_and_a_quarter_and_reads_at_a_tenth() -> None:
    million = 1_000_000
    assert cost_usd("claude-opus-5-5", input_tokens=million, output_tokens=million) == pytest.approx(30.0)
    writes = cost_usd("claude-opus-5-5", input_tokens=0, output_tokens=0, cache_creation_input_tokens=million)
    reads = cost_usd("claude-opus-5-5", input_tokens=0, output_tokens=0, cache_read_input_tokens=million)
    assert (writes, reads) == (pytest.approx(6.25), pytest.approx(0.5))


def test_no_key_and_no_client_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="Anthropic API key"):
        LLM(api_key="", model=MODEL)


def test_the_key_is_not_in_the_wrappers_repr() -> None:
    text = repr(LLM(api_key="sk-ant-secret-value", model=MODEL))
    assert text == "LLM(model='claude-sonnet-5-5', max_tokens=2048)"


def test_no_cassette_holds_a_key() -> None:
    cassettes = sorted(CASSETTES.glob("*.yaml"))
    assert len(cassettes) == 4
    for path in cassettes:
        text = path.read_text().lower()
        for secret in (KEY, "authorization", "x-api-key", "sk-ant", "bearer"):
            assert secret not in text, (path.name, secret)
