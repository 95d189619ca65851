"""How a run of parts ended: the rule job history, `benny collect` and `scheduler --once` follow."""

from __future__ import annotations

import pytest

from services.run_status import combined


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], "ok"),  # nothing was due
        (["ok", "ok"], "ok"),
        (["ok", "skipped"], "ok"),  # the budget's choice is not a failure
        (["skipped", "skipped"], "skipped"),
        (["failed", "failed"], "failed"),
        (["failed", "skipped"], "failed"),  # every part tried failed
        (["ok", "failed"], "partial"),
        (["partial", "failed"], "partial"),
        (["partial"], "partial"),
    ],
)
def test_a_run_is_what_its_tried_parts_did(parts: list[str], expected: str) -> None:
    assert combined(parts) == expected
