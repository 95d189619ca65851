"""Seed derivation and stable identifiers for the simulated sportsbook.

Every random draw in ``core.sim`` comes from ``np.random.default_rng`` seeded by ``child_seed``:
the world seed plus a path of labels (sport, season, purpose). Deriving a fresh generator per
purpose means that adding a new draw in one place never shifts the numbers drawn elsewhere, and
that a league-season can be generated on its own, in any order, with the same result.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["child_rng", "child_seed", "game_id"]


def child_seed(seed: int, *labels: object) -> int:
    """A 64-bit seed fixed by the world seed and a path of labels."""
    text = "|".join(["benny-sim", str(seed), *(str(label) for label in labels)])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def child_rng(seed: int, *labels: object) -> np.random.Generator:
    """A generator of its own for one purpose (``child_rng(seed, "nba", 2025, "injuries")``)."""
    return np.random.default_rng(child_seed(seed, *labels))


def game_id(seed: int, sport_key: str, season: int, index: int) -> str:
    """The 32-hex event id of a game, stable for a seed, league-season and schedule position."""
    text = f"benny-sim-game|{seed}|{sport_key}|{season}|{index}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
