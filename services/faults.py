"""Deterministic crash points for crash-and-restart tests: ``BENNY_FAULT=after_bet:2``.

At a named point the code calls ``fault_point(settings, name, count)``, ``count`` being how many
times this run has reached that point (the N-th bet, not a constant); when the setting names
that point and count, the process exits at once with ``FAULT_EXIT_CODE`` — no cleanup, no
commit of anything in flight — as a killed process would. Unset (always, outside tests), it
does nothing.
"""

from __future__ import annotations

import logging
import os
from typing import Final

from core.errors import ConfigError
from core.settings import Settings

FAULT_EXIT_CODE: Final = 86
POINTS: Final = frozenset({"after_bet", "before_bet_commit"})

log = logging.getLogger("benny.faults")


def parse_fault(spec: str) -> tuple[str, int]:
    point, _, count = spec.partition(":")
    if point not in POINTS or not count.isdigit() or int(count) < 1:
        raise ConfigError(
            f"BENNY_FAULT must be POINT:N with POINT one of {', '.join(sorted(POINTS))}, got {spec!r}"
        )
    return point, int(count)


def fault_point(settings: Settings, name: str, count: int) -> None:
    if settings.fault is None:
        return
    point, at = parse_fault(settings.fault)
    if point == name and count == at:
        log.warning("fault injected: exiting at %s #%d", name, count)
        logging.shutdown()
        os._exit(FAULT_EXIT_CODE)
