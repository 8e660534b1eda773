"""What the exports show of a report, and the helpers every format shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Final, Literal, Protocol

from bot.domain.models import Language

ExportFormat = Literal["csv", "open311", "eido"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "open311", "eido")
SYSTEM_URN: Final = "urn:semarang112:telegram-bot"


class ExportLabels(Protocol):
    """The words a person reads in an export, by language; this module keeps only machine
    names and keys (``handlers.views.texts.EXPORT_WORDS`` gives the catalogue's words)."""

    def category(self, lang: Language, key: str) -> str:
        """A category's name."""
        ...

    def disposition(self, lang: Language, key: str, *, other: str, target: str) -> str:
        """A closing reason, with the original ticket or transfer target when known."""
        ...

    def state(self, lang: Language, key: str) -> str:
        """Where an open report stands."""
        ...


@dataclass(frozen=True, slots=True)
class ExportEvent:
    """One timeline entry."""

    kind: str
    at: datetime
    actor_kind: str
    actor_name: str | None = None
    note: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportReport:
    """A report with what the exports show (times are aware datetimes)."""

    id: int
    ticket: str
    category: str
    state: str
    submitted_at: datetime
    updated_at: datetime
    disposition: str | None = None
    duplicate_of: str | None = None
    transfer_to: str | None = None
    agency: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    outside_city: bool = False
    region: str | None = None
    """Outside the city: the kabupaten/kota of Java ("Kabupaten Kendal")."""
    province: str | None = None
    beyond_java: bool = False
    lat: float | None = None
    lon: float | None = None
    location_text: str | None = None
    address: str | None = None
    details: str | None = None
    phone: str | None = None
    language: str = "id"
    reporter_id: int | None = None
    reporter_role: str | None = None  # the badge's role when filed (relawan, rt_rw, petugas)
    reporter_community: str | None = None  # the badge's community, kelurahan or agency
    received_at: datetime | None = None
    claimed_at: datetime | None = None
    dispatched_at: datetime | None = None
    en_route_at: datetime | None = None
    on_scene_at: datetime | None = None
    closed_at: datetime | None = None
    rating: int | None = None
    rating_comment: str | None = None
    events: tuple[ExportEvent, ...] = ()

    @property
    def agencies(self) -> list[str]:
        """Dispatched agencies, primary first (backups from ``dispatch_added`` events)."""
        keys = [self.agency] if self.agency else []
        for e in self.events:
            key = e.data.get("agency")
            if e.kind in ("dispatched", "dispatch_added") and key and str(key) not in keys:
                keys.append(str(key))
        return keys


def local_iso(moment: datetime | None, tz: tzinfo) -> str | None:
    """ISO 8601 in the city's zone, to the second (``…T14:02:00+07:00``)."""
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def seconds_between(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else (b - a).total_seconds()


def event_detail(e: ExportEvent) -> str:
    for key in ("agency", "disposition", "key", "to_name"):
        value = e.data.get(key)
        if value:
            return f" ({value})"
    return ""


def timeline(report: ExportReport, tz: tzinfo) -> str:
    """``"14:02 submitted; 14:02 card_delivered; 14:03 claimed; 14:05 dispatched (damkar)"``."""
    first_day = report.submitted_at.astimezone(tz).date()
    parts = []
    for e in report.events:
        local = e.at.astimezone(tz)
        stamp = f"{local:%H:%M}" if local.date() == first_day else f"{local:%d/%m %H:%M}"
        parts.append(f"{stamp} {e.kind}{event_detail(e)}")
    return "; ".join(parts)


def status_notes(report: ExportReport, labels: ExportLabels, lang: Language = "id") -> str:
    """The status in words: the closing reason, or where an open report stands."""
    if report.disposition is not None:
        return labels.disposition(
            lang,
            report.disposition,
            other=report.duplicate_of or "",
            target=report.transfer_to or "",
        )
    return labels.state(lang, report.state)


def address_of(report: ExportReport) -> str | None:
    if report.address:
        return report.address
    if report.location_text:
        return report.location_text
    if report.outside_city:
        return ", ".join(p for p in (report.region, report.province) if p) or None
    area = ", ".join(p for p in (report.kelurahan, report.kecamatan) if p)
    return f"{area}, Kota Semarang" if area else None
