r"""Continuous channels written as discrete matrices, for Blahut–Arimoto.

Capacity studies (``kind: capacity``) check the closed forms against Blahut–Arimoto on the
channel as a matrix :math:`W[x, y]`. The real AWGN channel :math:`y = x + z`,
:math:`z \sim \mathcal N(0, 1)` (lengths in units of the noise standard deviation), becomes:

* outputs quantised into bins of width Δ = ``output_step`` over the inputs' range ±
  ``output_margin``, the two tails folded into the end bins (:func:`quantised_awgn_matrix`);
* for Gaussian input, inputs on a grid of step ``input_step`` over ±``input_span``·√P with
  cost x², for the power-constrained Blahut–Arimoto (:func:`gaussian_input_grid`).

Quantising the output loses information; for a fine step Δ the loss is about

.. math::  \Delta I \approx \frac{\Delta^2}{24}\big(J(Y\mid X) - J(Y)\big)\ \text{nats},

J the Fisher information of the densities; for Gaussian input J(Y|X) = 1/σ², J(Y) = 1/(σ²+P),
so :math:`\Delta I \approx \frac{\Delta^2}{24}\frac{P}{1+P}` (:func:`quantisation_loss_bits`).

Example
-------
>>> W = quantised_awgn_matrix(np.array([-1.0, 1.0]), step=0.5, margin=4.0)
>>> W.shape, bool(np.allclose(W.sum(axis=1), 1.0))
((2, 20), True)
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PositiveFloat
from scipy.special import ndtr

from .units import LN2

#: Largest matrix (inputs x outputs x 8 bytes) a discretisation may ask for.
MAX_MATRIX_BYTES = 2 << 30


class Discretisation(BaseModel):
    """How the AWGN channels become matrices (lengths in units of the noise standard deviation)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    output_step: PositiveFloat = Field(0.05, le=1.0, description="output bin width Δ")
    output_margin: PositiveFloat = Field(8.0, ge=3.0, le=40.0, description="outputs cover the inputs' range ± this")
    input_step: PositiveFloat = Field(0.25, le=1.0, description="gaussian: input grid step")
    input_span: PositiveFloat = Field(7.0, ge=3.0, le=40.0, description="gaussian: inputs cover ± this × sqrt(P)")


def _check_size(inputs: int, outputs: int, what: str) -> None:
    needed = inputs * outputs * 8
    if needed > MAX_MATRIX_BYTES:
        raise ValueError(
            f"{what}: a {inputs} x {outputs} channel matrix needs {needed / 2**30:.1f} GiB, more than the "
            f"{MAX_MATRIX_BYTES / 2**30:.0f} GiB allowed (use a coarser discretisation or a lower SNR)"
        )


def quantised_awgn_matrix(x: np.ndarray, step: float, margin: float) -> np.ndarray:
    """W[i, j] = P(y in bin j | x_i) for y = x + N(0, 1), bins of width ``step`` over
    [min x - margin, max x + margin], the two tails folded into the end bins; outputs no
    input reaches (to double precision) are dropped."""
    count = int(math.ceil((x.max() - x.min() + 2 * margin) / step))
    _check_size(x.size, count, "discretisation.output_step")
    edges = x.min() - margin + step * np.arange(1, count)
    cdf = ndtr(edges[None, :] - x[:, None])
    W = np.diff(np.hstack([np.zeros((x.size, 1)), cdf, np.ones((x.size, 1))]), axis=1)
    W[W < 1e-30] = 0.0  # keeps every product p_x W_xy inside double range
    W /= W.sum(axis=1, keepdims=True)
    return W[:, W.sum(axis=0) > 0]


def gaussian_input_grid(power: float, step: float, span: float) -> np.ndarray:
    """Inputs k·step for |k·step| <= span·sqrt(power): the grid on which Gaussian input is
    approximated (cost x²)."""
    half = math.ceil(span * math.sqrt(power) / step)
    _check_size(2 * half + 1, 1, "discretisation.input_step")
    return step * np.arange(-half, half + 1)


def quantisation_loss_bits(power: float, output_step: float) -> float:
    """Output-quantisation loss Δ²/24 · P/(1+P) nats of Gaussian input, in bits.

    >>> round(quantisation_loss_bits(1.0, 0.05) * 1e6, 3)
    75.14
    """
    return output_step**2 / 24.0 * power / (1.0 + power) / LN2
