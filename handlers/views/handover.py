"""What a shift hand-over shows: the dispatchers to pick from, the new owner told by name
(a mention notifies them), one notice for a whole shift's reports."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.categories import delivery_priority
from bot.domain.messages import OutboundMessage
from bot.domain.models import Language
from handlers.callback_data import CardAction, PickOwner
from handlers.views.render import esc
from handlers.views.texts import t

MAX_CANDIDATES = 20


def mention(user_id: int, name: str) -> str:
    """A dispatcher named so that Telegram notifies them (works without a username)."""
    return f'<a href="tg://user?id={int(user_id)}">{esc(name or str(user_id))}</a>'


def owner_keyboard(
    report_id: int, candidates: Sequence[tuple[int, str]], lang: Language
) -> InlineKeyboardMarkup:
    """One button per dispatcher who may take the report, then Back."""
    rows = [
        [
            InlineKeyboardButton(
                "🙋 " + name[:40], callback_data=PickOwner(report=report_id, user=uid).pack()
            )
        ]
        for uid, name in candidates[:MAX_CANDIDATES]
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "btn_back"),
                callback_data=CardAction(report=report_id, action="back").pack(),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def handover_notice(state: CardState, event: lifecycle.Event, lang: Language) -> str:
    """One report handed over: who gave it, who has it now (mentioned)."""
    to_id = event.data.get("to_id")
    to_name = str(event.data.get("to_name") or "")
    from_name = str(event.data.get("from_name") or event.actor_name or "")
    return t(
        lang,
        "handover_notice",
        ticket=state.report.ticket,
        from_name=esc(from_name),
        to=mention(int(to_id or 0), to_name),
    )


def handover_all_notice(
    chat_id: int,
    moved: Sequence[CardState],
    giver: lifecycle.Dispatcher,
    taker: lifecycle.Dispatcher,
    lang: Language,
) -> OutboundMessage:
    """A shift's reports handed over: one notice in the group naming every ticket."""
    tickets = ", ".join(f"<code>{s.report.ticket}</code>" for s in moved)
    return OutboundMessage(
        chat_id,
        "send_message",
        {
            "text": t(
                lang,
                "handover_all_notice",
                from_name=esc(giver.name),
                count=len(moved),
                to=mention(taker.user_id, taker.name),
                tickets=tickets,
            ),
            "parse_mode": "HTML",
        },
        role="group_notice",
        priority=max(
            delivery_priority(s.report.category, to_dispatch=True, sos=s.report.sos) for s in moved
        ),
    )
