"""Charts for ``/statistik`` as PNG bytes, drawn headless with matplotlib's Agg canvas.

No pyplot: each chart is its own :class:`~matplotlib.figure.Figure` on a
:class:`~matplotlib.backends.backend_agg.FigureCanvasAgg`, so nothing needs a display and
charts can be drawn in a worker thread. Empty data gives a chart that says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.models import Language
from bot.domain.stats import Activity, Statistics
from handlers.views.texts import category_label, t

# One stable colour per category key (colour-blind-friendly "tab" palette order).
COLOURS: Final = {
    "medical_emergency": "#d62728",
    "ambulance_hebat": "#ff9896",
    "crime": "#1f77b4",
    "disaster": "#17becf",
    "fire": "#ff7f0e",
    "traffic_accident": "#9467bd",
    "security_public_order": "#aec7e8",
    "wild_animal_evacuation": "#8c564b",
    "fallen_tree": "#2ca02c",
    "electrical_short_circuit": "#bcbd22",
    "corpse_found": "#7f7f7f",
    "other": "#c7c7c7",
}


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    # No "Software" text chunk: the bytes depend on the data only.
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _no_data(ax: Axes, lang: Language) -> None:
    ax.text(
        0.5,
        0.5,
        t(lang, "chart_no_data"),
        ha="center",
        va="center",
        fontsize=16,
        color="#555555",
        transform=ax.transAxes,
    )
    ax.set_xticks([])
    ax.set_yticks([])


def draw_activity(ax: Axes, data: Activity, lang: Language) -> None:
    """Stacked bars: reports per hour (one day) or per day, by category."""
    ax.set_title(t(lang, "chart_per_hour" if data.unit == "hour" else "chart_per_day"))
    if data.total == 0:
        _no_data(ax, lang)
        return
    xs = list(range(len(data.labels)))
    bottom = [0] * len(xs)
    for category, counts in data.counts.items():
        ax.bar(
            xs,
            counts,
            bottom=bottom,
            color=COLOURS.get(category, "#444444"),
            label=category_label(lang, category),
            width=0.8,
        )
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    step = max(1, len(xs) // 16)
    ax.set_xticks(xs[::step], list(data.labels[::step]), rotation=45 if step > 1 else 0)
    ax.set_ylabel(t(lang, "chart_reports"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=7, loc="upper left", ncols=2, frameon=False)


def draw_response_histogram(
    ax: Axes, response_s: Sequence[float], target_s: float, lang: Language
) -> None:
    """Histogram of response times in minutes, with the target as a vertical line."""
    ax.set_title(t(lang, "chart_response"))
    if not response_s:
        _no_data(ax, lang)
        return
    minutes = [s / 60 for s in response_s]
    target_m = target_s / 60
    top = max(max(minutes), target_m) + 1
    width = 1.0 if top <= 60 else top / 60
    edges = [i * width for i in range(int(top / width) + 2)]
    within = [m for m in minutes if m <= target_m]
    late = [m for m in minutes if m > target_m]
    ax.hist(
        [within, late],
        bins=edges,
        stacked=True,
        color=["#2ca02c", "#d62728"],
        edgecolor="white",
    )
    ax.axvline(target_m, color="black", linestyle="--", linewidth=1.5)
    ax.text(
        target_m,
        0.97,
        " " + t(lang, "chart_target", m=f"{target_m:g}"),
        transform=ax.get_xaxis_transform(),
        va="top",
        fontsize=9,
    )
    ax.set_xlabel(t(lang, "chart_minutes"))
    ax.set_ylabel(t(lang, "chart_count"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def activity_chart(data: Activity, lang: Language = "id", title: str | None = None) -> bytes:
    """The stacked-bar chart alone."""
    fig = Figure(figsize=(9, 4.5))
    ax = fig.add_subplot()
    draw_activity(ax, data, lang)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return _png(fig)


def response_chart(
    response_s: Sequence[float], target_s: float, lang: Language = "id", title: str | None = None
) -> bytes:
    """The response-time histogram alone."""
    fig = Figure(figsize=(9, 4.5))
    ax = fig.add_subplot()
    draw_response_histogram(ax, response_s, target_s, lang)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return _png(fig)


def statistics_chart(stats: Statistics, data: Activity, lang: Language = "id") -> bytes:
    """Both panels in one PNG, titled with the period."""
    fig = Figure(figsize=(9, 8))
    top, bottom = fig.subplots(2, 1)
    draw_activity(top, data, lang)
    draw_response_histogram(bottom, stats.response_values, stats.target_s, lang)
    fig.suptitle(stats.period.label(lang), fontsize=13)
    fig.tight_layout()
    return _png(fig)
