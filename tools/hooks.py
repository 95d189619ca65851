"""The new-result hook: what runs, in the same transaction, when a game's result arrives.

Collectors and importers call ``on_new_result`` once for each result that is new to the
database. Verification of predictions and settlement of bets attach here (``result_handler``),
so they happen exactly once per result and roll back with it if anything fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlmodel import Session

from core.quotes import FinalScore

ResultHandler = Callable[[Session, Sequence[FinalScore]], None]

_HANDLERS: list[tuple[str, ResultHandler]] = []


def result_handler(name: str) -> Callable[[ResultHandler], ResultHandler]:
    """Register a function to run on every batch of new results, under a name for the logs."""

    def register(func: ResultHandler) -> ResultHandler:
        if any(existing == name for existing, _ in _HANDLERS):
            raise ValueError(f"result handler {name!r} is registered twice")
        _HANDLERS.append((name, func))
        return func

    return register


def handlers() -> list[str]:
    return [name for name, _ in _HANDLERS]


def on_new_result(session: Session, scores: Sequence[FinalScore]) -> None:
    """Run every registered handler on the new results, inside the caller's transaction."""
    if not scores:
        return
    for _, handler in _HANDLERS:
        handler(session, scores)
