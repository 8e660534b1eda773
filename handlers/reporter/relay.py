"""A reporter's messages after sending: posted under the card, the reporter told."""

from __future__ import annotations

from telegram import (
    Update,
)

from bot.domain.card import ReportChanges
from bot.domain.messages import Incoming, OutboundMessage
from bot.domain.models import Report
from bot.services import reports
from handlers.context import Context
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
        # A photo, voice note or video: listed with the report, posted under the card.
        now = svc.clock.now()
        caption, overflow = relay_caption(lang, "relay_from_reporter", ticket, msg.caption or "")
        updated = await reports.update_report(
            svc.db,
            report.id,
            ReportChanges(attachments=[attachment]),
            now,
            lambda st: [
                *svc.cards.card_edit(st, now),
                *svc.cards.media_under_card(st, [attachment], caption),
                *(svc.cards.to_group(st, text, "relay") for text in overflow),
            ],
            incoming=incoming,
        )
        if updated is None:
            return  # delivered twice: handled the first time
        incoming = None
    else:
        out.append(
            OutboundMessage(
                svc.cards.chat,
                "copy_message",
                {"from_chat_id": msg.chat_id, "message_id": msg.message_id},
                role="relay",
                priority=20,
                report_id=report.id,
                reply_to_outbox_id=state.card_outbox_id,
            )
        )
    out.append(svc.cards.to_reporter(state, t(report.language, "relayed", ticket=ticket), "ack"))
    if await reports.relay(svc.db, out, svc.clock.now(), incoming=incoming):
        svc.wake_outbox()
