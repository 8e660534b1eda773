"""Telegram handlers: parse and validate updates, call the domain, render answers.

:func:`register` adds every handler in one ordered place.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers.callback_data import (
    AskUnit,
    CallbackData,
    CancelReport,
    CardAction,
    DraftAction,
    EditField,
    ExpandCard,
    HandOver,
    LocationChoice,
    MenuAction,
    OfficerAction,
    PickAgency,
    PickCategory,
    PickDisposition,
    PickKecamatan,
    PickOwner,
    PickPlace,
    RateReport,
    SetLanguage,
    SosAnswer,
)
from handlers.context import BotApplication, BotContext
from handlers.dispatch import cards, commands, handover, members, relay, trust, units
from handlers.errors import answer_unknown_button, report_error
from handlers.insight import export, statistics
from handlers.insight import map as city_map
from handlers.reporter import inbox, location_choice, rating, sos, start, status
from handlers.reporter.report import places, steps, summary

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
# Only new messages drive the conversation: an edited message (e.g. a live-location
# update) must never advance a step.
NEW_PRIVATE = PRIVATE & filters.UpdateType.MESSAGE


Handler = BaseHandler[Update, BotContext, None]


def _commands() -> list[Handler]:
    """Commands. Before the catch-all message router, so a command in the middle of a
    report is a command, not an answer."""
    private: list[tuple[str | list[str], Callable[..., Coroutine[Any, Any, Any]]]] = [
        ("start", inbox.greet_reporter),
        (["lapor", "report"], steps.start_report),
        (["batal", "cancel"], steps.cancel_report),
        (["help", "bantuan"], start.show_help),
        (["language", "bahasa"], start.choose_language),
        ("status", status.show_status),
    ]
    # Dispatch-chat commands (each handler checks the chat is the configured one).
    groups: list[tuple[str | list[str], Callable[..., Coroutine[Any, Any, Any]]]] = [
        (["start", "lapor", "report"], start.redirect_to_private),
        (["antrian", "queue"], commands.show_queue),
        (["laporan", "ticket"], commands.show_report),
        ("unblock", commands.unblock_reporter),
        (["undang", "invite"], trust.invite),
        (["relawan", "trusted"], trust.list_trusted),
        (["cabut", "revoke"], trust.revoke),
        (["pulihkan", "reinstate"], trust.reinstate),
        (["statistik", "stats"], statistics.show_statistics),
        (["ekspor", "export"], export.export_reports),
        (["peta", "map"], city_map.show_map),
        (["alihkan", "handover"], handover.hand_over_command),
        (["kirim", "dispatch"], units.dispatch_with_unit),
    ]
    return [
        # Setup helper: works in every chat.
        CommandHandler("chatid", start.tell_chat_id),
        *(CommandHandler(names, fn, filters=NEW_PRIVATE) for names, fn in private),
        *(CommandHandler(names, fn, filters=GROUPS) for names, fn in groups),
    ]


BUTTONS: dict[type[CallbackData], Callable[..., Coroutine[Any, Any, Any]]] = {
    # The reporter's menu, conversation and own reports.
    MenuAction: inbox.open_menu_item,
    SetLanguage: start.set_language,
    PickCategory: summary.choose_category,
    DraftAction: summary.act_on_summary,
    EditField: summary.edit_field,
    SosAnswer: sos.choose_answer,
    PickPlace: places.choose_place,
    PickKecamatan: places.choose_kecamatan,
    CancelReport: status.cancel_own_report,
    LocationChoice: location_choice.choose,
    RateReport: rating.press_rating,
    # Dispatch cards: each checks the press comes from a dispatcher in the dispatch chat.
    CardAction: cards.press_card,
    PickAgency: cards.pick_agency,
    PickDisposition: cards.pick_disposition,
    ExpandCard: cards.expand_card,
    HandOver: handover.press_hand_over,
    PickOwner: handover.pick_owner,
    AskUnit: units.ask_unit,
    # Agency copies: each checks the press comes from that agency's own group.
    OfficerAction: cards.press_officer,
}
"""Every inline button's payload class and the handler it reaches."""


def _messages() -> list[Handler]:
    """Messages that are not commands."""
    return [
        # A group the bot serves became a supergroup: follow it (any chat, before others).
        MessageHandler(filters.StatusUpdate.MIGRATE, members.note_migration),
        # A forum topic reopened: cards may go there again.
        MessageHandler(filters.StatusUpdate.FORUM_TOPIC_REOPENED, members.note_topic_reopened),
        # Unknown commands, then every other private message: routed by the draft's step.
        MessageHandler(NEW_PRIVATE & filters.COMMAND, steps.unknown_command),
        MessageHandler(NEW_PRIVATE, inbox.receive_message),
        # Live-location updates arrive as edited messages: they move the location, never a
        # step.
        MessageHandler(
            PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.LOCATION,
            places.follow_live_location,
        ),
        # A reply in a group (privacy mode delivers replies to the bot's own messages):
        # relayed to the reporter when it answers a card or a relayed message in the
        # dispatch chat.
        MessageHandler(
            GROUPS & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND,
            relay.relay_to_reporter,
        ),
        # An edited reply that was relayed: the correction follows it.
        MessageHandler(
            GROUPS & filters.REPLY & filters.UpdateType.EDITED_MESSAGE & ~filters.COMMAND,
            relay.relay_correction,
        ),
    ]


def register(app: BotApplication) -> None:
    """Add all handlers, once. Within group 0 the first match wins, so order matters."""
    # Rating comments first (group -1): passes through unless the reporter just rated.
    app.add_handler(
        MessageHandler(NEW_PRIVATE & filters.TEXT & ~filters.COMMAND, rating.capture_comment),
        group=-1,
    )
    # A dispatcher's reply to a unit question (group -1): the unit note, never relayed to
    # the reporter; any other reply passes on to the relay below.
    app.add_handler(
        MessageHandler(
            GROUPS & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND,
            units.capture_unit_reply,
        ),
        group=-1,
    )
    app.add_handler(ChatMemberHandler(start.note_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(ChatMemberHandler(members.note_member_change, ChatMemberHandler.CHAT_MEMBER))
    # The bot back in a group: what was held for it goes (beside the setup note above).
    app.add_handler(
        ChatMemberHandler(members.note_bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        group=1,
    )
    app.add_handlers(_commands())
    # Inline buttons, by their typed callback-data prefix.
    app.add_handlers(
        [CallbackQueryHandler(fn, pattern=kind.matches()) for kind, fn in BUTTONS.items()]
    )
    # Anything else (forged, truncated, from an older version): answered, nothing changes.
    app.add_handler(CallbackQueryHandler(answer_unknown_button))
    app.add_handlers(_messages())
    app.add_error_handler(report_error)
