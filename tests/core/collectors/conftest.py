"""Fixtures for collector tests: where the real payloads live (skipped without ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def oddsapi_dir(shared_data: Path) -> Path:
    return shared_data / "oddsapi"


@pytest.fixture
def espn_dir(shared_data: Path) -> Path:
    return shared_data / "espn"
