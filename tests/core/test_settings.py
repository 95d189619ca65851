"""Settings: read once, keys kept secret, modes derived from what is configured."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import load_settings


def test_defaults_are_offline_with_sqlite_in_benny_home(tmp_path: Path) -> None:
    settings = load_settings(_env_file=None, BENNY_HOME=str(tmp_path))
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.as_posix()}/benny.db"
    assert (settings.feed_mode, settings.llm_mode) == ("sim", "offline")
    assert settings.model == "claude-sonnet-5-5"


def test_keys_switch_modes_and_never_show(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ODDS_API_KEY", "odds-secret-123")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret-456")
    settings = load_settings(_env_file=None)
    assert (settings.feed_mode, settings.llm_mode) == ("oddsapi", "claude")
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    assert "odds-secret-123" not in shown and "sk-ant-secret-456" not in shown
    assert settings.odds_api_key is not None
    assert settings.odds_api_key.get_secret_value() == "odds-secret-123"


def test_blank_keys_mean_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ODDS_API_KEY", "  ")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "")
    settings = load_settings(_env_file=None)
    assert settings.odds_api_key is None and settings.anthropic_api_key is None


def test_forcing_the_live_feed_without_a_key_is_an_error() -> None:
    settings = load_settings(_env_file=None, BENNY_FEED="oddsapi")
    with pytest.raises(ConfigError, match="ODDS_API_KEY"):
        _ = settings.feed_mode
    assert load_settings(_env_file=None, BENNY_FEED="sim", ODDS_API_KEY="k").feed_mode == "sim"


def test_benny_now_pins_the_clock() -> None:
    clock = load_settings(_env_file=None, BENNY_NOW="2025-01-15T18:00:00Z").clock()
    assert clock() == datetime(2025, 1, 15, 18, tzinfo=UTC)


def test_home_does_not_read_the_users_home_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENNY_HOME", raising=False)
    monkeypatch.setenv("HOME", "/somewhere/else")
    assert str(load_settings(_env_file=None).home) == ".benny"


def test_bad_values_are_one_line_config_errors() -> None:
    with pytest.raises(ConfigError, match="invalid setting BENNY_NOW"):
        load_settings(_env_file=None, BENNY_NOW="not a time")
    with pytest.raises(ConfigError, match="BENNY_FEED"):
        load_settings(_env_file=None, BENNY_FEED="carrier-pigeon")


def test_benny_database_url_wins_over_database_url() -> None:
    settings = load_settings(
        _env_file=None, DATABASE_URL="sqlite:///a.db", BENNY_DATABASE_URL="sqlite:///b.db"
    )
    assert settings.resolved_database_url == "sqlite:///b.db"
