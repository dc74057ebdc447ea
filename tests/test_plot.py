"""Every figure kind, checked on what it draws: its lines and labels, the legend inside the
figure, the options of the plot: section, and the figures that have nothing to show."""

import json
import math

import matplotlib
import numpy as np
import pytest

from shannonlab.channels.awgn import AWGNSpec
from shannonlab.channels.bandlimited import BandLimitedSpec
from shannonlab.channels.bsc import BSCSpec
from shannonlab.plot import NothingToShow, PlotOptions, draw_directory
from shannonlab.plot.capacity_curves import CapacityCurve, draw_capacity_curves
from shannonlab.plot.capacity_plane import draw_capacity_plane
from shannonlab.plot.crossing import find_crossing
from shannonlab.plot.rate_vs_ber import draw_rate_vs_ber
from shannonlab.plot.spectral_efficiency import draw_spectral_efficiency
from shannonlab.plot.style import legend_inside_figure
from shannonlab.plot.waterfall import draw_waterfall
from shannonlab.theory.limits import shannon_limit_ebn0_db


def _row(code, value, ber, rate=0.5, n=1024, k=512, frames=1000, errors=None):
    errors = 50 if errors is None else errors
    ber_high = ber * 1.3 if errors else 3.0 / (frames * k)
    return {"code": code, "value": value, "rate": rate, "n": n, "k": k, "frames": frames, "ber": ber,
            "ber_low": ber * 0.7, "ber_high": ber_high, "bit_errors": errors, "fer": min(1.0, ber * 20),
            "fer_low": min(1.0, ber * 14), "fer_high": min(1.0, ber * 26) if errors else 3.0 / frames,
            "frame_errors": errors}


def _labels(ax):
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


def _legend_texts(fig):
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
    return [text.get_text() for legend in legends for text in legend.get_texts()], legends


def _many_codes(count):
    rows = []
    for c in range(count):
        rate = [0.25, 1 / 3, 0.5, 2 / 3, 0.75, 5 / 6][c % 6]
        for i, value in enumerate((0.0, 1.0, 2.0, 3.0, 4.0)):
            rows.append(_row(f"code number {c}", value, 0.2 * 10 ** (-(c % 4 + 1) * i / 2), rate=rate))
    return rows


def test_waterfall_draws_codes_limits_once_per_model_and_keeps_the_legend_inside():
    rows = _many_codes(14)
    fig = draw_waterfall(rows, AWGNSpec(), "ebn0_db", [0.0, 1.0, 2.0, 3.0, 4.0], "ber", PlotOptions(), "many")
    texts, legends = _legend_texts(fig)
    assert legends and all(legend_inside_figure(fig, legend) for legend in legends)
    # one legend entry per input model, however many rates: 6 rates x 2 models lines, 2 entries
    assert sum("limit (vertical, per code rate)" in t for t in texts) == 2
    ax = fig.axes[0]
    verticals = [line for line in ax.get_lines() if len(set(line.get_xdata())) == 1 and len(line.get_xdata()) == 2]
    assert len(verticals) >= 6
    assert {line.get_color() for line in verticals} == {"0.35"}  # the quiet grey, never a code's colour
    x_half = shannon_limit_ebn0_db(0.5, "binary")
    assert any(math.isclose(line.get_xdata()[0], x_half, abs_tol=1e-9) for line in verticals)
    # six rates: the min-BER curves are left out unless asked for
    assert not any("smallest BER" in t for t in texts)
    asked = PlotOptions(limits=("capacity", "min-ber"), given=("limits",))
    fig = draw_waterfall(rows, AWGNSpec(), "ebn0_db", [0.0, 1.0, 2.0, 3.0, 4.0], "ber", asked, "many")
    assert any("smallest BER" in t for t in _legend_texts(fig)[0])
    for code in range(14):
        assert f"code number {code}" in texts


def test_fer_draws_the_normal_approximation_only_where_it_means_something():
    rows = [_row("long", v, b) for v, b in ((1.0, 1e-2), (2.0, 1e-4))]
    rows += [_row("short", v, b, n=7, k=4, rate=4 / 7) for v, b in ((1.0, 1e-2), (2.0, 1e-3))]
    rows += [_row("uncoded", v, b, n=1024, k=1024, rate=1.0) for v, b in ((1.0, 5e-2), (2.0, 3e-2))]
    fig = draw_waterfall(rows, AWGNSpec(), "ebn0_db", [1.0, 2.0], "fer", PlotOptions(), "fa")
    ax = fig.axes[0]
    normal = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("normal:")]
    assert [line.get_gid() for line in normal] == ["normal:long"]  # not n = 7, not k = n
    assert normal[0].get_color() == ax.containers[0].lines[0].get_color()  # in the code's own colour
    off = PlotOptions(bounds=())
    fig = draw_waterfall(rows, AWGNSpec(), "ebn0_db", [1.0, 2.0], "fer", off, "fa")
    assert not [line for line in fig.axes[0].get_lines() if (line.get_gid() or "").startswith("normal:")]


def test_waterfall_marks_error_free_points_at_their_upper_bound_and_applies_the_options():
    rows = [_row("c", 1.0, 1e-3), _row("c", 2.0, 0.0, errors=0, frames=10**5)]
    options = PlotOptions(x_range=(0.5, 2.5), y_range=(1e-8, 1.0), x_scale="linear")
    fig = draw_waterfall(rows, AWGNSpec(), "ebn0_db", [1.0, 2.0], "ber", options, "zero")
    ax = fig.axes[0]
    triangles = [line for line in ax.get_lines() if line.get_marker() == "v" and len(line.get_xdata())]
    assert triangles and triangles[0].get_ydata()[0] == pytest.approx(3.0 / (10**5 * 512))
    assert ax.get_xlim() == pytest.approx((0.5, 2.5)) and ax.get_ylim() == pytest.approx((1e-8, 1.0))
    assert "no error: 95 % upper bound" in _labels(ax)


def test_waterfall_of_a_bsc_runs_towards_small_p_and_takes_a_log_axis():
    rows = [_row("R3", p, b, rate=1 / 3, n=3, k=1) for p, b in ((0.1, 0.028), (0.01, 3e-4))]
    fig = draw_waterfall(rows, BSCSpec(), "p", [0.1, 0.01], "ber", PlotOptions(x_scale="log"), "bsc")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.xaxis_inverted()


def test_a_single_swept_value_has_no_waterfall():
    rows = [_row("a", 0.1, 0.05), _row("b", 0.1, 0.01)]
    with pytest.raises(NothingToShow, match="single value of p"):
        draw_waterfall(rows, BSCSpec(), "p", [0.1], "ber", PlotOptions(), "one")


def test_capacity_plane_places_codes_and_says_which_do_not_reach():
    rows = [_row("good", v, b) for v, b in ((1.0, 1e-2), (3.0, 1e-6))]
    rows += [_row("bounded", 1.0, 1e-2), _row("bounded", 2.0, 0.0, errors=0, frames=10**6)]
    rows += [_row("weak", v, b) for v, b in ((1.0, 1e-1), (3.0, 1e-2))]
    fig = draw_capacity_plane(rows, AWGNSpec(), "ebn0_db", [1.0, 2.0, 3.0], PlotOptions(), "plane")
    ax = fig.axes[0]
    labels = _labels(ax)
    assert "good (2.00)" in labels  # log-linear halfway between 1e-2 and 1e-6
    assert "bounded (≤ 2.00)" in labels  # only known to be below the target at 2 dB
    assert "capacity (BI-AWGN)" in labels and "capacity (Gaussian input)" in labels
    assert any("not reaching BER 0.0001 in the sweep: weak" in t.get_text() for t in ax.texts)
    texts, legends = _legend_texts(fig)
    assert all(legend_inside_figure(fig, legend) for legend in legends)
    with pytest.raises(NothingToShow):
        draw_capacity_plane([r for r in rows if r["code"] == "weak"], AWGNSpec(), "ebn0_db", [1.0, 3.0],
                            PlotOptions(), "plane")


def test_crossing_is_honest_about_error_free_points():
    measured = [{"value": 0.0, "ber": 1e-2, "ber_high": 1.2e-2, "bit_errors": 10},
                {"value": 1.0, "ber": 1e-6, "ber_high": 2e-6, "bit_errors": 10}]
    assert find_crossing(measured, 1e-4).x == pytest.approx(0.5) and find_crossing(measured, 1e-4).exact
    bounded = [measured[0], {"value": 1.0, "ber": 0.0, "ber_high": 3e-7, "bit_errors": 0}]
    found = find_crossing(bounded, 1e-4)
    assert found.x == 1.0 and not found.exact
    loose = [measured[0], {"value": 1.0, "ber": 0.0, "ber_high": 3e-3, "bit_errors": 0}]
    assert find_crossing(loose, 1e-4) is None  # the bound does not prove the target


def test_rate_vs_ber_draws_the_limit_and_every_code():
    rows = [_row("R3", 0.1, 0.028, rate=1 / 3, n=3, k=1), _row("H74", 0.1, 0.069, rate=4 / 7, n=7, k=4),
            _row("R1", 0.1, 0.1, rate=1.0, n=1, k=1)]
    fig = draw_rate_vs_ber(rows, BSCSpec(), "p", [0.1], PlotOptions(), "rvb")
    ax = fig.axes[0]
    limit = [line for line in ax.get_lines() if line.get_label().startswith("Shannon limit")][0]
    pb, rate = limit.get_data()
    i = int(np.argmin(np.abs(pb - 1e-3)))
    from shannonlab.theory.capacity import binary_entropy, bsc_capacity

    assert rate[i] == pytest.approx(bsc_capacity(0.1) / (1 - binary_entropy(pb[i])), rel=1e-6)
    texts, legends = _legend_texts(fig)
    assert {"R3", "H74", "R1"} <= set(texts) and all(legend_inside_figure(fig, g) for g in legends)
    assert {t.get_text() for t in ax.texts} >= {"R3", "H74", "R1"}  # names beside the points


def test_spectral_efficiency_places_codes_with_their_gap():
    spec = BandLimitedSpec(bandwidth_hz=1e6)
    rows = []
    for snr, ber in ((0.0, 1e-2), (2.0, 1e-6)):
        channel = spec.build("snr_db", snr, 0.5)
        rows.append({**_row("c", snr, ber), **channel.report(0.5)})
    fig = draw_spectral_efficiency(rows, PlotOptions(), "link")
    labels = _labels(fig.axes[0])
    assert any(label.startswith("c: ") and "gap" in label for label in labels)
    assert "Shannon–Hartley C/W = log2(1 + P/(N0 W))" in labels
    with pytest.raises(NothingToShow):
        draw_spectral_efficiency(rows, PlotOptions(target_ber=1e-9), "link")


@pytest.mark.parametrize("modulation", ["qpsk", "16qam", "64qam"])
def test_the_modulation_constrained_curve_never_crosses_shannon_hartley(modulation):
    # m binary channels at Ec/N0 overstate M-QAM (they drew 16-QAM above capacity at 0 dB)
    spec = BandLimitedSpec(bandwidth_hz=1e6, modulation=modulation)
    rows = [{**_row("c", snr, ber), **spec.build("snr_db", snr, 0.5).report(0.5)}
            for snr, ber in ((4.0, 1e-2), (14.0, 1e-6))]
    ax = draw_spectral_efficiency(rows, PlotOptions(), "link").axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    constrained = next(line for label, line in lines.items() if " at Rs = " in label)
    x, y = constrained.get_xdata(), constrained.get_ydata()
    assert np.all(y < np.log2(1 + 10 ** (x / 10)) + 1e-9)
    occupancy = spec.build("snr_db", 0.0, 0.5).bits_per_symbol * 0.8  # m bits at Rs/W = 0.8
    assert np.all(np.diff(y) > 0) and np.all(y < occupancy) and y[-1] > 0.85 * occupancy


def test_capacity_curves_one_panel_per_axis():
    curves = [CapacityCurve("BSC", "p", [0.0, 0.5, 1.0], [1.0, 0.0, 1.0], points=([0.5], [0.0])),
              CapacityCurve("BI-AWGN", "SNR (dB)", [0.0, 10.0], [0.5, 1.0], points=([0.0], [0.49]))]
    fig = draw_capacity_curves(curves, "two", PlotOptions())
    assert [ax.get_xlabel() for ax in fig.axes] == ["p", "SNR (dB)"]
    assert "BSC" in _labels(fig.axes[0]) and "closed form (line)" in _labels(fig.axes[1])


def test_directory_writes_formats_skips_empty_figures_and_leaves_pyplot_alone(tmp_path):
    backend = matplotlib.get_backend()
    rows = [_row("c", v, b) for v, b in ((0.0, 0.1), (1.0, 0.05))]
    config = {"name": "d", "channel": {"type": "awgn", "modulation": "bpsk"},
              "sweep": {"parameter": "ebn0_db", "values": [0.0, 1.0]},
              "plot": {"formats": ["png", "pdf", "svg"], "target_ber": 1e-4}}
    (tmp_path / "results.json").write_text(json.dumps({"config": config, "rows": rows}))
    (tmp_path / "capacity.png").write_bytes(b"an old figure")
    drawn = draw_directory(tmp_path)
    assert {p.name for p in drawn.written} == {f"{k}.{f}" for k in ("ber", "fer") for f in ("png", "pdf", "svg")}
    assert drawn.notes() == ["capacity.png not written: no code reaches BER 0.0001 within the sweep"]
    assert not (tmp_path / "capacity.png").exists()  # a stale figure would mislead
    assert matplotlib.get_backend() == backend
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []


def test_a_legend_that_would_hide_a_curve_goes_beside_the_axes():
    from shannonlab.plot.style import legend_covers_curves, new_figure, place_legend

    # a few short lines in one corner: "best" finds an empty corner and the legend stays inside
    fig, ax = new_figure(PlotOptions())
    ax.plot([0, 0.2], [0, 0.1], label="corner")
    ax.plot([1.0], [1.0], marker="o", label="point")
    legend = place_legend(fig, ax)
    assert ax.get_legend() is legend and not legend_covers_curves(fig, ax, legend)
    # curves through every part of the axes: no inside place is free, so it goes beside them
    fig, ax = new_figure(PlotOptions())
    x = np.linspace(0, 1, 50)
    for shift in np.linspace(0, 1, 11):
        ax.plot(x, (x + shift) % 1.0, linestyle="none", marker=".", label=f"{shift:.1f}")
    ax.axvline(0.5, label="a reference line may sit under a legend")
    legend = place_legend(fig, ax)
    assert ax.get_legend() is None and fig.legends == [legend]
    assert legend_inside_figure(fig, legend)


def test_a_waterfall_spans_what_was_simulated_not_the_values_a_sweep_ended_before():
    rows = [_row("c", x, ber) for x, ber in ((0.0, 1e-1), (1.0, 1e-3), (2.0, 1e-5))]
    ax = draw_waterfall(rows, AWGNSpec(), "ebn0_db", [0.0, 1.0, 2.0, 3.0, 6.0, 10.0], "ber", PlotOptions(), "w").axes[0]
    lo, hi = ax.get_xlim()
    assert lo < 0.0 and 2.0 < hi < 2.5
