"""What a submitted report sends: the dispatch card and its companions, the receipt.

Everything here is queued in the outbox in the same transaction that stores the report.
"""

from __future__ import annotations

from typing import Any

from bot.categories import delivery_priority
from bot.config import Settings
from bot.models import AttachmentKind, LocationSource, Report, Reporter
from handlers.render import dispatch_card, esc
from handlers.texts import t
from storage.outbox import OutboundMessage

MEDIA_METHOD = {
    AttachmentKind.PHOTO: ("send_photo", "photo"),
    AttachmentKind.VOICE: ("send_voice", "voice"),
    AttachmentKind.VIDEO: ("send_video", "video"),
    AttachmentKind.VIDEO_NOTE: ("send_video_note", "video_note"),
    AttachmentKind.DOCUMENT: ("send_document", "document"),
}


def submission_messages(
    settings: Settings, report: Report, reporter: Reporter
) -> list[OutboundMessage]:
    """Card, native pin (as a reply to the card), long-details continuation, media, receipt."""
    assert settings.dispatch_chat_id is not None
    chat = settings.dispatch_chat_id
    lang = settings.dispatch_language
    card_html, continuation = dispatch_card(report, reporter, lang, settings.tz)
    prio = delivery_priority(report.category, to_dispatch=True)

    def extra(method: str, payload: dict[str, Any]) -> OutboundMessage:
        return OutboundMessage(
            chat,
            method,
            payload,
            role="card_extra",
            priority=prio,
            report_id=report.id,
            reply_to_key="card",
        )

    out = [
        OutboundMessage(
            chat,
            "send_message",
            {"text": card_html, "parse_mode": "HTML"},
            role="card",
            priority=prio,
            report_id=report.id,
            key="card",
        )
    ]
    loc = report.location
    if loc is not None and loc.lat is not None and loc.lon is not None:
        if loc.source is LocationSource.VENUE and loc.text:
            title, _, address = loc.text.partition("\n")
            out.append(
                extra(
                    "send_venue",
                    {
                        "latitude": loc.lat,
                        "longitude": loc.lon,
                        "title": title[:256] or report.ticket,
                        "address": address[:256] or report.ticket,
                    },
                )
            )
        else:
            payload: dict[str, Any] = {"latitude": loc.lat, "longitude": loc.lon}
            if loc.accuracy_m is not None:
                payload["horizontal_accuracy"] = min(loc.accuracy_m, 1500.0)
            out.append(extra("send_location", payload))
    out.extend(
        extra("send_message", {"text": piece, "parse_mode": "HTML"}) for piece in continuation
    )
    total = len(report.attachments)
    for n, attachment in enumerate(report.attachments, start=1):
        method, field = MEDIA_METHOD[attachment.kind]
        payload = {field: attachment.file_id}
        if attachment.kind is not AttachmentKind.VIDEO_NOTE:
            payload["caption"] = f"{esc(report.ticket)} · {n}/{total}"
        out.append(extra(method, payload))
    out.append(
        OutboundMessage(
            report.chat_id,
            "send_message",
            {"text": t(report.language, "receipt", ticket=report.ticket), "parse_mode": "HTML"},
            role="receipt",
            priority=delivery_priority(report.category, to_dispatch=False),
            report_id=report.id,
        )
    )
    return out
