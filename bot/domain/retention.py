"""What a report keeps once its retention period is over (UU 27/2022, personal data).

Statistics keep category, kecamatan / kelurahan, agency, disposition and every time; what
points to a person goes: the exact point is rounded to about a kilometre, accuracy,
typed words, address and the live-location link are dropped.
"""

from __future__ import annotations

from typing import Final

from bot.domain.models import ReportLocation

COARSE_DECIMALS: Final = 2  # about 1.1 km at Semarang's latitude


def coarsen(loc: ReportLocation) -> ReportLocation:
    """A location without what points to a person: area kept, point rounded."""
    lat = round(loc.lat, COARSE_DECIMALS) if loc.lat is not None else None
    lon = round(loc.lon, COARSE_DECIMALS) if loc.lon is not None else None
    return loc.model_copy(
        update={
            "lat": lat,
            "lon": lon,
            "accuracy_m": None,
            "text": "—" if loc.text and lat is None else None,
            "address": None,
            "live_message_id": None,
            "approximate": True,
        }
    )
