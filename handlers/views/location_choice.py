"""A location from a reporter with an open report: the question (one message, two
buttons) and what the group sees when it moves the report."""

from __future__ import annotations

from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from bot.domain.models import Language, Report, ReportLocation
from handlers.callback_data import LocationChoice
from handlers.views.card import CardRenderer, location_pin
from handlers.views.render import esc, location_line
from handlers.views.texts import category_label, t


def question(report: Report, lang: Language, tz: tzinfo) -> str:
    """Is this location an update to the open report, or a new emergency?"""
    return t(
        lang,
        "location_which",
        ticket=report.ticket,
        category=esc(category_label(lang, report.category)),
        time=f"{report.submitted_at.astimezone(tz):%H:%M}",
    )


def choice_keyboard(pending_id: int, ticket: str, lang: Language) -> InlineKeyboardMarkup:
    """Update the open report / file a new emergency."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "btn_location_update", ticket=ticket),
                    callback_data=LocationChoice(pending=pending_id, choice="update").pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    t(lang, "btn_location_new"),
                    callback_data=LocationChoice(pending=pending_id, choice="new").pack(),
                )
            ],
        ]
    )


def location_sent(
    cards: CardRenderer, state: CardState, loc: ReportLocation
) -> list[OutboundMessage]:
    """The dispatchers see a location the reporter sent at once, under the card, while the
    reporter is asked whether it moves the report or is a new emergency."""
    report = state.report
    text = t(
        cards.lang,
        "group_location_sent",
        ticket=report.ticket,
        where=location_line(loc, cards.lang),
    )
    out = [cards.to_group(state, text)]
    if loc.lat is not None and loc.lon is not None:
        chat, payload = cards.in_place(state, {"latitude": loc.lat, "longitude": loc.lon})
        out.append(
            OutboundMessage(
                chat,
                "send_location",
                payload,
                role="card_extra",
                priority=out[0].priority,
                report_id=report.id,
                reply_to_outbox_id=state.card_outbox_id,
            )
        )
    return out


def location_moved(cards: CardRenderer, state: CardState, now: datetime) -> list[OutboundMessage]:
    """The card redrawn at the new place, the dispatchers told (under the card) and the
    new pin under it."""
    report = state.report
    assert report.location is not None
    where = location_line(report.location, cards.lang)
    out = [
        *cards.card_edit(state, now),
        cards.to_group(
            state, t(cards.lang, "group_location_updated", ticket=report.ticket, where=where)
        ),
    ]
    pin = location_pin(report)
    if pin is not None:
        method, payload = pin
        chat, payload = cards.in_place(state, payload)
        out.append(
            OutboundMessage(
                chat,
                method,
                payload,
                role="card_extra",
                priority=out[-1].priority,
                report_id=report.id,
                reply_to_outbox_id=state.card_outbox_id,
            )
        )
    # Officers already on their way must not drive to the old place: under each agency
    # copy, the same notice and the new pin (the copy's text is redrawn above).
    for outbox_id, chat_id, thread_id in state.agency_cards:
        place = {"message_thread_id": thread_id} if thread_id is not None else {}
        text = t(cards.lang, "group_location_updated", ticket=report.ticket, where=where)
        out.append(
            OutboundMessage(
                chat_id,
                "send_message",
                {"text": text, "parse_mode": "HTML", **place},
                role="agency_extra",
                priority=out[0].priority,
                report_id=report.id,
                reply_to_outbox_id=outbox_id,
            )
        )
        if pin is not None:
            method, payload = pin
            out.append(
                OutboundMessage(
                    chat_id,
                    method,
                    {**payload, **place},
                    role="agency_extra",
                    priority=out[0].priority,
                    report_id=report.id,
                    reply_to_outbox_id=outbox_id,
                )
            )
    return out
