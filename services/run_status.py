"""How a run made of parts ended, from how its parts did: what job history records and exit codes follow.

A part is one sport of a collection, one user model's run, one step of a job. Parts skipped by
choice (the credit budget) neither worked nor failed, so they are left out: a run is ``ok``
when every part it tried worked, ``failed`` when every one failed, ``partial`` between. A run
that tried nothing because everything was skipped is ``skipped``: not a failure (nothing went
wrong, and nothing should page anyone for it), and not a success either (no fresh data came in,
so a "no recent success" alert still sees the gap). A run with no parts at all (no game due)
had nothing to do and is ``ok``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

RunStatus = Literal["ok", "partial", "failed", "skipped"]


def combined(statuses: Iterable[str]) -> RunStatus:
    """The run's status from its parts' (each ``ok``, ``partial``, ``failed`` or ``skipped``)."""
    seen = list(statuses)
    tried = [s for s in seen if s != "skipped"]
    if not tried:
        return "skipped" if seen else "ok"
    if all(s == "ok" for s in tried):
        return "ok"
    if all(s == "failed" for s in tried):
        return "failed"
    return "partial"
