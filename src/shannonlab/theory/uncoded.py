r"""Exact error rates of uncoded transmission: the reference every coded curve is drawn
against. :math:`\gamma = E_s/N_0` per complex symbol of unit energy, noise
:math:`\mathcal{CN}(0, N_0)` (variance N0/2 per real dimension); on fading channels
:math:`\gamma` is the average received Es/N0 and the receiver knows the gain.

* BPSK (and each rail of Gray QPSK) on AWGN: :math:`P_b = Q\big(\sqrt{2E_s/N_0}\big)`.
* M-PAM and square M-QAM, Gray labels, bits decided by the nearest point (max-log
  demapping): Cho & Yoon (2002), exact. On a rail of L points spaced 2a in noise σ,

  .. math:: P_b = \frac{1}{\log_2 L}\sum_{k=1}^{\log_2 L}\frac{1}{L}
            \sum_{i=0}^{(1-2^{-k})L-1} (-1)^{\lfloor i 2^{k-1}/L\rfloor}
            \Big(2^{k-1} - \big\lfloor \tfrac{i 2^{k-1}}{L} + \tfrac12\big\rfloor\Big)\,
            2Q\big((2i+1)\,a/\sigma\big),

  :math:`a/\sigma = \sqrt{3\gamma/(M-1)}` for M-QAM (L = √M per rail) and
  :math:`\sqrt{6\gamma/(M^2-1)}` for M-PAM. SER: :math:`P_L = 2(1 - 1/L)Q(a/\sigma)`, QAM
  :math:`1 - (1 - P_{\sqrt M})^2`.
* M-PSK: with Pawula's :math:`F(\psi) = P(\psi \le \phi \le \pi) = \frac{1}{2\pi}
  \int_0^{\pi-\psi}\exp\!\big(-\gamma\frac{\sin^2\psi}{\sin^2\theta}\big)d\theta` of the
  received phase, SER :math:`= 2F(\pi/M)` (Craig 1991) and the Gray BER
  :math:`\frac1m\sum_k P(\text{sector } k)\,\bar d_H(k)`, :math:`\bar d_H(k)` the mean
  Hamming distance between labels k positions apart (Lee 1986).
* Fading: every Q term above is averaged exactly, :math:`E\,Q(c\sqrt{\gamma g})` (Rayleigh
  in closed form; for BPSK :math:`\frac12\big(1 - \sqrt{\gamma/(1+\gamma)}\big)`, whose
  slope at high SNR is :math:`1/(4\gamma)`: diversity order 1), and the exponential in F by
  the fading's MGF (:mod:`.fading`).

Bits decided by the sign of the *exact* log-MAP LLR of a PAM or QAM rail are not quite the
bits of the nearest point (the MAP boundaries move with the SNR): :func:`rail_map_ber` gives
their exact error rate by locating those boundaries.

Example
-------
>>> round(bpsk_ber(1.0), 6)  # Es/N0 = 0 dB
0.07865
>>> round(qam_ber(16, 10.0), 7)  # 16-QAM at Es/N0 = 10 dB
0.0589927
>>> round(psk_ser(2, 1.0), 6) == round(bpsk_ber(1.0), 6)
True
>>> round(bpsk_rayleigh_ber(100.0) * 4 * 100.0, 2)  # 20 dB: 1/(4 gamma)
0.99
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, optimize, special

from .fading import check_fading, fading_average, mgf, q_average
from .units import db_to_linear, q_function


def bpsk_ber(esn0: float) -> float:
    """Bit-error probability of BPSK on AWGN at linear Es/N0: Q(sqrt(2 Es/N0))."""
    return float(q_function(math.sqrt(2.0 * esn0)))


def bpsk_rayleigh_ber(esn0: float) -> float:
    r"""BPSK on Rayleigh fading with the gain known: :math:`\frac12(1 - \sqrt{\gamma/(1+\gamma)})`."""
    return 0.5 * (1.0 - math.sqrt(esn0 / (1.0 + esn0)))


def diversity_order(ber, esn0_db: float, step_db: float = 1.0) -> float:
    """The slope -d log10(BER)/d log10(Es/N0) of ``ber`` (a function of linear Es/N0)
    between esn0_db and esn0_db + step_db: 1 for one Rayleigh branch at high SNR."""
    a, b = db_to_linear(esn0_db), db_to_linear(esn0_db + step_db)
    return -(math.log10(ber(b)) - math.log10(ber(a))) / (step_db / 10)


def _q(c: float, esn0: float, fading: str, k_factor: float | None) -> float:
    """E[Q(c sqrt(esn0 g))]."""
    return float(q_function(c * math.sqrt(esn0))) if fading == "awgn" else q_average(c, esn0, fading, k_factor)


def gray_rail_ber(L: int, c: float, esn0: float, fading: str = "awgn", k_factor: float | None = None) -> float:
    """Cho & Yoon's exact BER of an L-point Gray PAM rail whose half-spacing over the noise
    standard deviation is a/σ = c·sqrt(Es/N0) (nearest-point decisions)."""
    h = L.bit_length() - 1
    total = 0.0
    for k in range(1, h + 1):
        part = 0.0
        for i in range(int((1 - 2.0**-k) * L)):
            sign = -1.0 if (i * 2 ** (k - 1) // L) % 2 else 1.0
            weight = 2 ** (k - 1) - math.floor(i * 2 ** (k - 1) / L + 0.5)
            part += sign * weight * 2.0 * _q((2 * i + 1) * c, esn0, fading, k_factor)
        total += part / L
    return total / h


def pam_ber(M: int, esn0: float, fading: str = "awgn", k_factor: float | None = None) -> float:
    """Gray M-PAM bit-error rate (Cho & Yoon), a/σ = sqrt(6 Es/N0/(M²-1))."""
    return gray_rail_ber(M, math.sqrt(6.0 / (M * M - 1.0)), esn0, fading, k_factor)


def pam_ser(M: int, esn0: float, fading: str = "awgn", k_factor: float | None = None) -> float:
    """M-PAM symbol-error rate 2(1 - 1/M) Q(a/σ)."""
    return 2.0 * (1.0 - 1.0 / M) * _q(math.sqrt(6.0 / (M * M - 1.0)), esn0, fading, k_factor)


def qam_ber(M: int, esn0: float, fading: str = "awgn", k_factor: float | None = None) -> float:
    """Gray square M-QAM bit-error rate (Cho & Yoon 2002): the rail BER with a/σ = sqrt(3 Es/N0/(M-1))."""
    return gray_rail_ber(math.isqrt(M), math.sqrt(3.0 / (M - 1.0)), esn0, fading, k_factor)


def qam_ser(M: int, esn0: float, fading: str = "awgn", k_factor: float | None = None) -> float:
    """Square M-QAM symbol-error rate 1 - (1 - P_L)², P_L = 2(1 - 1/L)Q(a/σ), on AWGN; on
    fading the average of that (the square does not average term by term)."""
    L = math.isqrt(M)
    c = math.sqrt(3.0 / (M - 1.0))
    if fading == "awgn":
        p = 2.0 * (1.0 - 1.0 / L) * float(q_function(c * math.sqrt(esn0)))
        return 1.0 - (1.0 - p) ** 2
    return fading_average(lambda s: qam_ser(M, s), esn0, fading, k_factor)


def _psk_tail(psi: float, esn0: float, fading: str, k_factor: float | None) -> float:
    """F(psi) = P(psi <= phase <= pi), averaged over the fading through its MGF."""
    if psi <= 0.0:
        return 0.5
    if psi >= math.pi:
        return 0.0
    s2 = math.sin(psi) ** 2
    f = lambda t: float(mgf(s2 / math.sin(t) ** 2, esn0, fading, k_factor)) if t > 0 else 0.0
    return integrate.quad(f, 0.0, math.pi - psi, epsabs=0.0, epsrel=1e-12, limit=200)[0] / (2.0 * math.pi)


def psk_ser(M: int, esn0: float, fading: str = "awgn", k_factor: float | None = None) -> float:
    """M-PSK symbol-error rate 2F(π/M) (Craig's integral; on fading, its MGF form)."""
    check_fading(fading, k_factor)
    return 2.0 * _psk_tail(math.pi / M, esn0, fading, k_factor)


def psk_ber(M: int, esn0: float, fading: str = "awgn", k_factor: float | None = None) -> float:
    """Gray M-PSK bit-error rate: sector probabilities of the received phase times the mean
    Hamming distance of the labels that far apart, over m bits (exact)."""
    check_fading(fading, k_factor)
    m = M.bit_length() - 1
    if M == 2:
        return psk_ser(2, esn0, fading, k_factor)
    g = np.arange(M) ^ (np.arange(M) >> 1)
    edges = [_psk_tail((2 * k - 1) * math.pi / M, esn0, fading, k_factor) for k in range(1, M // 2 + 1)]
    total = 0.0
    for k in range(1, M):
        j = min(k, M - k)  # the phase is symmetric: sector k and M - k are equally likely
        # sector j spans ((2j-1)pi/M, (2j+1)pi/M); the one opposite (j = M/2) straddles pi
        p = 2.0 * edges[j - 1] if j == M // 2 else edges[j - 1] - edges[j]
        distance = np.mean([bin(int(g[i] ^ g[(i + k) % M])).count("1") for i in range(M)])
        total += p * distance
    return total / m


def rail_map_ber(amplitudes: np.ndarray, rail_bits: np.ndarray, n0: float) -> float:
    r"""Exact BER of bits decided by the sign of the exact log-MAP LLR on a real rail
    (amplitudes (L,), labels' bits (L, r)) with noise variance N0/2: the boundaries where
    an LLR changes sign are located (bracketed on a fine grid, then Brent), and each
    amplitude's wrong-side Gaussian mass is summed."""
    a = np.asarray(amplitudes, dtype=float)
    bits = np.asarray(rail_bits)
    sigma = math.sqrt(n0 / 2.0)
    L, r = bits.shape
    total = 0.0

    def llr(y, k):
        d = -((np.asarray(y, dtype=float)[..., None] - a) ** 2) / n0
        return special.logsumexp(d[..., bits[:, k] == 0], axis=-1) - special.logsumexp(d[..., bits[:, k] == 1], axis=-1)

    span = np.abs(a).max() + 12 * sigma
    grid = np.linspace(-span, span, 4001)
    for k in range(r):
        values = llr(grid, k)
        roots = [optimize.brentq(llr, grid[i], grid[i + 1], args=(k,), xtol=1e-14)
                 for i in np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))]
        edges = [-math.inf] + roots + [math.inf]
        for j in range(L):
            for lo, hi in zip(edges[:-1], edges[1:]):
                mid = 0.0 if math.isinf(lo) and math.isinf(hi) else (
                    hi - 1.0 if math.isinf(lo) else lo + 1.0 if math.isinf(hi) else 0.5 * (lo + hi))
                decided_one = float(llr(mid, k)) < 0
                if decided_one != bool(bits[j, k]):
                    total += float(special.ndtr((hi - a[j]) / sigma) - special.ndtr((lo - a[j]) / sigma))
    return total / (L * r)
