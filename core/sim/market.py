"""The simulated market: bookmakers, how lines move, and how a view becomes a price.

Information. For each game the market's consensus view of the side latent on an hourly grid
from the open to the start is

    consensus(t) = known(g) − injuries expected at t (home) + injuries expected at t (away)
                   + c(g) + w(g, t)

``known`` is everything public from the start (strengths, home advantage, rest, starting
pitchers), c is the closing error that never goes away (sd ``close_sd_prob``), and w is a
random walk that starts with sd ``open_sd_prob`` at the open and reaches 0 at the start: news
arriving hour by hour. Injury reports enter when published, so a line jumps when a star is
ruled out. The total latent has its own c and w.

Books. Each book re-quotes every ``update_hours`` (staggered per game) and copies the consensus
as it stood ``lag_hours`` before, adds its own noise (a part fixed per game, a part redrawn at
each update), prices the line from its own view and applies its margin, moving a share of it
(``longshot_tilt``) onto the longshot, the favourite-longshot shading soft books use. Pinnacle is
the sharp book: no lag, hourly updates, little noise, a low margin. US books quote American
prices (the decimal is derived from them, rounded to cents); Pinnacle and William Hill quote
decimals (the American price is derived and rounded to an integer), as The Odds API does.

Lines. Spreads: NBA/NFL half or whole points around the book's expected margin; NHL and MLB
±1.5 for the favourite (puck line, run line); EPL Asian handicap in quarter goals, the line that
makes the two sides closest to even. Totals: NBA/NFL the half point above the expected total;
NHL/MLB the half-point line nearest an even split; EPL 2.5 unless the match is far from it.
Pushes (whole lines) and quarter lines are priced from the exact score distribution: fair
P(side) = expected win share / (win share + loss share).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from core.odds import FloatArray, american_to_decimal, decimal_to_american
from core.sim.league import LeagueSpec
from core.sim.scores import CountModel, NormalModel, cover_probabilities

__all__ = [
    "BOOKS",
    "Book",
    "MarketNoise",
    "Quotes",
    "book_prices",
    "h2h_fair",
    "joint_table",
    "make_market_noise",
    "spread_fair",
    "total_fair",
]

IntArray = npt.NDArray[np.int64]
HOUR_S: Final = 3600


@dataclass(frozen=True, slots=True)
class Book:
    """A bookmaker's key and title as The Odds API has them, and how it makes its prices."""

    key: str
    title: str
    region: str
    margin: float  # overround of a two-way market
    margin_3way: float  # overround of soccer's 1X2
    noise_prob: float  # sd of its own view around the consensus, probability points
    persistence: float  # share of that noise fixed for the game (the rest redrawn at updates)
    lag_hours: int
    update_hours: int
    longshot_tilt: float
    native: Literal["american", "decimal"]
    decimals: int = 2


BOOKS: Final[tuple[Book, ...]] = (
    Book("pinnacle", "Pinnacle", "eu", 0.022, 0.028, 0.003, 0.5, 0, 1, 0.0, "decimal", decimals=3),
    Book("draftkings", "DraftKings", "us", 0.045, 0.06, 0.011, 0.6, 1, 2, 0.4, "american"),
    Book("fanduel", "FanDuel", "us", 0.043, 0.058, 0.010, 0.6, 1, 2, 0.35, "american"),
    Book("betmgm", "BetMGM", "us", 0.05, 0.065, 0.013, 0.6, 2, 3, 0.5, "american"),
    Book("williamhill_us", "Caesars", "us", 0.048, 0.065, 0.012, 0.6, 2, 3, 0.45, "american"),
    Book("betrivers", "BetRivers", "us", 0.052, 0.07, 0.014, 0.6, 2, 4, 0.5, "american"),
    Book("bovada", "Bovada", "us", 0.055, 0.075, 0.015, 0.6, 3, 4, 0.5, "american"),
    Book("williamhill", "William Hill", "uk", 0.05, 0.06, 0.012, 0.6, 2, 3, 0.4, "decimal"),
)


@dataclass(frozen=True, slots=True)
class MarketNoise:
    """Per-game market randomness of a league-season (grid index k is hours since ``grid_start``)."""

    grid_start: IntArray  # epoch s of grid point 0
    k_open: IntArray  # first grid point with prices
    k_close: IntArray  # last grid point before the start
    close_side: FloatArray
    close_total: FloatArray
    walk_side: FloatArray  # (games, lead + 1)
    walk_total: FloatArray
    book_offset_side: FloatArray  # (games, books)
    book_offset_total: FloatArray
    book_jitter_side: npt.NDArray[np.float32]  # (games, lead + 1, books)
    book_jitter_total: npt.NDArray[np.float32]
    phase: IntArray  # (games, books)


def _reverse_walk(rng: np.random.Generator, n: int, lead: int, sd_open: float) -> FloatArray:
    """w[:, k] = sum of the steps still to come after k: sd ``sd_open`` at k = 0, zero at k = lead."""
    steps = rng.standard_normal((n, lead)) * (sd_open / np.sqrt(lead))
    walk = np.zeros((n, lead + 1))
    walk[:, :lead] = np.cumsum(steps[:, ::-1], axis=1)[:, ::-1]
    return walk


def make_market_noise(
    spec: LeagueSpec, commence: IntArray, announced: IntArray, rng: np.random.Generator
) -> MarketNoise:
    """Draw every game's market randomness once, so any ``as_of`` reads the same path."""
    n, lead = len(commence), spec.lead_hours
    to_latent = 1.0 / spec.probability_slope()
    start_hour = commence // HOUR_S * HOUR_S
    grid_start = start_hour - lead * HOUR_S
    k_close = np.where(commence % HOUR_S == 0, lead - 1, lead).astype(np.int64)
    k_open = np.clip(-((grid_start - announced) // HOUR_S), 0, k_close).astype(np.int64)  # ceil
    n_books = len(BOOKS)
    update = np.array([b.update_hours for b in BOOKS])
    return MarketNoise(
        grid_start=grid_start.astype(np.int64),
        k_open=k_open,
        k_close=k_close,
        close_side=rng.normal(0.0, spec.close_sd_prob * to_latent, n),
        close_total=rng.normal(0.0, spec.total_close_sd, n),
        walk_side=_reverse_walk(rng, n, lead, spec.open_sd_prob * to_latent),
        walk_total=_reverse_walk(rng, n, lead, spec.total_open_sd),
        book_offset_side=rng.standard_normal((n, n_books)),
        book_offset_total=rng.standard_normal((n, n_books)),
        book_jitter_side=rng.standard_normal((n, lead + 1, n_books), dtype=np.float32),
        book_jitter_total=rng.standard_normal((n, lead + 1, n_books), dtype=np.float32),
        phase=(rng.integers(0, 1 << 30, (n, n_books)) % update[None, :]).astype(np.int64),
    )


@dataclass(frozen=True, slots=True)
class Quotes:
    """Prices of one market for (games, books, outcomes), with each book's line."""

    decimal: FloatArray
    american: IntArray
    point: FloatArray | None  # (games, books): the home (spreads) or Over/Under (totals) line


def book_prices(fair: FloatArray, books: tuple[Book, ...]) -> tuple[FloatArray, IntArray]:
    """Decimal and American prices from fair probabilities (games, books, outcomes)."""
    k = fair.shape[-1]
    margin = np.array([b.margin if k == 2 else b.margin_3way for b in books])[None, :, None]
    tilt = np.array([b.longshot_tilt for b in books])[None, :, None]
    implied = fair * (1.0 + margin) + tilt * margin * (1.0 / k - fair)
    raw = 1.0 / np.clip(implied, 0.004, 0.99)
    american_native = np.array([b.native == "american" for b in books])[None, :, None]
    decimals = np.array([b.decimals for b in books])[None, :, None]
    american_from_raw = np.rint(np.asarray(decimal_to_american(raw)))
    from_american = np.round(np.asarray(american_to_decimal(american_from_raw)), 2)
    scale = 10.0**decimals
    decimal_native = np.maximum(np.round(raw * scale) / scale, 1.0 + 1.0 / scale)
    decimal = np.where(american_native, from_american, decimal_native)
    american = np.where(
        american_native, american_from_raw, np.rint(np.asarray(decimal_to_american(decimal_native)))
    )
    return np.asarray(decimal, dtype=np.float64), american.astype(np.int64)


def joint_table(spec: LeagueSpec, side: FloatArray, total: FloatArray) -> FloatArray | None:
    """The regulation score table of flattened views, shared by the three markets (count sports)."""
    model = spec.model
    return model.joint(side.ravel(), total.ravel()) if isinstance(model, CountModel) else None


def h2h_fair(
    spec: LeagueSpec, side: FloatArray, total: FloatArray, table: FloatArray | None = None
) -> FloatArray:
    """Fair (home, away) or (home, away, draw) probabilities for views of shape (games, books)."""
    shape = side.shape
    model = spec.model
    if isinstance(model, CountModel):
        p_home, p_draw = model.outcome_probabilities(side.ravel(), total.ravel(), table)
    else:
        p_home, p_draw = model.outcome_probabilities(side.ravel(), total.ravel())
    p_home, p_draw = p_home.reshape(shape), p_draw.reshape(shape)
    p_away = np.clip(1.0 - p_home - p_draw, 0.0, 1.0)
    if spec.sport.has_draw:
        return np.stack([p_home, p_away, p_draw], axis=-1)
    return np.stack([p_home, p_away], axis=-1)


def _side_share(win: FloatArray, lose: FloatArray) -> FloatArray:
    """Fair probability of a side with pushes: its expected win share over win + loss shares."""
    return np.asarray(win / np.maximum(win + lose, 1e-12), dtype=np.float64)


_ASIAN_LINES: Final = np.arange(-3.0, 3.01, 0.25)


def spread_fair(
    spec: LeagueSpec, side: FloatArray, total: FloatArray, table: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """The home handicap of each view and fair (home, away) cover probabilities."""
    shape = side.shape
    flat_side, flat_total = side.ravel(), total.ravel()
    model = spec.model
    if spec.spread_style == "points":
        assert isinstance(model, NormalModel)
        line = -np.round(flat_side * 2.0) / 2.0
        line = np.where(line == 0.0, np.where(flat_side >= 0, -0.5, 0.5), line)  # no pick'em line of 0
        reach = int(np.abs(line).max(initial=0.0)) + 3
        pmf, offset = model.margin_pmf(flat_side, flat_total, reach)
        win, _, lose = cover_probabilities(pmf, offset, line)
        p_home = _side_share(win, lose)
        fair = np.stack([p_home, 1.0 - p_home], axis=-1).reshape((*shape, 2))
        return np.asarray(line.reshape(shape), dtype=np.float64), fair
    assert isinstance(model, CountModel)
    table = model.joint(flat_side, flat_total) if table is None else table
    pmf, offset = model.margin_pmf(flat_side, flat_total, table)
    if spec.spread_style == "one_and_a_half":
        p_win, _ = model.outcome_probabilities(flat_side, flat_total, table)
        line = np.where(p_win >= 0.5, -1.5, 1.5)
        win, _, lose = cover_probabilities(pmf, offset, line)
        p_home = _side_share(win, lose)
    else:
        candidates = []
        for handicap in _ASIAN_LINES:
            # A quarter line (−0.75) is half the stake on each neighbour (−0.5 and −1.0).
            quarter = round(handicap * 4) % 2 == 1
            halves = (handicap - 0.25, handicap + 0.25) if quarter else (handicap,)
            win = np.zeros(len(flat_side))
            lose = np.zeros(len(flat_side))
            for half in halves:
                w, _, lo = cover_probabilities(pmf, offset, np.full(len(flat_side), half))
                win += w / len(halves)
                lose += lo / len(halves)
            candidates.append(_side_share(win, lose))
        table = np.stack(candidates, axis=1)
        best = np.argmin(np.abs(table - 0.5), axis=1)
        line = _ASIAN_LINES[best]
        p_home = table[np.arange(len(best)), best]
    fair = np.stack([p_home, 1.0 - p_home], axis=-1).reshape((*shape, 2))
    return np.asarray(line.reshape(shape), dtype=np.float64), fair


def total_fair(
    spec: LeagueSpec, side: FloatArray, total: FloatArray, table: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """The total line of each view and fair (over, under) probabilities."""
    shape = side.shape
    flat_side, flat_total = side.ravel(), total.ravel()
    model = spec.model
    if isinstance(model, NormalModel):
        line = np.floor(flat_total) + 0.5
        over, under = model.total_over(flat_total, line)
        fair = np.stack([over, under], axis=-1)
        return line.reshape(shape), fair.reshape((*shape, 2))
    assert isinstance(model, CountModel)
    pmf = model.total_pmf(flat_side, flat_total, table)
    over_by_line = 1.0 - np.cumsum(pmf, axis=1)  # column j: P(total > j), i.e. over j + 0.5
    if spec.sport.has_draw:
        main = over_by_line[:, 2]
        nearest = np.argmin(np.abs(over_by_line[:, :6] - 0.5), axis=1)
        pick = np.where((main > 0.3) & (main < 0.7), 2, nearest)
    else:
        pick = np.argmin(np.abs(over_by_line - 0.5), axis=1)
    over = over_by_line[np.arange(len(pick)), pick]
    line = pick + 0.5
    fair = np.stack([over, 1.0 - over], axis=-1)
    return line.reshape(shape).astype(np.float64), fair.reshape((*shape, 2))
