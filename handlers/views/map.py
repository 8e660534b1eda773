"""The ``/peta`` map as PNG bytes: reports on the shipped kecamatan / kelurahan polygons.

Drawn headless like ``handlers/views/charts.py`` (a :class:`~matplotlib.figure.Figure` on
the Agg canvas, no pyplot, nothing fetched: no tiles, only ``bot/data``'s boundaries), so
it can be drawn in a worker thread. Each report is a marker shaped by its category and
coloured by its state, labelled with its ticket's short number (⚠ when past the response
target); closed reports (``/peta hari``) are faded. Labels are placed so that none covers
another (``map_labels``); reports beyond the frame are counted on edge arrows
(``map_scene``); the areas and all texts of the map are glyph outlines (``map_areas``).

Sized for a phone: 1024 × 1200 pixels (Telegram shows photos up to 1280 pixels without
scaling them down), ticket numbers 19 pixels tall.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import IdentityTransform

from bot.domain.geo import CityMap, Kecamatan
from bot.domain.models import Language
from bot.domain.overview import MapPoint, short_number
from handlers.views.map_areas import DPI, draw_areas, glyph_path
from handlers.views.map_labels import Box, place_labels
from handlers.views.map_scene import (
    EdgeArrow,
    View,
    arrow_tip,
    choose_view,
    edge_arrows,
    plane_xy,
)
from handlers.views.texts import category_label, t

FIGSIZE: Final = (8.0, 9.375)  # inches: 1024 × 1200 pixels at DPI
MAP_RECT: Final = (0.01, 0.20, 0.98, 0.72)  # left, bottom, width, height (figure share)
LABEL_PT: Final = 10.5
MARKER_AREA: Final = 120.0  # points²
LATE_MARK: Final = "⚠"
ARROW_PT: Final = 34.0  # length of an edge arrow, points
LABEL_PAD_PX: Final = 2.0

MARKERS: Final = {
    "medical_emergency": "P",
    "ambulance_hebat": "h",
    "crime": "s",
    "disaster": "v",
    "fire": "^",
    "traffic_accident": "D",
    "security_public_order": "p",
    "wild_animal_evacuation": "<",
    "fallen_tree": ">",
    "electrical_short_circuit": "d",
    "corpse_found": "8",
    "other": "o",
    "unknown": "*",
}
"""Marker shape per category (an SOS before its category is known: a star)."""

STATE_GROUPS: Final = (  # (text key, colour, states): the card's colours
    ("map_state_new", "#d62728", ("submitted", "received")),
    ("map_state_claimed", "#ff7f0e", ("claimed",)),
    ("map_state_dispatched", "#d4a800", ("dispatched",)),
    ("map_state_en_route", "#1f77b4", ("en_route",)),
    ("map_state_on_scene", "#2ca02c", ("on_scene",)),
    ("map_state_closed", "#7f7f7f", ("closed",)),
)
COLOUR_OF: Final = {state: colour for _, colour, states in STATE_GROUPS for state in states}


@dataclass(frozen=True, slots=True)
class MapSpec:
    """What to draw: the reports, the city, the time and target, the language, and the
    request (today's reports with closed ones faded; a kecamatan to zoom to)."""

    points: Sequence[MapPoint]
    city: CityMap
    now: datetime
    tz: tzinfo
    target: timedelta
    lang: Language
    today: bool = False
    focus: Kecamatan | None = None
    title: str | None = None
    """The title drawn (default: the open reports, or today's, at ``now``)."""


@dataclass(frozen=True, slots=True)
class MapLabel:
    """A ticket number drawn on the map: its text, the box its glyphs fill and the marker
    it belongs to (pixels, y up)."""

    ticket: str
    text: str
    box: Box
    anchor: tuple[float, float]


@dataclass(frozen=True, slots=True)
class MapPicture:
    """The PNG and what it shows."""

    png: bytes
    drawn: int
    """Reports drawn inside the frame."""
    beyond: int
    """Reports with coordinates outside the frame (counted on edge arrows)."""
    unlabelled: int
    """Reports drawn without their number (no room beside the marker)."""
    zoomed: bool
    width: int
    height: int
    labels: tuple[MapLabel, ...] = ()
    """Every number drawn, where it went."""


# --------------------------------------------------------------------------- reports


def _label_text(point: MapPoint, spec: MapSpec) -> str:
    number = short_number(point.ticket, spec.now.astimezone(spec.tz).date())
    return LATE_MARK + number if point.late(spec.now, spec.target) else number


def _urgency(point: MapPoint, spec: MapSpec) -> tuple[bool, bool, bool, datetime]:
    """Label order: late first, then SOS, open before closed, oldest first."""
    return (
        not point.late(spec.now, spec.target),
        not point.sos,
        point.closed,
        point.started_at,
    )


def _draw_markers(ax: Axes, drawn: Sequence[tuple[MapPoint, float, float]]) -> None:
    """One scatter per marker shape (a category), coloured per report by its state."""
    groups: dict[str, list[tuple[MapPoint, float, float]]] = {}
    for item in drawn:
        groups.setdefault(MARKERS.get(item[0].category, "o"), []).append(item)
    for marker, items in groups.items():
        ax.scatter(
            [x for _, x, _ in items],
            [y for _, _, y in items],
            s=MARKER_AREA,
            marker=marker,
            c=[
                to_rgba(COLOUR_OF.get(p.state, "#444444"), 0.35 if p.closed else 1.0)
                for p, _, _ in items
            ],
            edgecolors=["#bbbbbb" if p.closed else "white" for p, _, _ in items],
            linewidths=1.0,
            zorder=4,
        )


def _label_colour(point: MapPoint, late: bool) -> str:
    return "#b00000" if late else ("#808080" if point.closed else "#1a1a1a")


def _draw_labels(
    ax: Axes, drawn: Sequence[tuple[MapPoint, float, float]], spec: MapSpec, obstacles: list[Box]
) -> tuple[list[MapLabel], int]:
    """Place and draw the ticket numbers, all in one collection of glyph outlines (fast
    for hundreds of labels). Returns each drawn label with its box in pixels, and how many
    found no room."""
    order = sorted(drawn, key=lambda d: _urgency(d[0], spec))
    texts = [_label_text(p, spec) for p, _, _ in order]
    glyph_boxes = [glyph_path(text, LABEL_PT, bold=True) for text in texts]
    xy = np.asarray([(x, y) for _, x, y in order], dtype=float).reshape(-1, 2)
    pixels = ax.transData.transform(xy)
    sizes = [
        (ink.x1 - ink.x0 + 2 * LABEL_PAD_PX, ink.y1 - ink.y0 + 2 * LABEL_PAD_PX)
        for _, ink in glyph_boxes
    ]
    placed = place_labels(
        [(float(x), float(y)) for x, y in pixels],
        sizes,
        Box(*ax.bbox.extents),
        marker_radius=MARKER_AREA**0.5 / 2 * DPI / 72,
        obstacles=obstacles,
    )
    shown: list[MapLabel] = []
    offsets, glyphs, colours, leaders = [], [], [], []
    to_data = ax.transData.inverted()
    for (point, x, y), (px, py), text, (path, ink), where in zip(
        order, pixels, texts, glyph_boxes, placed, strict=True
    ):
        if where is None:
            continue
        offsets.append(where.box.centre)
        glyphs.append(path)
        colours.append(_label_colour(point, text.startswith(LATE_MARK)))
        cx, cy = where.box.centre
        box = Box(cx + ink.x0, cy + ink.y0, cx + ink.x1, cy + ink.y1)
        shown.append(MapLabel(point.ticket, text, box, (float(px), float(py))))
        if where.detached:
            leaders.append([(x, y), tuple(to_data.transform(where.box.centre))])
    if leaders:
        ax.add_collection(
            LineCollection(leaders, colors="#555555", linewidths=0.8, zorder=3.5), autolim=False
        )
    for halo in (True, False):  # a white outline first keeps numbers legible over lines
        ax.add_collection(
            PathCollection(
                glyphs,
                offsets=offsets,
                offset_transform=IdentityTransform(),
                transform=IdentityTransform(),
                facecolors="white" if halo else colours,
                edgecolors="white" if halo else "none",
                linewidths=3.0 if halo else 0.0,
                zorder=5.5 if halo else 6,
            ),
            autolim=False,
        )
    return shown, sum(1 for w in placed if w is None)


# --------------------------------------------------------------------------- edges, legend


def _draw_arrows(ax: Axes, arrows: Sequence[EdgeArrow], view: View, lang: Language) -> list[Box]:
    """One arrow per direction at the frame's edge, with its count and place; returns the
    boxes of their texts (labels keep clear of them)."""
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = []
    for arrow in arrows:
        dx, dy = math.cos(arrow.angle), math.sin(arrow.angle)
        name = arrow.place + (f" +{arrow.others}" if arrow.others else "")
        note = ax.annotate(
            t(lang, "map_beyond", count=arrow.count, place=name),
            xy=arrow_tip(view, arrow.angle, 0.015),
            # The text sits inward of the arrow, its box growing away from the edge.
            xytext=(-dx * ARROW_PT, -dy * ARROW_PT),
            textcoords="offset points",
            ha="right" if dx > 0.3 else "left" if dx < -0.3 else "center",
            va="top" if dy > 0.3 else "bottom" if dy < -0.3 else "center",
            fontsize=10,
            fontweight="bold",
            color="#5a2d82",
            zorder=7,
            arrowprops={
                "arrowstyle": "-|>,head_width=0.5,head_length=0.8",
                "color": "#5a2d82",
                "lw": 2.2,
            },
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#5a2d82", "lw": 1.2},
        )
        extent = note.get_window_extent(renderer)
        boxes.append(Box(extent.x0 - 2, extent.y0 - 2, extent.x1 + 2, extent.y1 + 2))
    return boxes


LEGEND_HEIGHT: Final = 0.185  # share of the figure under the map


@cache
def legend_image(lang: Language) -> Any:
    """The key under the map — every category's marker and every state's colour — as an
    RGBA array, drawn once per language (text is the slow part of a map)."""
    fig = Figure(figsize=(FIGSIZE[0], FIGSIZE[1] * LEGEND_HEIGHT), dpi=DPI)
    FigureCanvasAgg(fig)
    shapes = [
        Line2D(
            [], [], marker=m, ls="", color="#444444", markersize=9, label=category_label(lang, c)
        )
        for c, m in MARKERS.items()
    ]
    colours = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color=colour,
            markersize=10,
            label=t(lang, key),
            alpha=0.35 if key == "map_state_closed" else 1.0,
        )
        for key, colour, _ in STATE_GROUPS
    ]
    style = {"fontsize": 9.5, "frameon": False, "title_fontsize": 10, "alignment": "left"}
    fig.legend(
        handles=shapes,
        loc="upper left",
        ncols=2,
        title=t(lang, "map_legend_category"),
        bbox_to_anchor=(0.02, 1.0),
        **style,
    )
    fig.legend(
        handles=colours,
        loc="upper right",
        ncols=1,
        title=t(lang, "map_legend_state"),
        bbox_to_anchor=(0.98, 1.0),
        **style,
    )
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the map


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No "Software" text chunk: the bytes depend on the data only.
    # Light compression: a few hundred kB more, several times faster than the default.
    fig.savefig(
        buf, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    return buf.getvalue()


def _frame(fig: Figure, spec: MapSpec, drawn_xy: list[tuple[float, float]]) -> tuple[Axes, View]:
    ax = fig.add_axes(MAP_RECT)
    ax.set_axis_off()
    box = ax.bbox
    view = choose_view(drawn_xy, spec.city, spec.focus, box.width / box.height)
    ax.set_xlim(view.x0, view.x1)
    ax.set_ylim(view.y0, view.y1)
    ax.set_aspect("auto")
    ax.add_patch(
        Rectangle(
            (view.x0, view.y0),
            view.width,
            view.height,
            facecolor="#fafafa",
            edgecolor="#9aa7b0",
            lw=1.0,
            zorder=0,
        )
    )
    return ax, view


_DRAWING = threading.Lock()


def draw_map(spec: MapSpec) -> MapPicture:
    """The map of ``spec.points`` as a PNG, and what it shows.

    One map at a time: two dispatchers asking at once share matplotlib's font objects."""
    with _DRAWING:
        return _draw(spec)


def _draw(spec: MapSpec) -> MapPicture:
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    located = [(p, *plane_xy(p)) for p in spec.points if p.has_point]
    inside_city = [(x, y) for p, x, y in located if not p.outside_city]
    ax, view = _frame(fig, spec, inside_city)
    draw_areas(ax, spec.city, view)
    drawn = [(p, x, y) for p, x, y in located if view.contains(x, y)]
    beyond = [(p, x, y) for p, x, y in located if not view.contains(x, y)]
    arrows = edge_arrows(
        beyond,
        view,
        outside_java=t(spec.lang, "map_place_beyond_java"),
        outside_city=t(spec.lang, "map_place_outside"),
    )
    obstacles = _draw_arrows(ax, arrows, view, spec.lang)
    _draw_markers(ax, drawn)
    labels, unlabelled = _draw_labels(ax, drawn, spec, obstacles)
    if not drawn and not arrows:
        empty = "map_empty_today" if spec.today else "map_empty_open"
        ax.text(
            0.5,
            0.5,
            t(spec.lang, empty),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=16,
            color="#333333",
            zorder=8,
            bbox={"boxstyle": "round,pad=0.5", "fc": "white", "ec": "#888888"},
        )
    _draw_title(fig, spec)
    fig.figimage(legend_image(spec.lang), xo=0, yo=0, zorder=0)
    _draw_footer(fig, spec, unlabelled)
    png = _png(fig)
    width, height = fig.canvas.get_width_height()
    return MapPicture(
        png, len(drawn), len(beyond), unlabelled, view.zoomed, width, height, tuple(labels)
    )


def _draw_title(fig: Figure, spec: MapSpec) -> None:
    local = spec.now.astimezone(spec.tz)
    key = "map_title_today" if spec.today else "map_title_open"
    title = spec.title or t(spec.lang, key, time=f"{local:%d/%m/%Y %H:%M}")
    if spec.focus is not None:
        title += f" — Kec. {spec.focus.name}"
    fig.text(0.5, 0.975, title, ha="center", va="top", fontsize=15, fontweight="bold")


def _draw_footer(fig: Figure, spec: MapSpec, unlabelled: int) -> None:
    minutes = f"{spec.target.total_seconds() / 60:g}"
    note = t(spec.lang, "map_note", mark=LATE_MARK, minutes=minutes)
    if unlabelled:
        note += " · " + t(spec.lang, "map_unlabelled", count=unlabelled)
    fig.text(0.5, 0.935, note, ha="center", va="top", fontsize=9.5, color="#333333")
    fig.text(
        0.99,
        0.003,
        t(spec.lang, "map_attribution"),
        ha="right",
        va="bottom",
        fontsize=7,
        color="#777777",
    )
