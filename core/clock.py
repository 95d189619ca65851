"""Clocks: the one place that reads the wall clock.

Everything else takes a ``Clock`` (a zero-argument callable returning an aware UTC datetime)
or an explicit ``as_of``, so backtests, replays and tests can drive time themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware and in UTC."""
    return datetime.now(UTC)


def ensure_utc(moment: datetime) -> datetime:
    """Treat a naive datetime as UTC and convert an aware one to UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class FixedClock:
    """A clock that stands still until told to move: for tests, demos (``BENNY_NOW``) and replays."""

    def __init__(self, start: datetime) -> None:
        self._now = ensure_utc(start)

    def __call__(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = ensure_utc(moment)

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError(f"delta must not be negative, got {delta}")
        self._now += delta
        return self._now


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 date or date-time ('2025-01-15', '2025-01-15T19:00:00Z') into aware UTC."""
    from core.errors import InvalidInput

    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(f"expected an ISO 8601 date or date-time, got {text!r}") from None
    try:
        return ensure_utc(moment)
    except OverflowError:  # 9999-12-31T23:00-05:00 is in year 10000 in UTC
        raise InvalidInput(f"{text!r} is out of range once in UTC") from None
