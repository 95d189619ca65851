"""Logging for the CLI, the app and the scheduler: plain text, or one JSON object a line when configured.

Every line carries the job and run (and a game, where one is in hand) of the work it belongs
to: ``job_scope`` puts them in a context variable that a filter copies onto each record, so a
log line deep in a collector still says which scheduled run it came from.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from core.settings import Settings

_SCOPE: ContextVar[dict[str, Any]] = ContextVar("benny_log_scope", default={})  # noqa: B039 - never mutated
# What a LogRecord has on its own; anything else on a record came from ``extra`` or the scope.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_HANDLER_NAME = "benny"


@contextmanager
def job_scope(**fields: Any) -> Iterator[None]:
    """Tag every log line inside the block with ``fields`` (job, run_id, game_id, ...)."""
    token = _SCOPE.set({**_SCOPE.get(), **fields})
    try:
        yield
    finally:
        _SCOPE.reset(token)


class ScopeFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _SCOPE.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        tags = " ".join(f"{k}={v}" for k, v in _extras(record).items() if k in ("job", "run_id", "game_id"))
        return f"{line} [{tags}]" if tags else line


def configure_logging(settings: Settings, *, stream: Any = None) -> None:
    """Benny's handler on the root logger (replacing an earlier one of its own), at the settings' level."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(ScopeFilter())
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    # APScheduler narrates every tick at INFO; its warnings and errors still come through.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    # httpx logs each request at INFO; the collectors log the same calls with their credits.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
