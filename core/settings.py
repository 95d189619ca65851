"""Settings, read once from the environment (and an optional ``.env``) at the entry points.

Nothing below the entry points reads the environment: the ``Settings`` object is passed down.
Keys are ``SecretStr`` so they never appear in a log line or a repr.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, BeforeValidator, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.clock import Clock, FixedClock, ensure_utc, system_clock
from core.errors import ConfigError

FeedMode = Literal["sim", "oddsapi"]
LlmMode = Literal["offline", "claude"]


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> object:
    """``"4h"``, ``"30m"``, ``"90s"``, ``"1d"`` (or a ``timedelta``) as a timedelta."""
    if isinstance(value, timedelta):
        return value
    match = _DURATION.match(str(value))
    if match is None:
        raise ValueError(f"a duration such as 4h, 30m, 90s or 1d, got {value!r}")
    return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be longer than zero")
    return value


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class Settings(BaseSettings):
    # No populate_by_name: field names such as `home` must not pick up unrelated variables like HOME.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    home: Path = Field(default=Path(".benny"), validation_alias=_env("BENNY_HOME"))
    database_url: str | None = Field(
        default=None, validation_alias=_env("BENNY_DATABASE_URL", "DATABASE_URL")
    )
    odds_api_key: SecretStr | None = Field(default=None, validation_alias=_env("ODDS_API_KEY"))
    anthropic_api_key: SecretStr | None = Field(default=None, validation_alias=_env("ANTHROPIC_API_KEY"))
    model: str = Field(default="claude-sonnet-5-5", validation_alias=_env("BENNY_MODEL"))
    feed: FeedMode | None = Field(default=None, validation_alias=_env("BENNY_FEED"))
    now: datetime | None = Field(default=None, validation_alias=_env("BENNY_NOW"))
    auth: bool = Field(default=False, validation_alias=_env("BENNY_AUTH"))
    log_level: str = Field(default="INFO", validation_alias=_env("BENNY_LOG_LEVEL"))
    sim_seed: int = Field(default=7, validation_alias=_env("BENNY_SIM_SEED"))
    odds_api_regions: str = Field(default="us", validation_alias=_env("ODDS_API_REGIONS"))
    odds_api_bookmakers: str | None = Field(default=None, validation_alias=_env("ODDS_API_BOOKMAKERS"))
    odds_api_monthly_budget: int = Field(default=500, ge=0, validation_alias=_env("ODDS_API_MONTHLY_BUDGET"))
    odds_api_reset_day: int = Field(default=1, ge=1, le=28, validation_alias=_env("ODDS_API_RESET_DAY"))
    # Benny's trading: the staking engine's knobs (core/staking.py has the rules they feed).
    min_probability: float = Field(
        default=0.65, gt=0.5, lt=1.0, validation_alias=_env("BENNY_MIN_PROBABILITY")
    )
    market_weight: float = Field(default=0.5, ge=0.0, le=1.0, validation_alias=_env("BENNY_MARKET_WEIGHT"))
    min_edge: float = Field(default=0.02, ge=0.0, lt=1.0, validation_alias=_env("BENNY_MIN_EDGE"))
    max_odds_age_hours: float = Field(default=6.0, gt=0.0, validation_alias=_env("BENNY_MAX_ODDS_AGE_HOURS"))
    # Crash tests only: "after_bet:2" makes the process exit hard right after the second bet is stored.
    fault: str | None = Field(default=None, validation_alias=_env("BENNY_FAULT"))
    # The live loop's schedule (agent/schedule.py); times of day are UTC.
    scheduler: bool = Field(default=True, validation_alias=_env("BENNY_SCHEDULER"))
    odds_every: Duration = Field(default=timedelta(hours=4), validation_alias=_env("BENNY_ODDS_EVERY"))
    outcomes_every: Duration = Field(
        default=timedelta(hours=4), validation_alias=_env("BENNY_OUTCOMES_EVERY")
    )
    analysis_every: Duration = Field(
        default=timedelta(hours=4), validation_alias=_env("BENNY_ANALYSIS_EVERY")
    )
    analysis_delay: Duration = Field(
        default=timedelta(minutes=15), validation_alias=_env("BENNY_ANALYSIS_DELAY")
    )
    injuries_every: Duration = Field(
        default=timedelta(hours=12), validation_alias=_env("BENNY_INJURIES_EVERY")
    )
    closing_every: Duration = Field(
        default=timedelta(minutes=30), validation_alias=_env("BENNY_CLOSING_EVERY")
    )
    adjust_at: time = Field(default=time(6, 0), validation_alias=_env("BENNY_ADJUST_AT"))
    trade_at: time = Field(default=time(15, 0), validation_alias=_env("BENNY_TRADE_AT"))
    misfire_grace: Duration = Field(default=timedelta(hours=24), validation_alias=_env("BENNY_MISFIRE_GRACE"))
    log_format: Literal["text", "json"] = Field(default="text", validation_alias=_env("BENNY_LOG_FORMAT"))
    # The REST API (web/rest.py): market data readable without a token, and each token's rate.
    api_public_read: bool = Field(default=True, validation_alias=_env("BENNY_API_PUBLIC_READ"))
    api_rate_per_minute: int = Field(
        default=1200, ge=1, le=1_000_000, validation_alias=_env("BENNY_API_RATE_PER_MINUTE")
    )
    api_cache_seconds: float = Field(
        default=2.0, ge=0.0, le=300.0, validation_alias=_env("BENNY_API_CACHE_SECONDS")
    )
    api_max_in_flight: int = Field(
        default=8, ge=1, le=1_000, validation_alias=_env("BENNY_API_MAX_IN_FLIGHT")
    )

    @field_validator(
        "odds_every", "outcomes_every", "analysis_every", "injuries_every", "closing_every", "misfire_grace"
    )
    @classmethod
    def _longer_than_zero(cls, value: timedelta) -> timedelta:
        return _positive(value)

    @field_validator("odds_api_key", "anthropic_api_key", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        # An exported-but-empty variable means "no key", not a key of "".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("database_url", "feed", "now", "odds_api_bookmakers", "fault", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'benny.db').as_posix()}"

    @property
    def feed_mode(self) -> FeedMode:
        """``oddsapi`` only when a key is set; asking for it without one is a configuration error."""
        if self.feed == "oddsapi" and self.odds_api_key is None:
            raise ConfigError("BENNY_FEED=oddsapi needs ODDS_API_KEY")
        if self.feed is not None:
            return self.feed
        return "oddsapi" if self.odds_api_key is not None else "sim"

    @property
    def llm_mode(self) -> LlmMode:
        return "claude" if self.anthropic_api_key is not None else "offline"

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in self.odds_api_regions.split(",") if r.strip())

    @property
    def bookmakers(self) -> tuple[str, ...] | None:
        if self.odds_api_bookmakers is None:
            return None
        return tuple(b.strip() for b in self.odds_api_bookmakers.split(",") if b.strip())

    def clock(self) -> Clock:
        """The pinned clock when ``BENNY_NOW`` is set, otherwise the system clock."""
        if self.now is not None:
            return FixedClock(ensure_utc(self.now))
        return system_clock


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; a value that cannot be parsed becomes a one-line ``ConfigError``.

    Overrides are given by their environment names (``DATABASE_URL=...``).
    """
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        raise ConfigError(f"invalid setting {where}: {first['msg']}") from None
