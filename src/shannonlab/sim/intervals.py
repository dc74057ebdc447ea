r"""95 % confidence intervals for the error rates a simulation reports.

FER: frames are independent trials, so the exact Clopper–Pearson interval applies.

BER: bit errors are *not* independent -- a decoder failure flips many bits of one frame at
once -- so a binomial interval over all bits would be far too narrow for coded systems. The
frame is the independent unit. We measure how much the clustering inflates the variance of
the BER estimate (Kish's design effect, from the per-frame error counts):

.. math::
    \mathrm{deff} = \frac{\widehat{\mathrm{Var}}(\hat p)}{\hat p(1-\hat p)/(F k)},\qquad
    \widehat{\mathrm{Var}}(\hat p) = \frac{1}{F}\,\frac{\sum_i x_i^2 - F\bar x^2}{F-1},\quad
    x_i = e_i / k,

and use the Clopper–Pearson interval with the *effective* number of bits
:math:`F k/\mathrm{deff}` (deff >= 1) and effective errors :math:`\hat p\,F k/\mathrm{deff}`.
For independent errors (uncoded, BSC) deff is about 1 and this is the exact binomial
interval; for bursty decoder errors it widens as much as the data show. Because
BER <= FER for every frame, the BER interval's upper end never exceeds FER's.

With no bit error at all there is no design effect to measure: the upper end is the
Clopper–Pearson bound of the bits actually simulated, 1 − 0.025^(1/(F k)) ≈ 3.7/(F k)
(about 3/bits at one-sided 95 %), capped by FER's. It is the bound for bit errors as
independent as the bits; a decoder whose failures flip many bits at once can exceed it
by up to the number of bits a failure flips, which FER's bound (``fer_high``, about
3.7/F) covers without that assumption.
"""

from __future__ import annotations

from scipy import stats

CONFIDENCE = 0.95


def clopper_pearson(errors: float, trials: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact binomial interval for ``errors`` successes out of ``trials`` (real counts allowed).

    >>> low, high = clopper_pearson(0, 100)
    >>> low, round(high, 4)
    (0.0, 0.0362)
    """
    if trials <= 0:
        return 0.0, 1.0
    alpha = 1.0 - confidence
    low = 0.0 if errors <= 0 else float(stats.beta.ppf(alpha / 2, errors, trials - errors + 1))
    high = 1.0 if errors >= trials else float(stats.beta.ppf(1 - alpha / 2, errors + 1, trials - errors))
    return low, high


def ber_interval(
    bit_errors: int, bit_errors_sq: float, frames: int, k: int, fer_high: float, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Design-effect-corrected Clopper–Pearson interval for the BER (see module doc).

    ``bit_errors_sq`` is the sum over frames of the squared number of bit errors.
    """
    bits = frames * k
    if bits == 0:
        return 0.0, 1.0
    if bit_errors == 0:
        return 0.0, min(clopper_pearson(0, bits, confidence)[1], fer_high)
    p = bit_errors / bits
    deff = float(k)  # one frame: nothing tells its bits apart, so it counts as one trial
    if frames > 1 and 0 < p < 1:
        mean_x = p
        sum_x2 = bit_errors_sq / (k * k)
        var_x = max(0.0, (sum_x2 - frames * mean_x * mean_x) / (frames - 1))
        deff = max(1.0, (var_x / frames) / (p * (1 - p) / bits))
    effective_bits = bits / deff
    low, high = clopper_pearson(p * effective_bits, effective_bits, confidence)
    return low, min(high, fer_high)
