"""The registry derives every schema from signatures and docstrings, and validates calls with it."""

from __future__ import annotations

import json

import pytest

import tools
from core.errors import InvalidInput
from tools.context import ToolContext, bind
from tools.registry import REGISTRY, Registry, ToolSpec, _split_docstring, tool


def test_every_tool_has_a_derived_schema_with_described_parameters() -> None:
    assert {"get_odds", "get_games", "devig", "kelly_stake", "profit"} <= set(REGISTRY.names())
    for spec in REGISTRY:
        schema = spec.schema()
        assert schema["name"] == spec.name
        assert schema["description"], spec.name
        assert schema["input_schema"]["type"] == "object"
        assert schema["input_schema"].get("additionalProperties") is False
        for name, prop in schema["input_schema"]["properties"].items():
            assert prop.get("description"), f"{spec.name}.{name} has no description"
        json.dumps(schema)  # it must travel to the API as JSON


def test_schema_follows_the_signature() -> None:
    schema = REGISTRY.get("kelly_stake").schema()["input_schema"]
    assert schema["required"] == ["probability", "odds_american", "bankroll_usd"]
    assert schema["properties"]["fraction"]["default"] == 0.5
    assert {"type": "number"} in schema["properties"]["probability"]["anyOf"]
    assert REGISTRY.get("get_odds").schema()["input_schema"]["properties"]["hours"]["type"] == "integer"
    devig = REGISTRY.get("devig").schema()["input_schema"]
    assert devig["properties"]["method"]["enum"] == [
        "multiplicative",
        "additive",
        "power",
        "shin",
        "odds_ratio",
    ]


def test_invoke_validates_against_the_same_schema() -> None:
    spec = REGISTRY.get("profit")
    assert spec.invoke({"stake_usd": 10, "odds_american": 150}) == 15.0
    with pytest.raises(InvalidInput, match="profit: odds_american"):
        spec.invoke({"stake_usd": 10, "odds_american": "lots"})
    with pytest.raises(InvalidInput, match="user"):
        spec.invoke({"stake_usd": 10, "odds_american": 150, "user": "someone_else"})


def test_a_library_call_is_validated_as_every_face_validates_it(ctx: ToolContext) -> None:
    assert tools.profit(10, 150) == 15.0
    # Read as the schema reads it (REST's query string, the CLI's option), or refused by name.
    with bind(ctx):
        assert tools.get_odds(hours="5") == tools.get_odds(hours=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"^get_odds: hours: .*, got 'soon'$"):
        tools.get_odds(hours="soon")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^devig: odds_american\.0: Input should be a valid number"):
        tools.devig([[-110, -110]])  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match=r"^get_odds: sport: contains half a character \(a lone UTF-16"):
        tools.get_odds(sport="nba\ud800")
    with pytest.raises(InvalidInput, match=r"^show_user_model: model_id: a number out of range"):
        tools.show_user_model(2**64)
    with pytest.raises(TypeError, match="too many"):  # a Python slip stays Python's own error
        tools.profit(10, 150, 7)  # type: ignore[call-arg]
    assert tools.profit.__wrapped__ is REGISTRY.get("profit").func  # type: ignore[attr-defined]


def test_unknown_tools_are_named() -> None:
    with pytest.raises(InvalidInput, match="unknown tool 'nope'"):
        REGISTRY.get("nope")


def test_a_tool_needs_docs_and_types() -> None:
    registry = Registry()

    def undocumented(x: int) -> int:
        return x

    with pytest.raises(TypeError, match="docstring"):
        tool()(undocumented)

    def untyped(x):  # type: ignore[no-untyped-def]
        """Doc.

        Args:
            x: a thing.
        """
        return x

    with pytest.raises(TypeError, match="type annotation"):
        tool()(untyped)

    def missing_arg_doc(x: int) -> int:
        """Doc only."""
        return x

    with pytest.raises(TypeError, match="Args"):
        tool()(missing_arg_doc)
    assert registry.names() == []


def test_registering_a_name_twice_is_refused() -> None:
    spec = REGISTRY.get("profit")
    registry = Registry()
    registry.add(spec)
    with pytest.raises(ValueError, match="twice"):
        registry.add(ToolSpec(spec.name, spec.func, spec.description, spec.input_model, spec.per_user))


def test_descriptions_come_from_the_google_docstring_sections() -> None:
    doc = """Add two numbers.

    Longer words about adding.

    Args:
        x (int): the first,
            on two lines.
        y: the second.

    Returns:
        the sum.
    """
    description, params = _split_docstring(doc)
    assert description == "Add two numbers.\n\nLonger words about adding."
    assert params == {"x": "the first, on two lines.", "y": "the second."}


def test_a_docstring_that_does_not_parse_is_refused_by_name() -> None:
    def garbled(x: int) -> int:
        """Doc.

        Args:
            no colon on this line
        """
        return x

    with pytest.raises(TypeError, match="garbled_for_a_test: its docstring does not parse"):
        tool(name="garbled_for_a_test")(garbled)
    assert "garbled_for_a_test" not in REGISTRY
