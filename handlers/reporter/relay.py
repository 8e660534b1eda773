"""A reporter's messages after sending: posted under the card, the reporter told."""

from __future__ import annotations

from telegram import Message, Update

from bot.domain.card import CardState, ReportChanges
from bot.domain.messages import Incoming, OutboundMessage
from bot.domain.models import MAX_ATTACHMENTS, Attachment, Report
from bot.services import reports
from handlers.context import Context, Services
from handlers.parsing import attachment_of
from handlers.views.relay import relay_caption, relay_texts
from handlers.views.render import (
    esc,
)
from handlers.views.texts import t
from storage.cards import card_state


async def relay_to_dispatch(update: Update, context: Context, report: Report) -> None:
    """A reporter's message after sending: posted under the card, the reporter told."""
    svc = context.services
    msg = update.effective_message
    assert msg is not None
    state = await card_state(svc.db, report.id)
    ticket = esc(state.report.ticket)
    lang = svc.settings.dispatch_language
    out: list[OutboundMessage] = []
    incoming: Incoming | None = (msg.chat_id, msg.message_id, report.id)
    if msg.text:
        for text in relay_texts(lang, "relay_from_reporter", ticket, msg.text):
            out.append(svc.cards.to_group(state, text, "relay"))
    elif (attachment := attachment_of(msg)) is not None:
        await _relay_file(context, state, msg, attachment)
        return
    else:
        chat, payload = svc.cards.in_place(
            state, {"from_chat_id": msg.chat_id, "message_id": msg.message_id}
        )
        out.append(
            OutboundMessage(
                chat,
                "copy_message",
                payload,
                role="relay",
                priority=20,
                report_id=report.id,
                reply_to_outbox_id=state.card_outbox_id,
            )
        )
    out.append(svc.cards.to_reporter(state, t(report.language, "relayed", ticket=ticket), "ack"))
    if await reports.relay(svc.db, out, svc.clock.now(), incoming=incoming):
        svc.wake_outbox()


async def _relay_file(
    context: Context, state: CardState, msg: Message, attachment: Attachment
) -> None:
    """A photo, voice note or video after sending: listed with the report, posted under
    the card — at most MAX_ATTACHMENTS per report, one answer per album, and the
    reporter told once when the limit stops further files."""
    svc = context.services
    report, lang = state.report, svc.settings.dispatch_language
    ticket = esc(report.ticket)
    earlier = svc.memo.album_seen(msg.chat_id, msg.media_group_id)
    incoming: Incoming = (msg.chat_id, msg.message_id, report.id)
    if len(report.attachments) >= MAX_ATTACHMENTS:
        album = msg.media_group_id
        told = svc.memo.album_seen(msg.chat_id, f"{album}:limit" if album else None)
        notice = [] if told else [_to_reporter(svc, state, "attachment_limit_sent")]
        if await reports.relay(svc.db, notice, svc.clock.now(), incoming=incoming):
            svc.wake_outbox()
        return
    now = svc.clock.now()
    caption, overflow = relay_caption(lang, "relay_from_reporter", ticket, msg.caption or "")
    answer = "relayed_album" if msg.media_group_id else "relayed"
    # Every kept file redraws the card, but a pending redraw is superseded by the next
    # one (storage.outbox), so an album costs the group one or two edits, not one each.
    updated = await reports.update_report(
        svc.db,
        report.id,
        ReportChanges(attachments=[attachment]),
        now,
        lambda st: [
            *svc.cards.card_edit(st, now),
            *svc.cards.media_under_card(st, [attachment], caption),
            *(svc.cards.to_group(st, text, "relay") for text in overflow),
            *([] if earlier else [_to_reporter(svc, st, answer)]),
        ],
        incoming=incoming,
    )
    if updated is not None:
        svc.wake_outbox()


def _to_reporter(svc: Services, state: CardState, key: str) -> OutboundMessage:
    report = state.report
    text = t(report.language, key, ticket=esc(report.ticket), limit=MAX_ATTACHMENTS)
    return svc.cards.to_reporter(state, text, "ack")
