r"""Density evolution (DE) of belief-propagation decoding over LDPC ensembles, and their
thresholds (Richardson and Urbanke, *Modern Coding Theory*, 2008, ch. 3–4).

BEC, exact (``method="de"``)
    Ensemble: the erasure probability of a variable-to-check message,
    :math:`x_{\ell+1} = \epsilon\,\lambda\big(1 - \rho(1 - x_\ell)\big)`, x_0 = ε; the threshold
    :math:`\epsilon^* = \sup\{\epsilon: x_\ell \to 0\}` by bisection. Protograph: one erasure
    probability per edge type (i, j), punctured columns starting erased:
    :math:`x_{ij} = \epsilon_j \prod_{i'} y_{i'j}^{B_{i'j} - [i'=i]}`,
    :math:`y_{ij} = 1 - \prod_{j'} (1 - x_{ij'})^{B_{ij'} - [j'=j]}`.

BI-AWGN, Gaussian approximation (``method="ga"``)
    Every message is taken as a consistent Gaussian N(m, 2m) (Chung, Richardson, Urbanke,
    IEEE Trans. IT 47(2), 2001, eq. (13)); with m_0 = 2/σ² the check-to-variable mean obeys

    .. math::  m_u^{(\ell)} = \sum_j \rho_j\,\varphi^{-1}\Big(1 - \big[1 - \sum_i \lambda_i\,
               \varphi\big(m_0 + (i-1)\,m_u^{(\ell-1)}\big)\big]^{j-1}\Big),

    φ from :mod:`.gaussian_llr`; decoding succeeds when m_u → ∞. For protographs the same
    approximation runs on mutual information per edge type (PEXIT, Liva and Chiani,
    GLOBECOM 2007), see :func:`protograph_ga`.

BI-AWGN, quantised full DE (``method="de"``)
    The LLR densities of sum-product (or min-sum) themselves, on a grid of step Δ in
    [−L_max, L_max] (Chung, Forney, Richardson, Urbanke, IEEE Comm. Letters 5(2), 2001):
    variable node by FFT convolution of the channel density with (i − 1) check densities
    (mass beyond ±L_max saturates at ±L_max), check node by the pairwise rule
    :math:`a \boxplus b = 2\tanh^{-1}(\tanh\frac a2\tanh\frac b2)` (min-sum:
    :math:`\operatorname{sgn}(ab)\min(|a|,|b|)`) applied to grid points and rounded to the
    grid, j − 2 times for a degree-j check. The default Δ = 0.05, L_max = 20 gives the
    sum-product threshold of the (3,6) ensemble as 0.88086 (published σ* = 0.8809; Δ = 0.1
    gives 0.88058); the cost grows as Δ⁻².

Thresholds: σ* and :math:`E_b/N_0^* = 1/(2R\sigma^{*2})` in dB for the BI-AWGN channel.

Example
-------
>>> round(bec_threshold(Ensemble.regular(3, 6)), 4)
0.4294
>>> float(ga_de(Ensemble.regular(3, 6), 0.87)[-1]) > 4000, float(ga_de(Ensemble.regular(3, 6), 0.88)[-1]) < 10
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..errors import ShannonlabError
from . import gaussian_llr
from .ensembles import Ensemble, Protograph

#: Success when the error quantity of DE falls below this.
TARGET = 1e-10
#: PEXIT succeeds when the worst a-posteriori mutual information exceeds 1 - this.
PEXIT_TARGET = 1e-7


# ---- BEC ------------------------------------------------------------------------------------
def bec_de(ensemble: Ensemble | Protograph, epsilon: float, iterations: int = 5000) -> np.ndarray:
    """The DE trajectory on BEC(ε): erasure probability of variable-to-check messages (for a
    protograph: of the a-posteriori decision, the worst variable node) per iteration; it stops
    once below 1e-10 or stuck at a fixed point.

    >>> tr = bec_de(Ensemble.regular(3, 6), 0.4)
    >>> float(tr[0]), len(tr) < 100, float(tr[-1]) < 1e-10
    (0.4, True, True)
    """
    if not 0.0 <= epsilon <= 1.0:
        raise ShannonlabError(f"epsilon: must lie in [0, 1], got {epsilon}")
    if isinstance(ensemble, Protograph):
        return _protograph_bec(ensemble, epsilon, iterations)
    x, out = epsilon, [epsilon]
    for _ in range(iterations):
        new = epsilon * ensemble.lam_poly(1.0 - ensemble.rho_poly(1.0 - x))
        out.append(new)
        if new < TARGET or new >= x * (1.0 - 1e-12):
            break
        x = new
    return np.array(out)


def _products_but_one(values: np.ndarray, counts: np.ndarray, axis: int) -> np.ndarray:
    """For every edge type, the product of ``values`` over the other edges of its node along
    ``axis`` (each value raised to its multiplicity ``counts``, one copy of itself left
    out), exact when some values are 0 (zeros are counted, not logged)."""
    zero = values <= 0.0
    logs = np.where(zero, 0.0, np.log(np.where(zero, 1.0, values)))
    total_log = (counts * logs).sum(axis=axis, keepdims=True)
    total_zero = (counts * zero).sum(axis=axis, keepdims=True)
    others_zero = total_zero - zero
    return np.where(others_zero > 0, 0.0, np.exp(total_log - logs))


def _protograph_bec(proto: Protograph, epsilon: float, iterations: int) -> np.ndarray:
    B = proto.base.astype(float)
    edges = B > 0
    eps = np.where(proto.transmitted, epsilon, 1.0)
    x = np.where(edges, eps[None, :], 0.0)          # variable -> check erasure, per edge type
    out, previous = [], np.inf
    for _ in range(iterations):
        # check -> variable: erased unless every other edge of the check is known
        y = np.where(edges, 1.0 - _products_but_one(np.where(edges, 1.0 - x, 1.0), B, axis=1), 0.0)
        # variable -> check: the channel and every other incoming check message erased
        others = _products_but_one(np.where(edges, y, 1.0), B, axis=0)
        x = np.where(edges, eps[None, :] * others, 0.0)
        app = eps * np.prod(np.where(edges, y, 1.0) ** B, axis=0)
        worst = float(app.max())
        out.append(worst)
        if worst < TARGET or worst >= previous * (1.0 - 1e-12):
            break
        previous = worst
    return np.array(out)


def _bisect(converges, lo: float, hi: float, tol: float) -> float:
    """Largest value in [lo, hi] where ``converges`` holds (it holds at lo, not at hi)."""
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if converges(mid):
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def bec_threshold(ensemble: Ensemble | Protograph, tol: float = 1e-6) -> float:
    r"""ε* of the BEC, by bisection on :func:`bec_de`.

    >>> round(bec_threshold(Ensemble.regular(4, 8)), 4)
    0.3834
    """
    return _bisect(lambda e: bec_de(ensemble, e)[-1] < TARGET, 0.0, 1.0, tol)


# ---- BI-AWGN: Gaussian approximation ----------------------------------------------------------
def ga_de(ensemble: Ensemble, sigma: float, iterations: int = 20000, phi: str = "chung") -> np.ndarray:
    r"""The GA trajectory on BI-AWGN(σ): the mean m_u of check-to-variable messages per
    iteration (Chung et al. 2001, eq. (13)); it stops beyond m_u = 4000 (success) or at a
    fixed point. ``phi="chung"`` uses the closed-form φ of that paper (its published
    thresholds, e.g. 0.8747 for (3,6)); ``phi="exact"`` the quadrature φ of
    :mod:`.gaussian_llr` (0.8719 for (3,6): the approximation of φ, not of the densities,
    accounts for the difference).

    >>> tr = ga_de(Ensemble.regular(3, 6), 0.8)
    >>> float(tr[-1]) > 1000
    True
    """
    if isinstance(ensemble, Protograph):
        raise ShannonlabError("ensemble: the Gaussian approximation of a protograph is protograph_ga (PEXIT)")
    if phi not in ("chung", "exact"):
        raise ShannonlabError(f"phi: must be 'chung' or 'exact', got {phi!r}")
    log_phi = gaussian_llr.log_phi_chung if phi == "chung" else gaussian_llr.log_phi
    inverse = gaussian_llr.phi_inverse_chung_from_log if phi == "chung" else gaussian_llr.phi_inverse_from_log
    m0 = 2.0 / (sigma * sigma)
    lam_d = np.array(list(ensemble.lam), dtype=float)
    lam_v = np.array(list(ensemble.lam.values()))
    rho_d = np.array(list(ensemble.rho), dtype=float)
    rho_v = np.array(list(ensemble.rho.values()))
    mu, out = 0.0, [0.0]
    for _ in range(iterations):
        log_terms = log_phi(m0 + (lam_d - 1.0) * mu) + np.log(lam_v)
        top = log_terms.max()
        log_s = top + math.log(np.exp(log_terms - top).sum())            # log Σ λ_i φ(·)
        # log(1 - (1 - s)^(j-1)); for tiny s it is log((j-1) s) (no underflow).
        if log_s < -30.0:
            log_inner = np.log(rho_d - 1.0) + log_s
        else:
            log_inner = np.log(np.maximum(-np.expm1((rho_d - 1.0) * np.log1p(-min(math.exp(log_s), 1.0 - 1e-16))), 1e-300))
        new = float(np.dot(rho_v, inverse(log_inner)))
        out.append(new)
        if new > 4000.0 or new <= mu * (1.0 + 1e-10):
            break
        mu = new
    return np.array(out)


# ---- BI-AWGN: protograph EXIT (PEXIT) -------------------------------------------------------
def protograph_ga(proto: Protograph, sigma: float, iterations: int = 20000) -> np.ndarray:
    r"""PEXIT (Liva and Chiani 2007): mutual information per edge type with J from
    :mod:`.gaussian_llr`; the channel gives J⁻¹ term :math:`\sigma_{ch}^2 = 4/\sigma^2` to
    transmitted columns, 0 to punctured ones. Variable-to-check
    :math:`I_{ij} = J\big(\sqrt{\sum_{i'} (B_{i'j} - [i'=i]) J^{-1}(I^c_{i'j})^2 + \sigma_{ch,j}^2}\big)`,
    check-to-variable :math:`I^c_{ij} = 1 - J\big(\sqrt{\sum_{j'} (B_{ij'} - [j'=j]) J^{-1}(1 - I_{ij'})^2}\big)`.
    Returns the smallest a-posteriori MI over variable nodes per iteration; success when
    it exceeds 1 − 1e-7 (:data:`PEXIT_TARGET`; double precision of 1 − I ends near there).

    >>> tr = protograph_ga(Protograph(np.array([[3, 3]])), 0.85)
    >>> float(tr[-1]) > 1 - 1e-7
    True
    """
    B = proto.base.astype(float)
    edges = B > 0
    ch = np.where(proto.transmitted, 4.0 / (sigma * sigma), 0.0)        # σ_ch² per column
    s2 = lambda info: (2.0 * gaussian_llr.mean_of_j(info))               # J⁻¹(I)²
    ic = np.zeros_like(B)
    out, previous = [], -1.0
    for _ in range(iterations):
        sq_c = np.where(edges, s2(ic), 0.0)
        total_v = (B * sq_c).sum(axis=0) + ch
        iv = np.where(edges, gaussian_llr.j_of_mean(0.5 * np.maximum(total_v[None, :] - sq_c, 0.0)), 0.0)
        sq_v = np.where(edges, s2(1.0 - iv), 0.0)
        total_c = (B * sq_v).sum(axis=1, keepdims=True)
        ic = np.where(edges, 1.0 - gaussian_llr.j_of_mean(0.5 * np.maximum(total_c - sq_v, 0.0)), 0.0)
        app = gaussian_llr.j_of_mean(0.5 * ((B * np.where(edges, s2(ic), 0.0)).sum(axis=0) + ch))
        worst = float(app.min())
        out.append(worst)
        if worst > 1.0 - PEXIT_TARGET or worst <= previous + 1e-13:
            break
        previous = worst
    return np.array(out)


# ---- BI-AWGN: quantised density evolution ---------------------------------------------------
@njit(cache=True)
def _check_pair(pa, pb, table, out):
    """Density of a ⊞ b (independent) on the grid: pa, pb, out over indices -K..K (offset K);
    table[|i|, |j|] = index of the magnitude of the result."""
    K = table.shape[0] - 1
    out[:] = 0.0
    for i in range(K + 1):
        ap, an = pa[K + i], pa[K - i] if i > 0 else 0.0
        if ap == 0.0 and an == 0.0:
            continue
        for j in range(K + 1):
            bp, bn = pb[K + j], pb[K - j] if j > 0 else 0.0
            if bp == 0.0 and bn == 0.0:
                continue
            t = table[i, j]
            out[K + t] += ap * bp + an * bn
            if t > 0:
                out[K - t] += ap * bn + an * bp
            else:
                out[K] += ap * bn + an * bp


def _rule_table(K: int, step: float, rule: str) -> np.ndarray:
    mag = np.arange(K + 1) * step
    a, b = np.meshgrid(mag, mag, indexing="ij")
    if rule == "sum-product":
        # 2 atanh(tanh(a/2) tanh(b/2)) = min(a,b) + ln(1+e^-(a+b)) - ln(1+e^-|a-b|)  (stable)
        value = np.minimum(a, b) + np.log1p(np.exp(-(a + b))) - np.log1p(np.exp(-np.abs(a - b)))
    elif rule == "min-sum":
        value = np.minimum(a, b)
    else:
        raise ShannonlabError(f"rule: must be 'sum-product' or 'min-sum', got {rule!r}")
    return np.clip(np.rint(value / step), 0, K).astype(np.int64)


@dataclass
class QuantisedDE:
    """Quantised DE of an ensemble on BI-AWGN: grid step ``step`` in LLR, range ±``llr_max``,
    check rule ``sum-product`` or ``min-sum``."""

    ensemble: Ensemble
    rule: str = "sum-product"
    step: float = 0.05
    llr_max: float = 20.0

    def __post_init__(self):
        if isinstance(self.ensemble, Protograph):
            raise ShannonlabError("ensemble: quantised DE takes degree distributions (use protograph_ga for a protograph)")
        self.K = int(round(self.llr_max / self.step))
        self.table = _rule_table(self.K, self.step, self.rule)
        self.grid = np.arange(-self.K, self.K + 1) * self.step

    def channel_density(self, sigma: float) -> np.ndarray:
        """Quantised density of L = 2y/σ², y ~ N(1, σ²) (all-zero codeword): N(2/σ², 4/σ²)."""
        from scipy import special
        mean, std = 2.0 / sigma ** 2, 2.0 / sigma
        edges = np.concatenate(([-np.inf], self.grid[:-1] + 0.5 * self.step, [np.inf]))
        return np.diff(special.ndtr((edges - mean) / std))

    def _saturate(self, full: np.ndarray, offset: int) -> np.ndarray:
        """Fold a density on indices -offset..: mass beyond ±K onto ±K."""
        K = self.K
        out = full[offset - K: offset + K + 1].copy()
        out[0] += full[: offset - K].sum()
        out[-1] += full[offset + K + 1:].sum()
        return np.maximum(out, 0.0)

    def _check(self, v: np.ndarray) -> np.ndarray:
        out = np.zeros_like(v)
        power, tmp = v.copy(), np.empty_like(v)
        jmax = max(self.ensemble.rho)
        for j in range(2, jmax + 1):
            if j in self.ensemble.rho:
                out += self.ensemble.rho[j] * power
            if j < jmax:
                _check_pair(power, v, self.table, tmp)
                power, tmp = tmp, power
        return out / out.sum()

    def error_probability(self, density: np.ndarray) -> float:
        """P(L < 0) + P(L = 0)/2."""
        return float(density[: self.K].sum() + 0.5 * density[self.K])

    def run(self, sigma: float, iterations: int = 1000) -> np.ndarray:
        """Error probability of variable-to-check messages per iteration; stops below 1e-10
        or when it no longer decreases."""
        channel = self.channel_density(sigma)
        v = channel.copy()
        out = [self.error_probability(v)]
        for _ in range(iterations):
            u = self._check(v)
            v = self._variable_mix(channel, u)
            pe = self.error_probability(v)
            out.append(pe)
            if pe < TARGET or pe >= out[-2] * (1.0 - 1e-9):
                break
        return np.array(out)

    def _variable_mix(self, channel: np.ndarray, check: np.ndarray) -> np.ndarray:
        """Σ_i λ_i · (channel ⊛ check^{⊛(i-1)}), each term convolved by FFT and saturated."""
        K, size = self.K, 2 * self.K + 1
        out = np.zeros(size)
        for d, frac in self.ensemble.lam.items():
            length = size * d
            n_fft = 1 << int(math.ceil(math.log2(length)))
            f = np.fft.rfft(channel, n_fft) * np.fft.rfft(check, n_fft) ** (d - 1)
            full = np.fft.irfft(f, n_fft)[: size * d - (d - 1)]
            out += frac * self._saturate(full, d * K)
        return out / out.sum()


@dataclass(frozen=True)
class Threshold:
    """A BI-AWGN threshold: noise σ*, Eb/N0* = 1/(2Rσ*²) in dB, and how it was found."""

    sigma: float
    ebn0_db: float
    rate: float
    method: str

    def as_dict(self) -> dict:
        return {"threshold": self.sigma, "ebn0_db": self.ebn0_db, "rate": self.rate, "method": self.method}


def sigma_to_ebn0_db(sigma: float, rate: float) -> float:
    """Eb/N0 in dB of BPSK with noise σ at rate R: 10 log10(1/(2Rσ²))."""
    return 10.0 * math.log10(1.0 / (2.0 * rate * sigma * sigma))


def biawgn_threshold(ensemble: Ensemble | Protograph, method: str = "ga", rule: str = "sum-product",
                     tol: float = 1e-5, step: float = 0.05, llr_max: float = 20.0, phi: str = "chung",
                     bracket: tuple[float, float] = (0.3, 0.5)) -> Threshold:
    """σ* of an ensemble on the BI-AWGN channel: ``method="ga"`` (Gaussian approximation,
    PEXIT for a protograph) or ``"de"`` (quantised DE of ``rule``, degree distributions only).

    >>> round(biawgn_threshold(Ensemble.regular(3, 6), "de", rule="min-sum", tol=1e-3).sigma, 2)
    0.82
    """
    if method == "ga":
        if isinstance(ensemble, Protograph):
            ok = lambda s: protograph_ga(ensemble, s)[-1] > 1.0 - PEXIT_TARGET
        else:
            ok = lambda s: ga_de(ensemble, s, phi=phi)[-1] > 4000.0
    elif method == "de":
        de = QuantisedDE(ensemble, rule, step, llr_max)
        ok = lambda s: de.run(s)[-1] < TARGET
    else:
        raise ShannonlabError(f"method: must be 'de' or 'ga', got {method!r}")
    lo, hi = bracket
    while ok(hi) and hi < 10.0:
        lo, hi = hi, hi * 1.25
    while not ok(lo) and lo > 1e-3:
        hi, lo = lo, lo / 1.25
    sigma = _bisect(ok, lo, hi, tol)
    name = (f"ga (phi {phi})" if not isinstance(ensemble, Protograph) else "ga (pexit)") if method == "ga" else f"de ({rule}, step {step})"
    return Threshold(sigma, sigma_to_ebn0_db(sigma, ensemble.rate), ensemble.rate, name)


def threshold_table(ensembles, methods=("bec", "ga", "de")) -> list[dict]:
    """One row per ensemble: rate, ε* (BEC) and σ*, Eb/N0* for each BI-AWGN method
    (``de`` is skipped for protographs, which get ``ga`` = PEXIT).

    >>> rows = threshold_table([Ensemble.regular(3, 6)], methods=("bec",))
    >>> rows[0]["ensemble"], round(rows[0]["bec_epsilon"], 4)
    ('(3,6)', 0.4294)
    """
    rows = []
    for e in ensembles:
        row = {"ensemble": e.name, "rate": e.rate}
        if "bec" in methods:
            row["bec_epsilon"] = bec_threshold(e)
        for m in ("ga", "de"):
            if m in methods and not (m == "de" and isinstance(e, Protograph)):
                t = biawgn_threshold(e, m)
                row[f"{m}_sigma"], row[f"{m}_ebn0_db"] = t.sigma, t.ebn0_db
        rows.append(row)
    return rows
