"""The chat's settings (sport, window, odds format): a value that checks itself, and how to read one.

The browser's widgets bound what a person picks, but Chainlit hands the app whatever the client
sent, and a resumed thread brings back whatever was stored with it. ``ChatSettings.read`` keeps
each valid value, puts the default in place of any other, and says which it replaced, so a bad
value is shown to the user as a note and never reaches a turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.sports import Sport

SPORTS = tuple(s.short for s in Sport)
ODDS_FORMATS = ("american", "decimal")
WINDOW_HOURS = (6, 168)  # the settings slider's range
SHOWN_CHARS = 40  # of a refused value, in its note

_EXPECTED = {
    "sport": f"one of {', '.join(SPORTS)}",
    "window_hours": f"a whole number of hours from {WINDOW_HOURS[0]} to {WINDOW_HOURS[1]}",
    "odds_format": " or ".join(ODDS_FORMATS),
}


class ChatSettings(BaseModel):
    """One user's chat settings; the defaults are what a new chat starts with."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sport: str = "nba"
    window_hours: int = Field(36, ge=WINDOW_HOURS[0], le=WINDOW_HOURS[1])
    odds_format: str = "american"

    @field_validator("sport")
    @classmethod
    def _known_sport(cls, value: str) -> str:
        if value not in SPORTS:
            raise ValueError(_EXPECTED["sport"])
        return value

    @field_validator("odds_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in ODDS_FORMATS:
            raise ValueError(_EXPECTED["odds_format"])
        return value

    @classmethod
    def read(cls, values: object) -> tuple[ChatSettings, list[str]]:
        """The settings in ``values``, each invalid one replaced by its default, with a note for each."""
        if values is None:
            return cls(), []
        if not isinstance(values, Mapping):
            return cls(), [f"the chat settings {_shown(values)} could not be read: using the defaults"]
        known: dict[str, Any] = {name: values[name] for name in cls.model_fields if name in values}
        try:
            return cls.model_validate(known), []
        except ValidationError as exc:
            refused = sorted({str(error["loc"][0]) for error in exc.errors()})
        defaults = cls()
        notes = [
            f"{name} {_shown(known[name])} is not {_EXPECTED[name]}: using {getattr(defaults, name)}"
            for name in refused
        ]
        kept = {name: value for name, value in known.items() if name not in refused}
        return cls.model_validate(kept), notes


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
