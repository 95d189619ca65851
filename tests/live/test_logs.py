"""Log lines carry the job and run they belong to, as JSON when configured, and no key."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from live.logs import configure_logging, job_scope
from tests.conftest import make_settings


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_job_the_run_and_the_extras(restore_root: None) -> None:
    out = io.StringIO()
    configure_logging(make_settings("sqlite://", BENNY_LOG_FORMAT="json"), stream=out)
    log = logging.getLogger("benny.test")
    with job_scope(job="odds", run_id=7):
        log.info("collected %d games", 12, extra={"game_id": "g1"})
    log.warning("outside")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["message"] == "collected 12 games" and first["level"] == "INFO"
    assert (first["job"], first["run_id"], first["game_id"]) == ("odds", 7, "g1")
    assert first["logger"] == "benny.test" and first["ts"].endswith("+00:00")
    assert "job" not in second and second["message"] == "outside"


def test_text_lines_are_tagged_and_configuring_twice_keeps_one_handler(restore_root: None) -> None:
    out = io.StringIO()
    settings = make_settings("sqlite://", BENNY_LOG_LEVEL="warning")
    configure_logging(settings, stream=io.StringIO())
    configure_logging(settings, stream=out)
    assert len([h for h in logging.getLogger().handlers if h.get_name() == "benny"]) == 1
    log = logging.getLogger("benny.test")
    with job_scope(job="trading", run_id=3):
        log.info("not shown at WARNING")
        log.error("refused a pick")
    [line] = out.getvalue().splitlines()
    assert line.endswith("benny.test: refused a pick [job=trading run_id=3]")


def test_an_exception_is_logged_whole_in_json(restore_root: None) -> None:
    out = io.StringIO()
    configure_logging(make_settings("sqlite://", BENNY_LOG_FORMAT="json"), stream=out)
    try:
        raise ValueError("bad input")
    except ValueError:
        logging.getLogger("benny.test").exception("job failed")
    record = json.loads(out.getvalue())
    assert "ValueError: bad input" in record["exception"]
