"""The buttons under a dispatch card and an agency's copy, by the report's state."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.lifecycle import Disposition, ReportState
from bot.domain.models import (
    Language,
)
from bot.domain.routing import Routing
from handlers.callback_data import (
    AskUnit,
    CardAction,
    CardVerb,
    HandOver,
    OfficerAction,
    OfficerVerb,
    PickAgency,
    PickDisposition,
)
from handlers.views.texts import disposition_label, t


def officer_keyboard(state: CardState, lang: Language) -> InlineKeyboardMarkup | None:
    """The buttons of an agency's copy: en route, on scene, need backup, done."""
    s, rid = state.snapshot.state, state.report.id

    def b(key: str, action: OfficerVerb) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            t(lang, key), callback_data=OfficerAction(report=rid, action=action).pack()
        )

    if s is ReportState.DISPATCHED:
        rows = [[b("btn_officer_en_route", "en_route"), b("btn_officer_on_scene", "on_scene")]]
    elif s is ReportState.EN_ROUTE:
        rows = [[b("btn_officer_on_scene", "on_scene")]]
    elif s is ReportState.ON_SCENE:
        rows = [[b("btn_officer_done", "done")]]
    else:
        return None
    rows.append([b("btn_officer_backup", "backup")])
    return InlineKeyboardMarkup(rows)


def card_keyboard(state: CardState, lang: Language) -> InlineKeyboardMarkup | None:
    """The buttons a card shows in its state."""
    snap, rid = state.snapshot, state.report.id

    def b(key: str, action: CardVerb, **values: Any) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            t(lang, key, **values),
            callback_data=CardAction(report=rid, action=action).pack(),
        )

    s = snap.state
    if s is ReportState.CLOSED:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    if s in (ReportState.SUBMITTED, ReportState.RECEIVED):
        rows.append([b("btn_claim", "claim")])
    elif s is ReportState.CLAIMED:
        rows.append([b("btn_dispatch", "dispatch")])
    elif s is ReportState.DISPATCHED:
        rows.append([b("btn_en_route", "en_route"), b("btn_on_scene", "on_scene")])
    elif s is ReportState.EN_ROUTE:
        rows.append([b("btn_on_scene", "on_scene")])
    elif s is ReportState.ON_SCENE:
        rows.append(
            [
                InlineKeyboardButton(
                    close_button_text(lang, Disposition.RESOLVED),
                    callback_data=CardAction(report=rid, action="resolve").pack(),
                )
            ]
        )
    if state.possible_duplicate_of and not snap.is_closed:
        rows.append(
            [
                InlineKeyboardButton(
                    close_button_text(lang, Disposition.DUPLICATE, state.possible_duplicate_of),
                    callback_data=PickDisposition(
                        report=rid, disposition=Disposition.DUPLICATE
                    ).pack(),
                )
            ]
        )
    close = b("btn_close", "close")
    last = [close]
    if s in HANDOVER_STATES:
        handover = HandOver(report=rid).pack()
        last.insert(0, InlineKeyboardButton(t(lang, "btn_handover"), callback_data=handover))
    if s in UNIT_STATES:
        unit = AskUnit(report=rid).pack()
        last.insert(0, InlineKeyboardButton(t(lang, "btn_unit"), callback_data=unit))
    rows.append(last)
    return InlineKeyboardMarkup(rows)


HANDOVER_STATES = frozenset(
    {ReportState.CLAIMED, ReportState.DISPATCHED, ReportState.EN_ROUTE, ReportState.ON_SCENE}
)
"""States in which a report has an owner who may hand it over (``Reassign``)."""
UNIT_STATES = frozenset({ReportState.DISPATCHED, ReportState.EN_ROUTE, ReportState.ON_SCENE})
"""States in which the unit or officer sent can be noted."""


def agency_keyboard(
    state: CardState, lang: Language, routing: Routing, suggested: str | None
) -> InlineKeyboardMarkup:
    """All agencies, the suggested one first."""
    rid = state.report.id
    rows = [
        [
            InlineKeyboardButton(
                ("⭐ " if a.key == suggested else "") + a.short_name,
                callback_data=PickAgency(report=rid, agency=a.key).pack(),
            )
        ]
        for a in routing.agencies_ordered(suggested)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "btn_back"), callback_data=CardAction(report=rid, action="back").pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


CLOSE_BUTTONS: tuple[Disposition, ...] = (
    Disposition.RESOLVED,
    Disposition.TRANSFERRED,
    Disposition.FALSE_ALARM,
    Disposition.PRANK,
    Disposition.NO_FURTHER_ACTION,
)


DISPOSITION_ICON: dict[Disposition, str] = {
    Disposition.RESOLVED: "✅",
    Disposition.DUPLICATE: "🔁",
    Disposition.FALSE_ALARM: "🚫",
    Disposition.PRANK: "🤡",
    Disposition.NO_FURTHER_ACTION: "➖",
}


def close_button_text(lang: Language, disposition: Disposition, other: str = "") -> str:
    """A closing button: icon and the disposition's name; the transfer button says where."""
    if disposition is Disposition.TRANSFERRED:
        return t(lang, "btn_lapor")
    return f"{DISPOSITION_ICON[disposition]} {disposition_label(lang, disposition, other=other)}"


def close_keyboard(state: CardState, lang: Language) -> InlineKeyboardMarkup:
    """Closing reasons possible in the report's state."""
    rid = state.report.id
    allowed = lifecycle.allowed_dispositions(state.snapshot.state)
    rows = [
        [
            InlineKeyboardButton(
                close_button_text(lang, d),
                callback_data=PickDisposition(report=rid, disposition=d).pack(),
            )
        ]
        for d in CLOSE_BUTTONS
        if d in allowed
    ]
    if state.possible_duplicate_of and Disposition.DUPLICATE in allowed:
        rows.insert(
            0,
            [
                InlineKeyboardButton(
                    close_button_text(lang, Disposition.DUPLICATE, state.possible_duplicate_of),
                    callback_data=PickDisposition(
                        report=rid, disposition=Disposition.DUPLICATE
                    ).pack(),
                )
            ],
        )
    rows.append(
        [
            InlineKeyboardButton(
                t(lang, "btn_back"), callback_data=CardAction(report=rid, action="back").pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)
