"""What a traveller outside the city is told, and the *luar kota* flag on the card and in
the queue."""

from __future__ import annotations

from bot.domain.locating import with_area
from bot.domain.models import LocationSource, ReportLocation
from handlers.views.whereabouts import card_outside_line, outside_notice, queue_outside


def at(lat: float, lon: float, source: LocationSource = LocationSource.GPS) -> ReportLocation:
    return with_area(ReportLocation(source=source, lat=lat, lon=lon))


KENDAL = at(-6.9740, 110.0690)


def test_a_traveller_is_told_the_kabupaten_and_that_112_works_everywhere() -> None:
    notice = outside_notice(KENDAL, "id")
    assert notice is not None
    assert "Anda berada di <b>Kabupaten Kendal, Jawa Tengah</b> — di luar Kota Semarang" in notice
    assert "dari batas kota" in notice and "km" in notice
    assert "Laporan tetap kami teruskan" in notice and "berlaku di seluruh Indonesia" in notice
    english = outside_notice(KENDAL, "en")
    assert english is not None
    assert "You are in <b>Kabupaten Kendal, Jawa Tengah</b> — outside Kota Semarang" in english
    assert "works everywhere in Indonesia" in english


def test_a_picked_place_is_a_place_not_where_the_reporter_is() -> None:
    picked = at(-7.2430, 110.4310, LocationSource.PICKED)
    notice = outside_notice(picked, "id")
    assert notice is not None
    assert "Lokasi ini berada di <b>Kabupaten Semarang, Jawa Tengah</b>" in notice
    assert "Anda berada" not in notice


def test_off_java_the_coordinates_are_given() -> None:
    bali = at(-8.65, 115.2)
    notice = outside_notice(bali, "id")
    assert notice is not None
    assert "di luar Pulau Jawa</b> (-8.650000, 115.200000)" in notice
    assert "di luar Kota Semarang" in notice and "112" in notice
    km = f"{(bali.distance_outside_m or 0) / 1000:.1f}".replace(".", ",")
    assert card_outside_line(bali, "id") == (
        f"🚩 <b>LUAR KOTA</b> — di luar Pulau Jawa · ± {km} km dari batas Kota Semarang"
    )
    assert queue_outside(bali, "en") == "🚩 outside the city: outside Java"


def test_the_card_and_the_queue_name_the_kabupaten_and_province() -> None:
    line = card_outside_line(KENDAL, "id")
    assert line is not None
    assert line.startswith("🚩 <b>LUAR KOTA</b> — Kabupaten Kendal, Jawa Tengah · ± ")
    assert queue_outside(KENDAL, "id") == "🚩 luar kota: Kabupaten Kendal"


def test_inside_the_city_nothing_is_said() -> None:
    inside = at(-6.9903, 110.4229)
    assert outside_notice(inside, "id") is None
    assert card_outside_line(inside, "id") is None
    assert queue_outside(inside, "id") is None
    assert queue_outside(None, "id") is None


def test_the_city_s_own_waters_and_older_reports_keep_the_plain_notice() -> None:
    harbour = at(-6.92, 110.42)  # beyond the outline, in Kota Semarang's polygon of Java
    # Stored before regions were recorded:
    older = ReportLocation(
        source=LocationSource.GPS, lat=-6.92, lon=110.2, outside_city=True, distance_outside_m=12300
    )
    for loc in (harbour, older):
        notice = outside_notice(loc, "id")
        assert notice is not None and notice.startswith("⚠️ Lokasi ini <b>di luar Kota Semarang</b>")
        assert "Kabupaten" not in notice
        assert (card_outside_line(loc, "id") or "").startswith("🚩 <b>LUAR KOTA</b> — ± ")
    assert queue_outside(older, "id") == "🚩 luar kota: ± 12,3 km"
