"""Score models: how a game's latent parameters become outcome probabilities and final scores.

Two families, chosen per league in ``core.sim.league``:

``normal`` (NBA, NFL). The home margin is m ~ N(μ, σ) and the total T ~ N(τ, σ_T), independent.
The sign of m decides the winner, so P(home) = Φ(μ/σ) exactly and no game ends tied. When
|m| falls inside a narrow band the game went to overtime and the margin is drawn from an
overtime table (NBA 1-9 points, NFL mostly a field goal or a touchdown). Otherwise the margin is
round(|m|), and in the NFL a share of margins next to 3, 7, 10 and 14 is moved onto those key
numbers, as real NFL margins cluster there. Scores are built from the margin and the total.

``count`` (NHL and EPL Poisson goals, MLB negative-binomial runs). Home and away scores are
counts with means e^(a + d/2) and e^(a − d/2): d is the log ratio of scoring rates (team
strengths plus home advantage), a the log of their geometric mean (tempo). They are independent
except that level scores are made (1 + θ) times likelier (a Dixon-Coles-style draw correction:
NHL games are tied after regulation about 22% of the time, independence says 16%). EPL keeps
its draws; in the NHL and MLB a tie goes to overtime / extra innings, won by the home side with
probability logistic(κ·d), and the winner's score goes up by one.

Every function is vectorised over games, and the probability functions agree exactly with the
sampler, so a market priced from them is calibrated against the simulated results.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from core.odds import FloatArray

__all__ = [
    "CountModel",
    "NormalModel",
    "ScoreModel",
    "cover_probabilities",
    "norm_cdf",
]

IntArray = npt.NDArray[np.int64]

# Abramowitz & Stegun 7.1.26: erf to 1.5e-7, ample for prices quoted to a cent.
_AS_P: Final = 0.3275911
_AS_A: Final = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def norm_cdf(x: FloatArray) -> FloatArray:
    """Standard normal CDF, vectorised (numpy has no erf and core must not need scipy)."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + _AS_P * z)
    poly = t * (_AS_A[0] + t * (_AS_A[1] + t * (_AS_A[2] + t * (_AS_A[3] + t * _AS_A[4]))))
    erf_abs = 1.0 - poly * np.exp(-z * z)
    return np.asarray(0.5 * (1.0 + np.sign(x) * erf_abs), dtype=np.float64)


# Key numbers and overtime margins stay below this, so a pmf this wide is exact where it matters.
_MIN_REACH: Final = 20


@functools.lru_cache(maxsize=32)
def _snap_matrix(key_numbers: tuple[tuple[int, int, float], ...], size: int) -> FloatArray:
    matrix = np.eye(size)
    for source, target, probability in key_numbers:
        matrix[source, source] -= probability
        matrix[source, target] += probability
    matrix.setflags(write=False)
    return matrix


@functools.lru_cache(maxsize=32)
def _overtime_vector(margins: tuple[tuple[int, float], ...], size: int) -> FloatArray:
    vector = np.zeros(size)
    for margin, probability in margins:
        vector[margin] = probability
    vector /= vector.sum()
    vector.setflags(write=False)
    return vector


def _logistic(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def cover_probabilities(
    pmf: FloatArray, offset: int, line: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """P(value + line > 0), P(= 0), P(< 0) for each row of an integer pmf.

    ``pmf[i, j]`` is the probability that game i's value is ``j - offset``. For a home spread
    ``line`` is the home handicap (−3.5 means the home side must win by 4); for an Over at
    total L pass ``line = −L``.
    """
    values = np.arange(pmf.shape[1], dtype=np.float64) - offset
    shifted = values[None, :] + line[:, None]
    win = np.where(shifted > 1e-9, pmf, 0.0).sum(axis=1)
    push = np.where(np.abs(shifted) <= 1e-9, pmf, 0.0).sum(axis=1)
    return win, push, np.clip(1.0 - win - push, 0.0, 1.0)


@dataclass(frozen=True, slots=True)
class NormalModel:
    """Normal margins and totals (NBA, NFL); see the module docstring."""

    margin_sd: float
    total_sd: float
    overtime_band: float
    overtime_margins: tuple[tuple[int, float], ...]  # (margin, probability) of an overtime win
    key_numbers: tuple[tuple[int, int, float], ...] = ()  # (from margin, to margin, probability)
    max_margin: int = 90
    kind: Literal["normal"] = "normal"

    def outcome_probabilities(self, mu: FloatArray, total: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(P(home win), P(draw) = 0): the sign of the continuous margin decides."""
        p_home = norm_cdf(mu / self.margin_sd)
        return p_home, np.zeros_like(p_home)

    def _snap_matrix(self, size: int) -> FloatArray:
        """Row a: where a regulation margin of a ends up after key-number clustering."""
        return _snap_matrix(self.key_numbers, size)

    def _overtime_vector(self, size: int) -> FloatArray:
        return _overtime_vector(self.overtime_margins, size)

    def _magnitude_pmf(self, centre: FloatArray, size: int) -> tuple[FloatArray, FloatArray]:
        """P(|margin| = a and the side whose expected margin is ``centre`` wins), a = 0..size − 1
        (the last cell holds everything above), and P(that side wins in overtime)."""
        edges = np.arange(size + 1, dtype=np.float64) - 0.5
        edges[0] = -np.inf  # magnitude 0 never happens: the band below goes to overtime
        edges[1] = self.overtime_band
        edges[-1] = np.inf
        cdf = norm_cdf((edges[None, :] - centre[:, None]) / self.margin_sd)
        regulation = np.diff(cdf, axis=1)
        regulation[:, 0] = 0.0
        overtime = norm_cdf((self.overtime_band - centre) / self.margin_sd) - norm_cdf(
            -centre / self.margin_sd
        )
        return regulation @ self._snap_matrix(size), overtime

    def margin_pmf(
        self, mu: FloatArray, total: FloatArray, reach: int | None = None
    ) -> tuple[FloatArray, int]:
        """The final home margin's pmf over −reach..reach (index j is margin j − reach).

        The outermost cells hold all the mass beyond ``reach`` (default ``max_margin``), which
        keeps cover probabilities exact for any line inside ±(reach − 1).
        """
        top = self.max_margin if reach is None else max(min(reach, self.max_margin), _MIN_REACH)
        size = top + 1
        ot_vector = self._overtime_vector(size)
        home_mag, home_ot = self._magnitude_pmf(mu, size)
        away_mag, away_ot = self._magnitude_pmf(-mu, size)
        home_mag = home_mag + home_ot[:, None] * ot_vector[None, :]
        away_mag = away_mag + away_ot[:, None] * ot_vector[None, :]
        pmf = np.concatenate([away_mag[:, :0:-1], np.zeros((len(mu), 1)), home_mag[:, 1:]], axis=1)
        return pmf, top

    def total_over(self, total: FloatArray, line: FloatArray) -> tuple[FloatArray, FloatArray]:
        """P(over), P(under) of a half-point total line (normal totals never push on x.5)."""
        over = 1.0 - norm_cdf((line - total) / self.total_sd)
        return over, 1.0 - over

    def sample(
        self, mu: FloatArray, total: FloatArray, rng: np.random.Generator
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
        """Final (home, away) scores and whether each game needed overtime."""
        n = len(mu)
        m = mu + self.margin_sd * rng.standard_normal(n)
        t = total + self.total_sd * rng.standard_normal(n)
        u_snap, u_ot = rng.random(n), rng.random(n)
        home_wins = m > 0.0
        overtime = np.abs(m) < self.overtime_band
        magnitude = np.clip(np.rint(np.abs(m)).astype(np.int64), 1, self.max_margin)
        snap_cdf = np.cumsum(self._snap_matrix(self.max_margin + 1), axis=1)
        magnitude = np.argmax(snap_cdf[magnitude] > u_snap[:, None], axis=1).astype(np.int64)
        ot_cdf = np.cumsum(self._overtime_vector(self.max_margin + 1))
        ot_margin = np.argmax(ot_cdf[None, :] > u_ot[:, None], axis=1).astype(np.int64)
        magnitude = np.where(overtime, ot_margin, np.maximum(magnitude, 1))
        loser = np.maximum(np.rint((t - magnitude) / 2.0), 0.0).astype(np.int64)
        winner = loser + magnitude
        home = np.where(home_wins, winner, loser)
        away = np.where(home_wins, loser, winner)
        return home, away, overtime


@dataclass(frozen=True, slots=True)
class CountModel:
    """Poisson or negative-binomial scores (NHL, EPL, MLB); see the module docstring."""

    dispersion: float | None  # None: Poisson; k: negative binomial with variance μ + μ²/k
    overtime_skill: float | None  # None: draws stand (EPL); κ: P(home wins a tie) = logistic(κ·d)
    max_score: int
    draw_boost: float = 0.0  # θ: level scores are (1 + θ) times as likely as independence says
    kind: Literal["count"] = "count"

    def rates(self, d: FloatArray, a: FloatArray) -> tuple[FloatArray, FloatArray]:
        half = 0.5 * d
        return np.exp(a + half), np.exp(a - half)

    def pmf(self, mean: FloatArray) -> FloatArray:
        """P(score = 0..max_score) per game; the tail is folded into the last cell."""
        size = self.max_score + 1
        out = np.empty((len(mean), size))
        if self.dispersion is None:
            out[:, 0] = np.exp(-mean)
            for n in range(1, size):
                out[:, n] = out[:, n - 1] * mean / n
        else:
            k = self.dispersion
            ratio = mean / (k + mean)
            out[:, 0] = (k / (k + mean)) ** k
            for n in range(1, size):
                out[:, n] = out[:, n - 1] * (n - 1 + k) / n * ratio
        out[:, -1] += np.clip(1.0 - out.sum(axis=1), 0.0, None)
        return out

    def joint(self, d: FloatArray, a: FloatArray) -> FloatArray:
        """P(home = i, away = j) at the end of regulation, shape (games, max + 1, max + 1).

        Independent counts, with level scores inflated by ``draw_boost`` and the table
        renormalised: real hockey and soccer finish level more often than independence
        predicts (teams protect a lead, chase a deficit), the same correction Dixon and Coles
        made for football.
        """
        home_rate, away_rate = self.rates(d, a)
        table = self.pmf(home_rate)[:, :, None] * self.pmf(away_rate)[:, None, :]
        if self.draw_boost:
            diagonal = np.arange(self.max_score + 1)
            table[:, diagonal, diagonal] *= 1.0 + self.draw_boost
            table /= table.sum(axis=(1, 2), keepdims=True)
        return table

    def _tie_home_share(self, d: FloatArray) -> FloatArray:
        if self.overtime_skill is None:
            return np.zeros_like(d)
        return _logistic(self.overtime_skill * d)

    def outcome_probabilities(
        self, d: FloatArray, a: FloatArray, table: FloatArray | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """(P(home win), P(draw)); the draw is zero where ties go to overtime.

        ``table`` is ``joint(d, a)`` when the caller already has it (pricing three markets).
        """
        table = self.joint(d, a) if table is None else table
        p_home_regulation = np.tril(table, k=-1).sum(axis=(1, 2))
        p_tie = np.trace(table, axis1=1, axis2=2)
        if self.overtime_skill is None:
            return p_home_regulation, p_tie
        return p_home_regulation + p_tie * self._tie_home_share(d), np.zeros_like(d)

    def margin_pmf(
        self, d: FloatArray, a: FloatArray, table: FloatArray | None = None
    ) -> tuple[FloatArray, int]:
        """The final home margin's pmf over −max..max (index j is margin j − max)."""
        table = self.joint(d, a) if table is None else table
        top = self.max_score
        # Margin i − j = m sits on the diagonal with offset j − i = −m.
        pmf = np.stack(
            [np.diagonal(table, offset=-m, axis1=1, axis2=2).sum(axis=1) for m in range(-top, top + 1)],
            axis=1,
        )
        if self.overtime_skill is not None:
            tie = pmf[:, top].copy()
            share = self._tie_home_share(d)
            pmf[:, top] = 0.0
            pmf[:, top + 1] += tie * share
            pmf[:, top - 1] += tie * (1.0 - share)
        return pmf, top

    def total_pmf(self, d: FloatArray, a: FloatArray, table: FloatArray | None = None) -> FloatArray:
        """The final total's pmf over 0..2·max + 1 (a tie settled in overtime adds one)."""
        table = self.joint(d, a) if table is None else table
        size = self.max_score + 1
        pmf = np.zeros((len(d), 2 * size))
        for i in range(size):
            pmf[:, i : i + size] += table[:, i, :]
        if self.overtime_skill is not None:
            ties = np.zeros_like(pmf)
            ties[:, 0 : 2 * size : 2] = np.diagonal(table, axis1=1, axis2=2)  # H = A = i: total 2i
            pmf = pmf - ties
            pmf[:, 1:] += ties[:, :-1]
        return pmf

    def sample(
        self, d: FloatArray, a: FloatArray, rng: np.random.Generator
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
        """Final (home, away) scores and whether a tie went to overtime.

        Inverse-CDF draws from ``joint`` without building it: the home score from its marginal
        P(H = i) ∝ h_i (1 + θ a_i), then the away score from P(A = j | H = i) ∝ a_j (1 + θ [j = i]).
        Fixed uniforms make results move smoothly with the parameters, so re-tuning a league
        does not reshuffle every result.
        """
        n = len(d)
        home_rate, away_rate = self.rates(d, a)
        home_pmf, away_pmf = self.pmf(home_rate), self.pmf(away_rate)
        theta = self.draw_boost
        u_home, u_away, u_overtime = rng.random(n), rng.random(n), rng.random(n)
        home_weight = home_pmf * (1.0 + theta * away_pmf)
        home_cdf = np.cumsum(home_weight, axis=1) / home_weight.sum(axis=1, keepdims=True)
        home = np.minimum((home_cdf < u_home[:, None]).sum(axis=1), self.max_score).astype(np.int64)
        rows = np.arange(n)
        level_mass = theta * away_pmf[rows, home]
        cells = np.arange(self.max_score + 1)[None, :]
        away_cdf = (np.cumsum(away_pmf, axis=1) + level_mass[:, None] * (cells >= home[:, None])) / (
            1.0 + level_mass[:, None]
        )
        away = np.minimum((away_cdf < u_away[:, None]).sum(axis=1), self.max_score).astype(np.int64)
        overtime = home == away
        if self.overtime_skill is None:
            return home, away, np.zeros(n, dtype=np.bool_)
        home_takes = overtime & (u_overtime < self._tie_home_share(d))
        away_takes = overtime & ~home_takes
        return home + home_takes, away + away_takes, overtime


ScoreModel = NormalModel | CountModel
