"""The rating question queued after a close: 1–5 stars."""

from __future__ import annotations

import html
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.card import CardState
from bot.domain.categories import delivery_priority
from bot.domain.lifecycle import EventKind, Transition
from bot.domain.messages import OutboundMessage
from bot.domain.ratings import RATEABLE
from handlers.callback_data import RateReport
from handlers.views.texts import t

RATING_PRIORITY: Final = 5


def stars(n: int) -> str:
    """⭐⭐⭐ for 3."""
    return "⭐" * n


def rating_keyboard(report_id: int) -> InlineKeyboardMarkup:
    """Five buttons, 1 to 5 stars."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{n}⭐",
                    callback_data=RateReport(report=report_id, choice=str(n)).pack(),
                )
                for n in range(1, 6)
            ]
        ]
    )


def rating_request(state: CardState, step: Transition) -> list[OutboundMessage]:
    """The question to the reporter after a close, to queue with the close's messages.

    Empty unless ``step`` closed the report with a rateable disposition (not prank,
    duplicate or the reporter's own cancellation).
    """
    snap = step.snapshot
    if step.event.kind is not EventKind.CLOSED or snap.disposition is None:
        return []
    if snap.disposition not in RATEABLE:
        return []
    report = state.report
    return [
        OutboundMessage(
            report.chat_id,
            "send_message",
            {
                "text": t(report.language, "rating_ask", ticket=html.escape(report.ticket)),
                "parse_mode": "HTML",
                "reply_markup": rating_keyboard(report.id).to_dict(),
            },
            role="rating_request",
            priority=min(RATING_PRIORITY, delivery_priority(report.category, to_dispatch=False)),
            report_id=report.id,
        )
    ]
