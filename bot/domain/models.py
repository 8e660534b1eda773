"""Domain models of a report: location, attachments, the reporter's draft, tickets.

Pure data and rules — no Telegram, no SQL.
"""

from __future__ import annotations

import math
import re
import secrets
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.domain.categories import Category

Language = Literal["id", "en"]

MAX_ATTACHMENTS = 10
MAX_DETAILS_CHARS = 8000  # two full Telegram messages; longer text is kept to this length


class LocationSource(StrEnum):
    """Where a location came from; shown to dispatchers."""

    GPS = "gps"  # "share my location" (the device's position)
    LIVE = "live"  # live location that keeps updating
    VENUE = "venue"  # a place picked in Telegram's attachment menu
    PICKED = "picked"  # a pin dropped on the map
    TYPED = "typed"  # words typed by the reporter


class ReportLocation(BaseModel):
    """A report's location: coordinates (validated), or typed words, or both."""

    model_config = ConfigDict(frozen=True)

    source: LocationSource
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = Field(default=None, ge=0, le=1_500_000)
    text: str | None = Field(default=None, max_length=512)
    live_period: int | None = None
    live_message_id: int | None = None  # the reporter's live-location message, while it lasts
    updated_at: datetime | None = None  # last live update
    approximate: bool = False  # a point taken from a gazetteer match, not a device
    # Where the point falls (bot/locating.py); for a typed place with no point, the
    # kecamatan the reporter picked.
    kecamatan: str | None = None
    kelurahan: str | None = None
    outside_city: bool = False
    distance_outside_m: float | None = None
    near_border_with: tuple[str, ...] = ()
    address: str | None = Field(default=None, max_length=512)
    # Outside the city (bot/domain/regions.py): the kabupaten/kota of Java it lies in, or
    # ``beyond_java`` when it is in none of them.
    region: str | None = Field(default=None, max_length=128)  # "Kabupaten Kendal"
    region_code: str | None = Field(default=None, max_length=16)  # Kemendagri, "33.24"
    province: str | None = Field(default=None, max_length=64)  # "Jawa Tengah"
    beyond_java: bool = False

    @field_validator("lat", "lon")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("coordinate must be a finite number")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ReportLocation:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("latitude and longitude come together")
        if self.lat is not None and self.lon is not None:
            if not -90 <= self.lat <= 90:
                raise ValueError("latitude out of range")
            if not -180 <= self.lon <= 180:
                raise ValueError("longitude out of range")
        elif self.source is not LocationSource.TYPED:
            raise ValueError("a pin needs coordinates")
        if self.source is LocationSource.TYPED and not (self.text and self.text.strip()):
            raise ValueError("a typed location needs words")
        return self

    @property
    def has_point(self) -> bool:
        """True when coordinates are known."""
        return self.lat is not None


class AttachmentKind(StrEnum):
    """Media a reporter can add to a report."""

    PHOTO = "photo"
    VOICE = "voice"
    VIDEO = "video"
    VIDEO_NOTE = "video_note"
    DOCUMENT = "document"


class Attachment(BaseModel):
    """A file the reporter sent, kept by Telegram file id (never downloaded)."""

    model_config = ConfigDict(frozen=True)

    kind: AttachmentKind
    file_id: str = Field(min_length=1, max_length=256)
    file_unique_id: str = Field(min_length=1, max_length=128)


class PlaceCandidate(BaseModel):
    """A place offered to confirm a typed location (gazetteer or geocoder)."""

    model_config = ConfigDict(frozen=True)

    label: str = Field(max_length=256)
    lat: float
    lon: float
    source: Literal["gazetteer", "geocoder"]


class Step(StrEnum):
    """Where a reporter is in the guided report flow."""

    CATEGORY = "category"
    LOCATION = "location"
    DETAILS = "details"
    PHONE = "phone"
    CONFIRM = "confirm"


STEP_ORDER: tuple[Step, ...] = (
    Step.CATEGORY,
    Step.LOCATION,
    Step.DETAILS,
    Step.PHONE,
    Step.CONFIRM,
)


def new_draft_uid() -> str:
    """A short random id naming one draft in callback data (stale buttons are detected)."""
    return secrets.token_hex(4)


class Draft(BaseModel):
    """A report being written. Persisted after every answer, so nothing is re-entered."""

    uid: str = Field(default_factory=new_draft_uid, pattern=r"^[0-9a-f]{8}$")
    chat_id: int
    user_id: int
    step: Step = Step.CATEGORY
    editing: bool = False  # answering one step from the summary's "edit" menu
    category: Category | None = None
    location: ReportLocation | None = None
    details: str | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    phone: str | None = None
    phone_skipped: bool = False
    sos: bool = False  # filed by the one-tap SOS path
    for_someone_else: bool = False  # the reporter is a witness, not the person in need
    anonymous_to_agencies: bool = False  # name and number only for the command center
    # Idempotency: an update delivered twice (Telegram re-sends after a crash) is seen once.
    last_message_id: int = 0
    last_callback_id: str | None = None
    last_album_id: str | None = None  # the album already answered (one answer per album)
    # A typed location waiting for the reporter to confirm a place or pick a kecamatan.
    typed_place: str | None = None
    place_candidates: list[PlaceCandidate] = Field(default_factory=list)

    def advance(self) -> Step:
        """Move past the current step: to the next one, or back to the summary when editing."""
        if self.editing or self.step is Step.CONFIRM:
            self.step, self.editing = Step.CONFIRM, False
        else:
            self.step = STEP_ORDER[STEP_ORDER.index(self.step) + 1]
        return self.step

    def edit(self, step: Step) -> None:
        """Jump back to one step from the summary; answering it returns to the summary."""
        self.step, self.editing = step, True

    def add_attachment(self, attachment: Attachment) -> bool:
        """Add a file unless it is already there or the limit is reached; True if added."""
        if len(self.attachments) >= MAX_ATTACHMENTS:
            return False
        if any(a.file_unique_id == attachment.file_unique_id for a in self.attachments):
            return True
        self.attachments.append(attachment)
        return True

    def add_details(self, text: str) -> None:
        """Keep the reporter's words; later words are appended, never overwrite."""
        text = clean_text(text)
        if not text:
            return
        joined = f"{self.details}\n{text}" if self.details and not self.editing else text
        self.details = joined[:MAX_DETAILS_CHARS]

    @property
    def complete(self) -> bool:
        """Category and location are the minimum a dispatcher needs."""
        return self.category is not None and self.location is not None


_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\u0000-\u0008\u000b\u000c\u000e-\u001f]"
)


def clean_text(text: str) -> str:
    """Strip control, zero-width and bidirectional-override characters and outer space."""
    return _INVISIBLE.sub("", text).strip()


_PHONE_CHARS = re.compile(r"[\s\-().]")


def normalize_phone(text: str) -> str | None:
    """An Indonesian (or international) phone number in +E.164 form, or None if not one.

    Accepts ``0812 3456 7890``, ``+62 812-3456-7890``, ``62812...``, ``+4917...``.
    """
    raw = _PHONE_CHARS.sub("", clean_text(text))
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("0"):
        raw = "+62" + raw[1:]
    elif raw.startswith("62"):
        raw = "+" + raw
    if not re.fullmatch(r"\+\d{8,15}", raw):
        return None
    if raw.startswith("+62") and not 10 <= len(raw) - 1 <= 14:
        return None
    return raw


def format_ticket(city_code: str, day: date, sequence: int) -> str:
    """Human-readable ticket number: city, date (YYMMDD, local), daily sequence."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{city_code}-{day:%y%m%d}-{sequence:04d}"


_TICKET_RE = re.compile(r"^([A-Z]{2,5})-(\d{6})-(\d{4,})$")


def parse_ticket(text: str) -> str | None:
    """The canonical ticket number in ``text`` (case and spaces tolerated), else None."""
    candidate = text.strip().upper().replace(" ", "")
    return candidate if _TICKET_RE.match(candidate) else None


def utc_iso(moment: datetime) -> str:
    """Timestamps are stored as ISO 8601 in UTC."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat()


def from_iso(text: str) -> datetime:
    """Inverse of :func:`utc_iso`."""
    return datetime.fromisoformat(text)


class Reporter(BaseModel):
    """A person who reports, as Telegram describes them (plus their choices)."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    client_language: str | None = None
    language: Language | None = None  # explicit choice (/language) wins over the client's
    phone: str | None = None

    @property
    def lang(self) -> Language:
        """The language to talk to this reporter in."""
        if self.language is not None:
            return self.language
        return client_language(self.client_language)

    @property
    def full_name(self) -> str:
        """First and last name as the reporter set them."""
        return " ".join(p for p in (self.first_name, self.last_name) if p)


class TrustRole(StrEnum):
    """What a trusted reporter is to the command center (issue "Trusted reporters")."""

    RELAWAN = "relawan"  # a volunteer of one of the city's communities (e.g. SAR Semarang)
    RT_RW = "rt_rw"  # a neighbourhood head (ketua RT/RW) of a kelurahan
    PETUGAS = "petugas"  # a field officer of an agency


class Badge(BaseModel):
    """The verified badge a report carries: its reporter's role and community (for a
    neighbourhood head the kelurahan, for an officer the agency) when they filed it."""

    model_config = ConfigDict(frozen=True)

    role: TrustRole
    community: str = Field(min_length=1, max_length=64)


def client_language(code: str | None, default: Language = "id") -> Language:
    """Map Telegram's IETF language tag to a supported language (English or Indonesian)."""
    if code and code.lower().startswith("en"):
        return "en"
    if code and code.lower().startswith(("id", "in", "jv", "su", "ms")):
        return "id"
    return default


class Report(BaseModel):
    """A submitted report as stored."""

    id: int
    ticket: str
    reporter_id: int
    chat_id: int
    language: Language
    category: Category
    state: str
    location: ReportLocation | None
    details: str | None
    phone: str | None
    submitted_at: datetime
    received_at: datetime | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    sos: bool = False
    for_someone_else: bool = False
    anonymous_to_agencies: bool = False
    followup_step: str | None = None  # the SOS question the reporter is being asked
    badge: Badge | None = None  # filed by a trusted reporter (kept when the role is revoked)
