"""The SOS path's own messages: the category question and the acknowledgement."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.card import CardState
from bot.domain.categories import CHOOSABLE, delivery_priority, info
from bot.domain.messages import OutboundMessage
from bot.domain.models import (
    Language,
)
from handlers.callback_data import (
    SosAnswer,
)
from handlers.views.texts import category_label, t
from handlers.views.whereabouts import outside_notice


def sos_category_keyboard(report_id: int, lang: Language) -> InlineKeyboardMarkup:
    """What happened: the categories, "for someone else", and skip."""
    buttons = [
        InlineKeyboardButton(
            f"{info(c).icon} {category_label(lang, c)}",
            callback_data=SosAnswer(report=report_id, choice=c.value).pack(),
        )
        for c in CHOOSABLE
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "btn_for_someone_else"),
                callback_data=SosAnswer(report=report_id, choice="witness").pack(),
            ),
            InlineKeyboardButton(
                t(lang, "btn_skip"), callback_data=SosAnswer(report=report_id, choice="skip").pack()
            ),
        ]
    )
    return InlineKeyboardMarkup(rows)


def sos_ack(state: CardState) -> OutboundMessage:
    """The SOS reporter's answer at once (not held): the ticket, "phone 112 if you can",
    and the first follow-up question. "Received" comes separately, when the card is in
    the dispatchers' group (the receipt)."""
    report = state.report
    text = t(report.language, "sos_receipt", ticket=report.ticket)
    notice = outside_notice(report.location, report.language) if report.location else None
    if notice:  # a traveller: where they are, before the first question
        head, question = text.rsplit("\n\n", 1)
        text = f"{head}\n\n{notice}\n\n{question}"
    return OutboundMessage(
        report.chat_id,
        "send_message",
        {
            "text": text,
            "parse_mode": "HTML",
            "reply_markup": sos_category_keyboard(report.id, report.language).to_dict(),
        },
        role="sos_ack",
        priority=delivery_priority(report.category, to_dispatch=False),
        report_id=report.id,
    )
