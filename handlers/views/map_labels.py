"""Label placement for the map: every label beside its marker, none on top of another.

Pure geometry in pixels (no matplotlib), so it is tested on its own. Labels are placed one
by one in the order given (most urgent first): each tries positions around its marker —
right, left, above, below, the diagonals — on rings farther and farther out, and takes
the first one that stays inside the frame and overlaps no label already placed, no
marker and no other obstacle. A label that finds no room within :data:`MAX_RINGS` rings is
left out (``None``) rather than drawn over another: the map says how many. A spatial
grid keeps each test local, so 500 labels cost milliseconds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

MAX_RINGS = 5
"""How many rings of candidate positions are tried around a marker."""

_DIRECTIONS = (
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.0, 1.0),
    (0.0, -1.0),
    (1.0, 1.0),
    (-1.0, 1.0),
    (1.0, -1.0),
    (-1.0, -1.0),
)


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in pixels (y up, as matplotlib's display coordinates)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """True when the two boxes share more than an edge."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, frame: Box) -> bool:
        """True when the box lies wholly inside ``frame``."""
        return (
            frame.x0 <= self.x0
            and self.x1 <= frame.x1
            and frame.y0 <= self.y0
            and self.y1 <= frame.y1
        )

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one label went: its box, and whether it sits away from its marker (a leader
    line should join them)."""

    box: Box
    detached: bool


class _Grid:
    """Boxes bucketed by grid cell, for local overlap tests."""

    def __init__(self, cell: float) -> None:
        self._cell = cell
        self._cells: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        c = self._cell
        return [
            (i, j)
            for i in range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1)
            for j in range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1)
        ]

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells[key].append(box)

    def hits(self, box: Box) -> bool:
        cells = self._cells
        for key in self._keys(box):
            for other in cells.get(key, ()):
                if (
                    box.x0 < other.x1
                    and other.x0 < box.x1
                    and box.y0 < other.y1
                    and other.y0 < box.y1
                ):
                    return True
        return False


def _candidate(x: float, y: float, w: float, h: float, dx: float, dy: float, gap: float) -> Box:
    """The label box on direction (dx, dy) at distance ``gap`` from the marker's centre."""
    cx = x + dx * (gap + w / 2)
    cy = y + dy * (gap + h / 2)
    return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def place_labels(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    frame: Box,
    *,
    marker_radius: float,
    obstacles: Sequence[Box] = (),
) -> list[Placed | None]:
    """Place one label (width, height in pixels) beside each anchor (marker centre).

    Labels never overlap each other, any marker (a square of ``marker_radius`` around each
    anchor) or an obstacle, and stay inside ``frame``; the first rings hug the marker, the
    farther ones are ``detached``. Returns, per anchor in order, where its label goes or
    None when it found no room.
    """
    if len(anchors) != len(sizes):
        raise ValueError("one size per anchor")
    tallest = max((h for _, h in sizes), default=10.0)
    taken = _Grid(cell=max(tallest * 2, marker_radius * 4, 1.0))
    r = marker_radius
    for x, y in anchors:
        taken.add(Box(x - r, y - r, x + r, y + r))
    for box in obstacles:
        taken.add(box)
    out: list[Placed | None] = []
    for (x, y), (w, h) in zip(anchors, sizes, strict=True):
        out.append(_place_one(taken, frame, x, y, w, h, r, tallest))
    return out


def _place_one(
    taken: _Grid, frame: Box, x: float, y: float, w: float, h: float, r: float, step: float
) -> Placed | None:
    for ring in range(MAX_RINGS):
        gap = r + 2 + ring * step
        for dx, dy in _DIRECTIONS:
            box = _candidate(x, y, w, h, dx, dy, gap)
            if box.inside(frame) and not taken.hits(box):
                taken.add(box)
                return Placed(box, detached=ring > 0)
    return None
