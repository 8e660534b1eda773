"""The city's areas on the ``/peta`` map, and text drawn as glyph outlines.

Kecamatan (filled, named) and, zoomed in, kelurahan (outlined, named) from the shipped
boundaries (``bot.domain.geo.CityMap``, metres), built into matplotlib paths once per
process. Names and ticket numbers are drawn as glyph outlines (:func:`glyph_path`) in one
collection each: hundreds of texts cost one draw call instead of hundreds.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import IdentityTransform

from bot.domain.geo import CityMap
from handlers.views.map_labels import Box
from handlers.views.map_scene import View

DPI: Final = 128
"""Pixels per inch of the map (glyphs are built in pixels)."""
LABEL_FONT: Final = FontProperties(family="DejaVu Sans", weight="bold")
NAME_FONT: Final = FontProperties(family="DejaVu Sans", style="italic")
KECAMATAN_FILLS: Final = ("#f1ead8", "#e0eedd", "#eedfea", "#dfe7f1")
SPIKE_M: Final = 5.0


@lru_cache(maxsize=4096)
def glyph_path(text: str, size_pt: float, *, bold: bool) -> tuple[Path, Box]:
    """A text's glyph outlines in pixels centred on (0, 0), and the box they fill (built
    once per text). The box bounds the outlines' control points, which contain the curves:
    never smaller than the ink. Drawn as paths, hundreds of texts cost one draw call."""
    font = LABEL_FONT if bold else NAME_FONT
    glyphs = TextPath((0, 0), text, size=size_pt * DPI / 72, prop=font)
    codes = glyphs.codes
    drawn = glyphs.vertices if codes is None else glyphs.vertices[codes != Path.CLOSEPOLY]
    (x0, y0), (x1, y1) = drawn.min(axis=0), drawn.max(axis=0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    box = Box(float(x0 - cx), float(y0 - cy), float(x1 - cx), float(y1 - cy))
    return Path(glyphs.vertices - (cx, cy), codes), box


def _shape_path(geom: Any) -> Path:
    """A shapely (multi)polygon as one matplotlib path, holes included."""
    polygons = getattr(geom, "geoms", [geom])
    rings = [Path(np.asarray(p.exterior.coords), closed=True) for p in polygons]
    rings += [Path(np.asarray(r.coords), closed=True) for p in polygons for r in p.interiors]
    return Path.make_compound_path(*rings)


Area = tuple[str, Path, tuple[float, float]]
"""An area's name, outline path and a point inside it for the name."""


def _drawable(geom: Any) -> Any:
    """The polygon without zero-width cuts (one runs ~1.1 km into Pedurungan, its tip near
    110.4884 E, 7.0176 S, in the shipped outline): closing by a few metres removes them and
    changes nothing visible at the map's scale."""
    return geom.buffer(SPIKE_M, quad_segs=2).buffer(-SPIKE_M, quad_segs=2)


def _areas(shapes: Sequence[tuple[Any, Any]]) -> tuple[Area, ...]:
    out = []
    for area, geom in shapes:
        inside = geom.representative_point()
        path = _shape_path(_drawable(geom))
        out.append((str(area.name), path, (float(inside.x), float(inside.y))))
    return tuple(out)


@cache
def _city_areas(city: CityMap) -> tuple[tuple[Area, ...], tuple[Area, ...], Path]:
    """Kecamatan, kelurahan and the outline as paths (built once per map)."""
    return (
        _areas(city.kecamatan_shapes()),
        _areas(city.kelurahan_shapes()),
        _shape_path(_drawable(city.outline_shape())),
    )


def kecamatan_areas(city: CityMap) -> tuple[tuple[Area, ...], Path]:
    """The 16 kecamatan (name, path in the metric plane, a point inside) and the outline."""
    kecamatan, _, outline = _city_areas(city)
    return kecamatan, outline


def draw_areas(ax: Axes, city: CityMap, view: View) -> None:
    """Kecamatan filled and named; zoomed in, kelurahan outlined and named instead."""
    kecamatan, kelurahan, outline = _city_areas(city)
    fills = [KECAMATAN_FILLS[i % len(KECAMATAN_FILLS)] for i in range(len(kecamatan))]
    ax.add_collection(
        PathCollection(
            [p for _, p, _ in kecamatan],
            facecolors=fills,
            edgecolors="#8a8a8a",
            linewidths=1.2,
            zorder=1,
        ),
        autolim=False,
    )
    ax.add_collection(
        PathCollection(
            [outline], facecolors="none", edgecolors="#444444", linewidths=1.8, zorder=2
        ),
        autolim=False,
    )
    names = kecamatan
    size, colour = 8.5, "#6e6e6e"
    if view.zoomed:
        ax.add_collection(
            PathCollection(
                [p for _, p, _ in kelurahan],
                facecolors="none",
                edgecolors="#b5b5b5",
                linewidths=0.6,
                zorder=1.5,
            ),
            autolim=False,
        )
        names, size, colour = kelurahan, 7.5, "#8c8c8c"
    shown = [(name, xy) for name, _, xy in names if view.contains(*xy)]
    ax.add_collection(
        PathCollection(
            [glyph_path(name, size, bold=False)[0] for name, _ in shown],
            offsets=[xy for _, xy in shown],
            offset_transform=ax.transData,
            transform=IdentityTransform(),
            facecolors=colour,
            edgecolors="none",
            zorder=2.5,
        ),
        autolim=False,
    )
