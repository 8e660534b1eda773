"""Outside the city: what a traveller is told, and the *luar kota* flag dispatchers see.

A location outside Kota Semarang carries the kabupaten/kota and province of Java it lies
in (``ReportLocation.region``/``province``, :mod:`bot.domain.regions`), or
``beyond_java``. The city's own code (a point off its coast, beyond the outline) and
reports stored before regions were known have neither: they keep the plain notice.
"""

from __future__ import annotations

from bot.domain.models import Language, LocationSource, ReportLocation
from bot.domain.regions import KOTA_SEMARANG
from handlers.views.render import coords, esc
from handlers.views.texts import t

_DEVICE_SOURCES = frozenset({LocationSource.GPS, LocationSource.LIVE})


def km_text(metres: float | None, lang: Language) -> str:
    """``12,3`` (id) / ``12.3`` (en) kilometres."""
    km = f"{(metres or 0) / 1000:.1f}"
    return km.replace(".", ",") if lang == "id" else km


def _named_region(loc: ReportLocation) -> bool:
    return bool(loc.region and loc.province and loc.region_code != KOTA_SEMARANG)


def outside_notice(loc: ReportLocation, lang: Language) -> str | None:
    """What a reporter outside the city is told (None inside it): where they are — the
    kabupaten/kota and province, or "outside Java" with the coordinates — that the report
    is still forwarded, and that 112 works all over Indonesia."""
    if not loc.outside_city:
        return None
    forwarded = t(lang, "outside_forwarded")
    km = km_text(loc.distance_outside_m, lang)
    if _named_region(loc):
        # Their own device's position is where they are; a picked pin is a place.
        key = "outside_region_you" if loc.source in _DEVICE_SOURCES else "outside_region_place"
        return t(
            lang,
            key,
            region=esc(loc.region or ""),
            province=esc(loc.province or ""),
            km=km,
            forwarded=forwarded,
        )
    if loc.beyond_java and loc.has_point:
        return t(lang, "outside_java", coords=coords(loc), forwarded=forwarded)
    return t(lang, "outside_city", km=km, forwarded=forwarded)


def card_outside_line(loc: ReportLocation, lang: Language) -> str | None:
    """The card's *luar kota* flag with the kabupaten/kota and province (None inside)."""
    if not loc.outside_city:
        return None
    km = km_text(loc.distance_outside_m, lang)
    if _named_region(loc):
        return t(
            lang,
            "card_outside_region",
            region=esc(loc.region or ""),
            province=esc(loc.province or ""),
            km=km,
        )
    if loc.beyond_java:
        return t(lang, "card_outside_java", km=km)
    return t(lang, "card_outside_city", km=km)


def queue_outside(loc: ReportLocation | None, lang: Language) -> str | None:
    """``🚩 luar kota: Kabupaten Kendal`` for the queue (None inside the city)."""
    if loc is None or not loc.outside_city:
        return None
    if _named_region(loc):
        where = esc(loc.region or "")
    elif loc.beyond_java:
        where = t(lang, "queue_outside_java")
    else:
        where = "± " + km_text(loc.distance_outside_m, lang) + " km"
    return t(lang, "queue_outside", where=where)
