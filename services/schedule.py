"""The live loop's schedule: which job runs when, from the settings, as APScheduler triggers.

Interval jobs are anchored to a fixed Monday midnight, so their fire times are the same on every
machine and after every restart (odds at 00:00, 04:00, ... UTC by default). The analysis runs a
little after each odds collection, on fresh odds; the users' models run right after each
analysis (chained, not timed); adjustments and Benny's trading run daily at set UTC times.

APScheduler reads the real clock inside, so tests (and ``due``) ask the triggers directly:
``due`` is the scheduler's own rule for a job whose fire times were passed (coalesced into one
run, skipped when older than the misfire grace time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.settings import Settings

ANCHOR = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday, 00:00 UTC


@dataclass(frozen=True)
class ScheduledJob:
    name: str  # as job history and `benny jobs` show it
    func: str  # the job function, by dotted path (APScheduler keeps the reference, not the object)
    about: str
    trigger: BaseTrigger | None = None  # None: chained
    after: str | None = None  # runs right after this job succeeds

    @property
    def when(self) -> str:
        """The trigger in words, for `benny jobs`."""
        if self.after is not None:
            return f"after each {self.after}"
        if isinstance(self.trigger, IntervalTrigger):
            offset = (self.trigger.start_date - ANCHOR) % self.trigger.interval
            every = _words(self.trigger.interval)
            return f"every {every}" + (f" (+{_words(offset)})" if offset else "")
        if isinstance(self.trigger, CronTrigger):
            fields = {f.name: str(f) for f in self.trigger.fields}
            return f"daily at {int(fields['hour']):02d}:{int(fields['minute']):02d} UTC"
        return str(self.trigger)


def _words(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _every(span: timedelta, offset: timedelta = timedelta(0)) -> IntervalTrigger:
    return IntervalTrigger(seconds=span.total_seconds(), start_date=ANCHOR + offset, timezone=UTC)


def _daily(at: object) -> CronTrigger:
    hour, minute = getattr(at, "hour"), getattr(at, "minute")  # noqa: B009 - a datetime.time
    return CronTrigger(hour=hour, minute=minute, timezone=UTC)


def schedule(settings: Settings) -> list[ScheduledJob]:
    """The jobs on the settings' cadence, in the order a day runs them."""
    return [
        ScheduledJob("odds", "live.jobs:job_collect_odds", "odds for the five leagues",
                     _every(settings.odds_every)),
        ScheduledJob("outcomes", "live.jobs:job_outcomes", "results, verification and settlement",
                     _every(settings.outcomes_every, timedelta(minutes=5))),
        ScheduledJob("injuries", "live.jobs:job_collect_injuries", "injury reports",
                     _every(settings.injuries_every, timedelta(minutes=10))),
        ScheduledJob("closing", "live.jobs:job_collect_closing",
                     "closing lines of games with predictions or bets starting within the hour",
                     _every(settings.closing_every, timedelta(minutes=1))),
        ScheduledJob("analysis", "live.jobs:job_analyze", "the ten models on the next 48 hours",
                     _every(settings.analysis_every, settings.analysis_delay)),
        ScheduledJob("user_models", "live.jobs:job_user_models", "the users' active models",
                     after="analysis"),
        ScheduledJob("adjustments", "live.jobs:job_adjust", "trust, fade or avoid each model",
                     _daily(settings.adjust_at)),
        ScheduledJob("trading", "live.jobs:job_trade", "Benny's bets on the next 24 hours",
                     _daily(settings.trade_at)),
    ]  # fmt: skip


def due(
    trigger: BaseTrigger, next_run: datetime | None, now: datetime, grace: timedelta
) -> tuple[datetime | None, datetime | None]:
    """(the fire time to run now or None, the next fire time), as the scheduler decides them.

    Every fire time passed since ``next_run`` is coalesced into the newest; it runs when it is
    no older than ``grace``, and is dropped as a misfire otherwise.
    """
    if next_run is None or next_run > now:
        return None, next_run
    last = next_run
    while True:
        following = trigger.get_next_fire_time(last, now)
        if following is None or following > now:
            break
        last = following
    upcoming = trigger.get_next_fire_time(last, now)
    return (last if now - last <= grace else None), upcoming


def previous_fire(trigger: BaseTrigger, now: datetime) -> datetime:
    """The trigger's newest fire time at or before ``now`` (``now`` when it has none)."""
    if isinstance(trigger, IntervalTrigger):
        start: datetime = trigger.start_date
        steps = math.floor((now - start) / trigger.interval)
        return start + steps * trigger.interval if steps >= 0 else now
    moment: datetime | None = trigger.get_next_fire_time(None, now - timedelta(days=8))
    if moment is None or moment > now:
        return now
    while True:
        following: datetime | None = trigger.get_next_fire_time(moment, moment)
        if following is None or following > now:
            return moment
        moment = following
