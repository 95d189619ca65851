"""Moving the market prior in log-odds: a ridge-penalised logistic regression with the prior as offset.

Every model that has an opinion of its own (momentum, contrarian, hot_cold, rest_schedule,
matchup, injury_aware) says the same kind of thing: *the market's probability, moved in
log-odds by my features times coefficients fit on stored history*::

    P(first side) = sigmoid(prior_logit + x · β)

``prior_logit`` is a fixed offset (the coefficient on it is 1, not fit), so a feature with no
signal fits β ≈ 0 and the model is the market: calibration holds by construction, and a
model can only leave the market as far as history says its feature earns.

The fit is Newton's method on the penalised log-likelihood (iteratively reweighted least
squares), deterministic to the last bit for the same input. The ridge penalty ½·l2·‖β_std‖² is
on the *standardised* coefficients (each feature divided by its root mean square), so ``l2``
reads the same for a feature in points or in fractions: it is the prior precision of a
coefficient that moves the log-odds by β_std per typical unit of its feature. Features are
not centred: a feature of 0 means "no reason to leave the market".

``select_shift`` chooses ``l2`` itself from a grid, by empirical Bayes: the penalty whose
Gaussian prior gives the training outcomes the highest marginal likelihood (Laplace
approximation). The grid's top value is strong enough to pin β to the market, so a feature
that explains no more than chance is shrunk away; only the training rows are read, and the
caller's walk-forward keeps those before the games being scored.

Three-way markets (soccer's moneyline with the draw): the shift applies to the home-vs-away
log-odds, ``log(p_home / p_away)``, and the draw keeps the prior's share. Fitting uses only
games that were not drawn, whose outcome is then exactly "home, given not a draw": the
conditional model ``P(home | not draw) = sigmoid(log(p_home / p_away) + x · β)``. The draw is
the market's; the models here have nothing to say about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from core.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]

# From "the data decide" (0.1: a feature is trusted almost fully) to "the market" (1e6: no
# history this project stores can move a coefficient against it). Log-spaced, decade steps:
# the marginal likelihood is flat within a decade for any realistic sample size.
L2_GRID: Final = (0.1, 1.0, 10.0, 100.0, 1_000.0, 10_000.0, 1_000_000.0)

_MAX_ITERATIONS: Final = 100
_STEP_TOLERANCE: Final = 1e-10
# Logits beyond ±30 are probabilities within 1e-13 of 0 or 1; clipping keeps exp() finite.
_LOGIT_LIMIT: Final = 30.0


@dataclass(frozen=True, slots=True)
class Coefficients:
    """A fitted shift: one coefficient per feature (in the feature's own units), and how it was fit."""

    beta: tuple[float, ...]
    l2: float  # the penalty the coefficients were fit with
    n: int  # rows fit on (pushes and draws left out)

    def shift(self, features: Sequence[float]) -> float:
        """The log-odds shift for one game's features: x · β."""
        if len(features) != len(self.beta):
            raise InvalidInput(f"expected {len(self.beta)} features, got {len(features)}")
        return float(sum(b * x for b, x in zip(self.beta, features, strict=True)))


def sigmoid(x: FloatArray) -> FloatArray:
    """The logistic function, computed without overflow."""
    clipped = np.clip(x, -_LOGIT_LIMIT, _LOGIT_LIMIT)
    return np.asarray(1.0 / (1.0 + np.exp(-clipped)), dtype=np.float64)


def binary_logit(prior_probability: Sequence[float] | FloatArray) -> float:
    """``log(p_first / p_second)``: the log-odds of a two-way market, or home vs away with a draw."""
    p = np.asarray(prior_probability, dtype=np.float64)
    if p.ndim != 1 or p.size not in (2, 3) or bool(np.any(p[:2] <= 0.0)):
        raise InvalidInput(f"prior_probability must hold 2 or 3 positive probabilities, got {p.tolist()}")
    return float(np.log(p[0] / p[1]))


def with_first_side(prior_probability: Sequence[float] | FloatArray, q: float) -> FloatArray:
    """The prior with its first two sides re-split q : 1 − q (any third side, the draw, kept)."""
    p = np.array(prior_probability, dtype=np.float64)
    pair = p[0] + p[1]
    p[0], p[1] = pair * q, pair * (1.0 - q)
    return p


def apply_shift(
    prior_probability: Sequence[float] | FloatArray, features: Sequence[float], coefficients: Coefficients
) -> FloatArray:
    """The prior moved by ``features · β`` in (home-vs-away) log-odds; a draw keeps its share."""
    z = binary_logit(prior_probability) + coefficients.shift(features)
    q = float(sigmoid(np.array([z]))[0])
    return with_first_side(prior_probability, q)


def _checked(
    prior_logit: FloatArray, features: FloatArray, outcome: FloatArray, weights: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    offset = np.asarray(prior_logit, dtype=np.float64).reshape(-1)
    x = np.asarray(features, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    y = np.asarray(outcome, dtype=np.float64).reshape(-1)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64).reshape(-1)
    n = offset.size
    if x.ndim != 2 or x.shape[0] != n or y.size != n or w.size != n:
        raise InvalidInput(
            f"prior_logit, features, outcome and weights must have one row per game, got "
            f"{offset.shape}, {x.shape}, {y.shape}, {w.shape}"
        )
    if n == 0:
        raise InvalidInput("cannot fit on no rows")
    for name, values in (("prior_logit", offset), ("features", x), ("weights", w)):
        if not bool(np.all(np.isfinite(values))):
            raise InvalidInput(f"{name} must be finite")
    if bool(np.any((y < 0.0) | (y > 1.0))):
        raise InvalidInput("outcome must lie between 0 and 1")
    if bool(np.any(w < 0.0)) or float(w.sum()) <= 0.0:
        raise InvalidInput("weights must be non-negative and not all zero")
    return offset, x, y, w


def _penalised_loglik(
    offset: FloatArray, z: FloatArray, y: FloatArray, w: FloatArray, beta: FloatArray, l2: float
) -> float:
    eta = offset + z @ beta
    # y·η − log(1 + e^η), the Bernoulli log-likelihood; logaddexp keeps it finite for any η.
    return float(np.sum(w * (y * eta - np.logaddexp(0.0, eta))) - 0.5 * l2 * float(beta @ beta))


@dataclass(frozen=True, slots=True)
class _Fit:
    beta: FloatArray  # standardised coefficients of the active features
    log_evidence: float  # Laplace approximation of log p(outcomes | l2), up to a constant shared by all l2


def _newton(offset: FloatArray, z: FloatArray, y: FloatArray, w: FloatArray, l2: float) -> _Fit:
    """Maximise the penalised log-likelihood (standardised coefficients); weigh the penalty's evidence."""
    k = z.shape[1]
    beta = np.zeros(k)
    if k == 0:
        return _Fit(beta, _penalised_loglik(offset, z, y, w, beta, l2))
    identity = np.eye(k)
    current = _penalised_loglik(offset, z, y, w, beta, l2)
    for _ in range(_MAX_ITERATIONS):
        p = sigmoid(offset + z @ beta)
        gradient = z.T @ (w * (y - p)) - l2 * beta
        hessian = (z * (w * p * (1.0 - p))[:, None]).T @ z + l2 * identity
        step = np.linalg.solve(hessian, gradient)
        # Newton on a strictly concave objective converges; halving guards the first steps from
        # overshooting when the prior is far from the outcomes.
        t = 1.0
        while True:
            candidate = beta + t * step
            value = _penalised_loglik(offset, z, y, w, candidate, l2)
            if value >= current - 1e-12 or t < 1e-6:
                break
            t /= 2.0
        beta, current = candidate, value
        if float(np.max(np.abs(t * step))) < _STEP_TOLERANCE:
            break
    p = sigmoid(offset + z @ beta)
    curvature = (z * (w * p * (1.0 - p))[:, None]).T @ z + l2 * identity
    _, log_det = np.linalg.slogdet(curvature)
    # log ∫ L(β) N(β; 0, I/l2) dβ ≈ ℓ(β̂) − ½·l2·‖β̂‖² + ½·k·log l2 − ½·log det(H + l2·I).
    return _Fit(beta, current + 0.5 * k * float(np.log(l2)) - 0.5 * float(log_det))


def _standardised(x: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(each feature's weighted root mean square, which features vary at all)."""
    scale = np.sqrt((w @ (x * x)) / w.sum())
    return scale, scale > 0.0


def _coefficients(fit: _Fit, scale: FloatArray, active: FloatArray, l2: float, n: int) -> Coefficients:
    full = np.zeros(scale.size)
    full[active] = fit.beta / scale[active]
    return Coefficients(beta=tuple(float(b) for b in full), l2=float(l2), n=n)


def fit_shift(
    prior_logit: FloatArray,
    features: FloatArray,
    outcome: FloatArray,
    l2: float,
    *,
    weights: FloatArray | None = None,
) -> Coefficients:
    """Fit y ~ Bernoulli(sigmoid(prior_logit + X·β)) with a ridge penalty ½·l2·‖β_std‖².

    ``outcome`` is 1 when the first side won and 0 when it lost; a fraction is allowed (an
    Asian handicap half won), as are per-row ``weights`` (a half pushed counts half). A
    feature that never varies from 0 gets β = 0.
    """
    if not l2 > 0.0 or not np.isfinite(l2):
        raise InvalidInput(f"l2 must be a positive number, got {l2}")
    offset, x, y, w = _checked(prior_logit, features, outcome, weights)
    scale, active = _standardised(x, w)
    fit = _newton(offset, x[:, active] / scale[active], y, w, l2)
    return _coefficients(fit, scale, active, l2, int(offset.size))


def select_shift(
    prior_logit: FloatArray,
    features: FloatArray,
    outcome: FloatArray,
    *,
    weights: FloatArray | None = None,
    grid: Sequence[float] = L2_GRID,
) -> Coefficients:
    """``fit_shift`` at the penalty in ``grid`` the training rows give the most evidence for.

    Empirical Bayes: the penalty is a Gaussian prior on the standardised coefficients, and the
    winner maximises the marginal likelihood of the outcomes (Laplace approximation). That
    trades fit against the Occam factor of every coefficient the data have to pin down, so a
    feature that explains no more than chance is fit at the market end of the grid. Ties go
    to the larger penalty.
    """
    if not grid or any(not l2 > 0.0 for l2 in grid):
        raise InvalidInput(f"grid must hold positive penalties, got {list(grid)}")
    offset, x, y, w = _checked(prior_logit, features, outcome, weights)
    scale, active = _standardised(x, w)
    z = x[:, active] / scale[active]
    best: tuple[float, _Fit] | None = None
    for l2 in sorted(grid, reverse=True):  # largest first, so a tie keeps the larger
        fit = _newton(offset, z, y, w, l2)
        if best is None or fit.log_evidence > best[1].log_evidence + 1e-9:
            best = (l2, fit)
    assert best is not None
    return _coefficients(best[1], scale, active, best[0], int(offset.size))
