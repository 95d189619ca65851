"""A user model's spec: normalised weights, validation, the JSON round trip and its readable forms."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.sports import Market, Sport
from core.user_models.spec import (
    ALL_MARKETS,
    DEFAULT_MIN_CONFIDENCE,
    MAX_MODELS_PER_USER,
    ModelSpec,
    Source,
    default_name,
    normalise_weights,
)

PROPERTY = settings(deadline=None, max_examples=300)
FORM, INJURIES, MOVEMENT = Source.RECENT_FORM, Source.INJURIES, Source.ODDS_MOVEMENT


def _spec(**overrides: Any) -> ModelSpec:
    fields: dict[str, Any] = {
        "name": "Hoops",
        "sports": (Sport.NBA,),
        "weights": {FORM: 0.4, INJURIES: 0.3, MOVEMENT: 0.3},
        "min_confidence": 0.6,
    }
    return ModelSpec(**{**fields, **overrides})


# --- normalisation --------------------------------------------------------------------------------


def test_weights_are_normalised_over_all_five_sources_in_order() -> None:
    spec = _spec(weights={FORM: 2, INJURIES: 1, MOVEMENT: 1})
    assert list(spec.weights) == list(Source)
    assert dict(spec.weights) == {
        Source.TEAM_STATS: 0.0,
        Source.ODDS_MOVEMENT: 0.25,
        Source.INJURIES: 0.25,
        Source.RECENT_FORM: 0.5,
        Source.HEAD_TO_HEAD: 0.0,
    }


def test_thirds_round_to_six_places_and_the_last_heaviest_takes_the_remainder() -> None:
    # 1/3 rounds to 0.333333; head to head, the last of the three equal heaviest, gets 1 - 0.666666
    spec = _spec(weights={INJURIES: 1, FORM: 1, Source.HEAD_TO_HEAD: 1})
    assert spec.weights[INJURIES] == 0.333333
    assert spec.weights[FORM] == 0.333333
    assert spec.weights[Source.HEAD_TO_HEAD] == 0.333334
    assert sum(spec.weights.values()) == 1.0


def test_sevenths_sum_to_exactly_one() -> None:
    weights = normalise_weights(dict.fromkeys(Source, 1 / 7) | {Source.TEAM_STATS: 3 / 7})
    # 428571.43 + 4 × 142857.14 millionths: the floors leave one millionth, and team stats has the
    # largest remainder (0.43), so it takes it
    assert weights[Source.TEAM_STATS] == 0.428572
    assert weights[Source.ODDS_MOVEMENT] == 0.142857
    assert sum(weights.values()) == 1.0


@PROPERTY
@given(
    st.dictionaries(
        st.sampled_from(list(Source)),
        st.one_of(st.integers(0, 100), st.floats(0, 1000, allow_nan=False)),
        min_size=1,
    ).filter(lambda w: sum(w.values()) > 0)
)
def test_any_weighting_sums_to_one_and_normalising_again_changes_nothing(
    weights: dict[Source, float],
) -> None:
    spec = _spec(weights=weights)
    total = sum(weights.values())
    assert sum(spec.weights.values()) == 1.0
    for source in Source:
        assert spec.weights[source] == pytest.approx(weights.get(source, 0) / total, abs=2e-6)
        assert spec.weights[source] >= 0
    assert normalise_weights(spec.weights) == dict(spec.weights)
    assert _spec(weights=spec.weights) == spec


def test_sports_and_markets_are_deduplicated_in_enum_order_and_markets_default_to_all() -> None:
    spec = _spec(sports=(Sport.NHL, Sport.NBA, Sport.NHL), markets=(Market.TOTALS, Market.H2H))
    assert spec.sports == (Sport.NBA, Sport.NHL)
    assert spec.markets == (Market.H2H, Market.TOTALS)
    assert _spec().markets == ALL_MARKETS == (Market.H2H, Market.SPREADS, Market.TOTALS)
    assert _spec(name="  Hoops  ").name == "Hoops"


def test_defaults_and_limits() -> None:
    spec = ModelSpec(name="x", sports=(Sport.MLB,), weights={FORM: 1})
    assert spec.min_confidence == DEFAULT_MIN_CONFIDENCE == 0.55
    assert spec.status == "active"
    assert MAX_MODELS_PER_USER == 5
    assert _spec(min_confidence=0.5).min_confidence == 0.5
    assert _spec(min_confidence=0.95).min_confidence == 0.95


def test_the_spec_is_frozen_hashable_and_compared_by_value() -> None:
    assert _spec() == _spec(weights={FORM: 4, INJURIES: 3, MOVEMENT: 3})
    assert hash(_spec()) == hash(_spec(weights={FORM: 40, INJURIES: 30, MOVEMENT: 30}))
    assert _spec() != _spec(min_confidence=0.61)
    with pytest.raises(TypeError):
        _spec().weights[FORM] = 1.0  # type: ignore[index]


def test_every_source_has_a_meaning_a_label_and_a_short_word() -> None:
    assert [s.value for s in Source] == [
        "team_stats",
        "odds_movement",
        "injuries",
        "recent_form",
        "head_to_head",
    ]
    for source in Source:
        assert source.meaning and source.label and " " not in source.short


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "1-80 characters"),
        ({"name": "   "}, "1-80 characters"),
        ({"name": "x" * 81}, "1-80 characters"),
        ({"sports": ()}, "at least one sport"),
        ({"sports": ("cricket",)}, "sport must be one of"),
        ({"markets": ()}, "at least one market"),
        ({"markets": ("props",)}, "market must be one of"),
        ({"weights": {}}, "above zero"),
        ({"weights": {FORM: 0, INJURIES: 0}}, "above zero"),
        ({"weights": {FORM: -0.1, INJURIES: 1}}, "must not be negative"),
        ({"weights": {FORM: math.nan}}, "must be a number"),
        ({"weights": {FORM: math.inf}}, "must be a number"),
        ({"weights": {"vibes": 1}}, "source must be one of"),
        ({"min_confidence": 0.49}, "between 50% and 95%, got 49%"),
        ({"min_confidence": 0.99}, "between 50% and 95%, got 99%"),
        ({"min_confidence": 60}, "between 50% and 95%"),
        ({"min_confidence": True}, "between 50% and 95%"),
        ({"status": "deleted"}, "status must be one of active, paused"),
    ],
)
def test_invalid_specs_are_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        _spec(**overrides)


def test_a_name_of_exactly_80_characters_is_allowed() -> None:
    assert len(_spec(name="x" * 80).name) == 80


# --- JSON ----------------------------------------------------------------------------------------


def test_to_json_is_a_plain_dict() -> None:
    spec = _spec(markets=(Market.TOTALS,), status="paused")
    assert spec.to_json() == {
        "name": "Hoops",
        "sports": ["basketball_nba"],
        "markets": ["totals"],
        "weights": {
            "team_stats": 0.0,
            "odds_movement": 0.3,
            "injuries": 0.3,
            "recent_form": 0.4,
            "head_to_head": 0.0,
        },
        "min_confidence": 0.6,
        "status": "paused",
    }


@pytest.mark.parametrize(
    "spec",
    [
        _spec(),
        _spec(weights={INJURIES: 1, FORM: 1, Source.HEAD_TO_HEAD: 1}, status="paused"),
        _spec(sports=(Sport.EPL, Sport.NFL), markets=(Market.SPREADS,), min_confidence=0.95),
        _spec(weights=dict.fromkeys(Source, 1 / 7) | {Source.TEAM_STATS: 3 / 7}),
    ],
)
def test_json_round_trip_through_text(spec: ModelSpec) -> None:
    again = ModelSpec.from_json(json.loads(json.dumps(spec.to_json())))
    assert again == spec
    assert dict(again.weights) == dict(spec.weights)


def test_from_json_accepts_short_sport_names_and_defaults() -> None:
    spec = ModelSpec.from_json({"name": "Hoops", "sports": ["nba"], "weights": {"recent_form": 2}})
    assert spec == ModelSpec(name="Hoops", sports=(Sport.NBA,), weights={FORM: 1.0})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sports": ["nba"], "weights": {"injuries": 1}}, "needs 'name'"),
        ({"name": "x", "weights": {"injuries": 1}}, "needs 'sports'"),
        ({"name": "x", "sports": ["nba"]}, "needs 'weights'"),
        ({"name": "x", "sports": "nba", "weights": {"injuries": 1}}, "must be lists"),
        ({"name": "x", "sports": ["nba"], "weights": [1]}, "source: weight"),
        ({"name": "x", "sports": ["nba"], "weights": {"injuries": 1}, "colour": "red"}, "unknown .* colour"),
        ({"name": "x", "sports": ["nba"], "weights": {"injuries": "a lot"}}, "must be a number"),
    ],
)
def test_from_json_refuses_malformed_data(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ModelSpec.from_json(data)


# --- readable forms ------------------------------------------------------------------------------


def test_describe_is_one_readable_line() -> None:
    assert _spec(markets=(Market.TOTALS,)).describe() == (
        "Hoops: NBA, totals; recent form 40%, injuries 30%, odds movement 30%; bets at 60%+; active"
    )
    thirds = _spec(name="Mix", sports=(Sport.NHL, Sport.NBA), weights={INJURIES: 1, FORM: 2}, status="paused")
    assert (
        thirds.describe()
        == "Mix: NBA, NHL, all markets; recent form 66.7%, injuries 33.3%; bets at 60%+; paused"
    )


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        (_spec(), "NBA form/injuries/movement"),
        (_spec(weights=dict.fromkeys(Source, 1), sports=(Sport.NHL,)), "NHL balanced"),
        (_spec(weights={FORM: 1, Source.TEAM_STATS: 1}, markets=(Market.TOTALS,)), "NBA form/stats totals"),
        (_spec(weights={Source.HEAD_TO_HEAD: 7, Source.TEAM_STATS: 3}, sports=(Sport.NFL,)), "NFL h2h/stats"),
        (
            _spec(weights={**dict.fromkeys(Source, 1), INJURIES: 2}, sports=(Sport.EPL, Sport.MLB)),
            "MLB/EPL injuries/form/h2h",
        ),
    ],
)
def test_default_name(spec: ModelSpec, name: str) -> None:
    assert default_name(spec) == name
