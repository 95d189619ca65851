"""A user's own betting model: which sports and markets it bets, how it weighs five data sources.

``ModelSpec`` checks itself on construction and stores its weights normalised: every one of the
five sources present (in ``Source`` order, unmentioned ones at 0), each rounded to 6 places so
that the millionths add up to exactly one million (largest remainder; on a tie the later source
takes the odd millionth, so three equal thirds are 0.333333, 0.333333, 0.333334), and the last
non-zero weight adjusted so that ``sum(spec.weights.values())`` is exactly ``1.0`` in floats.
Normalising a spec's own weights again changes nothing, so ``from_json(to_json())`` is the identity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

from core.errors import InvalidInput
from core.formatting import percent
from core.sports import Market, Sport, parse_sport

__all__ = [
    "ALL_MARKETS",
    "DEFAULT_MIN_CONFIDENCE",
    "MAX_CONFIDENCE",
    "MAX_MODELS_PER_USER",
    "MAX_NAME_CHARS",
    "MIN_CONFIDENCE",
    "ModelSpec",
    "Source",
    "Status",
    "default_name",
    "normalise_weights",
]

MAX_MODELS_PER_USER: Final = 5
MAX_NAME_CHARS: Final = 80
MIN_CONFIDENCE: Final = 0.5
MAX_CONFIDENCE: Final = 0.95
DEFAULT_MIN_CONFIDENCE: Final = 0.55
ALL_MARKETS: Final = tuple(Market)

Status = Literal["active", "paused"]
_STATUSES: Final = get_args(Status)


class Source(StrEnum):
    """The data a user model can weigh."""

    TEAM_STATS = "team_stats"  # season-long team strength: scoring margins, efficiency, ratings
    ODDS_MOVEMENT = "odds_movement"  # how the line has moved between the opening and the latest price
    INJURIES = "injuries"  # who is out or doubtful, weighted by how much the player matters
    RECENT_FORM = "recent_form"  # results and margins over the last few games
    HEAD_TO_HEAD = "head_to_head"  # how these two teams have fared against each other

    @property
    def label(self) -> str:
        """Plain words for a sentence: ``recent form``."""
        return _LABEL[self]

    @property
    def short(self) -> str:
        """One word for a model name: ``form``."""
        return _SHORT[self]

    @property
    def meaning(self) -> str:
        return _MEANING[self]


_LABEL: Final = {
    Source.TEAM_STATS: "team stats",
    Source.ODDS_MOVEMENT: "odds movement",
    Source.INJURIES: "injuries",
    Source.RECENT_FORM: "recent form",
    Source.HEAD_TO_HEAD: "head to head",
}
_SHORT: Final = {
    Source.TEAM_STATS: "stats",
    Source.ODDS_MOVEMENT: "movement",
    Source.INJURIES: "injuries",
    Source.RECENT_FORM: "form",
    Source.HEAD_TO_HEAD: "h2h",
}
_MEANING: Final = {
    Source.TEAM_STATS: "season-long team strength: scoring margins, efficiency, ratings",
    Source.ODDS_MOVEMENT: "how the line has moved between the opening and the latest price",
    Source.INJURIES: "who is out or doubtful, weighted by how much the player matters",
    Source.RECENT_FORM: "results and margins over the last few games",
    Source.HEAD_TO_HEAD: "how these two teams have fared against each other",
}
_MILLION: Final = 1_000_000
_MARKET_LABEL: Final = {Market.H2H: "moneyline", Market.SPREADS: "spreads", Market.TOTALS: "totals"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelSpec:
    """What a user model bets on and how it decides; validated and normalised on construction."""

    name: str
    sports: tuple[Sport, ...]
    markets: tuple[Market, ...] = ALL_MARKETS
    weights: Mapping[Source, float]
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    status: Status = field(default="active")

    def __post_init__(self) -> None:
        name = self.name.strip() if isinstance(self.name, str) else ""
        if not 1 <= len(name) <= MAX_NAME_CHARS:
            raise InvalidInput(f"a model's name must be 1-{MAX_NAME_CHARS} characters, got {self.name!r}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sports", _sports(self.sports))
        object.__setattr__(self, "markets", _markets(self.markets))
        object.__setattr__(self, "weights", MappingProxyType(normalise_weights(self.weights)))
        confidence = self.min_confidence
        if (
            isinstance(confidence, bool)
            or not isinstance(confidence, int | float)
            or not MIN_CONFIDENCE <= confidence <= MAX_CONFIDENCE
        ):
            number = isinstance(confidence, int | float)
            given = percent(confidence, trim=True) if number else repr(confidence)
            raise InvalidInput(
                f"the confidence threshold must be between {MIN_CONFIDENCE:.0%} and {MAX_CONFIDENCE:.0%}, "
                f"got {given}"
            )
        object.__setattr__(self, "min_confidence", float(confidence))
        if self.status not in _STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(_STATUSES)}, got {self.status!r}")

    def __hash__(self) -> int:
        return hash(
            (
                self.name,
                self.sports,
                self.markets,
                tuple(self.weights.items()),
                self.min_confidence,
                self.status,
            )
        )

    def to_json(self) -> dict[str, Any]:
        """A plain dict of str, float and lists, the shape ``from_json`` reads back."""
        return {
            "name": self.name,
            "sports": [sport.value for sport in self.sports],
            "markets": [market.value for market in self.markets],
            "weights": {source.value: weight for source, weight in self.weights.items()},
            "min_confidence": self.min_confidence,
            "status": self.status,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModelSpec:
        """Read ``to_json``'s shape; sports may be Odds API keys or short names, markets default to all."""
        if not isinstance(data, Mapping):
            raise InvalidInput(f"a model spec must be an object, got {type(data).__name__}")
        unknown = sorted(set(data) - {"name", "sports", "markets", "weights", "min_confidence", "status"})
        if unknown:
            raise InvalidInput(f"unknown model spec fields: {', '.join(map(str, unknown))}")
        for key in ("name", "sports", "weights"):
            if key not in data:
                raise InvalidInput(f"a model spec needs {key!r}")
        sports, markets, weights = data["sports"], data.get("markets", list(ALL_MARKETS)), data["weights"]
        if not isinstance(sports, list | tuple) or not isinstance(markets, list | tuple):
            raise InvalidInput("a model spec's sports and markets must be lists")
        if not isinstance(weights, Mapping):
            raise InvalidInput("a model spec's weights must be an object of source: weight")
        return cls(
            name=data["name"],
            sports=tuple(parse_sport(str(s)) for s in sports),
            markets=tuple(_market(m) for m in markets),
            weights={_source(k): v for k, v in weights.items()},
            min_confidence=data.get("min_confidence", DEFAULT_MIN_CONFIDENCE),
            status=data.get("status", "active"),
        )

    def describe(self) -> str:
        """One line, heaviest source first and sources with no weight left out:

        ``Hoops: NBA, totals; recent form 40%, injuries 30%, odds movement 30%; bets at 60%+; active``
        """
        sports = ", ".join(sport.title for sport in self.sports)
        markets = (
            "all markets" if self.markets == ALL_MARKETS else "/".join(_MARKET_LABEL[m] for m in self.markets)
        )
        weights = ", ".join(
            f"{source.label} {percent(weight, trim=True)}" for source, weight in _ranked(self)
        )
        threshold = percent(self.min_confidence, trim=True)
        return f"{self.name}: {sports}, {markets}; {weights}; bets at {threshold}+; {self.status}"


def normalise_weights(weights: Mapping[Source, float]) -> dict[Source, float]:
    """All five sources in ``Source`` order, summing to exactly 1.0 (see the module docstring)."""
    if not isinstance(weights, Mapping):
        raise InvalidInput(f"weights must be a mapping of source to weight, got {type(weights).__name__}")
    raw = dict.fromkeys(Source, 0.0)
    for key, value in weights.items():
        source = _source(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidInput(f"the weight of {source.label} must be a number, got {value!r}")
        if value < 0:
            raise InvalidInput(f"the weight of {source.label} must not be negative, got {value}")
        raw[source] = float(value)
    largest = max(raw.values())
    if largest <= 0:
        raise InvalidInput("at least one source needs a weight above zero")
    scaled = {source: value / largest for source, value in raw.items()}  # no overflow in the sum
    total = sum(scaled.values())
    # Whole millionths by largest remainder: they add up to exactly 1 000 000 and none is negative;
    # among equal remainders the later source takes the odd millionth.
    exact = {source: value / total * _MILLION for source, value in scaled.items()}
    units = {source: min(math.floor(value), _MILLION) for source, value in exact.items()}
    order = sorted(Source, key=lambda source: (units[source] - exact[source], -list(Source).index(source)))
    for source in order[: _MILLION - sum(units.values())]:
        units[source] += 1
    out = {source: units[source] / _MILLION for source in Source}
    # In binary floats those millionths can miss 1.0 by an ulp; the last non-zero weight becomes the
    # exact complement of the ones before it (a difference of about 1e-16).
    last = [source for source in Source if units[source] > 0][-1]
    if sum(out.values()) != 1.0:
        out[last] = 1.0 - sum(out[source] for source in Source if source is not last)
    return out


def default_name(spec: ModelSpec) -> str:
    """``NBA form/injuries/movement``: the sports, then up to three sources by weight (ties by word).

    Five equal weights read ``balanced``; markets other than all three are appended (``totals``).
    """
    sports = "/".join(sport.title for sport in spec.sports)
    ranked = _ranked(spec)
    if len(ranked) == len(Source) and len({weight for _, weight in ranked}) == 1:
        sources = "balanced"
    else:
        sources = "/".join(source.short for source, _ in ranked[:3])
    name = f"{sports} {sources}"
    if spec.markets != ALL_MARKETS:
        name += " " + "/".join(_MARKET_LABEL[m] for m in spec.markets)
    return name


def _ranked(spec: ModelSpec) -> list[tuple[Source, float]]:
    """Non-zero weights, heaviest first; equal weights (to 4 places) in alphabetical order of word."""
    weighted = [(source, weight) for source, weight in spec.weights.items() if weight > 0]
    return sorted(weighted, key=lambda item: (-round(item[1], 4), item[0].short))


def _source(key: object) -> Source:
    try:
        return Source(str(key))
    except ValueError:
        valid = ", ".join(s.value for s in Source)
        raise InvalidInput(f"source must be one of {valid}, got {key!r}") from None


def _market(key: object) -> Market:
    try:
        return Market(str(key))
    except ValueError:
        valid = ", ".join(m.value for m in Market)
        raise InvalidInput(f"market must be one of {valid}, got {key!r}") from None


def _sports(values: Iterable[object]) -> tuple[Sport, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidInput(f"sports must be a tuple of sports, got {values!r}")
    chosen = {value if isinstance(value, Sport) else parse_sport(str(value)) for value in values}
    if not chosen:
        raise InvalidInput("a model needs at least one sport")
    return tuple(sport for sport in Sport if sport in chosen)


def _markets(values: Iterable[object]) -> tuple[Market, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidInput(f"markets must be a tuple of markets, got {values!r}")
    chosen = {_market(value) for value in values}
    if not chosen:
        raise InvalidInput("a model needs at least one market")
    return tuple(market for market in Market if market in chosen)


@dataclass(frozen=True, slots=True)
class ExistingModel:
    """One of the user's stored models, as the request parser sees it."""

    id: int
    name: str
    spec: ModelSpec
