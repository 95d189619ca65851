"""The LLM proposes, code decides: every pick is checked against the dossiers and may set no money."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from core.errors import InvalidInput
from core.proposals import (
    PICK_FIELDS,
    PICK_SCHEMA,
    WHOLE_PAYLOAD,
    Proposal,
    Refusal,
    validate_picks,
)

BOS_LAL = "nba-20250116-bos-lal"
MIA_NYK = "nba-20250116-mia-nyk"
OFFERED: dict[str, dict[str, tuple[str, ...]]] = {
    BOS_LAL: {"h2h": ("home", "away"), "spreads": ("home", "away"), "totals": ("over", "under")},
    MIA_NYK: {"h2h": ("home", "away"), "totals": ("over", "under")},
}


def pick(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "game_id": BOS_LAL,
        "market": "h2h",
        "side": "away",
        "probability": 0.64,
        "reasoning": "Boston's net rating is 9 points better and the Lakers are on a back-to-back.",
        "key_factors": ["net rating gap", "Lakers on a back-to-back"],
        "risks": ["Tatum is questionable"],
    }
    return {**base, **overrides}


def judge(*picks: dict[str, Any]) -> tuple[list[Proposal], list[Refusal]]:
    return validate_picks({"picks": list(picks)}, OFFERED)


def only_refusal(*picks: dict[str, Any]) -> Refusal:
    proposals, refusals = judge(*picks)
    assert proposals == []
    assert len(refusals) == 1
    return refusals[0]


def test_a_good_pick_is_accepted_as_it_was_proposed() -> None:
    proposals, refusals = judge(pick())
    assert refusals == []
    assert proposals == [
        Proposal(
            game_id=BOS_LAL,
            market="h2h",
            side="away",
            probability=0.64,
            reasoning="Boston's net rating is 9 points better and the Lakers are on a back-to-back.",
            key_factors=("net rating gap", "Lakers on a back-to-back"),
            risks=("Tatum is questionable",),
        )
    ]


def test_a_proposal_carries_no_stake_or_price_field() -> None:
    names = {f.name for f in dataclasses.fields(Proposal)}
    assert names == PICK_FIELDS
    assert not names & {"stake", "stake_usd", "odds", "price", "price_decimal", "book", "units"}


def test_the_schema_offers_no_money_fields_and_forbids_extra_ones() -> None:
    item = PICK_SCHEMA["properties"]["picks"]["items"]
    assert item["additionalProperties"] is False
    assert set(item["required"]) == PICK_FIELDS
    assert item["properties"]["market"]["enum"] == ["h2h", "spreads", "totals"]
    assert item["properties"]["side"]["enum"] == ["home", "away", "draw", "over", "under"]
    assert PICK_SCHEMA["additionalProperties"] is False


def test_a_huge_stake_is_refused() -> None:
    refusal = only_refusal(pick(stake_usd=5000))
    assert refusal.reason == "picks may not set stakes or prices: stake_usd"
    assert refusal.index == 0
    assert refusal.raw["stake_usd"] == 5000


def test_invented_odds_are_refused() -> None:
    refusal = only_refusal(pick(odds=2.40, book="draftkings"))
    assert refusal.reason == "picks may not set stakes or prices: book, odds"


@pytest.mark.parametrize("field", ["stake", "stake_usd", "odds", "price", "book", "units", "odds_american"])
def test_every_money_field_is_refused(field: str) -> None:
    assert only_refusal(pick(**{field: 1})).reason == f"picks may not set stakes or prices: {field}"


def test_any_other_field_is_refused_too() -> None:
    reason = only_refusal(pick(confidence="high")).reason
    assert reason.startswith("unknown fields: confidence (a pick has only game_id")


def test_an_unknown_game_is_refused() -> None:
    reason = only_refusal(pick(game_id="nba-20250116-gsw-phx")).reason
    assert reason == "game 'nba-20250116-gsw-phx' is not in today's dossiers"


def test_a_market_not_offered_for_the_game_is_refused() -> None:
    reason = only_refusal(pick(game_id=MIA_NYK, market="spreads", side="home")).reason
    assert reason == "market 'spreads' is not offered for game 'nba-20250116-mia-nyk' (on offer: h2h, totals)"


def test_a_side_not_on_offer_is_refused() -> None:
    reason = only_refusal(pick(side="draw")).reason
    assert reason == "side 'draw' is not on offer in 'nba-20250116-bos-lal' h2h (on offer: home, away)"
    assert only_refusal(pick(market="totals", side="home")).reason.startswith("side 'home' is not on offer")


@pytest.mark.parametrize("probability", [0, 1, 0.0, 1.0, -0.2, 1.5, float("nan"), float("inf")])
def test_a_probability_outside_zero_one_is_refused(probability: float) -> None:
    reason = only_refusal(pick(probability=probability)).reason
    assert reason.startswith("probability must be strictly between 0 and 1")


@pytest.mark.parametrize("probability", ["0.6", None, True, [0.6]])
def test_a_probability_that_is_not_a_number_is_refused(probability: object) -> None:
    assert only_refusal(pick(probability=probability)).reason.startswith("probability must be a number")


@pytest.mark.parametrize("reasoning", ["", "   ", None, 42])
def test_a_pick_without_reasoning_is_refused(reasoning: object) -> None:
    assert only_refusal(pick(reasoning=reasoning)).reason == "reasoning is missing or empty"


def test_a_pick_missing_its_reasoning_key_is_refused() -> None:
    incomplete = pick()
    del incomplete["reasoning"]
    assert only_refusal(incomplete).reason == "reasoning is missing or empty"


def test_key_factors_and_risks_must_be_lists_of_strings() -> None:
    assert only_refusal(pick(key_factors="pace")).reason == "key_factors must be a list of strings"
    assert only_refusal(pick(risks=[1, 2])).reason == "risks must be a list of strings"


def test_missing_key_factors_and_risks_are_empty() -> None:
    bare = pick()
    del bare["key_factors"], bare["risks"]
    (proposal,), _ = judge(bare)
    assert (proposal.key_factors, proposal.risks) == ((), ())


def test_a_second_pick_on_the_same_game_and_market_is_refused() -> None:
    proposals, refusals = judge(
        pick(), pick(side="home", probability=0.4), pick(market="totals", side="over")
    )
    assert [(p.market, p.side) for p in proposals] == [("h2h", "away"), ("totals", "over")]
    assert refusals == [
        Refusal(
            1,
            pick(side="home", probability=0.4),
            "duplicate pick: 'nba-20250116-bos-lal' h2h was already picked",
        )
    ]


def test_a_refused_pick_does_not_block_a_later_one_on_the_same_market() -> None:
    proposals, refusals = judge(pick(stake=100), pick())
    assert len(proposals) == 1
    assert [r.index for r in refusals] == [0]


def test_every_refusal_is_reported_with_its_index() -> None:
    proposals, refusals = judge(
        pick(),
        pick(game_id=MIA_NYK, market="h2h", side="home", stake_usd=5000),
        pick(game_id="nba-20250116-gsw-phx"),
        "take the Knicks",
        pick(game_id=MIA_NYK, market="totals", side="under", probability=0.56),
    )
    assert [(p.game_id, p.market, p.side) for p in proposals] == [
        (BOS_LAL, "h2h", "away"),
        (MIA_NYK, "totals", "under"),
    ]
    assert [(r.index, r.reason) for r in refusals] == [
        (1, "picks may not set stakes or prices: stake_usd"),
        (2, "game 'nba-20250116-gsw-phx' is not in today's dossiers"),
        (3, "a pick must be an object"),
    ]
    assert refusals[2].raw == {"value": "take the Knicks"}


@pytest.mark.parametrize(
    "raw",
    [None, "no picks today", [pick()], {}, {"picks": "none"}, {"picks": {"0": pick()}}, {"bets": [pick()]}],
)
def test_malformed_input_gives_no_proposals_and_one_refusal(raw: object) -> None:
    proposals, refusals = validate_picks(raw, OFFERED)
    assert proposals == []
    assert len(refusals) == 1
    assert refusals[0].index == WHOLE_PAYLOAD
    assert refusals[0].reason == "the input is not an object with a list of picks"


def test_an_empty_list_of_picks_is_a_fine_answer() -> None:
    assert validate_picks({"picks": []}, OFFERED) == ([], [])


def test_money_beside_the_picks_is_refused_and_the_picks_still_judged() -> None:
    proposals, refusals = validate_picks({"picks": [pick()], "total_stake_usd": 5000}, OFFERED)
    assert len(proposals) == 1
    assert [(r.index, r.reason) for r in refusals] == [
        (WHOLE_PAYLOAD, "picks may not set stakes or prices: total_stake_usd")
    ]


def test_a_refusal_keeps_a_copy_of_what_was_proposed() -> None:
    proposed = pick(stake=1)
    refusal = only_refusal(proposed)
    proposed["stake"] = 2
    assert refusal.raw["stake"] == 1
    with pytest.raises(TypeError):
        refusal.raw["stake"] = 3  # type: ignore[index]


def test_validation_never_raises_on_strange_values() -> None:
    strange: list[Any] = [
        pick(game_id=["x"]),
        pick(market={"a": 1}),
        pick(side=None),
        {1: "x"},
        {},
        pick(probability=10**400),
    ]
    proposals, refusals = judge(*strange)
    assert proposals == []
    assert len(refusals) == len(strange)


@pytest.mark.parametrize(
    ("field", "value"),
    [("game_id", ""), ("market", "moneyline"), ("side", "yes"), ("probability", 1.0), ("reasoning", " ")],
)
def test_a_proposal_checks_itself(field: str, value: object) -> None:
    fields: dict[str, Any] = {
        "game_id": BOS_LAL,
        "market": "h2h",
        "side": "home",
        "probability": 0.5,
        "reasoning": "r",
    }
    with pytest.raises(InvalidInput):
        Proposal(**{**fields, field: value})
