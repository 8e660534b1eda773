"""What a Telegram message carries, as the domain sees it: attachments, locations, kinds."""

from __future__ import annotations

from datetime import timedelta

from telegram import Message

from bot.domain.categories import CHOOSABLE, Category
from bot.domain.models import (
    Attachment,
    AttachmentKind,
    LocationSource,
    ReportLocation,
    clean_text,
)
from handlers.views.texts import all_variants

Kept = tuple[str, str]  # (what kind of thing was kept, acknowledgement text)


def attachment_of(message: Message) -> Attachment | None:
    """The file in a message, if it is one a report can carry."""
    if message.photo:
        p = message.photo[-1]
        return Attachment(
            kind=AttachmentKind.PHOTO, file_id=p.file_id, file_unique_id=p.file_unique_id
        )
    media = (
        (AttachmentKind.VOICE, message.voice),
        (AttachmentKind.VIDEO, message.video),
        (AttachmentKind.VIDEO_NOTE, message.video_note),
        (AttachmentKind.DOCUMENT, message.document),
    )
    for kind, item in media:
        if item is not None:
            return Attachment(kind=kind, file_id=item.file_id, file_unique_id=item.file_unique_id)
    return None


def location_of(message: Message) -> ReportLocation | None:
    """A location or venue message as a report location; raises ValueError if invalid."""
    if message.venue is not None:
        v = message.venue
        if v.location is None:
            raise ValueError("a venue without a location")
        return ReportLocation(
            source=LocationSource.VENUE,
            lat=v.location.latitude,
            lon=v.location.longitude,
            text=clean_text(f"{v.title}\n{v.address}")[:512] or None,
        )
    if message.location is not None:
        loc = message.location
        live = loc.live_period is not None
        return ReportLocation(
            source=LocationSource.LIVE if live else LocationSource.GPS,
            live_message_id=message.message_id if live else None,
            lat=loc.latitude,
            lon=loc.longitude,
            accuracy_m=loc.horizontal_accuracy,
            live_period=seconds_of(loc.live_period),
        )
    return None


def what_is(message: Message) -> str:
    """Name of a message's kind, for "sorry, X cannot be used here"."""
    for attr, key in (
        ("sticker", "what_sticker"),
        ("voice", "what_voice"),
        ("video", "what_video"),
        ("video_note", "what_video"),
        ("document", "what_document"),
        ("photo", "what_photo"),
        ("poll", "what_poll"),
        ("contact", "what_contact"),
        ("location", "what_location"),
        ("text", "what_text"),
    ):
        if getattr(message, attr):
            return key
    return "what_other"


def seconds_of(period: object) -> int | None:
    if period is None:
        return None
    if isinstance(period, timedelta):
        return int(period.total_seconds())
    return int(period) if isinstance(period, int | float) else None


def category_from_text(text: str) -> Category | None:
    """A category named in typed text ("kebakaran", "Fire"), if exactly one matches."""
    needle = clean_text(text).casefold()
    if len(needle) < 3:
        return None
    hits = {
        key
        for key in CHOOSABLE
        for label in all_variants(f"category_{key}")
        if needle in label.casefold() or label.casefold() in needle
    }
    return hits.pop() if len(hits) == 1 else None
