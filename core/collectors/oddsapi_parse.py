"""The Odds API v4, parsed: payloads into frozen domain values.

``parse_odds``, ``parse_events``, ``parse_scores`` and ``parse_sports`` take a payload (live
from ``core.collectors.oddsapi_client``, replayed or historical-wrapped) and return frozen domain
values. They are strict about the top-level shape (not a list → ``UpstreamError``) and lenient
per item: an event of a sport Benny does not model, an unknown market key (``h2h_lay``,
``h2h_3_way``) or an outcome that cannot be read is skipped and counted in one log line, so one
odd book cannot sink a sweep.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.collectors.http import parse_timestamp
from core.collectors.oddsapi_client import ODDS_FORMATS, PROVIDER, OddsFormat
from core.errors import InvalidInput, UpstreamError
from core.odds import american_to_decimal
from core.quotes import FinalScore, GameInfo, OddsQuote
from core.sports import Market, Side, Sport

__all__ = ["SportInfo", "parse_events", "parse_odds", "parse_scores", "parse_sports"]

logger = logging.getLogger(__name__)

_DRAW = "Draw"


@dataclass(frozen=True, slots=True)
class SportInfo:
    """One row of ``/v4/sports``."""

    key: str
    group: str
    title: str
    description: str
    active: bool
    has_outrights: bool

    @property
    def sport(self) -> Sport | None:
        """The Benny sport for this key, or None for the many keys Benny does not model."""
        try:
            return Sport(self.key)
        except ValueError:
            return None


class _Skip(Exception):
    """An item that cannot become a domain value; the text is the reason, counted in the log."""


def _events_of(payload: Any, what: str) -> list[Any]:
    # Historical endpoints wrap the same list as {"timestamp": ..., "data": [...]}.
    if isinstance(payload, dict) and "data" in payload:
        payload = payload["data"]
    if not isinstance(payload, list):
        raise UpstreamError(f"{PROVIDER} {what}: expected a JSON list, got {type(payload).__name__}")
    return payload


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _Skip(f"missing {key}")
    return value


def _when(value: Any, what: str) -> datetime:
    try:
        return parse_timestamp(value)
    except InvalidInput:
        raise _Skip(f"unreadable {what}") from None


def _maybe_when(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except InvalidInput:
        return None


def _game(raw: Any) -> GameInfo:
    if not isinstance(raw, dict):
        raise _Skip("event is not an object")
    sport_key = _text(raw, "sport_key")
    try:
        sport = Sport(sport_key)
    except ValueError:
        raise _Skip("sport not modelled") from None
    try:
        return GameInfo(
            id=_text(raw, "id"),
            sport=sport,
            commence_time=_when(raw.get("commence_time"), "commence_time"),
            home_team=_text(raw, "home_team"),
            away_team=_text(raw, "away_team"),
        )
    except InvalidInput:
        raise _Skip("invalid event") from None


def _price_decimal(value: Any, odds_format: OddsFormat) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Skip("price is not a number")
    try:
        return float(american_to_decimal(float(value))) if odds_format == "american" else float(value)
    except InvalidInput:
        raise _Skip("invalid american price") from None


def _point(outcome: Mapping[str, Any]) -> float:
    value = outcome.get("point")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Skip("missing point")
    return float(value)


def _side(game: GameInfo, market: Market, name: str) -> Side:
    if market is Market.TOTALS:
        lowered = name.strip().lower()
        if lowered == "over":
            return Side.OVER
        if lowered == "under":
            return Side.UNDER
        raise _Skip("totals outcome is not Over/Under")
    if name == game.home_team:
        return Side.HOME
    if name == game.away_team:
        return Side.AWAY
    if market is Market.H2H and name == _DRAW and game.sport.has_draw:
        return Side.DRAW
    raise _Skip("outcome name matches neither team")


def _market_quotes(
    game: GameInfo,
    book: str,
    market: Market,
    outcomes: list[Any],
    seen_at: datetime,
    odds_format: OddsFormat,
    skipped: Counter[str],
) -> list[OddsQuote]:
    names = {o.get("name") for o in outcomes if isinstance(o, dict)}
    if market is Market.H2H:
        # A 3-way market devigged as 2-way (or the reverse) gives wrong probabilities, so a
        # market with the wrong number of ways is dropped whole rather than trimmed.
        if _DRAW in names and not game.sport.has_draw:
            skipped["3-way h2h in a two-way sport"] += 1
            return []
        if game.sport.has_draw and _DRAW not in names:
            skipped["soccer h2h without a Draw"] += 1
            return []
    quotes: list[OddsQuote] = []
    for outcome in outcomes:
        try:
            if not isinstance(outcome, dict):
                raise _Skip("outcome is not an object")
            side = _side(game, market, _text(outcome, "name"))
            point = None if market is Market.H2H else _point(outcome)
            price = _price_decimal(outcome.get("price"), odds_format)
            try:
                quote = OddsQuote(
                    game=game,
                    book=book,
                    market=market,
                    side=side,
                    price_decimal=price,
                    seen_at=seen_at,
                    point=point,
                )
            except InvalidInput:
                raise _Skip("invalid price") from None
        except _Skip as reason:
            skipped[str(reason)] += 1
            continue
        quotes.append(quote)
    return quotes


def _report(what: str, produced: int, skipped: Counter[str], ignored: Counter[str]) -> None:
    if skipped:
        logger.warning(
            "%s: parsed %d, skipped %d (%s)",
            what,
            produced,
            sum(skipped.values()),
            ", ".join(f"{reason}: {n}" for reason, n in skipped.most_common()),
            extra={"parsed": produced, "skipped": dict(skipped), "ignored": dict(ignored)},
        )
    else:
        logger.debug("%s: parsed %d", what, produced, extra={"parsed": produced, "ignored": dict(ignored)})


def parse_odds(payload: Any, *, seen_at: datetime, odds_format: OddsFormat) -> list[OddsQuote]:
    """Every readable quote in an ``/odds`` payload, prices in decimal odds.

    ``odds_format`` must be the format the call asked for (``ApiResponse.odds_format``): an
    American ``+150`` and a decimal ``150.0`` look alike, so it cannot be guessed. A quote's
    ``seen_at`` is its market's ``last_update``, else its bookmaker's, else the ``seen_at``
    given here (the fetch time). Sides come from outcome names, never from their order.
    """
    if seen_at.tzinfo is None:
        raise InvalidInput(f"seen_at must be timezone-aware, got {seen_at!r}")
    if odds_format not in ODDS_FORMATS:
        raise InvalidInput(f"odds_format must be one of {ODDS_FORMATS}, got {odds_format!r}")
    quotes: list[OddsQuote] = []
    skipped: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for raw in _events_of(payload, "odds"):
        try:
            game = _game(raw)
        except _Skip as reason:
            (ignored if str(reason) == "sport not modelled" else skipped)[f"event: {reason}"] += 1
            continue
        for book in raw.get("bookmakers") or []:
            if not isinstance(book, dict) or not isinstance(book.get("key"), str) or not book["key"]:
                skipped["bookmaker without a key"] += 1
                continue
            book_seen = _maybe_when(book.get("last_update")) or seen_at
            for market_raw in book.get("markets") or []:
                if not isinstance(market_raw, dict):
                    skipped["market is not an object"] += 1
                    continue
                market_key = market_raw.get("key")
                try:
                    market = Market(market_key if isinstance(market_key, str) else "")
                except ValueError:
                    ignored[f"market {market_key}"] += 1
                    continue
                outcomes = market_raw.get("outcomes")
                if not isinstance(outcomes, list):
                    skipped["market without outcomes"] += 1
                    continue
                market_seen = _maybe_when(market_raw.get("last_update")) or book_seen
                quotes.extend(
                    _market_quotes(game, book["key"], market, outcomes, market_seen, odds_format, skipped)
                )
    _report("odds", len(quotes), skipped, ignored)
    return quotes


def parse_events(payload: Any) -> list[GameInfo]:
    """The games in an ``/events`` (or ``/odds`` or ``/scores``) payload, for the sports Benny models."""
    games: list[GameInfo] = []
    skipped: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for raw in _events_of(payload, "events"):
        try:
            games.append(_game(raw))
        except _Skip as reason:
            (ignored if str(reason) == "sport not modelled" else skipped)[str(reason)] += 1
    _report("events", len(games), skipped, ignored)
    return games


def _score(value: Any) -> int:
    # Scores arrive as strings ("26"); tolerate a bare int in case the provider changes its mind.
    if isinstance(value, bool):
        raise _Skip("unreadable score")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _Skip("unreadable score")


def parse_scores(payload: Any) -> list[FinalScore]:
    """Final scores from a ``/scores`` payload: only ``completed: true`` games.

    Scores are matched to teams by name. ``completed_at`` is the event's ``last_update``,
    else its ``commence_time``. Live games (string scores, not completed) and games not yet
    started (``scores: null``) are left alone.
    """
    finals: list[FinalScore] = []
    skipped: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for raw in _events_of(payload, "scores"):
        try:
            if not isinstance(raw, dict) or raw.get("completed") is not True:
                ignored["not completed"] += 1
                continue
            game = _game(raw)
            entries = raw.get("scores")
            if not isinstance(entries, list):
                raise _Skip("completed without scores")
            by_name: dict[str, int] = {}
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    by_name[entry["name"]] = _score(entry.get("score"))
            if game.home_team not in by_name or game.away_team not in by_name:
                raise _Skip("score names do not match the teams")
            completed_at = _maybe_when(raw.get("last_update")) or game.commence_time
            finals.append(
                FinalScore(
                    game=game,
                    home_score=by_name[game.home_team],
                    away_score=by_name[game.away_team],
                    completed_at=completed_at,
                )
            )
        except _Skip as reason:
            (ignored if str(reason) == "sport not modelled" else skipped)[str(reason)] += 1
        except InvalidInput:
            skipped["invalid score"] += 1
    _report("scores", len(finals), skipped, ignored)
    return finals


def parse_sports(payload: Any) -> list[SportInfo]:
    """The rows of ``/v4/sports`` (all keys, not only the five Benny models: see ``SportInfo.sport``)."""
    rows: list[SportInfo] = []
    skipped: Counter[str] = Counter()
    for raw in _events_of(payload, "sports"):
        try:
            if not isinstance(raw, dict):
                raise _Skip("row is not an object")
            rows.append(
                SportInfo(
                    key=_text(raw, "key"),
                    group=str(raw.get("group") or ""),
                    title=str(raw.get("title") or ""),
                    description=str(raw.get("description") or ""),
                    active=raw.get("active") is True,
                    has_outrights=raw.get("has_outrights") is True,
                )
            )
        except _Skip as reason:
            skipped[str(reason)] += 1
    _report("sports", len(rows), skipped, Counter())
    return rows
