"""A dispatcher's reply to a card (or to a relayed message) reaches the reporter."""

from __future__ import annotations

from telegram import (
    Message,
    Update,
)

from bot.domain.messages import OutboundMessage
from bot.services import reports
from handlers.context import Context
from handlers.guards import in_dispatch_chat, is_dispatcher, lost_copy
from handlers.views.relay import relay_texts
from handlers.views.texts import t
from storage.cards import card_state
from storage.message_map import report_for_message


def _text_of(message: Message) -> str | None:
    return message.text or message.caption


async def relay_to_reporter(update: Update, context: Context) -> None:
    """A dispatcher's reply to a card (or to a relayed message) reaches the reporter."""
    svc = context.services
    msg = update.effective_message
    if msg is None or msg.reply_to_message is None or not in_dispatch_chat(update, svc):
        return
    report_id = await report_for_message(svc.db, msg.chat_id, msg.reply_to_message.message_id)
    if report_id is None and await is_dispatcher(context, update.effective_user):
        report_id = await lost_copy(context, msg.reply_to_message)
    if report_id is None or not await is_dispatcher(context, update.effective_user):
        return
    state = await card_state(svc.db, report_id)
    lang, ticket = state.report.language, state.report.ticket
    out: list[OutboundMessage] = []
    if msg.text:
        for text in relay_texts(lang, "relay_from_dispatch", ticket, msg.text):
            out.append(svc.cards.to_reporter(state, text, role="relay"))
    else:
        header = t(lang, "relay_from_dispatch", ticket=ticket, text="")
        out.append(svc.cards.to_reporter(state, header.rstrip(), role="relay"))
        out.append(
            OutboundMessage(
                state.report.chat_id,
                "copy_message",
                {"from_chat_id": msg.chat_id, "message_id": msg.message_id},
                role="relay",
                priority=10,
                report_id=report_id,
            )
        )
    incoming = (msg.chat_id, msg.message_id, report_id)
    if await reports.relay(svc.db, out, svc.clock.now(), incoming=incoming):
        svc.wake_outbox()


async def relay_correction(update: Update, context: Context) -> None:
    """A dispatcher edited a reply that already reached the reporter: the correction goes
    too, marked as one (the reporter's copy cannot be edited: it was sent by the bot)."""
    svc = context.services
    msg = update.edited_message
    if msg is None or msg.reply_to_message is None or not in_dispatch_chat(update, svc):
        return
    report_id = await report_for_message(svc.db, msg.chat_id, msg.message_id)
    if report_id is None or not await is_dispatcher(context, update.effective_user):
        return  # never relayed (not a reply to a card, or not a dispatcher's)
    words = _text_of(msg)
    if not words:
        return
    state = await card_state(svc.db, report_id)
    lang, ticket = state.report.language, state.report.ticket
    out = [
        svc.cards.to_reporter(state, text, role="relay")
        for text in relay_texts(lang, "relay_correction", ticket, words)
    ]
    await reports.relay(svc.db, out, svc.clock.now())
    svc.wake_outbox()
