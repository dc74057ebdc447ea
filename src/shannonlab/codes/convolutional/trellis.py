r"""Trellis construction for rate-1/n convolutional codes given by octal generators.

Convention (the one of MATLAB's ``poly2trellis``, 802.11 and most textbooks): a generator
of constraint length K is a K-bit number whose most significant bit taps the current input
and whose least significant bit taps the input K − 1 steps back. With the register
:math:`r_t = (w_t, w_{t-1}, \dots, w_{t-K+1})` read as a K-bit integer (:math:`w_t` the MSB)
output j at time t is the parity :math:`c_{t,j} = \langle g_j, r_t\rangle \bmod 2`.

Feed-forward codes have :math:`w_t = u_t`. A recursive code with feedback polynomial f
(its MSB must be 1) has :math:`w_t = u_t \oplus \langle f \bmod 2^{K-1}, s_t\rangle`, so each
output is :math:`g_j(D)/f(D)` times the input; a generator equal to f gives the systematic
output (``generators: ["13", "15"], feedback: "13"`` is the (1, 15/13) code of LTE turbo).

The state is :math:`s_t = (w_{t-1}, \dots, w_{t-K+1})`, m = K − 1 bits, and the next state
is :math:`s_{t+1} = (w_t \ll (m-1)) \,|\, (s_t \gg 1)`. States 2j and 2j+1 both lead to
j (w = 0) and j + 2^{m-1} (w = 1): the *butterfly* that the decoders loop over.

Tables are indexed by the register bit w (``out_w[s, w]``: the output label, bit j of the
label is output j; ``inp_w[s, w]``: the input u that makes w) and, for the encoder, by the
input u (``next_u``, ``out_u``); ``tail_input[s]`` is the input that drives w to 0.

Example
-------
>>> t = Trellis.from_octal(["133", "171"])
>>> (t.K, t.n, t.num_states)
(7, 2, 64)
>>> t.free_distance()
10
>>> [int(t.spectrum(16)[d][1]) for d in (10, 12, 14, 16)]   # information weights c_d
[36, 211, 1404, 11633]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

MAX_K = 9
MAX_OUTPUTS = 8


def parse_octal(text: str, what: str = "generator") -> int:
    """An octal generator string ("133") as an integer; one-line error otherwise.

    >>> parse_octal("133")
    91
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not re.fullmatch(r"[0-7]+", text.strip()):
        raise ValueError(f"{what} {text!r} is not an octal number (digits 0-7, e.g. '133')")
    value = int(text.strip(), 8)
    if value == 0:
        raise ValueError(f"{what} {text!r} is zero: it taps nothing")
    return value


def _gf2_gcd(a: int, b: int) -> int:
    while b:
        while a.bit_length() >= b.bit_length() and a:
            a ^= b << (a.bit_length() - b.bit_length())
        a, b = b, a
    return a


def _parity(x: int) -> int:
    return bin(x).count("1") & 1


@dataclass
class Trellis:
    """Next-state and output tables of a rate-1/n code with constraint length K.

    Built once per code; the encoder and decoders take its arrays as they are.
    """

    generators: tuple[int, ...]
    K: int
    feedback: int | None = None
    n: int = field(init=False)
    m: int = field(init=False)
    num_states: int = field(init=False)

    def __post_init__(self) -> None:
        K, gens = self.K, self.generators
        self.n, self.m, self.num_states = len(gens), K - 1, 1 << (K - 1)
        S, m = self.num_states, self.m
        fb = self.feedback
        self.next_u = np.zeros((S, 2), np.int32)
        self.out_u = np.zeros((S, 2), np.int32)
        self.out_w = np.zeros((S, 2), np.int32)
        self.inp_w = np.zeros((S, 2), np.uint8)
        self.tail_input = np.zeros(S, np.uint8)
        for s in range(S):
            f_bit = _parity(fb & (S - 1) & s) if fb is not None else 0
            self.tail_input[s] = f_bit
            for w in (0, 1):
                r = (w << m) | s
                label = sum(_parity(g & r) << j for j, g in enumerate(gens))
                u = w ^ f_bit
                self.out_w[s, w] = label
                self.inp_w[s, w] = u
                self.next_u[s, u] = r >> 1
                self.out_u[s, u] = label

    @classmethod
    def from_octal(cls, generators: list[str], constraint_length: int | None = None,
                   feedback: str | None = None) -> Trellis:
        """Validate octal generators (and an optional feedback polynomial) and build the
        tables. K is the longest generator's length unless ``constraint_length`` is given.

        >>> Trellis.from_octal(["7", "5"]).out_w[:2].tolist()
        [[0, 3], [3, 0]]
        """
        if not 2 <= len(generators) <= MAX_OUTPUTS:
            raise ValueError(f"give 2 to {MAX_OUTPUTS} octal polynomials (rate 1/n), got {len(generators)}")
        gens = tuple(parse_octal(g) for g in generators)
        fb = parse_octal(feedback, "feedback") if feedback is not None else None
        longest = max(g.bit_length() for g in gens + ((fb,) if fb else ()))
        K = constraint_length if constraint_length is not None else longest
        if not 3 <= K <= MAX_K:
            raise ValueError(f"constraint length K must be in 3..{MAX_K}, got K = {K} (from generators {list(generators)})")
        for text, g in zip(generators, gens):
            if g.bit_length() > K:
                raise ValueError(f"generator {text!r} has degree {g.bit_length() - 1}, above K - 1 = {K - 1}")
        if fb is not None:
            if fb.bit_length() > K:
                raise ValueError(f"feedback {feedback!r} has degree {fb.bit_length() - 1}, above K - 1 = {K - 1}")
            if not fb >> (K - 1) & 1:
                raise ValueError(f"feedback {feedback!r} must tap the current bit (its leading bit at K = {K} must be 1)")
        else:
            if not any(g >> (K - 1) & 1 for g in gens):
                raise ValueError(f"generators {list(generators)}: none taps the current input at K = {K}")
            if not any(g & 1 for g in gens):
                raise ValueError(f"generators {list(generators)}: none taps the oldest bit, so K = {K} is not the constraint length")
            common = gens[0]
            for g in gens[1:]:
                common = _gf2_gcd(common, g)
            if common & (common - 1):
                raise ValueError(f"generators {list(generators)} make a catastrophic code (common factor {oct(common)[2:]})")
        return cls(gens, K, fb)

    @property
    def recursive(self) -> bool:
        return self.feedback is not None

    def name(self) -> str:
        gens = ",".join(oct(g)[2:] for g in self.generators)
        return f"({gens})" + (f"/{oct(self.feedback)[2:]}" if self.feedback else "")

    def spectrum(self, max_weight: int, puncture: np.ndarray | None = None) -> dict[int, tuple[float, float]]:
        r"""Distance spectrum up to output weight ``max_weight``: {d: (a_d, c_d)}.

        a_d counts the error events (paths leaving state 0 and first returning to it) of
        output weight d, c_d their total information weight. With a puncturing pattern of
        period P both are summed over the P starting phases and divided by P, so that the
        union bound on the bit error rate per information bit is
        :math:`P_b \le \sum_d c_d\,P_d` (Viterbi 1971; Hagenauer 1988 for punctured codes).
        Computed by dynamic programming over (phase, state, weight).

        >>> Trellis.from_octal(["7", "5"]).spectrum(8)
        {5: (1.0, 1.0), 6: (2.0, 4.0), 7: (4.0, 12.0), 8: (8.0, 32.0)}
        """
        S, m, n = self.num_states, self.m, self.n
        mask = np.ones((n, 1), np.uint8) if puncture is None else np.asarray(puncture, np.uint8)
        P = mask.shape[1]
        D = max_weight + 1
        nxt = np.zeros((S, 2), np.int64)
        weight = np.zeros((P, S, 2), np.int64)
        for s in range(S):
            for w in (0, 1):
                nxt[s, w] = ((w << m) | s) >> 1
                label = int(self.out_w[s, w])
                for p in range(P):
                    weight[p, s, w] = sum(((label >> j) & 1) * int(mask[j, p]) for j in range(n))
        a = np.zeros(D)
        c = np.zeros(D)
        # count[p, s, d], info[p, s, d]: paths now at phase p, in state s != 0, weight d
        count = np.zeros((P, S, D))
        info = np.zeros((P, S, D))
        for p in range(P):  # the diverging branch: from state 0 with w = 1 (so u = 1)
            d = weight[p, 0, 1]
            if d < D:
                count[(p + 1) % P, nxt[0, 1], d] += 1.0
                info[(p + 1) % P, nxt[0, 1], d] += 1.0
        states = np.arange(1, S)
        # group the branches of each phase by (w, weight) so a step is a few array operations
        groups = []
        for p in range(P):
            for w in (0, 1):
                for dw in range(n + 1):
                    sel = states[weight[p, states, w] == dw]
                    if sel.size and dw < D:
                        groups.append((p, w, dw, sel, nxt[sel, w], self.inp_w[sel, w].astype(float)[:, None]))
        for _ in range(S * D + 1):
            if not count.any():
                break
            new_count = np.zeros_like(count)
            new_info = np.zeros_like(info)
            for p, w, dw, sel, targets, u in groups:
                q = (p + 1) % P
                moved_c = count[p, sel, : D - dw]
                moved_i = info[p, sel, : D - dw] + u * moved_c
                np.add.at(new_count[q, :, dw:], targets, moved_c)
                np.add.at(new_info[q, :, dw:], targets, moved_i)
            a += new_count[:, 0].sum(axis=0)  # events that reached state 0 end here
            c += new_info[:, 0].sum(axis=0)
            new_count[:, 0] = 0.0
            new_info[:, 0] = 0.0
            count, info = new_count, new_info
        else:
            raise ValueError(f"code {self.name()} has a zero-weight cycle (catastrophic): no distance spectrum")
        return {d: (float(a[d] / P), float(c[d] / P)) for d in range(D) if a[d] > 0}

    def free_distance(self, puncture: np.ndarray | None = None) -> int:
        """The smallest output weight of an error event (d_free), by Dijkstra's shortest
        path over (phase, state) from the diverging branches back to state 0.

        >>> Trellis.from_octal(["133", "171"]).free_distance(np.array([[1, 1, 0], [1, 0, 1]]))
        5
        """
        import heapq

        m = self.m
        mask = np.ones((self.n, 1), np.uint8) if puncture is None else np.asarray(puncture, np.uint8)
        P = mask.shape[1]

        def weight(p: int, s: int, w: int) -> int:
            label = int(self.out_w[s, w])
            return sum(((label >> j) & 1) * int(mask[j, p]) for j in range(self.n))

        heap = [(weight(p, 0, 1), (p + 1) % P, ((1 << m) >> 1)) for p in range(P)]
        heapq.heapify(heap)
        seen = set()
        while heap:
            d, p, s = heapq.heappop(heap)
            if s == 0:
                return d
            if (p, s) in seen:
                continue
            seen.add((p, s))
            for w in (0, 1):
                heapq.heappush(heap, (d + weight(p, s, w), (p + 1) % P, ((w << m) | s) >> 1))
        raise ValueError(f"code {self.name()}: no error event returns to state 0")
