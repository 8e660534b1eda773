"""Inline and reply keyboards of the reporter's conversation."""

from __future__ import annotations

from typing import Literal

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.domain.categories import CATEGORIES, CHOOSABLE
from bot.domain.models import Language
from handlers.callback_data import (
    DraftAction,
    DraftActionVerb,
    EditField,
    PickCategory,
    SetLanguage,
)
from handlers.views.texts import category_label, t


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def main_menu(lang: Language) -> ReplyKeyboardMarkup:
    """Always at hand outside a report: one-tap SOS (shares the location), report, language."""
    return _reply(
        [
            [KeyboardButton(t(lang, "btn_sos"), request_location=True)],
            [KeyboardButton(t(lang, "btn_report")), KeyboardButton(t(lang, "btn_language"))],
        ]
    )


def languages() -> InlineKeyboardMarkup:
    """Indonesian or English."""
    return InlineKeyboardMarkup(
        [
            [
                _button("🇮🇩 Bahasa Indonesia", SetLanguage(lang="id").pack()),
                _button("🇬🇧 English", SetLanguage(lang="en").pack()),
            ]
        ]
    )


def categories(draft_uid: str, lang: Language) -> InlineKeyboardMarkup:
    """All categories, two per row, and cancel."""
    buttons = [
        _button(
            f"{CATEGORIES[key].icon} {category_label(lang, key)}",
            PickCategory(draft=draft_uid, category=key).pack(),
        )
        for key in CHOOSABLE
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [_button(t(lang, "btn_cancel"), DraftAction(draft=draft_uid, action="cancel").pack())]
    )
    return InlineKeyboardMarkup(rows)


def _reply(rows: list[list[KeyboardButton]]) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def location_request(lang: Language) -> ReplyKeyboardMarkup:
    """Share the device's location, or cancel."""
    return _reply(
        [
            [KeyboardButton(t(lang, "btn_send_location"), request_location=True)],
            [KeyboardButton(t(lang, "btn_cancel"))],
        ]
    )


def details(lang: Language, *, has_content: bool) -> ReplyKeyboardMarkup:
    """Skip (or continue once something was given), or cancel."""
    go = t(lang, "btn_continue") if has_content else t(lang, "btn_skip")
    return _reply([[KeyboardButton(go)], [KeyboardButton(t(lang, "btn_cancel"))]])


def phone_request(lang: Language) -> ReplyKeyboardMarkup:
    """Share the account's phone number, skip, or cancel."""
    return _reply(
        [
            [KeyboardButton(t(lang, "btn_share_phone"), request_contact=True)],
            [KeyboardButton(t(lang, "btn_skip"))],
            [KeyboardButton(t(lang, "btn_cancel"))],
        ]
    )


def summary(
    draft_uid: str, lang: Language, *, witness: bool = False, anonymous: bool = False
) -> InlineKeyboardMarkup:
    """Send, edit, cancel; and two switches: for someone else, identity hidden from agencies."""

    def act(action: DraftActionVerb) -> str:
        return DraftAction(draft=draft_uid, action=action).pack()

    yes, no = t(lang, "yes"), t(lang, "no")
    return InlineKeyboardMarkup(
        [
            [_button(t(lang, "btn_send"), act("send"))],
            [
                _button(t(lang, "btn_edit"), act("edit")),
                _button(t(lang, "btn_cancel"), act("cancel")),
            ],
            [_button(t(lang, "btn_toggle_witness", value=yes if witness else no), act("witness"))],
            [
                _button(
                    t(lang, "btn_toggle_anonymous", value=yes if anonymous else no),
                    act("anonymous"),
                )
            ],
        ]
    )


def edit_menu(draft_uid: str, lang: Language) -> InlineKeyboardMarkup:
    """Which part to change."""

    def field(name: Literal["category", "location", "details", "phone"]) -> InlineKeyboardButton:
        return _button(
            t(lang, f"field_{name}"),
            EditField(draft=draft_uid, field=name).pack(),
        )

    return InlineKeyboardMarkup(
        [
            [field("category"), field("location")],
            [field("details"), field("phone")],
            [_button(t(lang, "btn_back"), DraftAction(draft=draft_uid, action="back").pack())],
        ]
    )
