"""What the analyst LLM may propose, and the check every proposal passes before code looks at it.

The LLM proposes; code decides. A pick names a game, a market, a side, a probability and the
reasons for it: nothing more. Stakes come from the Kelly controls and prices from the quotes in
the store, so a pick that tries to set a stake, odds, a price, a book or units is refused, as
is one that names a game, market or side the day's dossiers did not offer.

``PICK_SCHEMA`` is the ``submit_picks`` tool's input schema; ``validate_picks`` reads its
allowed fields from that schema, and a test keeps the schema and ``Proposal`` in step.
``validate_picks`` never raises on LLM output: everything it cannot accept becomes a
``Refusal`` with a reason that can be logged and shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from core.errors import InvalidInput
from core.sports import Market, Side

WHOLE_PAYLOAD = -1  # Refusal.index when the payload itself, not one pick, is malformed

_MARKETS = tuple(m.value for m in Market)
_SIDES = tuple(s.value for s in Side)


@dataclass(frozen=True, slots=True)
class Proposal:
    """One pick the LLM proposed and the validator accepted; it carries no stake and no price."""

    game_id: str
    market: str
    side: str
    probability: float
    reasoning: str
    key_factors: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.game_id:
            raise InvalidInput("game_id must not be empty")
        if self.market not in _MARKETS:
            raise InvalidInput(f"market must be one of {', '.join(_MARKETS)}, got {self.market!r}")
        if self.side not in _SIDES:
            raise InvalidInput(f"side must be one of {', '.join(_SIDES)}, got {self.side!r}")
        if not (0.0 < self.probability < 1.0):
            raise InvalidInput(f"probability must be strictly between 0 and 1, got {self.probability}")
        if not self.reasoning.strip():
            raise InvalidInput("reasoning must not be empty")


@dataclass(frozen=True, slots=True)
class Refusal:
    """A pick (or a whole payload, ``index == WHOLE_PAYLOAD``) that was not accepted, and why."""

    index: int
    raw: Mapping[str, Any]
    reason: str


_STRING_LIST: dict[str, Any] = {"type": "array", "items": {"type": "string"}}

PICK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "picks": {
            "type": "array",
            "description": "Your picks, at most one per game and market. An empty list is a fine answer.",
            "items": {
                "type": "object",
                "properties": {
                    "game_id": {
                        "type": "string",
                        "description": "The game's id exactly as its dossier gives it.",
                    },
                    "market": {"type": "string", "enum": list(_MARKETS)},
                    "side": {"type": "string", "enum": list(_SIDES)},
                    "probability": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "exclusiveMaximum": 1,
                        "description": "Your probability that this side wins (covers, goes over or under).",
                    },
                    "reasoning": {"type": "string", "description": "Why, in a few sentences."},
                    "key_factors": {**_STRING_LIST, "description": "The facts that drive the pick."},
                    "risks": {**_STRING_LIST, "description": "What could make the pick wrong."},
                },
                "required": ["game_id", "market", "side", "probability", "reasoning", "key_factors", "risks"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["picks"],
    "additionalProperties": False,
}

PICK_FIELDS: frozenset[str] = frozenset(PICK_SCHEMA["properties"]["picks"]["items"]["properties"])

# Field names that try to decide money: refused with the stakes-and-prices reason.
_MONEY_WORDS = re.compile(r"stake|odds|price|book|unit|wager|bet|amount|usd|kelly|size|line|point|payout")


def _extra_fields_reason(extra: list[str]) -> str:
    money = [name for name in extra if _MONEY_WORDS.search(name.lower())]
    if money:
        return f"picks may not set stakes or prices: {', '.join(money)}"
    return f"unknown fields: {', '.join(extra)} (a pick has only {', '.join(sorted(PICK_FIELDS))})"


def _strings(value: object, name: str) -> tuple[str, ...] | str:
    """The list of strings as a tuple, or the reason it is not one."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"{name} must be a list of strings"
    return tuple(item.strip() for item in value if item.strip())


def _check(pick: Mapping[str, Any], offered: Mapping[str, Mapping[str, tuple[str, ...]]]) -> Proposal | str:
    """The accepted proposal, or the reason the pick is refused."""
    extra = sorted(str(key) for key in pick if key not in PICK_FIELDS)
    if extra:
        return _extra_fields_reason(extra)

    game_id, market, side = pick.get("game_id"), pick.get("market"), pick.get("side")
    if not isinstance(game_id, str) or not game_id:
        return "game_id must be a non-empty string"
    if game_id not in offered:
        return f"game {game_id!r} is not in today's dossiers"
    if not isinstance(market, str) or market not in offered[game_id]:
        on_offer = ", ".join(offered[game_id]) or "none"
        return f"market {market!r} is not offered for game {game_id!r} (on offer: {on_offer})"
    if not isinstance(side, str) or side not in offered[game_id][market]:
        on_offer = ", ".join(offered[game_id][market]) or "none"
        return f"side {side!r} is not on offer in {game_id!r} {market} (on offer: {on_offer})"

    probability = pick.get("probability")
    if isinstance(probability, bool) or not isinstance(probability, int | float):
        return f"probability must be a number, got {probability!r}"
    if not (0.0 < probability < 1.0):  # NaN and the infinities fail this too
        return f"probability must be strictly between 0 and 1, got {probability!r}"

    reasoning = pick.get("reasoning")
    if not isinstance(reasoning, str) or not reasoning.strip():
        return "reasoning is missing or empty"

    key_factors = _strings(pick.get("key_factors"), "key_factors")
    if isinstance(key_factors, str):
        return key_factors
    risks = _strings(pick.get("risks"), "risks")
    if isinstance(risks, str):
        return risks

    if market not in _MARKETS or side not in _SIDES:  # offered named something Benny does not trade
        return f"{market!r}/{side!r} is not a market and side Benny trades"
    return Proposal(
        game_id=game_id,
        market=market,
        side=side,
        probability=float(probability),
        reasoning=reasoning.strip(),
        key_factors=key_factors,
        risks=risks,
    )


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def validate_picks(
    raw: object, offered: Mapping[str, Mapping[str, tuple[str, ...]]]
) -> tuple[list[Proposal], list[Refusal]]:
    """Split the LLM's ``submit_picks`` input into accepted proposals and refusals with reasons.

    ``offered`` maps game id -> market -> the sides on offer in the dossiers the LLM was shown.
    A pick is refused when it sets anything beyond ``PICK_FIELDS``, names a game, market or side
    not on offer, gives a probability that is not a number in (0, 1), has no reasoning, or repeats
    a (game, market) already accepted. Fields beside ``picks`` at the top are refused and ignored
    (``index == WHOLE_PAYLOAD``); the picks are still judged. Never raises on LLM output.
    """
    if not isinstance(raw, Mapping) or not isinstance(raw.get("picks"), list):
        shown = _frozen(raw) if isinstance(raw, Mapping) else MappingProxyType({"value": raw})
        return [], [Refusal(WHOLE_PAYLOAD, shown, "the input is not an object with a list of picks")]

    proposals: list[Proposal] = []
    refusals: list[Refusal] = []
    extra = sorted(str(key) for key in raw if key != "picks")
    if extra:  # ignored, since nothing reads them, but refused so that the attempt is seen
        refusals.append(Refusal(WHOLE_PAYLOAD, _frozen(raw), _extra_fields_reason(extra)))
    taken: set[tuple[str, str]] = set()
    for index, pick in enumerate(raw["picks"]):
        if not isinstance(pick, Mapping):
            refusals.append(Refusal(index, MappingProxyType({"value": pick}), "a pick must be an object"))
            continue
        outcome = _check(pick, offered)
        if isinstance(outcome, str):
            refusals.append(Refusal(index, _frozen(pick), outcome))
        elif (outcome.game_id, outcome.market) in taken:
            reason = f"duplicate pick: {outcome.game_id!r} {outcome.market} was already picked"
            refusals.append(Refusal(index, _frozen(pick), reason))
        else:
            taken.add((outcome.game_id, outcome.market))
            proposals.append(outcome)
    return proposals, refusals
