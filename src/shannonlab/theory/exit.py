r"""EXIT charts (ten Brink 2001): transfer curves of mutual information between the code bits
and the decoders' messages, analytic for LDPC ensembles, measured for a convolutional
code's BCJR, and the decoding trajectory measured from a real decoder.

All mutual informations are in bits, with J from :mod:`.gaussian_llr`.

* **LDPC variable nodes** of degree i, channel :math:`\sigma_{ch}^2 = 8R\,E_b/N_0`
  (= 4/σ²): :math:`I_{E,V}(I_A) = \sum_i \lambda_i\,J\big(\sqrt{(i-1)\,J^{-1}(I_A)^2 + \sigma_{ch}^2}\big)`.
* **LDPC check nodes** (the duality approximation of ten Brink, Kramer, Ashikhmin 2004):
  :math:`I_{E,C}(I_A) = \sum_j \rho_j\big(1 - J\big(\sqrt{j-1}\;J^{-1}(1 - I_A)\big)\big)`.
  Decoding converges when the VN curve lies above the inverse CN curve; the chart's tunnel
  closes near the GA threshold.
* **Measured transfer curves** (:func:`bcjr_transfer_curve`): a-priori LLRs on the
  information bits drawn as consistent Gaussians, :math:`L_A = \tfrac{\sigma_A^2}{2}x + \sigma_A n`
  with :math:`\sigma_A = J^{-1}(I_A)` (x = ±1), the channel at Eb/N0, the code's own
  ``decode_llr(llr, apriori)`` (BCJR) and the extrinsic :math:`L_E = L_{APP} - L_A`; its
  information by the averaging estimator
  :math:`I = 1 - \mathbb E\,\log_2(1 + e^{-xL})` (exact for consistent LLRs, and the
  one used by the trajectory too).
* **Trajectory** (:func:`ldpc_trajectory`): a small reference flooding sum-product decoder
  here in theory/ (numpy over the edges of H, all-zero codeword, which BP's symmetry makes
  representative) records the information of the variable-to-check and check-to-variable
  messages after every iteration. It is this module's own decoder, not the project's SIMD
  kernel in ``codes/ldpc/decoding.py`` (whose public interface returns only a-posteriori
  LLRs), so it is exact BP on the same graph and shows the messages themselves.

Example
-------
>>> from shannonlab.theory.ensembles import Ensemble
>>> ia = np.array([0.0, 0.5, 1.0])
>>> vn, cn = ldpc_exit_curves(Ensemble.regular(3, 6), 1.5, ia)
>>> [round(float(v), 3) for v in vn], [round(float(c), 3) for c in cn]
([0.602, 0.884, 1.0], [0.0, 0.044, 1.0])
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from ..errors import ShannonlabError
from . import gaussian_llr
from .ensembles import Ensemble
from .units import db_to_linear


def channel_sigma2(ebn0_db: float, rate: float) -> float:
    """σ_ch² = 8 R Eb/N0: J⁻¹ of the BPSK channel LLR's information (variance of L)."""
    return 8.0 * rate * db_to_linear(ebn0_db)


def mutual_information(llr: np.ndarray, bits: np.ndarray | None = None) -> float:
    r"""Averaging estimate of I(X; L) for LLRs of bits (all zero when ``bits`` is None):
    :math:`1 - \mathbb E\,\log_2(1 + e^{-xL})`, x = 1 − 2b.

    >>> rng = np.random.default_rng(0)
    >>> L = 2.0 + 2.0 * rng.standard_normal(200000)                 # consistent, sigma = 2
    >>> round(mutual_information(L), 2), round(float(gaussian_llr.j_function(2.0)), 2)
    (0.49, 0.49)
    """
    llr = np.asarray(llr, dtype=float)
    x = 1.0 if bits is None else 1.0 - 2.0 * np.asarray(bits, dtype=float)
    return float(1.0 - np.mean(np.logaddexp(0.0, -x * llr)) / math.log(2.0))


def ldpc_exit_curves(ensemble: Ensemble, ebn0_db: float, information: np.ndarray, rate: float | None = None):
    """(I_E,V, I_E,C) at a-priori informations ``information`` for an ensemble at Eb/N0 (dB)."""
    rate = ensemble.rate if rate is None else rate
    ia = np.clip(np.asarray(information, dtype=float), 0.0, 1.0)
    ch = channel_sigma2(ebn0_db, rate)
    s2 = 2.0 * gaussian_llr.mean_of_j(ia)
    vn = sum(f * gaussian_llr.j_of_mean(0.5 * ((d - 1) * s2 + ch)) for d, f in ensemble.lam.items())
    s2c = 2.0 * gaussian_llr.mean_of_j(1.0 - ia)
    cn = sum(f * (1.0 - gaussian_llr.j_of_mean(0.5 * (d - 1) * s2c)) for d, f in ensemble.rho.items())
    return np.asarray(vn), np.asarray(cn)


def exit_tunnel_open(ensemble: Ensemble, ebn0_db: float, points: int = 2001) -> bool:
    """Whether the VN curve stays above the inverse CN curve on [0, 1) (an open tunnel)."""
    ia = np.linspace(0.0, 1.0 - 1e-6, points)
    vn, _ = ldpc_exit_curves(ensemble, ebn0_db, ia)
    # the CN curve maps I_E,V to the next a-priori I_A,V: iterate once, compare
    _, cn_of_vn = ldpc_exit_curves(ensemble, ebn0_db, vn)
    return bool(np.all(cn_of_vn[:-1] > ia[:-1] + 1e-9))


def gaussian_apriori(bits: np.ndarray, information: float, rng: np.random.Generator) -> np.ndarray:
    """Consistent Gaussian a-priori LLRs of ``bits`` carrying ``information`` bits each."""
    sigma = float(gaussian_llr.j_inverse(information))
    x = 1.0 - 2.0 * np.asarray(bits, dtype=float)
    return 0.5 * sigma * sigma * x + sigma * rng.standard_normal(x.shape)


def bcjr_transfer_curve(code, ebn0_db: float, information: np.ndarray, rng: np.random.Generator,
                        frames: int = 200) -> np.ndarray:
    """Measured I_E(I_A) of a convolutional code's BCJR (its public ``decode_llr``) on BPSK/AWGN
    at ``ebn0_db``: a-priori on the information bits, extrinsic = APP − a-priori."""
    if not hasattr(code, "decode_llr"):
        raise ShannonlabError("code: a BCJR transfer curve needs a code with decode_llr(llr, apriori)")
    sigma = math.sqrt(1.0 / (2.0 * code.rate * db_to_linear(ebn0_db)))
    out = []
    for ia in np.atleast_1d(information):
        u = rng.integers(0, 2, (frames, code.k), dtype=np.uint8)
        y = 1.0 - 2.0 * code.encode(u) + sigma * rng.standard_normal((frames, code.n))
        la = gaussian_apriori(u, float(ia), rng) if ia > 0 else np.zeros(u.shape)
        app = code.decode_llr(2.0 * y / sigma ** 2, la)
        out.append(mutual_information(app - la, u))
    return np.array(out)


def demapper_transfer_curve(constellation, esn0_db: float, information: np.ndarray, rng: np.random.Generator,
                            symbols: int = 20000) -> np.ndarray:
    r"""Measured I_E(I_A) of a constellation's bit demapper on complex AWGN at ``esn0_db``
    (Es/N0 per symbol, Es = 1), the transfer curve of BICM with iterative demapping.

    The a-priori LLRs of the m bits of a symbol are consistent Gaussian with ``information``
    bits each; the extrinsic LLR of bit i leaves out its own a-priori,

    .. math::  L_E(b_i) = \lnrac{\sum_{x:\,b_i(x)=0} e^{-|y-x|^2/N_0 + \sum_{j
e i} L_A(b_j)(1-2b_j(x))/2}}
                                 {\sum_{x:\,b_i(x)=1} e^{-|y-x|^2/N_0 + \sum_{j
e i} L_A(b_j)(1-2b_j(x))/2}},

    and I_E is measured from L_E by :func:`mutual_information`. Gray labels give an almost
    flat curve (little to gain from iterating), set-partition labels a rising one
    (ten Brink 2001). ``constellation`` is a :class:`shannonlab.modulation.Constellation`
    (any object with ``points_by_label`` and ``m``).

    >>> class BPSK:  # a 1-bit constellation: a-priori on no other bit, the curve is flat
    ...     points_by_label, m = np.array([1.0 + 0j, -1.0 + 0j]), 1
    >>> curve = demapper_transfer_curve(BPSK(), 0.0, np.array([0.0, 0.9]), np.random.default_rng(1))
    >>> bool(abs(curve[0] - curve[1]) < 0.02)
    True
    """
    points = np.asarray(constellation.points_by_label, dtype=np.complex128)
    m = int(constellation.m)
    labels = np.arange(points.size)
    bits_of_label = ((labels[:, None] >> np.arange(m - 1, -1, -1)[None, :]) & 1).astype(np.int8)  # MSB first
    signs = 1.0 - 2.0 * bits_of_label  # (M, m)
    n0 = 1.0 / db_to_linear(esn0_db)
    out = []
    for ia in np.atleast_1d(information):
        sent = rng.integers(0, points.size, symbols)
        bits = bits_of_label[sent]
        noise = math.sqrt(n0 / 2.0) * (rng.standard_normal(symbols) + 1j * rng.standard_normal(symbols))
        y = points[sent] + noise
        la = gaussian_apriori(bits, float(ia), rng) if ia > 0 else np.zeros(bits.shape)
        metric = -np.abs(y[:, None] - points[None, :]) ** 2 / n0 + 0.5 * la @ signs.T  # (S, M)
        extrinsic = np.empty(bits.shape)
        for i in range(m):
            zero, one = bits_of_label[:, i] == 0, bits_of_label[:, i] == 1
            extrinsic[:, i] = (np.logaddexp.reduce(metric[:, zero], axis=1)
                               - np.logaddexp.reduce(metric[:, one], axis=1) - la[:, i])
        out.append(mutual_information(extrinsic, bits))
    return np.array(out)


class ReferenceBP:
    """Flooding sum-product on the Tanner graph of H for a batch of frames (numpy over edges),
    recording the information of its messages; for trajectories, not speed."""

    def __init__(self, H):
        H = sp.csr_matrix(H)
        coo = H.tocoo()
        order = np.lexsort((coo.col, coo.row))
        self.rows, self.cols = coo.row[order], coo.col[order]
        self.m, self.n = H.shape
        e = len(self.rows)
        self.to_cols = sp.csr_matrix((np.ones(e), (np.arange(e), self.cols)), shape=(e, self.n))
        self.to_rows = sp.csr_matrix((np.ones(e), (np.arange(e), self.rows)), shape=(e, self.m))

    def run(self, channel_llr: np.ndarray, iterations: int):
        """Per iteration l = 1..I: (I of variable-to-check, I of check-to-variable,
        a-posteriori bit error rate), all-zero codeword assumed."""
        ch = np.asarray(channel_llr, dtype=float)
        c2v = np.zeros((ch.shape[0], len(self.rows)))
        iv, ic, ber = [], [], []
        for _ in range(iterations):
            total = ch + (self.to_cols.T @ c2v.T).T
            v2c = total[:, self.cols] - c2v
            iv.append(mutual_information(v2c))
            t = np.tanh(np.clip(v2c, -40.0, 40.0) / 2.0)
            sign = np.where(t < 0, -1.0, 1.0)
            log_mag = np.log(np.maximum(np.abs(t), 1e-300))
            neg = (self.to_rows.T @ (sign < 0).T.astype(float)).T
            row_log = (self.to_rows.T @ log_mag.T).T
            prod_sign = np.where((neg[:, self.rows] - (sign < 0)) % 2 == 1, -1.0, 1.0)
            mag = np.exp(np.minimum(row_log[:, self.rows] - log_mag, 0.0))
            c2v = 2.0 * np.arctanh(np.clip(prod_sign * mag, -1 + 1e-15, 1 - 1e-15))
            ic.append(mutual_information(c2v))
            post = ch + (self.to_cols.T @ c2v.T).T
            ber.append(float(np.mean(post < 0) + 0.5 * np.mean(post == 0)))
        return np.array(iv), np.array(ic), np.array(ber)


def ldpc_trajectory(H, ebn0_db: float, iterations: int, rng: np.random.Generator, frames: int = 20,
                    rate: float | None = None):
    """The measured trajectory of sum-product decoding of the code with check matrix H on
    BPSK/AWGN: (I_E,V per iteration, I_E,C per iteration, BER per iteration)."""
    H = sp.csr_matrix(H)
    rate = (H.shape[1] - H.shape[0]) / H.shape[1] if rate is None else rate
    sigma = math.sqrt(1.0 / (2.0 * rate * db_to_linear(ebn0_db)))
    y = 1.0 + sigma * rng.standard_normal((frames, H.shape[1]))
    return ReferenceBP(H).run(2.0 * y / sigma ** 2, iterations)
