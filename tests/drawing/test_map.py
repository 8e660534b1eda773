"""``/peta``: what the map counts, where labels go, what it frames, and the picture itself
(readable on a phone: its size, its numbers' size, no number on top of another)."""

from __future__ import annotations

import itertools
import math
import random
import struct
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import overview
from bot.domain.geo import CityMap, to_plane
from bot.domain.locating import with_area
from bot.domain.models import LocationSource, ReportLocation
from bot.domain.overview import MapPoint
from handlers.views.map import MapPicture, MapSpec, draw_map
from handlers.views.map_labels import MAX_RINGS, Box, place_labels
from handlers.views.map_scene import View, choose_view, edge_arrows, fit_aspect

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 27, 5, 0, tzinfo=UTC)  # 12:00 WIB
TARGET = timedelta(minutes=10)
CITY = CityMap.load()
PNG = b"\x89PNG\r\n\x1a\n"
SIMPANG_LIMA = (-6.99046, 110.42285)


def point(
    n: int,
    lat: float | None = SIMPANG_LIMA[0],
    lon: float | None = SIMPANG_LIMA[1],
    *,
    state: str = "received",
    category: str = "fire",
    minutes_ago: float = 2,
    on_scene: bool = False,
    day: str = "260327",
) -> MapPoint:
    area = (
        with_area(ReportLocation(source=LocationSource.GPS, lat=lat, lon=lon))
        if lat is not None and lon is not None
        else None
    )
    started = NOW - timedelta(minutes=minutes_ago)
    return MapPoint(
        ticket=f"SMG-{day}-{n:04d}",
        category=category,
        state=state,
        submitted_at=started,
        started_at=started,
        lat=lat,
        lon=lon,
        on_scene_at=started if on_scene else None,
        outside_city=bool(area and area.outside_city),
        kecamatan=area.kecamatan if area else None,
        region=area.region if area else None,
        beyond_java=bool(area and area.beyond_java),
    )


def spec(points: list[MapPoint], **over: object) -> MapSpec:
    values: dict[str, object] = {
        "points": points,
        "city": CITY,
        "now": NOW,
        "tz": WIB,
        "target": TARGET,
        "lang": "id",
    }
    values.update(over)
    return MapSpec(**values)  # type: ignore[arg-type]


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG) and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def no_two_overlap(picture: MapPicture) -> None:
    for a, b in itertools.combinations(picture.labels, 2):
        assert not a.box.overlaps(b.box), (a.text, b.text)


# --------------------------------------------------------------------------- the counts


def test_short_numbers_name_today_s_tickets_by_number_and_others_with_their_day() -> None:
    today = date(2026, 3, 27)
    assert overview.short_number("SMG-260327-0042", today) == "42"
    assert overview.short_number("SMG-260326-0007", today) == "26.7"
    assert overview.short_number("SMG-260327-12345", today) == "12345"
    assert overview.short_number("not a ticket", today) == "not a ticket"


def test_late_is_open_nobody_on_scene_and_past_the_target() -> None:
    assert point(1, minutes_ago=10).late(NOW, TARGET)  # exactly 10 minutes: late
    assert not point(2, minutes_ago=9.9).late(NOW, TARGET)
    assert not point(3, minutes_ago=30, on_scene=True, state="on_scene").late(NOW, TARGET)
    assert not point(4, minutes_ago=30, state="closed").late(NOW, TARGET)


def test_counts_say_what_the_caption_says() -> None:
    points = [
        point(1, minutes_ago=12),
        point(2, state="closed"),
        point(3, -6.9740, 110.0690),  # Kendal
        point(4, None, None),  # a typed place without coordinates
    ]
    assert overview.count(points, NOW, TARGET) == overview.MapCounts(
        total=4, open=3, closed=1, late=1, outside_city=1, without_point=1
    )


def test_the_request_is_today_and_or_a_kecamatan() -> None:
    assert overview.parse_map_request([], CITY) == overview.MapRequest()
    today = overview.parse_map_request(["hari"], CITY)
    assert today is not None and today.today and today.focus is None
    both = overview.parse_map_request(["hari", "Semarang", "Tengah"], CITY)
    assert both is not None and both.today and both.focus is not None
    assert both.focus.name == "Semarang Tengah"
    assert overview.parse_map_request(["kec.", "tembalang"], CITY) is not None
    assert overview.parse_map_request(["atlantis"], CITY) is None
    assert overview.today_start(NOW, WIB) == datetime(2026, 3, 27, tzinfo=WIB)


# --------------------------------------------------------------------------- labels


def test_labels_of_markers_at_one_spot_spread_out_and_never_overlap() -> None:
    frame = Box(0, 0, 800, 600)
    anchors = [(400.0, 300.0)] * 12
    sizes = [(40.0, 18.0)] * 12
    placed = place_labels(anchors, sizes, frame, marker_radius=8)
    boxes = [p.box for p in placed if p is not None]
    assert len(boxes) == 12  # there is room around the spot for all of them
    assert all(b.inside(frame) for b in boxes)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    marker = Box(392, 292, 408, 308)
    assert not any(b.overlaps(marker) for b in boxes)
    assert len({b.centre for b in boxes}) == 12


def test_the_first_label_hugs_its_marker_on_the_right() -> None:
    (first,) = place_labels([(100.0, 100.0)], [(30.0, 10.0)], Box(0, 0, 400, 400), marker_radius=5)
    assert first is not None and not first.detached
    assert first.box == Box(107.0, 95.0, 137.0, 105.0)


def test_labels_stay_in_the_frame_and_clear_of_obstacles() -> None:
    frame = Box(0, 0, 200, 200)
    obstacle = Box(150, 0, 200, 200)
    (near_edge,) = place_labels(
        [(140.0, 100.0)], [(40.0, 10.0)], frame, marker_radius=5, obstacles=[obstacle]
    )
    assert near_edge is not None
    assert near_edge.box.inside(frame) and not near_edge.box.overlaps(obstacle)
    assert near_edge.box.x1 <= 150


def test_a_label_with_no_room_is_left_out_not_piled_on() -> None:
    frame = Box(0, 0, 60, 60)
    placed = place_labels([(30.0, 30.0)] * 40, [(20.0, 12.0)] * 40, frame, marker_radius=4)
    assert placed[0] is not None and None in placed
    boxes = [p.box for p in placed if p is not None]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    with pytest.raises(ValueError):
        place_labels([(1.0, 1.0)], [], frame, marker_radius=1)
    assert MAX_RINGS >= 3


# --------------------------------------------------------------------------- the frame


def test_the_frame_is_the_city_or_a_zoom_on_close_reports() -> None:
    everywhere = [to_plane(-6.95, 110.35), to_plane(-7.10, 110.45)]
    whole = choose_view(everywhere, CITY, None, 1.25)
    x0, y0, x1, y1 = CITY.outline_shape().bounds
    assert not whole.zoomed and whole.x0 < x0 and whole.x1 > x1 and whole.y0 < y0 < y1 < whole.y1
    assert whole.width / whole.height == pytest.approx(1.25)
    close = [to_plane(*SIMPANG_LIMA), to_plane(-6.985, 110.415)]
    zoom = choose_view(close, CITY, None, 1.25)
    assert zoom.zoomed and zoom.width < 0.45 * (x1 - x0) + 1
    assert all(zoom.contains(*p) for p in close)
    tembalang = CITY.kecamatan_by_name("Tembalang")
    focus = choose_view([], CITY, tembalang, 1.25)
    assert focus.zoomed
    assert fit_aspect(0, 0, 10, 10, 2.0, zoomed=False) == View(-5, 0, 15, 10, False)
    assert fit_aspect(0, 0, 10, 10, 0.5, zoomed=False) == View(0, -5, 10, 15, False)


def test_reports_beyond_the_frame_are_counted_on_arrows_by_direction() -> None:
    view = View(-1000, -1000, 1000, 1000, zoomed=True)
    east = point(1, -6.9740, 110.0690)  # positions below are what counts, not these
    beyond = [
        (east, 5000.0, 100.0),
        (east, 7000.0, -300.0),
        (point(2, -6.9230, 110.5120), 6000.0, 0.0),
        (point(3), -100.0, 9000.0),
    ]
    arrows = edge_arrows(beyond, view, outside_java="luar Jawa", outside_city="luar kota")
    assert [(a.count, a.place, a.others) for a in arrows] == [
        (3, "Kab. Kendal", 1),
        (1, "Kec. Semarang Selatan", 0),
    ]
    assert arrows[0].angle == 0 and arrows[1].angle == pytest.approx(math.pi / 2)


# --------------------------------------------------------------------------- the picture


def test_the_map_is_a_phone_sized_png_with_readable_numbers_none_piled_up() -> None:
    rnd = random.Random(17)
    points = [
        point(n, SIMPANG_LIMA[0] + rnd.gauss(0, 0.002), SIMPANG_LIMA[1] + rnd.gauss(0, 0.002))
        for n in range(1, 41)
    ]
    points += [point(41, -6.9740, 110.0690), point(42, None, None)]
    picture = draw_map(spec(points))
    width, height = png_size(picture.png)
    assert (width, height) == (picture.width, picture.height) == (1024, 1200)
    assert max(width, height) <= 1280  # Telegram shows it without scaling it down
    assert picture.zoomed  # 40 reports around Simpang Lima: the map zooms in
    assert (picture.drawn, picture.beyond) == (40, 1)
    assert len(picture.labels) + picture.unlabelled == 40
    assert len(picture.labels) >= 30
    no_two_overlap(picture)
    for label in picture.labels:
        height_px = label.box.y1 - label.box.y0
        assert height_px >= 13  # digits 13+ px tall on a 1024-px-wide picture
        cx, cy = label.box.centre
        assert math.dist((cx, cy), label.anchor) < 200  # near its marker, a leader if far


def test_five_hundred_open_reports_draw_without_labels_on_labels() -> None:
    rnd = random.Random(3)
    kelurahan = CITY.kelurahan_list()
    points = []
    for n in range(1, 501):
        k = rnd.choice(kelurahan)
        points.append(
            point(
                n,
                k.centroid.lat + rnd.gauss(0, 0.003),
                k.centroid.lon + rnd.gauss(0, 0.003),
                minutes_ago=rnd.uniform(0, 30),
                category=rnd.choice(["fire", "crime", "traffic_accident", "unknown"]),
            )
        )
    picture = draw_map(spec(points))
    assert picture.drawn + picture.beyond == 500 and not picture.zoomed
    assert len(picture.labels) + picture.unlabelled == picture.drawn
    assert len(picture.labels) >= 150
    no_two_overlap(picture)
    late = [label for label in picture.labels if label.text.startswith("⚠")]
    assert late and all(label.text[1:].isdigit() for label in late)


def test_the_picture_follows_the_data_and_the_language_and_repeats_itself() -> None:
    a = [point(1), point(2, -7.05, 110.43, state="claimed")]
    b = [point(1), point(2, -7.05, 110.43, state="on_scene", on_scene=True)]
    first = draw_map(spec(a))
    assert draw_map(spec(a)).png == first.png  # same data, same bytes
    assert draw_map(spec(b)).png != first.png
    assert draw_map(spec(a, lang="en")).png != first.png
    assert draw_map(spec(a, today=True)).png != first.png


def test_an_empty_map_still_draws_the_city() -> None:
    picture = draw_map(spec([]))
    assert png_size(picture.png) == (1024, 1200)
    assert (picture.drawn, picture.beyond, picture.labels) == (0, 0, ())
    assert picture.png != draw_map(spec([], today=True)).png  # it says which map is empty


def test_today_s_map_fades_closed_reports_and_marks_no_closed_one_late() -> None:
    points = [point(1, minutes_ago=50, state="closed"), point(2, -7.0, 110.40, minutes_ago=50)]
    picture = draw_map(spec(points, today=True))
    texts = sorted(label.text for label in picture.labels)
    assert texts == ["1", "⚠2"]


def test_a_kecamatan_asked_for_frames_it_and_sends_the_rest_to_the_edge() -> None:
    focus = CITY.kecamatan_by_name("Tembalang")
    inside = point(1, -7.0560, 110.4380)  # in Tembalang
    elsewhere = point(2, *SIMPANG_LIMA)
    picture = draw_map(spec([inside, elsewhere], focus=focus))
    assert picture.zoomed and (picture.drawn, picture.beyond) == (1, 1)
