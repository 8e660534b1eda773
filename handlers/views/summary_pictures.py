"""The pictures of the summaries: yesterday's map for the daily one (the ``/peta``
renderer), and for the monthly one a choropleth of reports per kecamatan and the
response-time chart against the target line. PNG bytes, drawn headless; called in a
worker thread by the summary job."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import timedelta, tzinfo
from typing import Final

from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.geo import CityMap
from bot.domain.models import Language
from bot.domain.overview import MapPoint
from bot.domain.stats import Statistics, fmt_int
from bot.services.summaries import SummaryKind, SummaryPicture
from handlers.views.charts import response_chart
from handlers.views.map import MapSpec, draw_map
from handlers.views.map_areas import kecamatan_areas
from handlers.views.texts import t

CHOROPLETH_SIZE: Final = (9.0, 8.0)
CHOROPLETH_DPI: Final = 110
NAMED_SHARE: Final = 0.16
"""A kecamatan at least this share of the city's width is named on the map (the small
central ones get their number only; the list below names them all)."""
_DRAWING = threading.Lock()


def choropleth(
    counts: dict[str, int], city: CityMap, title: str, lang: Language
) -> tuple[bytes, dict[str, int]]:
    """Each kecamatan coloured by its number of reports, named with the number; returns
    the PNG and the number drawn in each kecamatan (all 16, zeros included)."""
    areas, outline = kecamatan_areas(city)
    shown = {name: counts.get(name, 0) for name, _, _ in areas}
    top = max(shown.values(), default=0)
    norm = Normalize(vmin=0, vmax=max(top, 1))
    cmap = colormaps["YlOrRd"]
    with _DRAWING:
        fig = Figure(figsize=CHOROPLETH_SIZE, dpi=CHOROPLETH_DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.15, 0.84, 0.78))
        ax.set_axis_off()
        ax.set_aspect("equal")
        ax.add_collection(
            PathCollection(
                [path for _, path, _ in areas],
                facecolors=[cmap(norm(shown[name])) for name, _, _ in areas],
                edgecolors="#5a5a5a",
                linewidths=1.0,
            )
        )
        ax.add_collection(
            PathCollection([outline], facecolors="none", edgecolors="#222222", linewidths=1.6)
        )
        bounds = outline.get_extents()
        pad = 0.03 * max(bounds.width, bounds.height)
        ax.set_xlim(bounds.x0 - pad, bounds.x1 + pad)
        ax.set_ylim(bounds.y0 - pad, bounds.y1 + pad)
        for name, path, (x, y) in areas:
            dark = norm(shown[name]) > 0.6
            extent = path.get_extents()
            roomy = extent.width > NAMED_SHARE * bounds.width
            ax.text(
                x,
                y,
                f"{name}\n{fmt_int(shown[name], lang)}" if roomy else fmt_int(shown[name], lang),
                ha="center",
                va="center",
                fontsize=7.5 if roomy else 9,
                color="white" if dark else "#222222",
                fontweight="bold",
            )
        # Every kecamatan with its number, most reports first (small ones are named here).
        ranked = sorted(shown.items(), key=lambda kv: (-kv[1], kv[0]))
        rows = (len(ranked) + 3) // 4
        for i, (name, n) in enumerate(ranked):
            fig.text(
                0.04 + 0.235 * (i // rows),
                0.12 - 0.026 * (i % rows),
                f"{fmt_int(n, lang)}  {name}",
                fontsize=8.5,
                color="#222222",
            )
        bar = fig.colorbar(
            ScalarMappable(norm=norm, cmap=cmap), cax=fig.add_axes((0.88, 0.2, 0.03, 0.6))
        )
        bar.set_label(t(lang, "chart_count"))
        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
        fig.suptitle(title, fontsize=13)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue(), shown


def summary_pictures(
    kind: SummaryKind,
    st: Statistics,
    points: Sequence[MapPoint],
    *,
    city: CityMap,
    tz: tzinfo,
    target: timedelta,
    lang: Language,
) -> list[SummaryPicture]:
    """The pictures a summary carries, each with its caption (Telegram HTML)."""
    label = st.period.label(lang)
    if kind == "daily":
        picture = draw_map(
            MapSpec(
                points=points,
                city=city,
                now=st.period.end - timedelta(seconds=1),
                tz=tz,
                target=target,
                lang=lang,
                today=True,
                title=t(lang, "summary_map_title", day=label),
            )
        )
        caption = t(lang, "summary_map_caption", day=label, count=len(points))
        return [SummaryPicture("peta", picture.png, caption)]
    counts = {g.key: g.reports for g in st.by_kecamatan}
    png, _ = choropleth(counts, city, t(lang, "summary_choropleth_title", month=label), lang)
    minutes = f"{st.target_s / 60:g}"
    chart = response_chart(
        st.response_values,
        st.target_s,
        lang,
        title=t(lang, "summary_response_title", month=label, target=minutes),
    )
    return [
        SummaryPicture("kecamatan", png, t(lang, "summary_choropleth_caption", month=label)),
        SummaryPicture(
            "waktu-tanggap",
            chart,
            t(lang, "summary_response_caption", month=label, target=minutes),
        ),
    ]
